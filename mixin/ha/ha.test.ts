/** The HA area's dashboard panels, as built (the properties of every dashboard: mixin/dashboards/). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfig, type MixinConfig } from '../config.ts';
import { all, build, panelsOf, type Model, type Panel } from '../dashboards/testing.ts';
import { strings } from '../i18n/index.ts';
import { haGroup, replicationGroup } from './alerts.ts';

describe('HA dashboard panels', () => {
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
    // The canary-written cell: green 1, red 0 and NOT MEASURED, read on the node that is
    // primary now, as PatrolReplicationCanaryUnwritable reads it.
    const written = find(ha, en.ha.panels.canaryWritten.title);
    assert.deepEqual(colours(written), [
      [null, 'blue'],
      [-1, 'red'],
      [1, 'green'],
    ]);
    assert.match(
      written?.targets?.[0]?.expr ?? '',
      /^min by \(job, cluster, dataset\) \(\(patrol_replication_canary_write_ok\{[^}]*\}\) and on \(job, instance, cluster\) \(patrol_ha_role\{[^}]*role="primary"\} == 1\)\) or /,
    );
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
          : [
              s.ha.panels.lag.title,
              s.ha.panels.canaryWritten.title,
              s.ha.panels.canary.title,
              s.ha.panels.standbySpace.title,
            ];
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
        const written = panelsOf(model).find((x) => x.title === s.ha.panels.canaryWritten.title);
        assert.deepEqual(
          [1, 0].map((k) => texts(written)[k]),
          [r.written, r.cannotWrite],
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
});
