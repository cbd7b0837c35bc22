import { z } from 'zod';
import { readSecretFile, SecretFileError } from '../core/secret.ts';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(?:\d+(?:ms|s|m|h|d))+$/;

/** Parses Prometheus-style durations (`500ms`, `30s`, `1m30s`, `2h`) into milliseconds. */
export function parseDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let ms = 0;
  for (const [, num, unit] of text.matchAll(/(\d+)(ms|s|m|h|d)/g)) {
    ms += Number(num) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return ms;
}

// setTimeout fires at once for delays above 2^31-1 ms (about 24.8 days).
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A duration field: a string in the file, milliseconds after parsing. */
export function duration(defaultValue: string, description: string, min = '1ms') {
  return durationText(min)
    .prefault(defaultValue)
    .meta({ description, default: defaultValue, format: 'duration', pattern: DURATION.source });
}

/** A duration field without a default: absent means "not set". */
export function optionalDuration(description: string, min = '1ms') {
  return durationText(min)
    .optional()
    .meta({ description, format: 'duration', pattern: DURATION.source });
}

const DURATION_HINT = 'use a number and a unit, e.g. 500ms, 30s, 5m, 1h';

function durationText(min: string) {
  const minMs = parseDuration(min) ?? 1;
  // An unquoted `3` arrives as a number: say what a duration looks like, not "expected string".
  const notText = (iss: { input?: unknown }) =>
    typeof iss.input === 'number' ? `invalid duration "${iss.input}": ${DURATION_HINT}` : undefined;
  return z.string({ error: notText }).transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `invalid duration ${JSON.stringify(text)}: ${DURATION_HINT}`,
      });
      return z.NEVER;
    }
    if (ms > MAX_TIMER_MS) {
      ctx.addIssue({
        code: 'custom',
        message: `duration ${text} is longer than the maximum 24d (Node.js timers cannot wait longer)`,
      });
      return z.NEVER;
    }
    if (ms < minMs) {
      ctx.addIssue({
        code: 'custom',
        message: `duration ${text} is shorter than the minimum ${min}`,
      });
      return z.NEVER;
    }
    return ms;
  });
}

/** A regular expression field: validated at load time so a bad pattern names its path. */
export function regex(defaultValue: string, description: string) {
  return regexText().default(defaultValue).meta({ description, default: defaultValue });
}

/** A regular expression (with the `u` flag, as it is used), refused with the engine's reason. */
export function regexText() {
  return z.string().superRefine((src, ctx) => {
    const why = regexProblem(src);
    if (why !== undefined) ctx.addIssue({ code: 'custom', message: why });
  });
}

/** Why `src` is not a valid regular expression, or undefined. */
export function regexProblem(src: string): string | undefined {
  try {
    new RegExp(src, 'u');
    return undefined;
  } catch (err) {
    // "Invalid regular expression: /(/u: Unterminated group": the part after the pattern.
    const reason = (err as Error).message.replace(/^Invalid regular expression: \/.*\/\w*: /s, '');
    return `not a valid regular expression: ${reason}`;
  }
}

/** Keys every collector has. */
export function collectorBase(opts: { enabled: boolean; timeout: string }) {
  return {
    enabled: z
      .boolean()
      .default(opts.enabled)
      .meta({ description: 'Run this collector.', default: opts.enabled }),
    timeout: duration(
      opts.timeout,
      'How long one scrape may wait for this collector before reporting patrol_collector_success 0.',
    ),
  };
}

/**
 * A file holding a secret (password, token, shared key): an absolute path to a regular file
 * that exists, is readable by patrol, not by every user, and not empty (at least `minLength`
 * characters), checked when the configuration is loaded so a bad one stops start-up with the
 * field's path. The value stays the path; the collector reads the file when it starts.
 */
export function secretFile(description: string, minLength = 1) {
  return z
    .string()
    .regex(/^\//, 'must be an absolute path')
    .superRefine((path, ctx) => {
      try {
        readSecretFile(path, minLength);
      } catch (err) {
        if (!(err instanceof SecretFileError)) throw err;
        ctx.addIssue({ code: 'custom', message: err.message });
      }
    })
    .optional()
    .meta({ description });
}

/**
 * The checks of a collector's list of named entries that each have a deadline (probes, database
 * groups): every name used once, and every deadline shorter than the collector's timeout, so a
 * hanging `target` is cut before the scrape is. Issues go to `<list>[i].name` and
 * `<list>[i].timeout`.
 */
export function checkNamedDeadlines(
  ctx: z.RefinementCtx,
  entries: readonly { readonly name: string; readonly timeout: number }[],
  opts: { list: string; entry: string; collector: string; timeout: number; target: string },
): void {
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    if (seen.has(e.name)) {
      ctx.addIssue({
        code: 'custom',
        path: [opts.list, i, 'name'],
        message: `${opts.entry} name ${JSON.stringify(e.name)} is used twice`,
      });
    }
    seen.add(e.name);
    if (e.timeout >= opts.timeout) {
      ctx.addIssue({
        code: 'custom',
        path: [opts.list, i, 'timeout'],
        message: `must be shorter than collectors.${opts.collector}.timeout, so a hanging ${opts.target} is cut before the scrape is`,
      });
    }
  });
}
