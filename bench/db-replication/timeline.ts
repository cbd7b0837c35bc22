/**
 * bench/db-replication.ts, the timeline: every second, for each engine, the true lag, patrol's
 * and the peer's, healthy, through the partition of all three links at once, and after the heal.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Engine, Pair, Truth } from '../../test/harness/replication.ts';
import { fmt } from '../lib/peers.ts';
import {
  ENGINES,
  patrolView,
  peerView,
  scrape,
  type Exporters,
  type PatrolView,
  type PeerView,
} from './exporters.ts';
import { healSeconds, healthySeconds, REAL_LAG_SECONDS, seconds } from './options.ts';

export interface Reading {
  /** Seconds since the partition began (negative: before it). */
  t: number;
  phase: 'healthy' | 'partition' | 'healed';
  truth: number | undefined;
  patrol: PatrolView;
  peer: PeerView;
}

export type Timeline = Record<Engine, Reading[]>;

const num = (v: number | undefined, digits = 2, width = 6): string =>
  (v === undefined ? 'absent' : fmt(v, digits)).padStart(width);

function line(engine: Engine, r: Reading): string {
  return `${fmt(r.t, 1).padStart(5)} ${r.phase.padEnd(9)} ${engine.padEnd(8)} ${num(r.truth)} ${num(r.patrol.heartbeat)} ${num(r.patrol.native)} ${num(r.patrol.linkUp, 0, 4)} | ${r.peer.text}`;
}

const HEADER = `${'t s'.padStart(5)} ${'phase'.padEnd(9)} ${'engine'.padEnd(8)} ${'truth'.padStart(6)} ${'hb'.padStart(6)} ${'native'.padStart(6)} ${'link'.padStart(4)} | the peer's series`;

/** One second: the truths, patrol's scrape and the peers' scrapes, all at once. */
async function observe(
  exporters: Exporters,
  truths: Record<Engine, Truth>,
): Promise<Record<Engine, Omit<Reading, 't' | 'phase'>>> {
  const [truthValues, patrol, redis, redisPrimary, postgres, mysql] = await Promise.all([
    Promise.all(ENGINES.map((e) => truths[e].trueLagSeconds(1_000))),
    scrape(exporters.patrol),
    scrape(exporters.peers.redis),
    scrape(exporters.peers.redis, exporters.redisPrimaryUrl),
    scrape(exporters.peers.postgres),
    scrape(exporters.peers.mysql),
  ]);
  const peers = {
    redis: peerView('redis', redis, redisPrimary),
    postgres: peerView('postgres', postgres),
    mysql: peerView('mysql', mysql),
  };
  const out = {} as Record<Engine, Omit<Reading, 't' | 'phase'>>;
  ENGINES.forEach((e, i) => {
    out[e] = { truth: truthValues[i], patrol: patrolView(patrol, e), peer: peers[e] };
  });
  return out;
}

/**
 * Back after the heal: the lag (patrol's heartbeat lag, the peer's lag) present and under
 * REAL_LAG_SECONDS, and the link series up (patrol's link_up, the peer's if it has one).
 */
function recovered(r: Reading): { patrol: boolean; peer: boolean } {
  const small = (v: number | undefined) => v !== undefined && v >= 0 && v < REAL_LAG_SECONDS;
  return {
    patrol: small(r.patrol.heartbeat) && r.patrol.linkUp === 1,
    peer: small(r.peer.lag) && r.peer.linkUp !== false,
  };
}

export interface Recovery {
  /** Seconds after the heal at which patrol / the peer first read healthy again. */
  patrol: Record<Engine, number | undefined>;
  peer: Record<Engine, number | undefined>;
}

/**
 * `healthySeconds` readings, then the cut of all three links (t = 0), a reading every second
 * for `seconds`, the heal, and readings until all of them are back (and 3 more), at most
 * `healSeconds`.
 */
