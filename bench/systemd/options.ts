/** bench/systemd.ts: its goal and its options (from the command line). */
import { flag } from '../lib/peers.ts';

export const GOAL_RATIO = 1;
export const units = flag('units', 1000);
export const rounds = flag('rounds', 200);
export const warmup = flag('warmup', 10);
export const proofScrapes = flag('proof-scrapes', 100);
export const headers: Record<string, string> = process.argv.includes('--gzip')
  ? { 'accept-encoding': 'gzip' }
  : {};
export const BATCH = 200;
