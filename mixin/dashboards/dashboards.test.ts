/**
 * Properties of the dashboards as built (not snapshots): usable on any Prometheus through the
 * datasource variable, no host baked in, every query on declared metrics and labels, a unit
 * on every panel, wall-display tiles that are never "No data" when healthy, and translations
 * that change words only. What is particular to an area is tested beside it
 * (mixin/<area>/<area>.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selfFamilies } from '../../src/app.ts';
import { collectors } from '../../src/collectors/index.ts';
import { runnerFamilies } from '../../src/core/runner.ts';
import { defaultConfig } from '../config.ts';
import { EXPORTERS_UP } from '../exporter/alerts.ts';
import { LITERAL_TEXTS as DB_LITERAL_TEXTS } from '../db-replication/queries.ts';
import { LITERAL_TEXTS as KUBE_LITERAL_TEXTS } from '../kubernetes/queries.ts';
import { LANGUAGES } from '../i18n/index.ts';
import { all, build, panelsOf, type Model, type Panel } from './testing.ts';

/** Metric name -> its labels, plus the labels Prometheus adds. */
const labelsOf = new Map<string, string[]>([
  ['up', []],
  ['ALERTS', ['alertname', 'alertstate', 'severity']],
  // The mixin's own recording rule, per job: the sign that the rule file is loaded.
  [EXPORTERS_UP, []],
  ...[
    ...Object.values(selfFamilies),
    ...Object.values(runnerFamilies),
    ...collectors.flatMap((d) => d.families),
  ].map((f): [string, string[]] => [f.name, [...f.labels]]),
]);
const FUNCTIONS = new Set([
  'count',
  'max',
  'min',
  'sum',
  'topk',
  'vector',
  'time',
  'deriv',
  'increase',
  'absent',
  'changes',
  'last_over_time',
  'label_replace',
  'label_join',
  'clamp_min',
  'sort_desc',
  'rate',
  'round',
  'group',
  'max_over_time',
  // `@ start()` and `@ end()`: the time range of the panel, for step-invariant conditions.
  'start',
  'end',
]);
const KEYWORDS = new Set(['or', 'and', 'unless', 'by', 'on', 'bool']);
/** Grafana's own variables, which no dashboard defines. */
const GLOBAL_VARIABLES = new Set(['__range', '__interval', '__rate_interval']);

/** Identifiers an expression reads as series (not functions, keywords, labels or strings). */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\b(by|without|on|group_left|group_right|ignoring)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '');
  return [...bare.matchAll(/\b[A-Za-z_][A-Za-z0-9_:]*\b/g)]
    .map((m) => m[0])
    .filter((w) => !FUNCTIONS.has(w) && !KEYWORDS.has(w));
}

