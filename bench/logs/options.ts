/** bench/logs.ts: its goals, options, units and how figures are printed. */
import { join } from 'node:path';
import { LEVELS } from '../../src/collectors/logs/metrics.ts';
import { ROOT } from '../lib/peers.ts';

export const GOAL_MTAIL_FACTOR = 20;
export const GOAL_GREP_FACTOR = 3;
export const GOAL_RSS_MIB = 100;
export const GOAL_FOLLOW_PCT = 5;
export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;
export const DIST = join(ROOT, 'dist');

/** `--name=value` as a string, or the default. */
export function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  const arg = process.argv.slice(2).find((a) => a.startsWith(prefix));
  return arg === undefined ? fallback : arg.slice(prefix.length);
}

/** 1GiB, 100MiB, 512KiB, 1e9, 1000000 (bytes). */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)\s*(B|KiB|MiB|GiB|KB|MB|GB)?$/i.exec(text.trim());
  if (m === null) throw new Error(`bad --size=${text} (e.g. 1GiB, 100MiB, 1e9)`);
  const units: Record<string, number> = {
    b: 1,
    kib: 1024,
    mib: MiB,
    gib: GiB,
    kb: 1e3,
    mb: 1e6,
    gb: 1e9,
  };
  return Math.round(Number(m[1]) * (units[(m[2] ?? 'b').toLowerCase()] ?? 1));
}

export const mib = (bytes: number) => bytes / MiB;
export const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);
export const int = (n: number) => n.toLocaleString('en-US');

export function levelText(xs: readonly number[]): string {
  return LEVELS.map((l, i) => `${l} ${int(xs[i] ?? 0)}`).join(', ');
}
