// `patrol --print-rules[=LANG] [--rules.runbook-url=BASE]`: the shipped rule file, with the
// runbook links pointed at BASE, so an installation sets them without the developer toolchain.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { describeError } from '../core/errors.ts';
import { INSTALL_ROOT } from '../install-root.ts';
import { runbookUrl, type Lang } from './runbook-url.ts';

/** alerts/patrol.rules.yml (English) or alerts/<lang>/patrol.rules.yml, under `root`. */
export function ruleFilePath(lang: Lang, root: string = INSTALL_ROOT): string {
  return lang === 'en'
    ? join(root, 'alerts', 'patrol.rules.yml')
    : join(root, 'alerts', lang, 'patrol.rules.yml');
}

/** An alerting rule of a rule file, as the runbook index shows it. */
export interface AlertEntry {
  readonly alert: string;
  readonly severity: string;
  readonly summary: string;
}

function parseRuleFile(text: string) {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new Error(`not a YAML rule file: ${doc.errors.map((e) => e.message).join('; ')}`);
  }
  const groups = doc.get('groups');
  if (!isSeq(groups)) throw new Error('not a Prometheus rule file: no `groups:` list');
  const rules = groups.items.flatMap((g) => {
    const r = isMap(g) ? g.get('rules') : undefined;
    return isSeq(r) ? r.items.filter(isMap) : [];
  });
  return { doc, alerts: rules.filter((r) => typeof r.get('alert') === 'string') };
}

/** The alerting rules of a rule file's text, in file order. */
export function listAlerts(text: string): AlertEntry[] {
  return parseRuleFile(text).alerts.map((r) => {
    const labels = r.get('labels');
    const annotations = r.get('annotations');
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    return {
      alert: str(r.get('alert')),
      severity: isMap(labels) ? str(labels.get('severity')) : '',
      summary: isMap(annotations) ? str(annotations.get('summary')) : '',
    };
  });
}

const HEADER = '# runbook_url: ';

/**
 * The rule file `text` with every alert's `runbook_url` set to `runbookUrl(base, lang, alert)`
 * (mixin/rules.ts' layout) and a header line saying so; everything else is kept as it is.
 * Pure: no I/O.
 */
export function rewriteRunbookUrls(text: string, lang: Lang, base: string): string {
  const { doc, alerts } = parseRuleFile(text);
  for (const rule of alerts) {
    const alert = String(rule.get('alert'));
    let annotations = rule.get('annotations');
    if (!isMap(annotations)) {
      rule.set('annotations', doc.createNode({}));
      annotations = rule.get('annotations');
    }
    if (!isMap(annotations)) throw new Error(`alert ${alert}: cannot set its annotations`);
    const url = runbookUrl(base, lang, alert);
    const node = annotations.get('runbook_url', true);
    if (isScalar(node)) node.value = url;
    else annotations.set('runbook_url', url);
  }
  // The header says where the links point now, after the generator's comment lines (once: a
  // file printed before, e.g. rewritten in place by install.sh, can be printed again).
  const lines = doc.toString({ lineWidth: 0 }).split('\n');
  const end = lines.findIndex((l) => !l.startsWith('#'));
  const header = lines.slice(0, end === -1 ? 0 : end).filter((l) => !l.startsWith(HEADER));
  return [
    ...header,
    `${HEADER}${runbookUrl(base, lang, '<Alert>')} (patrol --print-rules=${lang} --rules.runbook-url=${base})`,
    ...lines.slice(end === -1 ? 0 : end),
  ].join('\n');
}

export class RulesNotInstalledError extends Error {
  override name = 'RulesNotInstalledError';
}

/** Reads the shipped rule file of `lang`; an absent one is a RulesNotInstalledError. */
export async function readRuleFile(lang: Lang, root: string = INSTALL_ROOT): Promise<string> {
  const file = ruleFilePath(lang, root);
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new RulesNotInstalledError(
        `the ${lang} rule file is not installed: ${file} does not exist (it ships in alerts/ next to dist/)`,
        { cause: err },
      );
    }
    throw new Error(`cannot read the rule file ${file}`, { cause: err });
  }
}

/**
 * The text `--print-rules` writes: the shipped rule file of `lang`, with its runbook links
 * pointed at `base` when one is given, else unchanged.
 */
export async function printRules(
  lang: Lang,
  base: string | undefined,
  root: string = INSTALL_ROOT,
): Promise<string> {
  const text = await readRuleFile(lang, root);
  if (base === undefined) return text;
  try {
    return rewriteRunbookUrls(text, lang, base);
  } catch (err) {
    throw new Error(`${ruleFilePath(lang, root)}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * `patrol --print-rules`: the rule file on stdout and 0, or one sentence on stderr and 1 (no
 * rule files installed, an unreadable one).
 */
export async function printRulesCommand(
  lang: Lang,
  base: string | undefined,
  io: { out(text: string): void; err(text: string): void } = {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  },
  root: string = INSTALL_ROOT,
): Promise<number> {
  let text: string;
  try {
    text = await printRules(lang, base, root);
  } catch (err) {
    // Not installed is one sentence; anything else says its cause (EACCES, a YAML error).
    const why = err instanceof RulesNotInstalledError ? err.message : describeError(err);
    io.err(`patrol: ${why}\n`);
    return 1;
  }
  io.out(text);
  return 0;
}
