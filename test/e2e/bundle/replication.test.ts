/**
 * The replication panels and alerts on real Prometheus and Alertmanager, on a mirrored pair: two
 * real exporters, primary and standby of the cluster `mirror` with a shared secret, each with
 * its own copy of the dataset `data`, and this test as the mirror between them (rsync in a
 * loop). Every replication panel is evaluated on that pair; a file the mirror leaves out, one
 * only the standby has and one rsync's whole-second quick check skips fire
 * PatrolReplicationOutOfSync, and stopping the mirror fires PatrolReplicationStalled, under
 * which Alertmanager holds back PatrolReplicationLagHigh.
 *
 * Needs rsync, the Debian packages prometheus and prometheus-alertmanager.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { strings } from '../../../mixin/i18n/index.ts';
import { CANARY, CANARY_WRITE } from '../../../mixin/ha/queries.ts';
import {
  REPLICATION,
  TO_ALERTMANAGER,
  TO_THE_PAGER,
  startBundle,
  startPager,
  substitute,
} from '../../harness/bundle-env.ts';
import { scrapesFor, type Needs } from '../../harness/budget.ts';
import { startExporter } from '../../harness/exporter.ts';
import { mirrorPairConfigs, type MirrorNode } from '../../harness/mirror-pair.ts';
import { run, type Scope } from '../../harness/process.ts';
import { tempDir } from '../../harness/tmp.ts';
import { notYet, waitFor } from '../../harness/wait.ts';

/** The pair's heartbeat, canary and compare intervals, and the mirror's pause between rounds. */
const HEARTBEAT_SECONDS = 0.5;
const CANARY_SECONDS = 1;
const COMPARE_SECONDS = 1;
const MIRROR_PAUSE_SECONDS = 0.3;

/**
 * A mirrored pair (harness/mirror-pair.ts): two real exporters, primary `mirror-p` and standby
 * `mirror-s` of the cluster `mirror`, each with its own copy of the dataset `data`, the standby
 * comparing its copy every COMPARE_SECONDS. The mirror between them is this test: `rsync -a`
 * every 300 ms while `running`, leaving out `skip-*` (files the mirror is told not to ship) and
 * deleting nothing; `rounds` counts the rounds it has completed.
 */
async function startMirroredPair(t: Scope, dir: string) {
  const nodes = await mirrorPairConfigs(dir, {
    heartbeatSeconds: HEARTBEAT_SECONDS,
    canarySeconds: CANARY_SECONDS,
    compare: { interval: `${COMPARE_SECONDS}s` },
  });
  const start = (n: MirrorNode) =>
    startExporter(t, {
      configFile: n.configFile,
      args: [`--web.listen-address=127.0.0.1:${n.port}`],
    });
  const primary = await start(nodes.primary);
  const standby = await start(nodes.standby);
  const primaryDir = nodes.primary.path;
  const standbyDir = nodes.standby.path;
  const mirror = { running: true, stopped: false, rounds: 0 };
  const loop = (async () => {
    while (!mirror.stopped) {
      if (mirror.running) {
        // Exit 24 (a file vanished while copying) and others: the next round tries again.
        await run('rsync', ['-a', '--exclude=/skip-*', `${primaryDir}/`, `${standbyDir}/`]).catch(
          () => undefined,
        );
        mirror.rounds++;
      }
      await sleep(MIRROR_PAUSE_SECONDS * 1000);
    }
  })();
  t.after(async () => {
    mirror.stopped = true;
    await loop;
  });
  return { primary, standby, primaryDir, standbyDir, mirror };
}

