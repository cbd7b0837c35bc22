/**
 * Scrape latency of /metrics: patrol with only the filesystem collector against node_exporter
 * with only its filesystem collector, measured in the same run with interleaved requests.
 *
 *   node bench/metrics-latency.ts [--rounds=1000] [--warmup=20] [--gzip]
 *
 * Each round sends one request to each exporter, one after the other (the order alternates
 * between rounds), over a keep-alive connection per exporter, and times it from sending the
 * request to the last byte of the body. Goal: patrol's median <= 2 x node_exporter's.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onlyCollectors } from '../test/harness/config.ts';
import {
  flag,
  fmt,
  getMetrics,
  median,
  quantile,
  startNodeExporter,
  startBoth,
  startPatrol,
  stopAll,
  type Running,
} from './lib/peers.ts';

const GOAL_RATIO = 2;
// 1000 rounds take a few seconds; fewer make the ratio swing with the machine's other load.
const rounds = flag('rounds', 1000);
const warmup = flag('warmup', 20);
// Prometheus asks for gzip on every scrape; off by default so the figure is the exporters'
// own work, not zlib's.
const headers: Record<string, string> = process.argv.includes('--gzip')
  ? { 'accept-encoding': 'gzip' }
  : {};

interface Target {
  name: string;
  running: Running;
  agent: http.Agent;
  samples: number[];
  bytes: number;
  series: number;
}

async function scrape(t: Target): Promise<number> {
  const res = await getMetrics(t.name, t.running, t.agent, headers);
  t.bytes = res.bytes;
  if (headers['accept-encoding'] === undefined) {
    t.series = res.body.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
  }
  return res.ms;
}

function summary(t: Target): string {
  return `${t.name}: median ${fmt(median(t.samples))} ms, p90 ${fmt(quantile(t.samples, 0.9))} ms, min ${fmt(Math.min(...t.samples))} ms, max ${fmt(Math.max(...t.samples))} ms (${t.bytes} bytes${t.series > 0 ? `, ${t.series} series` : ''})`;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'patrol-bench-'));
  let patrol: Running | undefined;
  let nodeExporter: Running | undefined;
  const agents: http.Agent[] = [];
  try {
    const config = join(dir, 'patrol.yml');
    // Only the filesystem collector, with its defaults (YAML is a superset of JSON).
    await writeFile(config, JSON.stringify(onlyCollectors({ filesystem: {} })));
    [patrol, nodeExporter] = await startBoth(
      () => startPatrol([`--config.file=${config}`]),
      () => startNodeExporter(['--collector.disable-defaults', '--collector.filesystem']),
    );
    const target = (name: string, running: Running): Target => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      agents.push(agent);
      return { name, running, agent, samples: [], bytes: 0, series: 0 };
    };
    const p = target('patrol', patrol);
    const n = target('node_exporter', nodeExporter);
    console.log(
      `metrics latency: ${rounds} rounds after ${warmup} warm-up requests each, keep-alive, ${headers['accept-encoding'] === undefined ? 'uncompressed' : 'gzip'}; patrol pid ${patrol.proc.pid}, node_exporter pid ${nodeExporter.proc.pid}`,
    );

    for (let i = 0; i < warmup; i++) {
      await scrape(p);
      await scrape(n);
    }
    for (let i = 0; i < rounds; i++) {
      const order = i % 2 === 0 ? [p, n] : [n, p];
      for (const t of order) t.samples.push(await scrape(t));
    }

    console.log(summary(p));
    console.log(summary(n));
    // Context: the same ratio per round (both requests of a round saw about the same load).
    const paired = p.samples.map((x, i) => x / (n.samples[i] ?? NaN));
    console.log(
      `per-round ratio patrol/node_exporter: median ${fmt(median(paired))}, p10 ${fmt(quantile(paired, 0.1))}, p90 ${fmt(quantile(paired, 0.9))}`,
    );
    const ratio = median(p.samples) / median(n.samples);
    console.log(
      `metrics latency: patrol median ${fmt(median(p.samples))} ms p90 ${fmt(quantile(p.samples, 0.9))} ms, node_exporter median ${fmt(median(n.samples))} ms p90 ${fmt(quantile(n.samples, 0.9))} ms, ratio ${fmt(ratio)} (goal <= ${GOAL_RATIO}${ratio <= GOAL_RATIO ? ', met' : ', MISSED'})`,
    );
  } finally {
    for (const a of agents) a.destroy();
    await stopAll(patrol, nodeExporter);
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
