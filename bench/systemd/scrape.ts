/** bench/systemd.ts, scraping: the exporters as targets, what their bodies hold, patrol in sync. */
import type http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  fmt,
  get,
  getMetrics,
  median,
  quantile,
  residentKiB,
  statusKiB,
  type Running,
} from '../lib/peers.ts';
import { headers, units } from './options.ts';

export interface Target {
  name: string;
  running: Running;
  agent: http.Agent;
  samples: number[];
  bytes: number;
  body: string;
}

export async function scrape(t: Target): Promise<number> {
  const res = await getMetrics(t.name, t.running, t.agent, headers);
  t.bytes = res.bytes;
  t.body = res.body;
  return res.ms;
}

interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus text format, good enough for what both exporters print. */
function parse(body: string): Series[] {
  const out: Series[] = [];
  for (const line of body.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (m === null) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1] ?? ''] = l[2] ?? '';
    }
    out.push({ name: m[1] ?? '', labels, value: Number(m[3]) });
  }
  return out;
}

/** What one body says: series in total and of the unit-state family, units reported, bench units active. */
export function contents(body: string, prefix: 'node' | 'patrol') {
  const series = parse(body);
  const unitState = series.filter((s) => s.name === `${prefix}_systemd_unit_state`);
  const names = new Set(unitState.map((s) => s.labels.name ?? ''));
  const benchActive = unitState.filter(
    (s) =>
      /^bench@\d+\.service$/.test(s.labels.name ?? '') &&
      s.labels.state === 'active' &&
      s.value === 1,
  ).length;
  const ownPrefix = `${prefix}_systemd_`;
  return {
    total: series.length,
    systemd: series.filter((s) => s.name.startsWith(ownPrefix)).length,
    unitState: unitState.length,
    names,
    benchActive,
    families: [...new Set(series.filter((s) => s.name.startsWith(ownPrefix)).map((s) => s.name))],
  };
}

export async function summary(t: Target): Promise<string> {
  const { status } = await residentKiB(t.running.proc.pid);
  const mib = (field: string) => fmt((statusKiB(status, field) ?? NaN) / 1024, 1);
  return `${t.name}: median ${fmt(median(t.samples))} ms, p90 ${fmt(quantile(t.samples, 0.9))} ms, min ${fmt(Math.min(...t.samples))} ms, max ${fmt(Math.max(...t.samples))} ms (${t.bytes} bytes); RSS after the rounds ${mib('VmRSS')} MiB, peak ${mib('VmHWM')} MiB`;
}

/** Waits until patrol's watcher is up and holds every loaded unit with its details. */
export async function waitForPatrolSync(t: Target, expected: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = '';
  while (Date.now() < deadline) {
    const res = await get(`${t.running.url}/metrics`, t.agent); // uncompressed, whatever --gzip says
    const series = parse(res.body);
    const up = series.find((s) => s.name === 'patrol_systemd_up')?.value;
    const loaded = series
      .filter((s) => s.name === 'patrol_systemd_units')
      .reduce((a, s) => a + s.value, 0);
    const timestamps = series.filter(
      (s) =>
        s.name === 'patrol_systemd_unit_active_enter_timestamp_seconds' &&
        /^bench@/.test(s.labels.name ?? ''),
    ).length;
    if (up === 1 && loaded >= expected && timestamps >= units) return;
    last = `patrol_systemd_up ${up}, ${loaded} units, ${timestamps} bench units with details`;
    await sleep(200);
  }
  throw new Error(`${t.name} did not sync within 60 s (${last})\n${t.running.proc.describe()}`);
}
