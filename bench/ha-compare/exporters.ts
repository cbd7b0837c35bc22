/** bench/ha-compare.ts, the exporters: their configuration, /metrics, and their first compare. */
import { setTimeout as sleep } from 'node:timers/promises';
import { onlyCollectors } from '../../test/harness/config.ts';
import { get, type Running } from '../lib/peers.ts';
import type { CpuSampler } from './cpu.ts';
import { intervalS, QUIET_MS, SAMPLE_MS, TICK_S } from './options.ts';

/** The value of the first series `name{...labels}` in an exposition, or undefined. */
export function metric(
  body: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of body.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

export async function scrape(r: Running): Promise<string> {
  const res = await get(`${r.url}/metrics`, false);
  if (res.status !== 200) {
    throw new Error(`/metrics answered ${res.status}\n${r.proc.describe()}`);
  }
  return res.body;
}

export function config(
  node: 'primary' | 'standby',
  peer: { name: string; port: number },
  path: string,
  secretFile: string,
): string {
  // YAML is a superset of JSON.
  return JSON.stringify(
    onlyCollectors({
      ha: {
        enabled: true,
        cluster: 'bench',
        node,
        peers: [{ name: peer.name, url: `http://127.0.0.1:${peer.port}` }],
        secret_file: secretFile,
        role: { source: 'static', value: node },
        datasets: [{ name: 'data', path, compare: { interval: `${intervalS}s` } }],
      },
    }),
    null,
    2,
  );
}

/**
 * The first compare (start-up included): polls /metrics (a few scrapes, before any window) until
 * `done` shows in it, waits until the exporter has been quiet for QUIET_MS, and gives its CPU
 * since it started and its first walker thread's (walk and listings, its start-up included).
 */
export async function firstCompare(
  r: Running,
  s: CpuSampler,
  done: string,
): Promise<{ cpuS: number; walkerS: number }> {
  const deadline = performance.now() + 120_000;
  while (metric(await scrape(r), done) === undefined) {
    if (performance.now() > deadline || !r.proc.running) {
      throw new Error(`no ${done} within 120 s\n${r.proc.describe()}`);
    }
    await sleep(250);
  }
  await sleep(SAMPLE_MS * 2);
  while (!s.quietFor(QUIET_MS)) await sleep(SAMPLE_MS);
  const walker = [...s.walkers.values()].at(0);
  return { cpuS: s.last.ticks * TICK_S, walkerS: (walker?.ticks ?? NaN) * TICK_S };
}
