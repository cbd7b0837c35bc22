/**
 * The database replication area's panels, as built (the properties of every dashboard:
 * mixin/dashboards/): its row on patrol / HA pairs and its counts on the Overview read the alerts'
 * own conditions, with the config's limits, and show a word, never a gap.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfig, type MixinConfig } from '../config.ts';
import { all, build, panelsOf, type Panel } from '../dashboards/testing.ts';
import { strings } from '../i18n/index.ts';
import { dbReplicationGroup } from './alerts.ts';
import { BROKEN, DB, REPLICAS_BASE } from './queries.ts';

const config: MixinConfig = {
  ...defaultConfig,
  thresholds: {
    ...defaultConfig.thresholds,
    dbReplicationLagWarningSeconds: 20,
    dbReplicationLagCriticalSeconds: 200,
    dbHeartbeatStaleSeconds: 15,
  },
};

/** An alert's expression on one line, on the dashboards' variables instead of the selector. */
function alertExpr(name: string, severity = 'critical', extra = ''): string {
  const r = dbReplicationGroup(config).rules.find(
    (x) => 'alert' in x && x.alert === name && x.severity === severity,
  );
  return (r?.expr ?? '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\(\s+/g, '(')
    .replace(/\s+\)/g, ')')
    .replaceAll('{job="patrol"', `{job=~"$job", instance=~"$instance"${extra}`);
}

const texts = (p: Panel | undefined) =>
  Object.fromEntries(
    (p?.fieldConfig?.defaults?.mappings ?? []).flatMap((m) =>
      Object.entries(m.options).map(([k, o]) => [k, o.text]),
    ),
  );
const steps = (p: Panel | undefined) =>
  p?.fieldConfig?.defaults?.thresholds?.steps.map((x) => [x.value, x.color]);

describe('database replication panels', () => {
  const { 'overview.json': overview, 'ha.json': ha } = build('en', config);
  assert.ok(overview && ha);
  const en = strings('en').dashboards;
  const onHa = (title: string) => panelsOf(ha).find((p) => p.title === title);
  const expr = (p: Panel | undefined) => p?.targets?.[0]?.expr ?? '';

  it('are a Databases row of patrol / HA pairs, below the pairs and above their history, with a $group variable', () => {
    const rows = ha.panels.filter((p) => p.type === 'row').map((p) => p.title);
    assert.deepEqual(rows, [en.ha.rows.pair, en.dbReplication.rows.databases, en.ha.rows.history]);
    const group = ha.templating.list.find((v) => v.name === 'group');
    assert.equal(group?.multi, true);
    assert.match(String(group?.query), /^label_values\(patrol_db_replication_success\{/);
  });

  it('read the alerts’ conditions with the config’s limits', () => {
    const group = ', group=~"$group"';
    // The replica cells: PatrolDbReplicationBroken's condition, then OK for the others.
    assert.ok(
      expr(onHa(en.dbReplication.panels.replicas.title)).startsWith(
        `${alertExpr('PatrolDbReplicationBroken', 'critical', group)} or `,
      ),
    );
    // The lag: the alert's, without its limit; the heartbeat set aside at the config's age.
    const lag = alertExpr('PatrolDbReplicationLagHigh', 'warning', group).replace(
      /^\((.*)\) > 20$/,
      '$1',
    );
    assert.match(lag, /heartbeat_age_seconds\{[^}]*\} > 15\)/);
    assert.ok(expr(onHa(en.dbReplication.panels.lag.title)).startsWith(`${lag} or `));
    assert.equal(expr(onHa(en.dbReplication.panels.lagOverTime.title)), lag);
    // The Overview's counts: the alerts' conditions, on every group.
    const count = (title: string) =>
      expr(panelsOf(overview).find((p) => p.title === title)).replace(/ or vector\(0\)$/, '');
    const o = en.overview.panels;
    assert.equal(count(o.dbBroken.title), `count(${alertExpr('PatrolDbReplicationBroken')})`);
    assert.equal(
      count(o.dbLagging.title),
      `count(${alertExpr('PatrolDbReplicationLagHigh', 'warning')})`,
    );
    assert.equal(
      count(o.dbReplicasMissing.title),
      `count(${alertExpr('PatrolDbReplicaMissing', 'warning')})`,
    );
    assert.equal(
      count(o.dbHeartbeatStale.title),
      `count(${alertExpr('PatrolDbHeartbeatStale', 'warning')})`,
    );
    // Colours at the same limits.
    assert.deepEqual(steps(onHa(en.dbReplication.panels.lag.title)), [
      [null, 'blue'],
      [DB.noFigure, 'red'],
      [DB.noDatabases, 'blue'],
      [0, 'green'],
      [20, 'orange'],
      [200, 'red'],
    ]);
    assert.deepEqual((steps(onHa(en.dbReplication.panels.heartbeatAge.title)) ?? []).slice(-2), [
      [0, 'green'],
      [15, 'orange'],
    ]);
  });

  it('show a word, never a gap: a replica’s reason, a server that does not answer, no databases at all', () => {
    for (const { lang, model } of all.filter((d) => d.file === 'ha.json')) {
      const s = strings(lang).dashboards;
      const v = s.values.db;
      const p = (title: string) => panelsOf(model).find((x) => x.title === title);
      const replicas = p(s.dbReplication.panels.replicas.title);
      assert.deepEqual(texts(replicas), {
        [DB.ok]: v.ok,
        [BROKEN.notAnswering]: v.notAnswering,
        [BROKEN.notReplicating]: v.notReplicating,
        [BROKEN.linkDown]: v.linkDown,
        [DB.noDatabases]: v.noDatabases,
      });
      for (const title of [
        s.dbReplication.panels.replicas.title,
        s.dbReplication.panels.lag.title,
        s.dbReplication.panels.primaries.title,
        s.dbReplication.panels.heartbeatAge.title,
      ])
        assert.ok(expr(p(title)).endsWith(` or on () vector(${DB.noDatabases})`), title);
      assert.equal(texts(p(s.dbReplication.panels.lag.title))[DB.noFigure], v.notMeasured);
      assert.equal(texts(p(s.dbReplication.panels.primaries.title))[DB.noFigure], v.notAnswering);
    }
  });

  it('show a primary’s replicas as connected/expected, orange when fewer', () => {
    const p = onHa(en.dbReplication.panels.primaries.title);
    const mapping = p?.fieldConfig?.defaults?.mappings?.[0]?.options ?? {};
    const cell = (connected: number, expected: number) =>
      mapping[String(connected * REPLICAS_BASE + expected)] as
        { text?: string; color?: string } | undefined;
    assert.equal(cell(1, 2)?.text, '1/2');
    assert.equal(cell(1, 2)?.color, 'orange');
    assert.equal(cell(2, 2)?.color, 'green');
    assert.equal(cell(3, 2)?.color, 'green');
    assert.equal(cell(0, 0)?.text, '0/0');
    assert.match(
      expr(p),
      /connected_replicas\{[^}]*\} \* 100 \+ patrol_db_replication_expected_replicas/,
    );
  });
});
