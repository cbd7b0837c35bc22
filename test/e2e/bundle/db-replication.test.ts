/**
 * The database replication alerts and panels on real Prometheus, from real replicated pairs
 * (Redis, PostgreSQL 15, MariaDB 10.11: test/harness/replication.ts) read by a real exporter:
 * healthy pairs raise nothing; the three replication links cut at once fire the lag alerts
 * from the heartbeat (seconds before the servers notice) and then PatrolDbReplicationBroken for
 * each engine; a stopped replica still fires Broken (its link and lag series are absent) and
 * its primary's PatrolDbReplicaMissing; a duplicate key fires PatrolDbReplicationError with its
 * number; a primary turned read-only refuses the heartbeat and fires PatrolDbHeartbeatStale
 * (and not the lag alert). Every database panel and variable returns data.
 *
 * Needs root, iptables, the Debian packages of the three servers and prometheus.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { en as dbStrings } from '../../../mixin/db-replication/i18n/en.ts';
import {
  CLOCK,
  DB_REPLICATION,
  labelValues,
  startBundle,
  substitute,
  writeConfig,
} from '../../harness/bundle-env.ts';
import { scrapesFor, type Needs } from '../../harness/budget.ts';
import { onlyCollectors } from '../../harness/config.ts';
import { groupFor, HEARTBEAT_SECONDS } from '../../harness/db-replication.ts';
import { startExporter } from '../../harness/exporter.ts';
import { mariadb } from '../../harness/middleware.ts';
import {
  startMariadbPair,
  startPostgresPair,
  startRedisPair,
  type Pair,
} from '../../harness/replication.ts';
import { tempDir } from '../../harness/tmp.ts';

const ENGINES = ['redis', 'postgres', 'mysql'] as const;
/** Every server's own timeout of a silent link in these pairs (repl-timeout, wal_receiver_timeout, slave_net_timeout). */
const SERVER_TIMEOUT_SECONDS = 10;