describe('the replication alerts on real Prometheus and Alertmanager', () => {
  it('fire from a mirrored pair and a mirror run by this test', async (t) => {
    const dir = await tempDir(t, 'patrol-bundle-mirror-');
    const pair = await startMirroredPair(t, dir);
    const pager = await startPager(t);
    const { am, webhook } = pager;
    const standby = pair.standby.target;
    // The HA dashboard's row for the pair, and the Overview, as a viewer of both nodes.
    const b = await startBundle(t, {
      dir,
      exporters: [pair.primary, pair.standby],
      pager,
      vars: { instance: `${pair.primary.target}|${standby}`, cluster: 'mirror' },
    });
    const { prom } = b;
    const pairVars = b.vars;
    const en = strings('en').dashboards;

    await t.test(
      'a mirrored pair: every replication panel answers, divergence and a stopped mirror fire the replication alerts',
      async () => {
        const r = en.ha.panels;
        const o = en.overview.panels;
        const onStandby = `{job="patrol", instance="${standby}", cluster="mirror", dataset="data"}`;
        const tile = (file: string, title: string) => b.tile(file, title, pairVars);
        const replicationAlerts = async () =>
          (await prom.alerts()).filter((a) =>
            (a.labels.alertname ?? '').startsWith('PatrolReplication'),
          );
        const firing = async (alert: string, severity: string, needs: Needs) =>
          (await b.firing(alert, { severity, cluster: 'mirror' }, needs))[0] ??
          assert.fail(`no ${alert}`);
        /** A copy shipped (a mirror round), the canary written and read, a compare made. */
        const cycle = MIRROR_PAUSE_SECONDS + CANARY_SECONDS + COMPARE_SECONDS;

        // The standby has compared once and the primary has walked twice (a rate needs two).
        await b.waitForData(`patrol_replication_out_of_sync_files${onStandby}`, {
          scrapes: 1,
          work: HEARTBEAT_SECONDS + 2 * COMPARE_SECONDS,
        });
        await b.waitForData(
          `rate(patrol_replication_dataset_changed_bytes_total{instance="${pair.primary.target}"}[1m])`,
          { scrapes: 2, work: 2 * COMPARE_SECONDS },
        );

        // An idle mirror in good health: every replication query answers, the tiles are
        // green, and no replication alert.
        const checked = new Set<string>();
        for (const f of b.dashboards)
          for (const p of f.panels)
            for (const target of p.targets ?? []) {
              if (!(target.expr ?? '').includes('patrol_replication_')) continue;
              const expr = substitute(target.expr ?? '', pairVars);
              if (checked.has(expr)) continue;
              checked.add(expr);
              await b
                .waitForData(expr, { scrapes: scrapesFor(expr), work: cycle })
                .catch((err: unknown) => {
                  throw new Error(`${f.path}: panel "${p.title ?? ''}": ${expr}`, { cause: err });
                });
            }
        assert.ok(checked.size >= 15, `only ${checked.size} replication queries found`);
        const lag = await tile('ha.json', r.lag.title);
        assert.ok(lag >= 0 && lag < 10, `lag ${lag}`);
        // The canary moved between two scrapes.
        await b.waitFor(
          'the canary tile to say ADVANCING',
          { scrapes: 2, work: cycle },
          async () => {
            const shown = await tile('ha.json', r.canary.title);
            return shown === CANARY.advancing ? true : notYet(`the tile shows ${shown}`);
          },
        );
        assert.equal(await tile('ha.json', r.canaryWritten.title), CANARY_WRITE.written);
        assert.equal(await tile('ha.json', r.filesOff.title), 0);
        assert.equal(await tile('ha.json', r.extraFiles.title), 0);
        assert.equal(await tile('ha.json', r.bytesToShip.title), 0);
        assert.ok((await tile('ha.json', r.lastCompare.title)) < 10);
        const space = await tile('ha.json', r.standbySpace.title);
        assert.ok(space > 0 && space <= 1, `space ${space}`);
        const worst = await tile('overview.json', o.replicationLag.title);
        assert.ok(worst >= 0 && worst < 10, `worst lag ${worst}`);
        assert.equal(await tile('overview.json', o.datasetsOutOfSync.title), 0);
        assert.deepEqual(await replicationAlerts(), [], 'a healthy mirror raises nothing');

        // The primary writes: its change rate counts the bytes, and the copy follows.
        await writeFile(join(pair.primaryDir, 'batch-1.dat'), Buffer.alloc(256 * 1024, 7));
        await b.waitFor(
          'the change rate to count the new file',
          { scrapes: 2, work: COMPARE_SECONDS },
          async () => {
            const rate = await tile('ha.json', r.changeRate.title).catch(() => 0);
            return rate > 0 ? rate : notYet(`rate ${rate}`);
          },
        );

        // Divergence: a file the mirror leaves out (missing), one only the standby has (extra),
        // and one rewritten on the primary with the same size within the same whole second as
        // the copy the standby has, which rsync's quick check skips (out of sync). Their times
        // are a minute old, as settled files are.
        const second = Math.floor(Date.now() / 1000) - 60;
        const settings = join(pair.primaryDir, 'settings.ini');
        await writeFile(settings, 'mode=A\n');
        await utimes(settings, second + 0.1, second + 0.1);
        const copy = join(pair.standbyDir, 'settings.ini');
        const round = { work: 2 * MIRROR_PAUSE_SECONDS };
        await b.waitFor('rsync to copy settings.ini', round, async () => {
          const st = await stat(copy).catch(() => undefined);
          return st !== undefined && Math.abs(st.mtimeMs / 1000 - (second + 0.1)) < 0.001
            ? true
            : notYet(st === undefined ? 'no copy' : `the copy's mtime ${st.mtimeMs / 1000}`);
        });
        await writeFile(settings, 'mode=B\n');
        await utimes(settings, second + 0.9, second + 0.9);
        const skipped = join(pair.primaryDir, 'skip-report.csv');
        await writeFile(skipped, 'shift,gas\n1,0.4\n');
        await utimes(skipped, second, second);
        const extra = join(pair.standbyDir, 'only-on-standby.txt');
        await writeFile(extra, 'left behind\n');
        await utimes(extra, second, second);
        // A whole mirror round after the rewrite (the round under way may have started
        // before it): rsync has seen the new settings.ini.
        const rounds = pair.mirror.rounds;
        await waitFor(
          'two more mirror rounds',
          () => pair.mirror.rounds >= rounds + 2 || notYet(`${pair.mirror.rounds - rounds} rounds`),
          { timeoutMs: b.budget(round), intervalMs: 50 },
        );
        assert.equal(readFileSync(copy, 'utf8'), 'mode=A\n', 'rsync skipped the rewrite');

        const figure = async (name: string) =>
          Number((await prom.query(`${name}${onStandby}`))[0]?.value[1]);
        const compared: Needs = { scrapes: 1, work: 2 * COMPARE_SECONDS };
        await b.waitFor('one out of sync, one missing, one extra', compared, async () => {
          const seen = {
            outOfSync: await figure('patrol_replication_out_of_sync_files'),
            missing: await figure('patrol_replication_missing_files'),
            extra: await figure('patrol_replication_extra_files'),
          };
          return seen.outOfSync === 1 && seen.missing === 1 && seen.extra === 1
            ? true
            : notYet(JSON.stringify(seen));
        });
        const outOfSync =
          (
            await b.firing('PatrolReplicationOutOfSync', {}, { ...compared, evaluations: 1 }, (a) =>
              (a.annotations.description ?? '').startsWith('2 files of dataset data '),
            )
          )[0] ?? assert.fail('no PatrolReplicationOutOfSync');
        assert.deepEqual(
          {
            instance: outOfSync.labels.instance,
            cluster: outOfSync.labels.cluster,
            node: outOfSync.labels.node,
          },
          { instance: standby, cluster: 'mirror', node: 'mirror-s' },
        );
        assert.equal(await tile('ha.json', r.filesOff.title), 2);
        assert.equal(await tile('ha.json', r.extraFiles.title), 1);
        // What is left to ship: the primary's sizes of the two files.
        assert.equal(
          await tile('ha.json', r.bytesToShip.title),
          'mode=B\n'.length + 'shift,gas\n1,0.4\n'.length,
        );
        assert.equal(await tile('overview.json', o.datasetsOutOfSync.title), 1);

        // The mirror stops: the lag grows, the canary stands still. Stalled pages; the lag
        // alerts fire too, and Alertmanager holds them back under the stall. Each needs the
        // lag past its limit (from the last canary copied), predict_linear two scrapes.
        pair.mirror.running = false;
        const lagPast = (seconds: number): Needs => ({
          scrapes: 2,
          evaluations: 1,
          work: CANARY_SECONDS,
          wait: seconds,
        });
        const stalled = await firing(
          'PatrolReplicationStalled',
          'critical',
          lagPast(Math.max(REPLICATION.stallWindowSeconds, REPLICATION.lagWarningSeconds)),
        );
        assert.equal(stalled.labels.instance, standby);
        assert.equal(stalled.labels.node, 'mirror-s');
        await firing('PatrolReplicationLagHigh', 'warning', lagPast(REPLICATION.lagWarningSeconds));
        await firing(
          'PatrolReplicationLagHigh',
          'critical',
          lagPast(REPLICATION.lagCriticalSeconds),
        );
        assert.ok((await tile('ha.json', r.lag.title)) > 20);
        assert.ok((await tile('overview.json', o.replicationLag.title)) > 20);
        await webhook.waitFor(
          'PatrolReplicationStalled to reach the pager',
          (ds) =>
            ds
              .filter((d) => d.path === '/pager')
              .find((d) =>
                d.message.alerts.some(
                  (a) => a.labels.alertname === 'PatrolReplicationStalled' && a.status === 'firing',
                ),
              ),
          b.budget(TO_THE_PAGER),
        );
        const source = (
          await am.alerts({ filter: ['alertname="PatrolReplicationStalled"', 'cluster="mirror"'] })
        )[0];
        assert.ok(source);
        const heldBack = (alertname: string, severity: string) =>
          waitFor(
            `Alertmanager to hold back ${alertname} (${severity})`,
            async () => {
              const got = await am.alerts({
                filter: [`alertname="${alertname}"`, `severity="${severity}"`, 'cluster="mirror"'],
              });
              return (
                got.find((a) => a.status.inhibitedBy.length > 0) ??
                notYet(JSON.stringify(got.map((a) => a.status)))
              );
            },
            { timeoutMs: b.budget(TO_ALERTMANAGER) },
          );
        // The critical lag alert by the stall's own rule (the first rule holds back warnings
        // only) ...
        const lagCritical = await heldBack('PatrolReplicationLagHigh', 'critical');
        assert.deepEqual(lagCritical.status.inhibitedBy, [source.fingerprint]);
        // ... the warnings of the dataset by a critical alert of the dataset (the stall, or the
        // critical lag alert, whichever Alertmanager finds first).
        await heldBack('PatrolReplicationLagHigh', 'warning');
        await heldBack('PatrolReplicationOutOfSync', 'warning');

        // The mirror ships again: the canary moves, the stall is over.
        pair.mirror.running = true;
        await b.waitFor(
          'the stall to end',
          { scrapes: 1, evaluations: 1, work: cycle },
          async () => {
            const still = (await replicationAlerts()).filter(
              (a) => a.labels.alertname === 'PatrolReplicationStalled',
            );
            return still.length === 0 ? true : notYet(JSON.stringify(still));
          },
        );
        assert.equal(await tile('ha.json', r.canary.title), CANARY.advancing);
      },
    );
  });
});
