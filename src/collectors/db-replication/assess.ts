import { addStateSet, type MetricSink } from '../../core/metrics.ts';
import { addOutcome } from '../../core/outcomes.ts';
import { serverName, type GroupConfig } from './config.ts';
import { dbFamilies as f } from './metrics.ts';
import type { ServerView } from './views.ts';

/** What reading one server came to. */
export type ReadResult =
  | { readonly ok: true; readonly view: ServerView; readonly seconds: number }
  | { readonly ok: false; readonly seconds: number };

/** What a group's assessment remembers from one scrape to the next. */
export interface GroupMemory {
  /** The primary's clock minus the local one, last measured (Unix seconds). */
  primarySkew: number | undefined;
  /**
   * Per replica, when it was last seen current (local Unix seconds): at a scrape with its link
   * up, that scrape's time minus the server's own lag then (Redis' seconds since its last I/O
   * with the primary go on counting through a partition until repl-timeout).
   */
  readonly lastCurrent: Map<string, number>;
  /** When patrol started watching: the "last current" of a link never seen up. */
  readonly since: number;
}

export const newMemory = (now: number): GroupMemory => ({
  primarySkew: undefined,
  lastCurrent: new Map(),
  since: now,
});

export interface HeartbeatWrites {
  readonly ok: number;
  readonly error: number;
}

/**
 * A group's series from one scrape's reads. The rules (docs/architecture.md, "Database
 * replication"):
 * - a server that did not answer has success 0 and no link, lag or count series (absent, not
 *   NaN and never 0);
 * - heartbeat lag = the primary's clock now minus the newest heartbeat the replica has. The
 *   primary's clock is the replica's read time shifted by the primary's skew, measured in the
 *   same scrape, or last measured when the primary does not answer (a frozen primary), or
 *   assumed equal to the replica's when never measured;
 * - native lag while the link is down = the server's own down time or the time since patrol
 *   last saw the replica current, whichever is longer: it grows, never 0.
 */
export function writeGroup(
  sink: MetricSink,
  g: GroupConfig,
  primary: ReadResult,
  replicas: readonly ReadResult[],
  memory: GroupMemory,
  now: number,
  writes: HeartbeatWrites | undefined,
): void {
  const engine = g.engine;
  const pl = { group: g.name, engine, server: serverName(g.primary), role: 'primary' };
  addOutcome(sink, f, pl, { ok: primary.ok, seconds: primary.seconds });
  if (writes !== undefined) {
    sink.add(f.heartbeatWrites, { ...pl, result: 'ok' }, writes.ok);
    sink.add(f.heartbeatWrites, { ...pl, result: 'error' }, writes.error);
  }
  const pv = primary.ok ? primary.view : undefined;
  if (pv !== undefined) {
    memory.primarySkew = pv.serverTime - pv.localAt;
    if (pv.primary !== undefined) {
      sink.add(f.connectedReplicas, pl, pv.primary.connectedReplicas);
    }
    if (g.heartbeat !== undefined && pv.heartbeat !== undefined) {
      sink.add(f.heartbeatAge, pl, Math.max(0, pv.serverTime - pv.heartbeat));
    }
  }
  sink.add(f.expectedReplicas, pl, g.expected_replicas ?? g.replicas.length);
  const primaryPosition = pv?.primary?.position;
  g.replicas.forEach((server, i) => {
    const name = serverName(server);
    const rl = { group: g.name, engine, server: name, role: 'replica' };
    const r = replicas[i] ?? { ok: false, seconds: 0 };
    addOutcome(sink, f, rl, { ok: r.ok, seconds: r.seconds });
    if (!r.ok) return;
    const v = r.view;
    const rv = v.replica;
    if (rv === undefined) return;
    sink.add(f.configured, rl, rv.configured ? 1 : 0);
    sink.add(f.linkUp, rl, rv.linkUp ? 1 : 0);
    if (g.heartbeat !== undefined && v.heartbeat !== undefined) {
      const skew = memory.primarySkew ?? v.serverTime - v.localAt;
      sink.add(f.lag, { ...rl, method: 'heartbeat' }, Math.max(0, v.localAt + skew - v.heartbeat));
    }
    const native = nativeLag(
      rv,
      primaryPosition,
      now - (memory.lastCurrent.get(name) ?? memory.since),
    );
    if (native !== undefined) sink.add(f.lag, { ...rl, method: 'native' }, native);
    if (rv.linkUp && native !== undefined) memory.lastCurrent.set(name, now - native);
    if (primaryPosition !== undefined && rv.position !== undefined) {
      const behind = primaryPosition - rv.position;
      sink.add(f.lagBytes, rl, behind > 0n ? Number(behind) : 0);
    }
    if (rv.threads !== undefined) {
      const t = rv.threads;
      addStateSet(sink, f.thread, { ...rl, thread: 'io' }, t.io);
      addStateSet(sink, f.thread, { ...rl, thread: 'sql' }, t.sql);
      sink.add(f.lastError, { ...rl, thread: 'io' }, t.ioErrno);
      sink.add(f.lastError, { ...rl, thread: 'sql' }, t.sqlErrno);
    }
    if (rv.lastIoSeconds !== undefined) sink.add(f.redisLastIo, rl, rv.lastIoSeconds);
  });
}

/**
 * The server's own lag. Link up: 0 when it has applied everything the primary has (same scrape),
 * else the engine's figure. Link down: how long, by the server's count or patrol's, the longer.
 */
export function nativeLag(
  rv: NonNullable<ServerView['replica']>,
  primaryPosition: bigint | undefined,
  sinceCurrent: number,
): number | undefined {
  if (!rv.linkUp) return Math.max(rv.downForSeconds ?? 0, sinceCurrent);
  if (
    primaryPosition !== undefined &&
    rv.position !== undefined &&
    rv.position >= primaryPosition
  ) {
    return 0;
  }
  return rv.serverLagSeconds;
}
