/**
 * The kubernetes collector at size: 10,000 pods in 1,000 Deployments on 100 nodes in a real
 * API server (v1.20.2, test/harness/kubernetes.ts), made by bench/kubernetes/cluster.ts.
 *
 *   node bench/kubernetes.ts [--deployments=1000] [--pods=10] [--nodes=100] [--scrapes=50]
 *                            [--churn-minutes=60] [--churn-rate=10]
 *
 * Measures patrol as deployed (dist/main.js, only the kubernetes collector): time from start to
 * its first full sync (/-/ready), /metrics latency (sequential scrapes, plain and gzip), resident
 * memory, and resident memory sampled every minute through `--churn-minutes` of churn (pods
 * deleted and created again at `--churn-rate` a second). Goals: /metrics median <= 100 ms,
 * RSS <= 250 MiB, RSS flat within 10% through the churn. kube-state-metrics cannot run here (no
 * image, no registry): its published figures are printed beside patrol's, marked as such.
 */
import http from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { onlyCollectors } from '../test/harness/config.ts';
import { startControlPlane } from '../test/harness/kubernetes.ts';
import { suiteScope } from '../test/harness/process.ts';
import { buildCluster, churn, type ClusterShape } from './kubernetes/cluster.ts';
import {
  flag,
  fmt,
  getMetrics,
  median,
  quantile,
  residentKiB,
  startPatrol,
  statusKiB,
  stopAll,
  type Running,
} from './lib/peers.ts';

const shape: ClusterShape = {
  nodes: flag('nodes', 100),
  deployments: flag('deployments', 1000),
  podsPerDeployment: flag('pods', 10),
};
const scrapes = flag('scrapes', 50);
const churnMinutes = flag('churn-minutes', 60);
const churnRate = flag('churn-rate', 10);
const log = (line: string) => {
  process.stdout.write(`${line}\n`);
};

/** kube-state-metrics' own figures, from its README (not measured here). */
const KSM =
  'kube-state-metrics, from its README (not measured on this machine): scrape latency p50 260 ms, p90 475 ms, p99 907 ms in a 100-node cluster scaling test; sizing rule 250 MiB and 0.1 core';

async function scrapeTimes(
  p: Running,
  n: number,
  gzip: boolean,
): Promise<{ ms: number[]; bytes: number; series: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const ms: number[] = [];
  let bytes = 0;
  let series = 0;
  try {
    for (let i = 0; i < n; i++) {
      const res = await getMetrics('patrol', p, agent, gzip ? { 'accept-encoding': 'gzip' } : {});
      ms.push(res.ms);
      bytes = res.bytes;
      if (!gzip && i === 0)
        series = res.body.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
    }
  } finally {
    agent.destroy();
  }
  return { ms, bytes, series };
}

async function rss(p: Running): Promise<{ rss: number; hwm: number }> {
  const r = await residentKiB(p.proc.pid);
  return { rss: r.rssKiB / 1024, hwm: (statusKiB(r.status, 'VmHWM') ?? 0) / 1024 };
}

async function main(): Promise<void> {
  const scope = suiteScope();
  const dir = await mkdtemp(join(tmpdir(), 'patrol-bench-k8s-'));
  let patrol: Running | undefined;
  try {
    const cp = await startControlPlane(scope, { controllers: false });
    const total = shape.deployments * shape.podsPerDeployment;
    log(
      `cluster: ${total} pods in ${shape.deployments} Deployments on ${shape.nodes} nodes (API server ready in ${fmt(cp.timings.readyMs / 1000, 1)} s)`,
    );
    const built = await buildCluster(cp, shape, (l) => {
      log(`  ${l}`);
    });
    const config = join(dir, 'patrol.yml');
    await writeFile(
      config,
      stringify(onlyCollectors({ kubernetes: { kubeconfig: cp.kubeconfig } })),
    );
    const t0 = performance.now();
    patrol = await startPatrol([`--config.file=${config}`]);
    const syncS = (performance.now() - t0) / 1000;
    log(`first full sync (start to /-/ready): ${fmt(syncS, 1)} s`);
    const after = await rss(patrol);
    const plain = await scrapeTimes(patrol, scrapes, false);
    const gz = await scrapeTimes(patrol, scrapes, true);
    const loaded = await rss(patrol);
    log(
      `/metrics (${plain.series} series, ${fmt(plain.bytes / 2 ** 20, 1)} MiB; gzip ${fmt(gz.bytes / 2 ** 20, 2)} MiB), ${scrapes} sequential scrapes each:`,
    );
    log(
      `  plain: median ${fmt(median(plain.ms))} ms, p90 ${fmt(quantile(plain.ms, 0.9))} ms, max ${fmt(Math.max(...plain.ms))} ms`,
    );
    log(
      `  gzip:  median ${fmt(median(gz.ms))} ms, p90 ${fmt(quantile(gz.ms, 0.9))} ms, max ${fmt(Math.max(...gz.ms))} ms`,
    );
    log(
      `resident memory: ${fmt(after.rss, 1)} MiB after the sync, ${fmt(loaded.rss, 1)} MiB after the scrapes (peak ${fmt(loaded.hwm, 1)} MiB)`,
    );
    const samples: number[] = [];
    if (churnMinutes > 0) {
      const abort = new AbortController();
      const churned = churn(cp, built, shape, churnRate, abort.signal);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const end = performance.now() + churnMinutes * 60_000;
      let next = performance.now();
      while (performance.now() < end) {
        // Scraped every 15 s as Prometheus would; memory sampled every minute.
        await getMetrics('patrol', patrol, agent, { 'accept-encoding': 'gzip' });
        if (performance.now() >= next) {
          const r = await rss(patrol);
          samples.push(r.rss);
          log(`  churn minute ${samples.length - 1}: RSS ${fmt(r.rss, 1)} MiB`);
          next += 60_000;
        }
        await new Promise((r) => setTimeout(r, 15_000));
      }
      abort.abort();
      const replaced = await churned;
      agent.destroy();
      // Flat: the last half-hour's samples within 10% of the first after warm-up (minute 5 on).
      const steady = samples.slice(Math.min(5, samples.length - 1));
      const spread = (Math.max(...steady) - Math.min(...steady)) / Math.min(...steady);
      log(
        `churn: ${replaced} pods replaced over ${churnMinutes} min; RSS from minute 5 on ${fmt(Math.min(...steady), 1)}-${fmt(Math.max(...steady), 1)} MiB (spread ${fmt(spread * 100, 1)}%, goal <= 10%: ${spread <= 0.1 ? 'met' : 'MISSED'})`,
      );
    }
    const med = median(plain.ms);
    log(KSM);
    log(
      `result: /metrics median ${fmt(med)} ms (goal <= 100: ${med <= 100 ? 'met' : 'MISSED'}), gzip ${fmt(median(gz.ms))} ms; RSS ${fmt(loaded.rss, 1)} MiB (goal <= 250: ${loaded.rss <= 250 ? 'met' : 'MISSED'}); first sync ${fmt(syncS, 1)} s`,
    );
  } finally {
    await stopAll(patrol);
    await scope.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
