/** bench/db-replication.ts: its goal, its options (from the command line) and its constants. */
import { HEARTBEAT_SECONDS } from '../../test/harness/db-replication.ts';
import { flag } from '../lib/peers.ts';

/** Seconds the three replication links stay cut. */
export const seconds = Math.max(1, Math.round(flag('seconds', 40)));
/** Healthy seconds printed before the cut. */
export const healthySeconds = Math.round(flag('healthy-seconds', 3));
/** At most this many seconds are printed after the heal, waiting for everything to come back. */
export const healSeconds = Math.max(1, Math.round(flag('heal-seconds', 30)));
/** Interleaved rounds of the CPU measurement: one scrape of each exporter per round. */
export const rounds = Math.max(1, Math.round(flag('rounds', 200)));
/** Seconds of idle CPU measured before the rounds (patrol's heartbeat writers run meanwhile). */
export const idleSeconds = flag('idle-seconds', 10);
export const warmup = Math.round(flag('warmup', 5));

/** The benchmark scrapes once a second: Prometheus' interval here. */
export const SCRAPE_SECONDS = 1;
/**
 * Goal: patrol's heartbeat lag within this of the truth at every second of the partition (the
 * heartbeat interval plus one scrape).
 */
export const GOAL_SECONDS = HEARTBEAT_SECONDS + SCRAPE_SECONDS;
/** A peer "reads 0 or nothing" while the truth is above this. */
export const REAL_LAG_SECONDS = 2;

export const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