describe('dashboards', () => {
  it('come as overview.json, host.json, systemd.json, logs.json, ha.json, kubernetes.json and probes.json in every language, with unique uids of at most 40 characters', () => {
    for (const lang of LANGUAGES)
      assert.deepEqual(Object.keys(build(lang)).sort(), [
        'ha.json',
        'host.json',
        'kubernetes.json',
        'logs.json',
        'overview.json',
        'probes.json',
        'systemd.json',
      ]);
    const uids = all.map((d) => d.model.uid);
    assert.equal(new Set(uids).size, uids.length, uids.join(', '));
    for (const uid of uids) assert.match(uid, /^[a-z0-9-]{1,40}$/);
    assert.throws(() => build('en', { ...defaultConfig, dashboardUidPrefix: 'x'.repeat(40) }));
  });

  it('take uid prefix, refresh and tags from the config', () => {
    const config = {
      ...defaultConfig,
      dashboardUidPrefix: 'ops',
      refresh: '1m',
      dashboardTags: ['a'],
    };
    for (const m of Object.values(build('zh-CN', config))) {
      assert.match(m.uid, /^ops-.*-zh-cn$/);
      assert.equal(m.refresh, '1m');
      assert.deepEqual(m.tags, ['a']);
    }
  });

  it('give every panel a unit, the datasource variable and queries with a refId', () => {
    for (const { file, lang, model } of all)
      for (const p of panelsOf(model)) {
        const where = `${lang}/${file}: ${p.title ?? ''}`;
        assert.ok((p.fieldConfig?.defaults?.unit ?? '') !== '', `${where}: no unit`);
        assert.deepEqual(p.datasource, { type: 'prometheus', uid: '${datasource}' }, where);
        assert.ok((p.targets ?? []).length > 0, `${where}: no query`);
        const refIds = (p.targets ?? []).map((t) => t.refId);
        assert.equal(new Set(refIds).size, refIds.length, where);
        for (const t of p.targets ?? []) {
          assert.ok(t.refId, where);
          assert.deepEqual(t.datasource, { type: 'prometheus', uid: '${datasource}' }, where);
        }
      }
  });

  it('select every series by $job and $instance and use only variables the dashboard defines', () => {
    for (const { file, model } of all) {
      const defined = new Set(model.templating.list.map((v) => v.name));
      assert.equal(model.templating.list.find((v) => v.name === 'datasource')?.query, 'prometheus');
      const queries = [
        ...panelsOf(model).flatMap((p) => (p.targets ?? []).map((t) => t.expr)),
        ...model.templating.list.flatMap((v) => (typeof v.query === 'string' ? [v.query] : [])),
      ];
      for (const expr of queries) {
        for (const m of expr.matchAll(/\{[^}]*\}/g)) {
          const selector = m[0];
          // The per-job recording rule has no instance to select.
          if (expr.slice(0, m.index).endsWith(EXPORTERS_UP)) continue;
          const job = selector.includes('job=~"$job"');
          // The alerts about a whole HA pair have no instance: the Overview counts them for
          // the pairs of the selected servers (joined on patrol_ha_role, selected as usual).
          const pairAlerts =
            expr.slice(0, m.index).endsWith('ALERTS') && /instance=""/.test(selector);
          const instance = selector.includes('instance=~"$instance"') || pairAlerts;
          // The job and instance variables themselves are listed from narrower selectors.
          if (
            selector !== '{}' &&
            !/^label_values\((patrol_build_info|up\{job=~"\$job"\}),/.test(expr)
          )
            assert.ok(job && instance, `${file}: ${selector} in ${expr}`);
        }
        for (const m of expr.matchAll(/\binstance\s*(?:=~|=|!=|!~)\s*"([^"]*)"/g))
          if (m[0] !== 'instance=""') assert.equal(m[1], '$instance', `${file}: ${expr}`);
        for (const [, name] of expr.matchAll(/\$(\w+)/g))
          assert.ok(
            defined.has(name ?? '') || GLOBAL_VARIABLES.has(name ?? ''),
            `${file}: $${name ?? ''} is not a variable: ${expr}`,
          );
      }
    }
  });

  it('read only metrics patrol declares, and label their series with labels those metrics have', () => {
    for (const { file, model } of all)
      for (const p of panelsOf(model))
        for (const t of p.targets ?? []) {
          const names = metricNames(t.expr);
          const labels = new Set(['job', 'instance']);
          for (const name of names) {
            const own = labelsOf.get(name);
            assert.ok(
              own,
              `${file}: "${p.title ?? ''}" reads ${name}, which patrol does not export`,
            );
            own.forEach((l) => labels.add(l));
          }
          for (const [, label] of (t.legendFormat ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g))
            assert.ok(labels.has(label ?? ''), `${file}: legend {{${label ?? ''}}} of ${t.expr}`);
        }
  });

  it('title every panel of a dashboard differently (tests and people find a panel by its title)', () => {
    for (const { lang, file, model } of all) {
      const titles = panelsOf(model).map((p) => p.title ?? '');
      const twice = titles.filter((t, i) => titles.indexOf(t) !== i);
      assert.deepEqual(twice, [], `${lang}/${file}: panels titled twice`);
    }
  });

  it('lay panels out on the 24-column grid without overlaps and number them uniquely', () => {
    for (const { file, model } of all) {
      const ids = model.panels.map((p) => p.id);
      assert.equal(new Set(ids).size, ids.length, file);
      const cells = new Set<string>();
      for (const p of model.panels) {
        const { x, y, w, h } = p.gridPos;
        assert.ok(x >= 0 && w > 0 && x + w <= 24 && h > 0, `${file}: ${p.title ?? ''}`);
        for (let i = x; i < x + w; i++)
          for (let j = y; j < y + h; j++) {
            assert.ok(!cells.has(`${i},${j}`), `${file}: ${p.title ?? ''} overlaps at ${i},${j}`);
            cells.add(`${i},${j}`);
          }
      }
    }
  });

  it('show the wall display as coloured tiles that read 0, not "No data", when all is well', () => {
    for (const { file, model } of all.filter((d) => d.file === 'overview.json'))
      for (const p of panelsOf(model)) {
        assert.equal(p.type, 'stat', `${file}: ${p.title ?? ''}`);
        assert.equal(p.options?.colorMode, 'background', `${file}: ${p.title ?? ''}`);
        const steps = p.fieldConfig?.defaults?.thresholds?.steps ?? [];
        assert.ok(steps.length >= 2 && steps[0]?.value === null, `${file}: ${p.title ?? ''}`);
        const expr = p.targets?.[0]?.expr ?? '';
        if (expr.startsWith('count(') && !expr.startsWith('count(up'))
          assert.ok(
            expr.endsWith(' or vector(0)') &&
              steps[0]?.color === 'green' &&
              (steps[1]?.value ?? 0) === 1,
            `${file}: ${p.title ?? ''} must be a green 0 and turn at 1`,
          );
      }
  });

  it('are translated: same panels and queries, different words', () => {
    for (const file of [
      'overview.json',
      'host.json',
      'systemd.json',
      'logs.json',
      'ha.json',
      'kubernetes.json',
      'probes.json',
    ]) {
      const en = build('en')[file];
      const zh = build('zh-CN')[file];
      assert.ok(en && zh);
      assert.notEqual(zh.title, en.title);
      const shape = (m: Model) =>
        m.panels.map((p) => [p.type, p.gridPos, p.targets?.map((t) => t.expr)]);
      assert.deepEqual(shape(zh), shape(en));
      en.panels.forEach((p, i) => {
        assert.notEqual(zh.panels[i]?.title, p.title, `${file}: "${p.title ?? ''}" not translated`);
        const texts = (q: Panel | undefined) =>
          (q?.fieldConfig?.defaults?.mappings ?? []).flatMap((m) =>
            Object.values(m.options).map((o) => o.text),
          );
        texts(p).forEach((t, j) => {
          // kubectl's own words (a pod's STATUS, READY 1/2) and the replicas a database primary
          // has (connected/expected) are the same in every language.
          if (t !== undefined && (KUBE_LITERAL_TEXTS.has(t) || DB_LITERAL_TEXTS.has(t)))
            assert.equal(texts(zh.panels[i])[j], t);
          else assert.notEqual(texts(zh.panels[i])[j], t, `${file}: value text ${t ?? ''}`);
        });
      });
    }
  });
});
