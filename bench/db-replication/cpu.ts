/**
 * bench/db-replication.ts, CPU per scrape: each exporter's utime + stime (/proc/<pid>/stat, all
 * threads) over idle seconds, then over interleaved sequential rounds of one scrape each.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuSeconds, get, median } from '../lib/peers.ts';
import { parseSamples, seriesCount, type Exporter } from './exporters.ts';
import { idleSeconds, rounds, warmup } from './options.ts';

export interface CpuFigure {
  name: string;
  /** CPU seconds per scrape over the rounds, nothing subtracted. */
  perScrape: number;
  /** CPU seconds per second while nobody scraped. */
  idlePerSecond: number;
  medianMs: number;
  series: number;
  bytes: number;
}

export async function measureCpu(exporters: readonly Exporter[]): Promise<{
  figures: CpuFigure[];
  wallSeconds: number;
}> {
  // Warm-up, and the size of what each returns.
  const sizes = new Map<Exporter, { series: number; bytes: number }>();
  for (const e of exporters) {
    for (let i = 0; i < warmup; i++) await get(`${e.url}/metrics`, e.agent);
    const res = await get(`${e.url}/metrics`, e.agent);
    sizes.set(e, { series: seriesCount(parseSamples(res.body)), bytes: res.bytes });
  }

  const idle0 = exporters.map((e) => cpuSeconds(e.proc.pid));
  const idleStart = performance.now();
  await sleep(idleSeconds * 1000);
  const idleWall = (performance.now() - idleStart) / 1000;
  const idle = exporters.map((e, i) => (cpuSeconds(e.proc.pid) - (idle0[i] ?? 0)) / idleWall);

  const ms = exporters.map((): number[] => []);
  const cpu0 = exporters.map((e) => cpuSeconds(e.proc.pid));
  const started = performance.now();
  for (let round = 0; round < rounds; round++) {
    // Each round starts with the next exporter: every one takes every position equally often.
    for (let j = 0; j < exporters.length; j++) {
      const i = (round + j) % exporters.length;
      const e = exporters[i];
      if (e === undefined) continue;
      const res = await get(`${e.url}/metrics`, e.agent);
      if (res.status !== 200) throw new Error(`${e.name}: HTTP ${res.status}`);
      ms[i]?.push(res.ms);
    }
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const figures = exporters.map((e, i) => ({
    name: e.name,
    perScrape: (cpuSeconds(e.proc.pid) - (cpu0[i] ?? 0)) / rounds,
    idlePerSecond: idle[i] ?? NaN,
    medianMs: median(ms[i] ?? []),
    series: sizes.get(e)?.series ?? NaN,
    bytes: sizes.get(e)?.bytes ?? NaN,
  }));
  return { figures, wallSeconds };
}
