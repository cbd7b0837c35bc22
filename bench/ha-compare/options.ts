/** bench/ha-compare.ts: its goal, its options (from the command line) and its constants. */
import { spawnSync } from 'node:child_process';
import { flag } from '../lib/peers.ts';

export const GOAL_PCT = 5;
export const DEFAULT_INTERVAL_S = 60;
export const files = Math.round(flag('files', 100_000));
export const dirs = Math.round(flag('dirs', 1000));
export const intervalS = flag('interval', 15);
export const compares = Math.max(1, Math.round(flag('compares', 4)));
export const warmup = Math.round(flag('warmup', 1));
export const touch = Math.round(flag('touch', 10));
export const mirrorDelayS = flag('mirror-delay', 1);
export const passes = Math.max(1, Math.round(flag('passes', 3)));

export const SAMPLE_MS = 100;
/** Active: at least this many clock ticks (10 ms) of CPU in the last ACTIVE_SAMPLES samples. */
export const ACTIVE_TICKS = 5;
export const ACTIVE_SAMPLES = 5;
export const WALK_MIN_MS = 1000;
export const QUIET_MS = 3000;
export const WALKER_COMM = 'patrol-ha-manif'; // "patrol-ha-manifest", as the kernel keeps 15 bytes
export const TICK_S =
  1 / Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout || 100);
export const TIME = '/usr/bin/time';
export const int = (n: number) => n.toLocaleString('en-US');