describe('the database replication alerts on real Prometheus', () => {
  it('fire from real pairs really broken, and every database panel returns data', async (t) => {
    const dir = await tempDir(t, 'patrol-bundle-db-');
    const [redis, postgres, mysql] = await Promise.all([
      startRedisPair(t),
      startPostgresPair(t),
      startMariadbPair(t),
    ]);
    const pairs: Record<(typeof ENGINES)[number], Pair> = { redis, postgres, mysql };
    const configFile = await writeConfig(
      join(dir, 'patrol.yml'),
      onlyCollectors({
        db_replication: { groups: ENGINES.map((e) => groupFor(pairs[e])) },
      }),
    );
    const exporter = await startExporter(t, { configFile });
    const b = await startBundle(t, { dir, exporters: [exporter], vars: { group: '.+' } });
    const o = dbStrings.dashboards.overview.panels;
    const dbAlerts = async () =>
      (await b.prom.alerts()).filter(
        (a) => (a.labels.alertname ?? '').startsWith('PatrolDb') && a.state === 'firing',
      );
    const scraped: Needs = { scrapes: 1, evaluations: 1, work: HEARTBEAT_SECONDS };

    await t.test('healthy pairs raise nothing', async () => {
      await b.waitForData('patrol_db_replication_lag_seconds{method="heartbeat"} < 2', scraped);
      await b.waitFor('three replicas replicating', scraped, async () => {
        const up = await b.prom.query('patrol_db_replication_link_up == 1');
        return up.length === 3;
      });
      // Absence needs evaluations over that data: three of them (a second each) pass first.
      await sleep(3 * CLOCK.evaluationSeconds * 1000);
      assert.deepEqual(await dbAlerts(), []);
      assert.equal(await b.tile('overview.json', o.dbBroken.title), 0);
    });

    await t.test('the three links cut: lag alerts from the heartbeat, then Broken', async () => {
      await Promise.all(ENGINES.map((e) => pairs[e].partition()));
      try {
        for (const group of ENGINES) {
          // Before any server notices: the heartbeat's lag passes the warning limit.
          await b.firing(
            'PatrolDbReplicationLagHigh',
            { group, severity: 'warning' },
            {
              ...scraped,
              wait: DB_REPLICATION.lagWarningSeconds,
            },
          );
        }
        for (const group of ENGINES) {
          const [broken] = await b.firing(
            'PatrolDbReplicationBroken',
            { group, server: 'replica' },
            { ...scraped, wait: SERVER_TIMEOUT_SECONDS },
          );
          assert.match(broken?.annotations.description ?? '', /replication is not running/);
          await b.firing('PatrolDbReplicationLagHigh', { group, severity: 'critical' }, scraped);
        }
        assert.equal(await b.tile('overview.json', o.dbBroken.title), 3);
      } finally {
        await Promise.all(ENGINES.map((e) => pairs[e].heal()));
      }
      await b.waitFor('the alerts to clear after healing', { ...scraped, work: 20 }, async () =>
        (await dbAlerts()).length === 0 ? true : false,
      );
    });

    await t.test(
      'a stopped replica: Broken (not answering) and its primary missing it',
      async () => {
        await mysql.stopReplica();
        try {
          const [broken] = await b.firing(
            'PatrolDbReplicationBroken',
            { group: 'mysql', server: 'replica' },
            scraped,
          );
          assert.match(broken?.annotations.description ?? '', /does not answer patrol/);
          const [missing] = await b.firing(
            'PatrolDbReplicaMissing',
            { group: 'mysql', server: 'primary' },
            scraped,
          );
          assert.match(
            missing?.annotations.description ?? '',
            /has 0 replicas connected .*of 1 expected/,
          );
        } finally {
          await mysql.startReplica();
        }
      },
    );

    await t.test(
      'a duplicate key on the replica: the replication error, with its number',
      async () => {
        await mysql.waitReplicating();
        await mysql.breakSqlThread();
        try {
          const [error] = await b.firing(
            'PatrolDbReplicationError',
            { group: 'mysql', server: 'replica' },
            scraped,
          );
          assert.match(error?.annotations.description ?? '', /1062/);
        } finally {
          await mysql.repairSqlThread();
        }
      },
    );

    await t.test(
      'a primary that refuses the heartbeat: stale, and no lag alert for it',
      async () => {
        await mysql.waitReplicating();
        await mariadb(mysql.primary, 'SET GLOBAL read_only = 1');
        try {
          await b.firing(
            'PatrolDbHeartbeatStale',
            { group: 'mysql', server: 'primary' },
            { ...scraped, wait: DB_REPLICATION.heartbeatStaleSeconds },
          );
          const writes = await b.prom.query(
            'patrol_db_replication_heartbeat_writes_total{group="mysql",result="error"} > 0',
          );
          assert.equal(writes.length, 1, 'the refused writes are counted');
          // The replica's heartbeat lag grows with the stale heartbeat; the lag alert reads the
          // server's own figure instead, which is 0 on a healthy link.
          const lagging = (await dbAlerts()).filter(
            (a) =>
              a.labels.alertname === 'PatrolDbReplicationLagHigh' && a.labels.group === 'mysql',
          );
          assert.deepEqual(lagging, []);
        } finally {
          await mariadb(mysql.primary, 'SET GLOBAL read_only = 0');
        }
      },
    );

    await t.test('every database panel and variable returns data', async () => {
      let checked = 0;
      for (const f of b.dashboards) {
        for (const v of f.model.templating?.list ?? []) {
          const lv = labelValues(v.query);
          if (lv === undefined || !lv.expr.includes('patrol_db_replication_')) continue;
          await b.waitForData(substitute(lv.expr, b.vars), scraped);
          checked++;
        }
        for (const p of f.panels)
          for (const target of p.targets ?? []) {
            const expr = target.expr ?? '';
            if (!expr.includes('patrol_db_replication_')) continue;
            await b
              .waitForData(substitute(expr, b.vars), { scrapes: scrapesFor(expr) })
              .catch((err: unknown) => {
                throw new Error(`${f.path}: panel "${p.title ?? ''}": ${expr}`, { cause: err });
              });
            checked++;
          }
      }
      assert.ok(checked >= 10, `only ${checked} database queries found`);
    });
  });
});
