/**
 * PatrolReplicationCanaryUnwritable on real Prometheus and Alertmanager, from a primary whose
 * dataset is read-only to it for real: the primary exporter runs in its own mount namespace
 * (`unshare --mount`) on a bind mount of its dataset, which the test remounts read-only, the way
 * a unit's ProtectSystem=strict without ReadWritePaths= leaves it (every canary write fails with
 * EROFS while the directory stays writable outside). Its HA collector keeps succeeding, the
 * alert fires on the primary's instance, and once the standby's lag and stall follow,
 * Alertmanager holds them back under it. Remounted read-write, the alert resolves.
 *
 * Needs root, unshare and nsenter (util-linux), rsync, the Debian packages prometheus and
 * prometheus-alertmanager.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CANARY_WRITE } from '../../../mixin/ha/queries.ts';
import { strings } from '../../../mixin/i18n/index.ts';
import { REPLICATION, TO_ALERTMANAGER, startBundle, startPager } from '../../harness/bundle-env.ts';
import { startInOwnMountNamespace } from '../../harness/bundle-fixtures.ts';
import { startExporter } from '../../harness/exporter.ts';
import { mirrorPairConfigs } from '../../harness/mirror-pair.ts';
import { run, type Scope } from '../../harness/process.ts';
import { tempDir } from '../../harness/tmp.ts';
import { notYet, waitFor } from '../../harness/wait.ts';

/** The pair's heartbeat and canary intervals, and the mirror's pause between rounds. */
const HEARTBEAT_SECONDS = 0.5;
const CANARY_SECONDS = 1;
const MIRROR_PAUSE_SECONDS = 0.3;

/** In the new mount namespace: the dataset on a bind mount of itself, then the exporter. */

/**
 * A mirrored pair like replication.test.ts's (harness/mirror-pair.ts: cluster `mirror`, dataset
 * `data`, no compare; rsync run by this test as the mirror), whose primary runs in its own
 * mount namespace holding a bind mount of its dataset: `mountOptions` remounts it (`ro`, `rw`)
 * as patrol sees it, and only patrol.
 */
async function startPair(t: Scope, dir: string) {
  const nodes = await mirrorPairConfigs(dir, {
    heartbeatSeconds: HEARTBEAT_SECONDS,
    canarySeconds: CANARY_SECONDS,
    compare: { enabled: false },
  });
  await mkdir(join(dir, 'state-p'));
  const primaryDir = nodes.primary.path;
  const standbyDir = nodes.standby.path;
  const primaryConfig = nodes.primary.configFile;
  const standbyConfig = nodes.standby.configFile;

  // Its own bind mount of the dataset, which mountOptions remounts.
  const primary = await startInOwnMountNamespace(t, {
    setup: 'mount --bind "$1" "$1"',
    target: primaryDir,
    configFile: primaryConfig,
    listenAddress: `127.0.0.1:${nodes.primary.port}`,
    env: { STATE_DIRECTORY: join(dir, 'state-p') },
  });
  const pid = primary.proc.child.pid;
  assert.ok(pid !== undefined);
  const standby = await startExporter(t, {
    configFile: standbyConfig,
    args: [`--web.listen-address=127.0.0.1:${nodes.standby.port}`],
  });

  /** Remounts the primary's dataset in its namespace only (`ro` or `rw`). */
  const mountOptions = async (opts: 'ro' | 'rw') => {
    const r = await run('nsenter', [
      '-t',
      String(pid),
      '-m',
      '--',
      'mount',
      '-o',
      `remount,bind,${opts}`,
      primaryDir,
    ]);
    assert.equal(r.code, 0, `remount ${opts}: ${r.stderr}${r.stdout}`);
  };

  const mirror = { stopped: false };
  const loop = (async () => {
    while (!mirror.stopped) {
      await run('rsync', ['-a', `${primaryDir}/`, `${standbyDir}/`]).catch(() => undefined);
      await sleep(MIRROR_PAUSE_SECONDS * 1000);
    }
  })();
  t.after(async () => {
    mirror.stopped = true;
    await loop;
  });
  return { primary, standby, primaryDir, mountOptions };
}

