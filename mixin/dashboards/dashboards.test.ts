/**
 * Properties of the dashboards as built (not snapshots): usable on any Prometheus through the
 * datasource variable, no host baked in, every query on declared metrics and labels, a unit
 * on every panel, wall-display tiles that are never "No data" when healthy, and translations
 * that change words only.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selfFamilies } from '../../src/app.ts';
import { collectorDefinitions } from '../../src/collectors/index.ts';
import { runnerFamilies } from '../../src/core/runner.ts';
import { defaultConfig, durationSeconds, type MixinConfig } from '../config.ts';
import { LANGUAGES, strings, type Lang } from '../i18n/index.ts';
import { EXPORTERS_UP } from '../alerts/index.ts';
import { haGroup } from '../alerts/ha.ts';
import { replicationGroup } from '../alerts/replication.ts';
import { dashboards } from './index.ts';

interface Target {
  expr: string;
  refId?: string;
  legendFormat?: string;
  datasource?: { type?: string; uid?: string };
}
interface Threshold {
  value: number | null;
  color: string;
}
interface Panel {
  id?: number;
  type: string;
  title?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  options?: { colorMode?: string };
  fieldConfig?: {
    defaults?: {
      unit?: string;
      thresholds?: { steps: Threshold[] };
      mappings?: { options: Record<string, { text?: string }> }[];
    };
  };
  targets?: Target[];
}
interface Model {
  uid: string;
  links?: { url?: string }[];
  title: string;
  refresh?: string;
  tags?: string[];
  templating: {
    list: { name: string; type: string; query?: unknown; multi?: boolean; includeAll?: boolean }[];
  };
  panels: (Panel & { repeat?: string })[];
}

function build(lang: Lang, config: MixinConfig = defaultConfig): Record<string, Model> {
  return dashboards(config, lang, strings(lang)) as Record<string, Model>;
}

const all = LANGUAGES.flatMap((lang) =>
  Object.entries(build(lang)).map(([file, model]) => ({ lang, file, model })),
);
const panelsOf = (m: Model) => m.panels.filter((p) => p.type !== 'row');

/** Metric name -> its labels, plus the labels Prometheus adds. */
const labelsOf = new Map<string, string[]>([
  ['up', []],
  ['ALERTS', ['alertname', 'alertstate', 'severity']],
  // The mixin's own recording rule, per job: the sign that the rule file is loaded.
  [EXPORTERS_UP, []],
  ...[
    ...Object.values(selfFamilies),
    ...Object.values(runnerFamilies),
    ...Object.values(collectorDefinitions).flatMap((d) => d.families),
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
    .replace(/\b(by|on|group_left|group_right|ignoring)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '');
  return [...bare.matchAll(/\b[A-Za-z_][A-Za-z0-9_:]*\b/g)]
    .map((m) => m[0])
    .filter((w) => !FUNCTIONS.has(w) && !KEYWORDS.has(w));
}

describe('dashboards', () => {
  it('come as overview.json, host.json, systemd.json, logs.json and ha.json in every language, with unique uids of at most 40 characters', () => {
    for (const lang of LANGUAGES)
      assert.deepEqual(Object.keys(build(lang)).sort(), [
        'ha.json',
        'host.json',
        'logs.json',
        'overview.json',
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

  it('colour with the thresholds of the config, as the alerts use them', () => {
    const config: MixinConfig = {
      ...defaultConfig,
      dashboardThresholds: { usedWarning: 0.5, usedCritical: 0.6 },
      thresholds: {
        ...defaultConfig.thresholds,
        predictCriticalHorizon: '2h',
        predictWindow: '3h',
      },
    };
    const { 'overview.json': overview, 'host.json': host } = build('en', config);
    assert.ok(overview && host);
    const fullest = panelsOf(overview).find((p) =>
      p.targets?.[0]?.expr.startsWith('max((1 - patrol_filesystem_avail'),
    );
    assert.deepEqual(
      fullest?.fieldConfig?.defaults?.thresholds?.steps.map((s) => s.value),
      [null, 0.5, 0.6],
    );
    const ttf = panelsOf(host).find((p) => p.targets?.[0]?.expr.includes('deriv('));
    assert.ok(ttf?.targets?.[0]?.expr.includes('[3h]'));
    assert.equal(ttf?.fieldConfig?.defaults?.thresholds?.steps[1]?.value, durationSeconds('2h'));
    const readOnly = panelsOf(overview).find((p) =>
      p.targets?.[0]?.expr.includes('unless patrol_filesystem_readonly'),
    );
    assert.ok(readOnly?.targets?.[0]?.expr.includes(config.readOnlyExpectedSelector));
  });

  it('colour the log cells with the limits and windows of the log alerts', () => {
    const config: MixinConfig = {
      ...defaultConfig,
      thresholds: {
        ...defaultConfig.thresholds,
        logErrorsPerMinute: 25,
        logErrorsWindow: '30m',
        logLagBytes: 1024,
        logLagWindow: '20m',
      },
    };
    const { 'overview.json': overview, 'logs.json': logs } = build('en', config);
    assert.ok(overview && logs);
    const en = strings('en').dashboards;
    const grid = panelsOf(overview).find((p) => p.title === en.overview.panels.logErrors.title);
    const cell = panelsOf(logs).find((p) => p.title === en.logs.panels.errorsNow.title);
    for (const p of [grid, cell]) {
      const expr = p?.targets?.[0]?.expr ?? '';
      // The alerts' rate: error and critical entries over their window, per minute.
      assert.match(
        expr,
        /^\(sum by \(job, instance, source\) \(rate\(patrol_log_lines_total\{[^}]*level=~"critical\|error"\}\[30m\]\)\) \* 60 or /,
      );
      assert.deepEqual(
        p?.fieldConfig?.defaults?.thresholds?.steps.map((x) => [x.value, x.color]),
        [
          [null, 'blue'],
          [0, 'green'],
          [25, 'orange'],
        ],
      );
    }
    const high = panelsOf(overview).find((p) => p.title === en.overview.panels.logErrorsHigh.title);
    assert.ok(high?.targets?.[0]?.expr.includes('[30m])) * 60 > 25'));
    const behind = panelsOf(overview).find(
      (p) => p.title === en.overview.panels.logReadersBehind.title,
    );
    assert.ok(behind?.targets?.[0]?.expr.includes('> 1024 and'));
    assert.ok(behind?.targets?.[0]?.expr.includes('[20m]) >= 0'));
    const lag = panelsOf(logs).find((p) => p.title === en.logs.panels.lag.title);
    assert.equal(lag?.fieldConfig?.defaults?.thresholds?.steps[1]?.value, 1024);
  });

  it('show a word, never a gap, for a log source without files or a host not measured', () => {
    const v = strings('en').dashboards.values.log;
    for (const { lang, file, model } of all.filter((d) =>
      ['overview.json', 'logs.json'].includes(d.file),
    )) {
      const s = strings(lang).dashboards;
      const title =
        file === 'overview.json' ? s.overview.panels.logErrors : s.logs.panels.errorsNow;
      const p = panelsOf(model).find((x) => x.title === title.title);
      const expr = p?.targets?.[0]?.expr ?? '';
      // Each special state is its own branch of the query, after the error rate ...
      assert.match(expr, /\(patrol_log_files\{[^}]*\} > 0\) or /, `${file}: files > 0`);
      assert.match(expr, /required="true"\}\) \* 0 - 1 or /, `${file}: NO FILES`);
      assert.match(expr, /collector="logs"\} == 0\)\) \* 0 - 3 or /, `${file}: COLLECTOR FAILED`);
      assert.match(expr, /\(up\{[^}]*\} == 0\)\) \* 0 - 4 or /, `${file}: EXPORTER DOWN`);
      assert.ok(expr.endsWith(' or on () vector(-5)'), `${file}: NO LOG SOURCES`);
      // ... and says so in words in every language.
      const texts = Object.fromEntries(
        (p?.fieldConfig?.defaults?.mappings ?? []).flatMap((m) =>
          Object.entries(m.options).map(([k, o]) => [k, o.text]),
        ),
      );
      const l = s.values.log;
      assert.deepEqual(texts, {
        '-1': l.noFiles,
        '-2': l.noFilesOptional,
        '-3': l.collectorFailed,
        '-4': l.exporterDown,
        '-5': l.noSources,
      });
      if (lang === 'en') assert.equal(texts['-1'], v.noFiles);
    }
  });

  it('colour the HA cells with the limits and conditions of the HA alerts', () => {
    const config: MixinConfig = {
      ...defaultConfig,
      thresholds: { ...defaultConfig.thresholds, haClockSkewSeconds: 0.25, haNodeMemory: '2d' },
    };
    const { 'overview.json': overview, 'ha.json': ha } = build('en', config);
    assert.ok(overview && ha);
    const en = strings('en').dashboards;
    const flat = (e: string) =>
      e
        .replace(/\s*\n\s*/g, ' ')
        .replace(/\(\s+/g, '(')
        .replace(/\s+\)/g, ')');
    // The alerts' own conditions, read on the dashboard's variables instead of the selector.
    const alert = (name: string) => {
      const r = haGroup(config).rules.find((x) => 'alert' in x && x.alert === name);
      return flat(r?.expr ?? '').replaceAll('{job="patrol"', '{job=~"$job", instance=~"$instance"');
    };
    const grid = panelsOf(overview).find((p) => p.title === en.overview.panels.haPairs.title);
    const expr = grid?.targets?.[0]?.expr ?? '';
    assert.ok(expr.startsWith(`(${alert('PatrolHaSplitBrain')}) * 0 + 3 or `), expr);
    assert.ok(expr.includes(` or (${alert('PatrolHaNoPrimary')}) * 0 + 2 or `), expr);
    assert.ok(expr.includes('[2d]'), 'the memory of the config');
    const splitBrain = panelsOf(ha).find((p) => p.title === en.ha.panels.splitBrain.title);
    assert.ok(
      (splitBrain?.targets?.[0]?.expr ?? '').startsWith(
        `(${alert('PatrolHaSplitBrain').replaceAll('instance=~"$instance"', 'instance=~"$instance", cluster=~"$cluster"')}) * 0 + 1 or `,
      ),
      splitBrain?.targets?.[0]?.expr,
    );
    for (const title of [en.ha.panels.clockOffset.title, en.ha.panels.clockOffsetOverTime.title]) {
      const p: Panel | undefined = panelsOf(ha).find((x) => x.title === title);
      assert.deepEqual(
        p?.fieldConfig?.defaults?.thresholds?.steps.map((x) => [x.value, x.color]),
        [
          [null, 'orange'],
          [-0.25, 'green'],
          [0.25, 'orange'],
        ],
        title,
      );
    }
  });

  it('show a word, never a gap, for an HA pair and for a node whose exporter is down', () => {
    for (const { lang, file, model } of all.filter((d) =>
      ['overview.json', 'ha.json'].includes(d.file),
    )) {
      const s = strings(lang).dashboards;
      const h = s.values.ha;
      const texts = (p: Panel | undefined) =>
        Object.fromEntries(
          (p?.fieldConfig?.defaults?.mappings ?? []).flatMap((m) =>
            Object.entries(m.options).map(([k, o]) => [k, o.text]),
          ),
        );
      if (file === 'overview.json') {
        const p = panelsOf(model).find((x) => x.title === s.overview.panels.haPairs.title);
        const expr = p?.targets?.[0]?.expr ?? '';
        // Worst first: each state is its own branch, and a pair nobody scrapes is still a cell.
        assert.match(expr, /\(patrol_ha_peer_up\{[^}]*\} == 0\)\) \* 0 \+ 1 or /, 'PEER DOWN');
        assert.match(
          expr,
          /\(max by \(job, cluster\) \(patrol_ha_role\{[^}]*\}\)\) \* 0 \+ 0 or /,
          'OK',
        );
        assert.match(
          expr,
          /last_over_time\(patrol_ha_role\{[^}]*\}\[1d\]\) and on \(job, instance\) \(up\{[^}]*\} == 0\)\)\)\) \* 0 \+ 4 or /,
          'EXPORTERS DOWN, of exporters that are down only',
        );
        assert.ok(expr.endsWith(' or on () vector(-1)'), 'NO HA PAIRS');
        assert.deepEqual(texts(p), {
          '-1': h.noPairs,
          0: h.ok,
          1: h.peerDown,
          2: h.noPrimary,
          3: h.splitBrain,
          4: h.notMeasured,
        });
      } else {
        const p = panelsOf(model).find((x) => x.title === s.ha.panels.roles.title);
        const expr = p?.targets?.[0]?.expr ?? '';
        assert.match(expr, /\(up\{[^}]*\} == 0\)\)\) \* 0 \+ 3$/, `${file}: EXPORTER DOWN`);
        assert.deepEqual(texts(p), {
          0: h.primary,
          1: h.standby,
          2: h.unknown,
          3: h.exporterDown,
        });
        assert.deepEqual(
          p?.fieldConfig?.defaults?.thresholds?.steps.map((x) => x.color),
          ['green', 'blue', 'orange', 'red'],
        );
      }
    }
  });

  it('colour the replication cells with the limits and conditions of the replication alerts', () => {
    const config: MixinConfig = {
      ...defaultConfig,
      thresholds: {
        ...defaultConfig.thresholds,
        replicationLagWarningSeconds: 45,
        replicationLagCriticalSeconds: 200,
        replicationStallWindow: '7m',
        replicationCompareStale: '9m',
        replicationStandbySpaceAvailable: 0.2,
      },
    };
    const { 'overview.json': overview, 'ha.json': ha } = build('en', config);
    assert.ok(overview && ha);
    const en = strings('en').dashboards;
    const find = (m: Model, title: string) => panelsOf(m).find((p) => p.title === title);
    const colours = (p: Panel | undefined) =>
      p?.fieldConfig?.defaults?.thresholds?.steps.map((x) => [x.value, x.color]);
    const lag = [
      [null, 'blue'],
      [-1, 'red'],
      [0, 'green'],
      [45, 'orange'],
      [200, 'red'],
    ];
    assert.deepEqual(colours(find(ha, en.ha.panels.lag.title)), lag);
    assert.deepEqual(colours(find(overview, en.overview.panels.replicationLag.title)), lag);
    assert.deepEqual(colours(find(ha, en.ha.panels.standbySpace.title)), [
      [null, 'blue'],
      [-1, 'red'],
      [0, 'orange'],
      [0.2, 'green'],
    ]);
    assert.equal(colours(find(ha, en.ha.panels.lastCompare.title))?.[2]?.[0], 540);
    // The canary cell reads PatrolReplicationStalled's own condition, on the dashboard's variables.
    const stalled = replicationGroup(config).rules.find(
      (x) => 'alert' in x && x.alert === 'PatrolReplicationStalled',
    );
    const condition = /^\(\n([\s\S]*)\n\)\n\* on/.exec(stalled?.expr ?? '')?.[1] ?? '';
    const flat = condition
      .replace(/\s*\n\s*/g, ' ')
      .trim()
      .replaceAll('{job="patrol"', '{job=~"$job", instance=~"$instance", cluster=~"$cluster"');
    assert.match(flat, /> 420 unless on .*\[7m\]\) > 0$/);
    const canary = find(ha, en.ha.panels.canary.title)?.targets?.[0]?.expr ?? '';
    assert.ok(canary.startsWith(`(max by (job, cluster, dataset) (${flat}) and on `), canary);
    // The Overview counts the datasets in PatrolReplicationOutOfSync's condition.
    const outOfSync = find(overview, en.overview.panels.datasetsOutOfSync.title);
    assert.match(
      outOfSync?.targets?.[0]?.expr ?? '',
      /^count\(\(\(patrol_replication_out_of_sync_files\{[^}]*\} \+ patrol_replication_missing_files\{[^}]*\}\) > 0\) and on \(job, instance, cluster\) \(patrol_ha_role\{[^}]*role="standby"\} == 1\)\) or vector\(0\)$/,
    );
  });

  it('show a word, never a gap, for a dataset no standby measures', () => {
    for (const { lang, file, model } of all.filter((d) =>
      ['overview.json', 'ha.json'].includes(d.file),
    )) {
      const s = strings(lang).dashboards;
      const r = s.values.replication;
      const texts = (p: Panel | undefined) =>
        Object.fromEntries(
          (p?.fieldConfig?.defaults?.mappings ?? []).flatMap((m) =>
            Object.entries(m.options).map(([k, o]) => [k, o.text]),
          ),
        );
      const titles =
        file === 'overview.json'
          ? [s.overview.panels.replicationLag.title]
          : [s.ha.panels.lag.title, s.ha.panels.canary.title, s.ha.panels.standbySpace.title];
      for (const title of titles) {
        const p = panelsOf(model).find((x) => x.title === title);
        const expr = p?.targets?.[0]?.expr ?? '';
        // The datasets the pair mirrors, remembered for a day, are NOT MEASURED without a
        // standby figure; no dataset anywhere is one neutral cell.
        assert.match(
          expr,
          /last_over_time\(patrol_replication_canary_errors_total\{[^}]*\}\[1d\]\)/,
          `${file}: ${title}`,
        );
        assert.ok(expr.includes(') * 0 - 1 or '), `${file}: ${title}`);
        assert.ok(expr.endsWith(' or on () vector(-2)'), `${file}: ${title}`);
        assert.equal(texts(p)['-1'], r.notMeasured, `${file}: ${title}`);
        assert.equal(texts(p)['-2'], r.noDatasets, `${file}: ${title}`);
      }
      if (file === 'ha.json') {
        const canary = panelsOf(model).find((x) => x.title === s.ha.panels.canary.title);
        assert.deepEqual(
          [0, 1, 2, 3].map((k) => texts(canary)[k]),
          [r.advancing, r.waiting, r.stalled, r.neverArrived],
        );
        for (const title of [s.ha.panels.filesOff.title, s.ha.panels.lastCompare.title]) {
          const p = panelsOf(model).find((x) => x.title === title);
          assert.ok((p?.targets?.[0]?.expr ?? '').includes(' * 0 - 3 or on () vector(-2)'), title);
          assert.equal(texts(p)['-3'], r.notCompared, title);
        }
      }
    }
  });

  it('repeat the HA pair row once per cluster, every panel of it on that cluster', () => {
    for (const { lang, file, model } of all.filter((d) => d.file === 'ha.json')) {
      const cluster = model.templating.list.find((v) => v.name === 'cluster');
      assert.ok(cluster?.multi === true && cluster.includeAll === true, `${file}: $cluster`);
      const start = model.panels.findIndex((p) => p.type === 'row' && p.repeat === 'cluster');
      assert.ok(start >= 0, `${file}: no row repeated by cluster`);
      const next = model.panels.findIndex((p, i) => i > start && p.type === 'row');
      const inRow = model.panels.slice(start + 1, next < 0 ? undefined : next);
      assert.ok(inRow.length >= 6, `${file}: ${inRow.length} panels in the pair row`);
      for (const p of inRow)
        for (const t of p.targets ?? [])
          for (const m of t.expr.matchAll(/patrol_(?:ha|replication)_\w+(\{[^}]*\})/g))
            assert.ok(
              m[1]?.includes('cluster=~"$cluster"'),
              `${file}: ${p.title ?? ''}: ${t.expr}`,
            );
      // Reached from every other dashboard of its language.
      for (const other of all.filter((d) => d.lang === lang && d.file !== file))
        assert.ok(
          (other.model.links ?? []).some((l) => l.url === `/d/${model.uid}`),
          `${lang}/${other.file} links to ${model.uid}`,
        );
    }
  });

  it('count the alerts about a whole HA pair on the Overview, for the pairs of the selected servers', () => {
    const { 'overview.json': overview } = build('en');
    assert.ok(overview);
    const o = strings('en').dashboards.overview.panels;
    for (const [title, severity] of [
      [o.criticalAlerts.title, 'critical'],
      [o.warningAlerts.title, 'warning'],
    ]) {
      const p = panelsOf(overview).find((x) => x.title === title);
      assert.ok(
        (p?.targets?.[0]?.expr ?? '').startsWith(
          `(count(ALERTS{alertstate="firing", severity="${severity}", job=~"$job", instance=~"$instance"} or (ALERTS{alertstate="firing", severity="${severity}", job=~"$job", instance=""} and on (job, cluster) patrol_ha_role{job=~"$job", instance=~"$instance"})) or vector(0))`,
        ),
        p?.targets?.[0]?.expr,
      );
    }
  });

  it('are translated: same panels and queries, different words', () => {
    for (const file of ['overview.json', 'host.json', 'systemd.json', 'logs.json', 'ha.json']) {
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
          assert.notEqual(texts(zh.panels[i])[j], t, `${file}: value text ${t ?? ''}`);
        });
      });
    }
  });
});
