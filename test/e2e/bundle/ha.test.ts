/**
 * The HA alerts on real Prometheus and Alertmanager. The exporter is one node of an HA pair
 * (collectors.ha only, its role read from a file); its peer is a stand-in run by this test that
 * answers heartbeats as this test says: standby, then primary (split brain), then not at all
 * (peer down), while the role file turns the exporter standby (a failover, and a pair without a
 * primary).
 *
 * Needs the Debian packages prometheus and prometheus-alertmanager.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { strings } from '../../../mixin/i18n/index.ts';
import { PAIR, ROLE } from '../../../mixin/ha/queries.ts';
import {
  TO_THE_PAGER,
  startBundle,
  startPager,
  substitute,
  writeConfig,
} from '../../harness/bundle-env.ts';
import {
  HA_FAILURE_THRESHOLD,
  HA_INTERVAL_SECONDS,
  HA_TIMEOUT_SECONDS,
  haFixture,
} from '../../harness/bundle-fixtures.ts';
import type { Needs } from '../../harness/budget.ts';
import { onlyCollectors } from '../../harness/config.ts';
import { startExporter } from '../../harness/exporter.ts';
import { tempDir } from '../../harness/tmp.ts';
import { notYet } from '../../harness/wait.ts';

describe('the HA alerts on real Prometheus and Alertmanager', () => {
  it('fire from an exporter and a peer that says what this test says', async (t) => {
    const dir = await tempDir(t, 'patrol-bundle-ha-');
    const { peer, roleFile, sections } = await haFixture(t, dir);
    const pager = await startPager(t);
    const configFile = await writeConfig(join(dir, 'patrol.yml'), onlyCollectors(sections));
    const exporter = await startExporter(t, { configFile });
    // The HA dashboard's pair, as its repeated row sees it.
    const b = await startBundle(t, {
      dir,
      exporters: [exporter],
      pager,
      vars: { cluster: 'bundle' },
    });
    const { instance, prom, sel, vars } = b;
    // The peer has answered: round trip, clock offset and last seen exist.
    await b.waitForData(`patrol_ha_peer_rtt_seconds${sel}`, {
      scrapes: 1,
      work: HA_INTERVAL_SECONDS,
    });
    const en = strings('en').dashboards;

    await t.test(
      'a split brain, a lost peer and a failover fire the HA alerts, one per pair where it is about the pair',
      async () => {
        const ha = en.ha.panels;
        const pairs = () => b.tile('overview.json', en.overview.panels.haPairs.title);
        // The next heartbeat tells, a scrape and an evaluation later it fires.
        const heartbeat: Needs = { scrapes: 1, evaluations: 1, work: HA_INTERVAL_SECONDS };
        // Down after failure_threshold heartbeats that failed.
        const lost: Needs = {
          scrapes: 1,
          evaluations: 1,
          work: HA_FAILURE_THRESHOLD * HA_INTERVAL_SECONDS + HA_TIMEOUT_SECONDS,
        };
        const haAlerts = async () =>
          (await prom.alerts()).filter((a) => (a.labels.alertname ?? '').startsWith('PatrolHa'));

        // Healthy: this node primary, the peer standby and answering.
        assert.equal(await pairs(), PAIR.ok);
        assert.equal(await b.tile('ha.json', ha.roles.title), ROLE.primary);
        assert.equal(await b.tile('ha.json', ha.heartbeat.title), 1);
        assert.equal(await b.tile('ha.json', ha.splitBrain.title), 0);
        assert.ok(Math.abs(await b.tile('ha.json', ha.clockOffset.title)) < 0.5, 'same clock');
        assert.deepEqual(await haAlerts(), [], 'a healthy pair raises nothing');

        // The peer says primary too: split brain, one alert for the pair, without instance.
        peer.role = 'primary';
        const split = await b.firing('PatrolHaSplitBrain', { cluster: 'bundle' }, heartbeat);
        assert.equal(split.length, 1);
        assert.equal(split[0]?.labels.instance, undefined);
        assert.equal(split[0]?.labels.job, 'patrol');
        assert.equal(await pairs(), PAIR.splitBrain);
        assert.equal(await b.tile('ha.json', ha.splitBrain.title), 1);
        // The Overview counts it among the critical alerts: the tile, less every critical alert
        // Prometheus has, in one evaluation.
        const critical = b.panelExpr('overview.json', en.overview.panels.criticalAlerts.title);
        const diff = await prom.query(
          `(${substitute(critical, vars)}) - on () count(ALERTS{alertstate="firing", severity="critical"})`,
        );
        assert.equal(Number(diff[0]?.value[1]), 0, 'the pair alert is counted');
        // ... and Alertmanager pages it, grouped by cluster.
        const paged = await pager.webhook.waitFor(
          'PatrolHaSplitBrain to reach the pager',
          (ds) =>
            ds
              .filter((d) => d.path === '/pager')
              .find((d) =>
                d.message.alerts.some((a) => a.labels.alertname === 'PatrolHaSplitBrain'),
              ),
          b.budget(TO_THE_PAGER),
        );
        assert.deepEqual(paged.message.groupLabels, {
          alertname: 'PatrolHaSplitBrain',
          cluster: 'bundle',
        });

        // The peer stops answering: down after failure_threshold heartbeats; no split brain
        // without a peer that answers.
        peer.answering = false;
        const down = await b.firing('PatrolHaPeerDown', { instance }, lost);
        assert.deepEqual(
          {
            cluster: down[0]?.labels.cluster,
            node: down[0]?.labels.node,
            peer: down[0]?.labels.peer,
          },
          { cluster: 'bundle', node: 'bundle-a', peer: 'bundle-b' },
        );
        await b.waitFor('the split brain to resolve', lost, async () => {
          const still = (await haAlerts()).filter(
            (a) => a.labels.alertname === 'PatrolHaSplitBrain',
          );
          return still.length === 0 ? true : notYet(JSON.stringify(still));
        });
        assert.equal(await pairs(), PAIR.peerDown);
        assert.equal(await b.tile('ha.json', ha.heartbeat.title), 0);
        const failures = await prom.query(
          `patrol_ha_peer_heartbeat_failures_total{instance="${instance}", reason="http_status"}`,
        );
        assert.ok(Number(failures[0]?.value[1]) >= 3);

        // The role file says standby: a failover on this node, and no primary in the pair.
        await writeFile(roleFile, 'standby\n');
        // The role changes counter's increase() needs two scrapes.
        const failover = await b.firing(
          'PatrolHaFailover',
          { instance },
          { ...heartbeat, scrapes: 2 },
        );
        assert.deepEqual(
          { node: failover[0]?.labels.node, role: failover[0]?.labels.role },
          { node: 'bundle-a', role: 'standby' },
        );
        const none = await b.firing('PatrolHaNoPrimary', { cluster: 'bundle' }, heartbeat);
        assert.equal(none.length, 1);
        assert.equal(await pairs(), PAIR.noPrimary);
        assert.equal(await b.tile('ha.json', ha.roles.title), ROLE.standby);
        assert.equal(await b.tile('ha.json', ha.failovers.title), 1);
        assert.deepEqual(
          (await haAlerts()).filter((a) => a.labels.alertname === 'PatrolHaClockSkew'),
          [],
          'the clocks agree',
        );
      },
    );
  });
});
