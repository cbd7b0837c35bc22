/**
 * bench/db-replication.ts, main: the three pairs, patrol and the three peers, the timeline through
 * the partition, the summary, then CPU per scrape. The header of bench/db-replication.ts says how.
 */
import { spawnSync } from 'node:child_process';
import { suiteScope } from '../../test/harness/process.ts';
import {
  startMariadbPair,
  startPostgresPair,
  startRedisPair,
  startTruth,
  type Engine,
  type Pair,
  type Truth,
} from '../../test/harness/replication.ts';
import { tempDir } from '../../test/harness/tmp.ts';
import { waitFor, notYet } from '../../test/harness/wait.ts';
import { fmt } from '../lib/peers.ts';
import { measureCpu } from './cpu.ts';
import {
  BINARIES,
  ENGINES,
  PEER_NAMES,
  patrolView,
  peerView,
  scrape,
  startExporters,
  type Exporters,
} from './exporters.ts';
import { GOAL_SECONDS, REAL_LAG_SECONDS, rounds, seconds, verdict } from './options.ts';
import { runTimeline, summarize } from './timeline.ts';

function version(bin: string): string {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  const text = `${r.stdout}${r.stderr}`;
  return /version (\S+)|Exporter (\S+)/.exec(text)?.slice(1).find(Boolean) ?? '?';
}

/** Every exporter shows its lag of a healthy pair, or the run stops here. */
async function verifyHealthy(exporters: Exporters): Promise<void> {
  await waitFor(
    'patrol and the three peers to show the lag of each healthy pair',
    async () => {
      const patrol = await scrape(exporters.patrol);
      const missing: string[] = [];
      for (const e of ENGINES) {
        const v = patrolView(patrol, e);
        if (v.heartbeat === undefined || v.heartbeat >= REAL_LAG_SECONDS || v.linkUp !== 1)
          missing.push(
            `patrol ${e}: heartbeat ${String(v.heartbeat)}, link_up ${String(v.linkUp)}`,
          );
      }
      const redis = peerView(
        'redis',
        await scrape(exporters.peers.redis),
        await scrape(exporters.peers.redis, exporters.redisPrimaryUrl),
      );
      if (redis.lag === undefined || redis.linkUp !== true || redis.primaryLag === undefined)
        missing.push(`redis_exporter: ${redis.text}`);
      const pg = peerView('postgres', await scrape(exporters.peers.postgres));
      if (pg.lag === undefined) missing.push(`postgres_exporter: ${pg.text}`);
      const my = peerView('mysql', await scrape(exporters.peers.mysql));
      if (my.lag === undefined || my.linkUp !== true) missing.push(`mysqld_exporter: ${my.text}`);
      return missing.length === 0 ? true : notYet(missing.join('; '));
    },
    {
      timeoutMs: 30_000,
      intervalMs: 500,
      context: () =>
        exporters
          .all()
          .map((e) => e.proc.describe())
          .join('\n'),
    },
  );
}

