import type { LabelCap } from '../../core/label-cap.ts';
import type { RuleConfig } from './config.ts';

/** One configured rule, ready to run on lines. */
export interface CompiledRule {
  readonly name: string;
  readonly regex: RegExp;
  /** The pattern has non-ASCII characters: it must see the line decoded as UTF-8, not latin1. */
  readonly utf8: boolean;
  readonly labels: readonly string[];
  readonly maxValues: number;
}

export function compileRule(r: RuleConfig): CompiledRule {
  // The `u` flag as at validation (config.ts); no `g`, so exec() keeps no lastIndex state.
  return {
    name: r.name,
    regex: new RegExp(r.regex, 'u'),
    utf8: /[^\x00-\x7f]/.test(r.regex),
    labels: r.labels,
    maxValues: r.max_values,
  };
}

/**
 * The labels of a match: each allow-listed capture, decoded to UTF-8 (lines are matched as
 * latin1, one char per byte, so a capture is bytes; invalid UTF-8 becomes U+FFFD, which
 * Prometheus accepts).
 */
export function matchLabels(
  source: string,
  rule: CompiledRule,
  m: RegExpExecArray,
  cap: LabelCap,
): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const label of rule.labels) {
    const raw = m.groups?.[label] ?? '';
    const text = rule.utf8 ? raw : Buffer.from(raw, 'latin1').toString('utf8');
    labels[label] = cap.value(`${source}\u0000${rule.name}\u0000${label}`, text, rule.maxValues);
  }
  return labels;
}

/** The count of one rule and label set. */
export interface MatchSnapshot {
  readonly rule: string;
  readonly labels: Record<string, string>;
  count: number;
  /** Unix seconds of the last match. */
  last: number;
}

/** Counts one match into a source's series (keyed by rule and labels). */
export function recordMatch(
  matches: Map<string, MatchSnapshot>,
  rule: CompiledRule,
  labels: Record<string, string>,
  nowMs: number,
): void {
  const key = `${rule.name}\u0000${JSON.stringify(labels)}`;
  let series = matches.get(key);
  if (series === undefined) {
    series = { rule: rule.name, labels, count: 0, last: 0 };
    matches.set(key, series);
  }
  series.count++;
  series.last = nowMs / 1000;
}
