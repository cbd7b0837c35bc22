/**
 * Resident memory of an idle exporter: patrol with its embedded default configuration against
 * node_exporter with its default collectors, both started, scraped and left idle side by side.
 *
 *   node bench/idle-memory.ts [--scrapes=5] [--idle-seconds=10]
 *
 * After start-up each exporter is scraped a few times (so lazily loaded code and the first
 * scrape's buffers are in), then both sit idle; then VmRSS is read from /proc/<pid>/status of
 * the exporter process itself (the node binary running src/main.ts, no npm or shell wrapper).
 * Goal: patrol <= 80 MiB.
 */
import { realpath } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  flag,
  fmt,
  get,
  NODE,
  NODE_EXPORTER,
  residentKiB,
  startBoth,
  startNodeExporter,
  startPatrol,
  statusKiB,
  stopAll,
  type Running,
} from './lib/peers.ts';

const GOAL_MIB = 80;
const scrapes = flag('scrapes', 5);
const idleSeconds = flag('idle-seconds', 10);

async function scrapeOk(name: string, r: Running): Promise<string> {
  const res = await get(`${r.url}/metrics`, false);
  if (res.status !== 200)
    throw new Error(`${name} /metrics answered HTTP ${res.status}\n${r.proc.describe()}`);
  return res.body;
}

/** The value of an unlabelled sample in Prometheus text, in MiB. */
function sampleMiB(body: string, name: string): string {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(body);
  return m?.[1] === undefined ? '?' : fmt(Number(m[1]) / 2 ** 20, 1);
}

async function main(): Promise<void> {
  let patrol: Running | undefined;
  let nodeExporter: Running | undefined;
  try {
    [patrol, nodeExporter] = await startBoth(
      () => startPatrol(),
      () => startNodeExporter(),
    );
    for (let i = 0; i < scrapes; i++) {
      await scrapeOk('patrol', patrol);
      await scrapeOk('node_exporter', nodeExporter);
    }
    console.log(
      `idle memory: ${scrapes} scrapes each, then ${idleSeconds} s idle; patrol pid ${patrol.proc.pid}, node_exporter pid ${nodeExporter.proc.pid}`,
    );
    await sleep(idleSeconds * 1000);

    const [p, n] = await Promise.all([
      residentKiB(patrol.proc.pid),
      residentKiB(nodeExporter.proc.pid),
    ]);
    // Make sure the figures are the exporters' own processes, not a wrapper's.
    const [nodeBin, neBin] = await Promise.all([realpath(NODE), realpath(NODE_EXPORTER)]);
    if (p.exe !== nodeBin)
      throw new Error(`patrol pid ${patrol.proc.pid} runs ${p.exe}, expected ${nodeBin}`);
    if (n.exe !== neBin)
      throw new Error(
        `node_exporter pid ${nodeExporter.proc.pid} runs ${n.exe}, expected ${neBin}`,
      );

    const mib = (kib: number | undefined) => (kib === undefined ? '?' : fmt(kib / 1024, 1));
    for (const [name, r] of [
      ['patrol', p],
      ['node_exporter', n],
    ] as const) {
      console.log(
        `${name} (${r.exe}): VmRSS ${mib(r.rssKiB)} MiB = RssAnon ${mib(statusKiB(r.status, 'RssAnon'))} + RssFile ${mib(statusKiB(r.status, 'RssFile'))} + RssShmem ${mib(statusKiB(r.status, 'RssShmem'))}; peak VmHWM ${mib(statusKiB(r.status, 'VmHWM'))} MiB`,
      );
    }
    // Context only, read after the RSS figures so this scrape does not count.
    const body = await scrapeOk('patrol', patrol);
    console.log(
      `patrol's V8 heap after idle: used ${sampleMiB(body, 'nodejs_heap_size_used_bytes')} MiB of ${sampleMiB(body, 'nodejs_heap_size_total_bytes')} MiB, external ${sampleMiB(body, 'nodejs_external_memory_bytes')} MiB`,
    );

    const patrolMiB = p.rssKiB / 1024;
    const neMiB = n.rssKiB / 1024;
    console.log(
      `idle memory: patrol ${fmt(patrolMiB, 1)} MiB (goal <= ${GOAL_MIB}${patrolMiB <= GOAL_MIB ? ', met' : ', MISSED'}), node_exporter ${fmt(neMiB, 1)} MiB, ratio ${fmt(patrolMiB / neMiB)}`,
    );
  } finally {
    await stopAll(patrol, nodeExporter);
  }
}

await main();