export async function main(): Promise<void> {
  const scope = suiteScope();
  let exporters: Exporters | undefined;
  try {
    const started = performance.now();
    const [redis, postgres, mysql] = await Promise.all([
      startRedisPair(scope),
      startPostgresPair(scope),
      startMariadbPair(scope),
    ]);
    const pairs: Record<Engine, Pair> = { redis, postgres, mysql };
    const truthList = await Promise.all(ENGINES.map((e) => startTruth(pairs[e], scope)));
    const truths = Object.fromEntries(ENGINES.map((e, i) => [e, truthList[i]])) as Record<
      Engine,
      Truth
    >;
    console.log(
      `pairs replicating with their truth writers in ${fmt((performance.now() - started) / 1000, 1)} s: redis ${redis.primaryTarget} -> ${redis.replicaTarget}, postgres ${postgres.primaryTarget} -> ${postgres.replicaTarget}, mariadb ${mysql.primaryTarget} -> ${mysql.replicaTarget}`,
    );
    const dir = await tempDir(scope, 'patrol-bench-db-replication-');
    exporters = await startExporters(pairs, dir);
    console.log(
      `versions: ${ENGINES.map((e) => `${PEER_NAMES[e]} ${version(BINARIES[e])}`).join(', ')}`,
    );
    await verifyHealthy(exporters);
    console.log('every exporter shows the lag of its healthy pair');

    const { timeline, recovery } = await runTimeline(pairs, truths, exporters);
    const summaries = summarize(timeline);
    console.log(
      `\nOver the partition (readings with a truth; "blind": the series read 0, less, or was absent while the truth was > ${REAL_LAG_SECONDS} s):`,
    );
    for (const s of summaries) {
      const peer = PEER_NAMES[s.engine];
      const primary =
        s.peerPrimaryBlind === undefined
          ? ''
          : `, the primary's connected_slave_lag_seconds blind ${s.peerPrimaryBlind}`;
      const back = (v: number | undefined) => (v === undefined ? 'not back' : `${fmt(v, 1)} s`);
      console.log(
        `  ${s.engine}: ${s.readings} readings (${s.noTruth} without a truth), truth > ${REAL_LAG_SECONDS} s in ${s.lagging}. patrol heartbeat: max |patrol - truth| ${fmt(s.maxHeartbeatError)} s at t = ${fmt(s.maxHeartbeatErrorAt, 1)}, absent ${s.heartbeatAbsent} (goal <= ${GOAL_SECONDS} s: ${verdict(s.maxHeartbeatError <= GOAL_SECONDS && s.heartbeatAbsent === 0)}); patrol native: blind ${s.nativeBlind} of ${s.lagging} s, max |native - truth| ${fmt(s.maxNativeError)} s. ${peer}: blind ${s.peerBlind} of ${s.lagging} s${primary}; off the truth by > ${REAL_LAG_SECONDS} s ${s.peerOff} of ${s.lagging} s. After the heal: patrol back in ${back(recovery.patrol[s.engine])}, ${peer} in ${back(recovery.peer[s.engine])}.`,
      );
    }

    console.log(
      `\nCPU per scrape: ${rounds} interleaved rounds, each one GET /metrics of patrol (3 groups: it reads the primary and the replica of each) and of each peer (its replica only), sequential, one keep-alive connection each:`,
    );
    const { figures, wallSeconds } = await measureCpu(exporters.all());
    const [patrolCpu, ...peerCpu] = figures;
    if (patrolCpu === undefined) throw new Error('no figures');
    const ms = (s: number) => fmt(s * 1000, 3);
    for (const f of figures)
      console.log(
        `  ${f.name.padEnd(18)} ${ms(f.perScrape)} ms CPU per scrape${f === patrolCpu ? ` (${ms(f.perScrape / ENGINES.length)} per group)` : ''}, median ${fmt(f.medianMs)} ms wall, ${f.series} series ${f.bytes} bytes; idle ${ms(f.idlePerSecond)} ms CPU/s`,
      );
    const perGroup = patrolCpu.perScrape / ENGINES.length;
    const peersTotal = peerCpu.reduce((a, f) => a + f.perScrape, 0);
    const ratios = peerCpu.map((f) => `${f.name} ${fmt(perGroup / f.perScrape)}`).join(', ');
    console.log(
      `  patrol per group / peer per scrape: ${ratios}; patrol's whole scrape / the three peers' scrapes together: ${fmt(patrolCpu.perScrape / peersTotal)} (rounds took ${fmt(wallSeconds, 1)} s; idle CPU included, nothing subtracted)`,
    );

    const met = summaries.every(
      (s) => s.maxHeartbeatError <= GOAL_SECONDS && s.heartbeatAbsent === 0 && s.readings > 0,
    );
    const worst = summaries.map((s) => `${s.engine} ${fmt(s.maxHeartbeatError)} s`).join(', ');
    const peerBlind = summaries
      .map((s) => `${PEER_NAMES[s.engine]} ${s.peerBlind}/${s.lagging} s`)
      .join(', ');
    const cpu = figures.map((f) => `${f.name} ${ms(f.perScrape)} ms`).join(', ');
    console.log(
      `\nresult: patrol's heartbeat lag within ${GOAL_SECONDS} s (heartbeat interval + one scrape) of the truth for the whole ${seconds} s partition: max |patrol - truth| ${worst} (${verdict(met)}); peers read 0 or nothing while the truth was > ${REAL_LAG_SECONDS} s: ${peerBlind}; CPU per scrape ${cpu} (patrol per group ${ms(perGroup)} ms)`,
    );
  } finally {
    await exporters?.stop();
    await scope.close();
  }
}