export async function runTimeline(
  pairs: Record<Engine, Pair>,
  truths: Record<Engine, Truth>,
  exporters: Exporters,
): Promise<{ timeline: Timeline; recovery: Recovery; healedAt: number }> {
  const timeline: Timeline = { redis: [], postgres: [], mysql: [] };
  const recovery: Recovery = {
    patrol: { redis: undefined, postgres: undefined, mysql: undefined },
    peer: { redis: undefined, postgres: undefined, mysql: undefined },
  };
  console.log(
    `\nEvery second: the true lag (startTruth: the primary's clock written every 200 ms, read on the replica), patrol's heartbeat and native lag and link_up of the replica, and the peer's series. The links are cut at t = 0 and healed at t = ${seconds}.`,
  );
  console.log(HEADER);
  const t0 = performance.now() + healthySeconds * 1000;
  let healedAt = NaN;
  let allBackSince: number | undefined;
  for (let k = -healthySeconds; k <= seconds + healSeconds; k++) {
    const wait = t0 + k * 1000 - performance.now();
    if (wait > 0) await sleep(wait);
    if (k === 0) {
      const cutStart = performance.now();
      await Promise.all(ENGINES.map((e) => pairs[e].partition()));
      console.log(
        `--- t = 0: the three replication links cut (iptables, ${fmt(performance.now() - cutStart, 0)} ms) ---`,
      );
    }
    const t = (performance.now() - t0) / 1000;
    const phase = k < 0 ? 'healthy' : k <= seconds ? 'partition' : 'healed';
    const seen = await observe(exporters, truths);
    for (const e of ENGINES) {
      const r: Reading = { t, phase, ...seen[e] };
      timeline[e].push(r);
      console.log(line(e, r));
      if (phase === 'healed') {
        const back = recovered(r);
        if (back.patrol) recovery.patrol[e] ??= t - healedAt;
        if (back.peer) recovery.peer[e] ??= t - healedAt;
      }
    }
    if (k === seconds) {
      await Promise.all(ENGINES.map((e) => pairs[e].heal()));
      healedAt = (performance.now() - t0) / 1000;
      console.log(`--- t = ${fmt(healedAt, 1)}: healed ---`);
    }
    if (phase === 'healed') {
      const allBack = ENGINES.every(
        (e) => recovery.patrol[e] !== undefined && recovery.peer[e] !== undefined,
      );
      if (allBack) allBackSince ??= k;
      if (allBackSince !== undefined && k >= allBackSince + 3) break;
    }
  }
  return { timeline, recovery, healedAt };
}

// ---------------------------------------------------------------------------------------------
// the summary

export interface EngineSummary {
  engine: Engine;
  /** Readings in the partition with a truth (the replica answered the truth's read in 1 s). */
  readings: number;
  /** Readings in the partition without a truth (left out of everything below). */
  noTruth: number;
  maxHeartbeatError: number;
  maxHeartbeatErrorAt: number;
  heartbeatAbsent: number;
  /** Readings with the truth above REAL_LAG_SECONDS. */
  lagging: number;
  /** Of those, where patrol's native lag / the peer's lag read 0, less, or nothing. */
  nativeBlind: number;
  peerBlind: number;
  /** redis_exporter: the primary's view of the replica's lag, the same count. */
  peerPrimaryBlind: number | undefined;
  /** Of those, where the peer's lag was off the truth by more than REAL_LAG_SECONDS. */
  peerOff: number;
  maxNativeError: number;
}

const blind = (v: number | undefined) => v === undefined || v <= 0;

export function summarize(timeline: Timeline): EngineSummary[] {
  return ENGINES.map((engine) => {
    const s: EngineSummary = {
      engine,
      readings: 0,
      noTruth: 0,
      maxHeartbeatError: 0,
      maxHeartbeatErrorAt: NaN,
      heartbeatAbsent: 0,
      lagging: 0,
      nativeBlind: 0,
      peerBlind: 0,
      peerPrimaryBlind: engine === 'redis' ? 0 : undefined,
      peerOff: 0,
      maxNativeError: 0,
    };
    for (const r of timeline[engine]) {
      if (r.phase !== 'partition') continue;
      if (r.truth === undefined) {
        s.noTruth++;
        continue;
      }
      s.readings++;
      const hb = r.patrol.heartbeat;
      if (hb === undefined) s.heartbeatAbsent++;
      else if (
        Math.abs(hb - r.truth) > s.maxHeartbeatError ||
        Number.isNaN(s.maxHeartbeatErrorAt)
      ) {
        s.maxHeartbeatError = Math.abs(hb - r.truth);
        s.maxHeartbeatErrorAt = r.t;
      }
      if (r.patrol.native !== undefined)
        s.maxNativeError = Math.max(s.maxNativeError, Math.abs(r.patrol.native - r.truth));
      if (r.truth <= REAL_LAG_SECONDS) continue;
      s.lagging++;
      if (blind(r.patrol.native)) s.nativeBlind++;
      if (blind(r.peer.lag)) s.peerBlind++;
      if (s.peerPrimaryBlind !== undefined && blind(r.peer.primaryLag)) s.peerPrimaryBlind++;
      if (r.peer.lag === undefined || Math.abs(r.peer.lag - r.truth) > REAL_LAG_SECONDS)
        s.peerOff++;
    }
    return s;
  });
}