describe('PatrolReplicationCanaryUnwritable on real Prometheus and Alertmanager', () => {
  it('fires for a primary whose dataset is read-only to patrol, and holds back the stall', async (t) => {
    const dir = await tempDir(t, 'patrol-bundle-canary-');
    const pair = await startPair(t, dir);
    const pager = await startPager(t);
    const { am } = pager;
    const b = await startBundle(t, {
      dir,
      exporters: [pair.primary, pair.standby],
      pager,
      vars: { cluster: 'mirror' },
    });
    const { prom } = b;
    const primary = pair.primary.target;
    const standby = pair.standby.target;
    const onPrimary = `{job="patrol", instance="${primary}", cluster="mirror", dataset="data"}`;
    const writeOk = async () =>
      (await prom.query(`patrol_replication_canary_write_ok${onPrimary}`))[0]?.value[1];
    // The HA dashboard's canary-written tile, on the primary (the bundle's first exporter).
    const writtenTile = () =>
      b.tile('ha.json', strings('en').dashboards.ha.panels.canaryWritten.title);
    const unwritable = async () =>
      (await prom.alerts()).filter(
        (a) => a.labels.alertname === 'PatrolReplicationCanaryUnwritable',
      );

    // Writable: the primary's canary is written (write_ok 1), the standby has no such series,
    // and the alert is silent.
    await b.waitFor(
      'the primary to report its canary written',
      { scrapes: 1, work: CANARY_SECONDS },
      async () => {
        const v = await writeOk();
        return v === '1' ? true : notYet(`write_ok ${v ?? 'absent'}`);
      },
    );
    assert.deepEqual(
      await prom.query(`patrol_replication_canary_write_ok{instance="${standby}"}`),
      [],
      'only the primary has patrol_replication_canary_write_ok',
    );
    assert.deepEqual(await unwritable(), [], 'a writable dataset raises nothing');
    assert.equal(await writtenTile(), CANARY_WRITE.written);

    // Read-only to patrol only (a shell outside its namespace still writes there): EROFS.
    await pair.mountOptions('ro');
    await writeFile(join(pair.primaryDir, 'outside.txt'), 'still writable outside\n');
    await pair.primary.proc.waitForOutput(
      /cannot write the replication canary \S+ of dataset data \(EROFS\).*ReadWritePaths=/,
      b.budget({ work: 2 * CANARY_SECONDS }),
    );
    const alert =
      (
        await b.firing(
          'PatrolReplicationCanaryUnwritable',
          { severity: 'critical', cluster: 'mirror', dataset: 'data' },
          { scrapes: 1, evaluations: 1, work: CANARY_SECONDS },
        )
      )[0] ?? assert.fail('no PatrolReplicationCanaryUnwritable');
    assert.equal(alert.labels.instance, primary);
    assert.equal(alert.labels.node, 'mirror-p');
    assert.match(alert.annotations.description ?? '', /ReadWritePaths=/);
    assert.equal(await writeOk(), '0');
    assert.equal(await writtenTile(), CANARY_WRITE.cannotWrite);
    // The HA collector itself still succeeds: this alert is the only news.
    const success = await prom.query(
      `patrol_collector_success{instance="${primary}", collector="ha"}`,
    );
    assert.equal(success[0]?.value[1], '1', JSON.stringify(success));

    // No new canary reaches the standby: its stall follows, and Alertmanager holds it back
    // under the primary's alert (same job, cluster and dataset, another instance).
    const stalled =
      (
        await b.firing(
          'PatrolReplicationStalled',
          { cluster: 'mirror', dataset: 'data' },
          {
            scrapes: 2,
            evaluations: 1,
            work: CANARY_SECONDS,
            wait: REPLICATION.stallWindowSeconds,
          },
        )
      )[0] ?? assert.fail('no PatrolReplicationStalled');
    assert.equal(stalled.labels.instance, standby);
    const source = await waitFor(
      'PatrolReplicationCanaryUnwritable to reach Alertmanager',
      async () =>
        (
          await am.alerts({
            filter: ['alertname="PatrolReplicationCanaryUnwritable"', 'cluster="mirror"'],
          })
        )[0] ?? notYet('not yet'),
      { timeoutMs: b.budget(TO_ALERTMANAGER) },
    );
    const heldBack = await waitFor(
      'Alertmanager to hold back PatrolReplicationStalled',
      async () => {
        const got = await am.alerts({
          filter: ['alertname="PatrolReplicationStalled"', 'cluster="mirror"'],
        });
        return (
          got.find((a) => a.status.inhibitedBy.length > 0) ??
          notYet(JSON.stringify(got.map((a) => a.status)))
        );
      },
      { timeoutMs: b.budget(TO_ALERTMANAGER) },
    );
    assert.deepEqual(heldBack.status.inhibitedBy, [source.fingerprint]);

    // Writable again: the next write succeeds and the alert resolves.
    await pair.mountOptions('rw');
    await b.waitFor(
      'PatrolReplicationCanaryUnwritable to resolve',
      { scrapes: 1, evaluations: 1, work: CANARY_SECONDS },
      async () => {
        const still = await unwritable();
        return still.length === 0 ? true : notYet(JSON.stringify(still.map((a) => a.state)));
      },
    );
    assert.equal(await writeOk(), '1');
    assert.equal(await writtenTile(), CANARY_WRITE.written);
  });
});
