import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { run, type RunResult } from './harness/process.ts';
import { PROMTOOL_BIN } from './harness/prometheus.ts';

/**
 * The generated rule files are checked by promtool, exercised by the hand-written promtool
 * unit tests in alerts/tests/, and those tests must cover every alert and severity: a new
 * alert (or a new severity of one) without a firing and a silent case fails here. The
 * translations are held to the English rules, so the same tests cover them.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const EN_RULES = 'alerts/patrol.rules.yml';
const ZH_RULES = 'alerts/zh-CN/patrol.rules.yml';
const TESTS_DIR = 'alerts/tests';
const ANNOTATIONS = ['description', 'runbook_url', 'summary'];

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface RuleFile {
  groups: { name: string; rules: Rule[] }[];
}

interface ExpAlert {
  exp_labels?: Record<string, string>;
  exp_annotations?: Record<string, string>;
}

interface AlertRuleTest {
  eval_time: string;
  alertname: string;
  exp_alerts?: ExpAlert[] | null;
}

interface PromqlExprTest {
  expr: string;
  eval_time: string;
}

interface TestFile {
  rule_files: string[];
  evaluation_interval?: string;
  tests: { alert_rule_test?: AlertRuleTest[]; promql_expr_test?: PromqlExprTest[] }[];
}

const read = (rel: string): string => readFileSync(join(root, rel), 'utf8');
const parseRules = (rel: string): RuleFile => parse(read(rel)) as RuleFile;

/** Every `*.rules.yml` under alerts/, relative to the repository root, sorted. */
function ruleFiles(): string[] {
  return readdirSync(join(root, 'alerts'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.rules.yml'))
    .map((f) => `alerts/${f}`)
    .sort();
}

/** The promtool unit test files, relative to the repository root, sorted. */
function testFiles(): string[] {
  return readdirSync(join(root, TESTS_DIR), { encoding: 'utf8' })
    .filter((f) => f.endsWith('.yml'))
    .map((f) => `${TESTS_DIR}/${f}`)
    .sort();
}

const alerts = (file: RuleFile): Rule[] =>
  file.groups.flatMap((g) => g.rules).filter((r) => r.alert !== undefined);

async function promtool(args: readonly string[]): Promise<RunResult> {
  return run(PROMTOOL_BIN, args, { cwd: root, timeoutMs: 120_000 });
}

const output = (r: RunResult): string =>
  `promtool exited ${r.code} (signal ${r.signal})\n--- stdout ---\n${r.stdout}--- stderr ---\n${r.stderr}`;

describe('alert rules', () => {
  it('pass `promtool check rules`', async () => {
    const files = ruleFiles();
    assert.ok(files.includes(EN_RULES), `${EN_RULES} not found`);
    assert.ok(files.includes(ZH_RULES), `${ZH_RULES} not found`);
    const r = await promtool(['check', 'rules', ...files]);
    assert.equal(r.code, 0, output(r));
  });

  it('pass their promtool unit tests (alerts/tests/*.yml)', async () => {
    const files = testFiles();
    assert.ok(files.length > 0, `no promtool tests in ${TESTS_DIR}`);
    const r = await promtool(['test', 'rules', ...files]);
    assert.equal(r.code, 0, output(r));
  });

  describe('promtool unit tests cover', () => {
    const rules = parseRules(EN_RULES);
    const tests = testFiles().map((f) => ({ file: f, doc: parse(read(f)) as TestFile }));
    const cases = tests.flatMap(({ file, doc }) =>
      doc.tests.flatMap((t) => (t.alert_rule_test ?? []).map((c) => ({ file, c }))),
    );

    it('the English rule file, at a 1m evaluation interval', () => {
      for (const { file, doc } of tests) {
        assert.deepEqual(doc.rule_files, ['../patrol.rules.yml'], `${file}: rule_files`);
        assert.equal(doc.evaluation_interval, '1m', `${file}: evaluation_interval`);
      }
    });

    it('only alerts and severities that exist', () => {
      // promtool passes `exp_alerts: []` for a misspelt alert name: it never fires.
      const severities = new Map<string, Set<string>>();
      for (const r of alerts(rules)) {
        const name = r.alert ?? '';
        const set = severities.get(name) ?? new Set<string>();
        set.add(r.labels?.severity ?? '');
        severities.set(name, set);
      }
      for (const { file, c } of cases) {
        const known = severities.get(c.alertname);
        assert.ok(known, `${file}: no alert named ${c.alertname} at ${c.eval_time}`);
        for (const a of c.exp_alerts ?? []) {
          const sev = a.exp_labels?.severity ?? '';
          assert.ok(known.has(sev), `${file}: ${c.alertname} has no severity "${sev}"`);
        }
      }
    });

    it('every alert and severity firing, with its labels and annotations', () => {
      const covered = new Set<string>();
      for (const { file, c } of cases) {
        for (const a of c.exp_alerts ?? []) {
          const where = `${file}: ${c.alertname} at ${c.eval_time}`;
          assert.ok(a.exp_labels?.severity, `${where}: exp_labels without severity`);
          // An alert about a whole HA pair (split brain, no primary) is about no one instance:
          // it names its cluster instead.
          assert.ok(
            a.exp_labels.instance ?? a.exp_labels.cluster,
            `${where}: exp_labels without instance (or, for an alert about an HA pair, cluster)`,
          );
          assert.ok(a.exp_labels.job, `${where}: exp_labels without job`);
          assert.deepEqual(
            Object.keys(a.exp_annotations ?? {}).sort(),
            ANNOTATIONS,
            `${where}: exp_annotations must spell out ${ANNOTATIONS.join(', ')}`,
          );
          covered.add(`${c.alertname} ${a.exp_labels.severity}`);
        }
      }
      const missing = alerts(rules)
        .map((r) => `${r.alert ?? ''} ${r.labels?.severity ?? ''}`)
        .filter((k) => !covered.has(k));
      assert.deepEqual(missing, [], 'alerts (name severity) no promtool test sees firing');
    });

    it('every alert staying silent', () => {
      const silent = new Set(
        cases.filter(({ c }) => (c.exp_alerts ?? []).length === 0).map(({ c }) => c.alertname),
      );
      const missing = [...new Set(alerts(rules).map((r) => r.alert ?? ''))].filter(
        (n) => !silent.has(n),
      );
      assert.deepEqual(missing, [], 'alerts without a promtool test case expecting no alert');
    });

    it('every recording rule', () => {
      const exprs = tests.flatMap(({ doc }) =>
        doc.tests.flatMap((t) => (t.promql_expr_test ?? []).map((p) => p.expr)),
      );
      const records = rules.groups.flatMap((g) => g.rules).flatMap((r) => r.record ?? []);
      assert.ok(records.length > 0);
      for (const rec of records)
        assert.ok(
          exprs.some((e) => e.includes(rec)),
          `no promql_expr_test queries the recording rule ${rec}`,
        );
    });
  });

  it('in zh-CN are the English rules with translated annotations only', () => {
    const en = parseRules(EN_RULES);
    const zh = parseRules(ZH_RULES);
    assert.deepEqual(
      zh.groups.map((g) => g.name),
      en.groups.map((g) => g.name),
      'groups',
    );
    en.groups.forEach((enGroup, gi) => {
      const zhRules = zh.groups[gi]?.rules ?? [];
      assert.equal(zhRules.length, enGroup.rules.length, `group ${enGroup.name}: number of rules`);
      enGroup.rules.forEach((enRule, ri) => {
        const zhRule = zhRules[ri];
        const name = enRule.alert ?? enRule.record ?? '';
        const where = `group ${enGroup.name} rule ${ri} (${name})`;
        assert.ok(zhRule, where);
        const { annotations: enAnn, ...enRest } = enRule;
        const { annotations: zhAnn, ...zhRest } = zhRule;
        // alert/record, expr, for, labels: everything promtool's tests depend on.
        assert.deepEqual(zhRest, enRest, `${where}: differs in more than its annotations`);
        if (enRule.alert === undefined) {
          assert.equal(zhAnn, undefined, `${where}: a recording rule has no annotations`);
          return;
        }
        assert.ok(enAnn && zhAnn, `${where}: annotations`);
        assert.deepEqual(Object.keys(enAnn).sort(), ANNOTATIONS, `${where}: English annotations`);
        assert.deepEqual(Object.keys(zhAnn).sort(), ANNOTATIONS, `${where}: zh-CN annotations`);
        const enRunbook = enAnn.runbook_url ?? '';
        const suffix = `/${enRule.alert}.md`;
        assert.ok(enRunbook.endsWith(suffix), `${where}: English runbook_url ${enRunbook}`);
        assert.equal(
          zhAnn.runbook_url,
          `${enRunbook.slice(0, -suffix.length)}/zh-CN${suffix}`,
          `${where}: zh-CN runbook_url`,
        );
        // The translation renders the same labels and values as the tested English text.
        for (const key of ['summary', 'description']) {
          assert.deepEqual(
            templates(zhAnn[key] ?? ''),
            templates(enAnn[key] ?? ''),
            `${where}: zh-CN ${key} uses other template expressions than the English one`,
          );
        }
      });
    });
  });
});

/** The distinct `{{ ... }}` expressions of an annotation, whitespace-normalized and sorted. */
function templates(text: string): string[] {
  const found = [...text.matchAll(/\{\{(.*?)\}\}/g)].map((m) =>
    (m[1] ?? '').trim().replace(/\s+/g, ' '),
  );
  return [...new Set(found)].sort();
}
