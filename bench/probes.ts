/**
 * The probes collector against blackbox_exporter (Debian's prometheus-blackbox-exporter), one
 * run, the same targets: a real nginx's page over HTTP, its port over TCP, and its TLS port
 * over HTTPS with the test CA.
 *
 *   node bench/probes.ts [--rounds=300] [--idle-seconds=10]
 *
 * - CPU per probe: each exporter probes the three targets `rounds` times (patrol: one scrape of
 *   its probes collector runs the three; blackbox: three /probe requests), sequentially; the
 *   CPU (utime + stime from /proc/<pid>/stat) each process used over the rounds, divided by the
 *   probes. patrol's figure includes rendering its scrape (process metrics, self metrics), so it
 *   is an upper bound. Goal: patrol <= 1.5 x blackbox_exporter.
 * - Latency: each exporter's own view of a probe (patrol_probe_duration_seconds,
 *   probe_duration_seconds), median and p90 over the rounds.
 * - The values agree: success, HTTP status and the certificate's expiry, patrol's against
 *   blackbox's (the run throws otherwise, before printing figures).
 * - Idle memory with 50 probes: patrol with its embedded default configuration, and with 50
 *   probes added (25 HTTP, 25 TCP, on scrape), each scraped 5 times then idle; VmRSS. Goal: at
 *   most 10 MiB above the default.
 *
 * Needs nginx and prometheus-blackbox-exporter (Debian packages; BLACKBOX_EXPORTER overrides
 * the binary's path).
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { suiteScope } from '../test/harness/process.ts';
import { startNginx } from '../test/harness/nginx.ts';
import { freePort } from '../test/harness/http.ts';
import {
  cpuSeconds,
  flag,
  fmt,
  get,
  median,
  Proc,
  quantile,
  residentKiB,
  startPatrol,
  stopAll,
  waitUntilAnswers,
  type Running,
} from './lib/peers.ts';

const BLACKBOX = process.env.BLACKBOX_EXPORTER ?? '/usr/bin/prometheus-blackbox-exporter';
const rounds = flag('rounds', 300);
const idleSeconds = flag('idle-seconds', 10);
const CPU_GOAL = 1.5;
const MEMORY_GOAL_MIB = 10;

/** The value of the one sample of `name` whose labels include `labels`, from Prometheus text. */
function sample(body: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of body.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  throw new Error(`no ${name} ${JSON.stringify(labels)} in\n${body.slice(0, 2000)}`);
}

async function main(): Promise<void> {
  const scope = suiteScope();
  const dir = await mkdtemp(join(tmpdir(), 'patrol-bench-probes-'));
  let patrol: Running | undefined;
  let blackbox: Running | undefined;
  try {
    const nginx = await startNginx(scope);
    const targets = {
      http: `http://127.0.0.1:${nginx.http}/health`,
      tcp: `127.0.0.1:${nginx.http}`,
      tls: `https://127.0.0.1:${nginx.tls}/`,
    };
    const patrolConfig = join(dir, 'patrol.yml');
    writeFileSync(
      patrolConfig,
      JSON.stringify({
        collectors: {
          filesystem: { enabled: false },
          directory: { enabled: false },
          systemd: { enabled: false },
          logs: { enabled: false },
          probes: {
            probes: [
              { name: 'http', module: 'http', target: targets.http },
              { name: 'tcp', module: 'tcp', target: targets.tcp },
              {
                name: 'tls',
                module: 'http',
                target: targets.tls,
                tls_config: { ca_file: nginx.caFile },
              },
            ],
          },
        },
      }),
    );
    const blackboxConfig = join(dir, 'blackbox.yml');
    writeFileSync(
      blackboxConfig,
      JSON.stringify({
        modules: {
          http_2xx: { prober: 'http', timeout: '5s' },
          tcp_connect: { prober: 'tcp', timeout: '5s' },
          https_ca: {
            prober: 'http',
            timeout: '5s',
            http: { tls_config: { ca_file: nginx.caFile } },
          },
        },
      }),
    );
    patrol = await startPatrol([`--config.file=${patrolConfig}`]);
    const port = await freePort();
    const proc = new Proc('blackbox_exporter', BLACKBOX, [
      `--config.file=${blackboxConfig}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    blackbox = { proc, url: `http://127.0.0.1:${port}` };
    await waitUntilAnswers(proc, `${blackbox.url}/metrics`);
    const bb = blackbox;
    const bbProbe = (module: string, target: string) =>
      get(`${bb.url}/probe?module=${module}&target=${encodeURIComponent(target)}`, false);
    const pairs = [
      { name: 'http', module: 'http_2xx', target: targets.http },
      { name: 'tcp', module: 'tcp_connect', target: targets.tcp },
      { name: 'tls', module: 'https_ca', target: targets.tls },
    ];

    // Warm both up, and check they agree before anything is measured.
    const p0 = (await get(`${patrol.url}/metrics`, false)).body;
    for (const pr of pairs) {
      const b0 = (await bbProbe(pr.module, pr.target)).body;
      const mine = sample(p0, 'patrol_probe_success', { probe: pr.name });
      const theirs = sample(b0, 'probe_success');
      if (mine !== 1 || theirs !== 1)
        throw new Error(`${pr.name}: success patrol ${mine}, blackbox ${theirs}`);
      if (pr.name !== 'tcp') {
        const a = sample(p0, 'patrol_probe_http_status_code', { probe: pr.name });
        const b = sample(b0, 'probe_http_status_code');
        if (a !== b) throw new Error(`${pr.name}: status patrol ${a}, blackbox ${b}`);
      }
      if (pr.name === 'tls') {
        const a = sample(p0, 'patrol_probe_tls_cert_not_after_timestamp_seconds', {
          probe: 'tls',
          cert: 'earliest',
        });
        const b = sample(b0, 'probe_ssl_earliest_cert_expiry');
        if (a !== b) throw new Error(`certificate expiry: patrol ${a}, blackbox ${b}`);
        console.log(
          `agree: success 1, status 200, certificate expiry ${new Date(a * 1000).toISOString()} on both`,
        );
      }
    }

    const mineDurations: Record<string, number[]> = { http: [], tcp: [], tls: [] };
    const theirDurations: Record<string, number[]> = { http: [], tcp: [], tls: [] };
    let cpu0 = cpuSeconds(patrol.proc.pid);
    for (let i = 0; i < rounds; i++) {
      const body = (await get(`${patrol.url}/metrics`, false)).body;
      for (const pr of pairs)
        mineDurations[pr.name]?.push(
          sample(body, 'patrol_probe_duration_seconds', { probe: pr.name }),
        );
    }
    const patrolCpu = cpuSeconds(patrol.proc.pid) - cpu0;
    cpu0 = cpuSeconds(bb.proc.pid);
    for (let i = 0; i < rounds; i++) {
      for (const pr of pairs) {
        const body = (await bbProbe(pr.module, pr.target)).body;
        theirDurations[pr.name]?.push(sample(body, 'probe_duration_seconds'));
      }
    }
    const blackboxCpu = cpuSeconds(bb.proc.pid) - cpu0;
    const probes = rounds * pairs.length;
    const mineMs = (patrolCpu / probes) * 1000;
    const theirMs = (blackboxCpu / probes) * 1000;
    console.log(`${probes} probes each (${rounds} rounds of http, tcp, https):`);
    console.log(
      `  CPU per probe: patrol ${fmt(mineMs, 3)} ms (scrape included), blackbox_exporter ${fmt(theirMs, 3)} ms; ratio ${fmt(mineMs / theirMs)} (goal <= ${CPU_GOAL}, ${mineMs / theirMs <= CPU_GOAL ? 'met' : 'NOT met'})`,
    );
    for (const pr of pairs) {
      const a = mineDurations[pr.name] ?? [];
      const b = theirDurations[pr.name] ?? [];
      console.log(
        `  ${pr.name} probe duration, each exporter's own: patrol median ${fmt(median(a) * 1000)} ms p90 ${fmt(quantile(a, 0.9) * 1000)} ms; blackbox median ${fmt(median(b) * 1000)} ms p90 ${fmt(quantile(b, 0.9) * 1000)} ms`,
      );
    }
    await stopAll(patrol, blackbox);
    patrol = undefined;
    blackbox = undefined;

    // Idle memory: the embedded default, then the default plus 50 probes.
    const fifty = join(dir, 'fifty.yml');
    writeFileSync(
      fifty,
      JSON.stringify({
        collectors: {
          probes: {
            probes: Array.from({ length: 50 }, (_, i) =>
              i % 2 === 0
                ? { name: `web-${i}`, module: 'http', target: `${targets.http}?n=${i}` }
                : { name: `port-${i}`, module: 'tcp', target: targets.tcp },
            ),
          },
        },
      }),
    );
    const idle = async (args: string[]) => {
      const p = await startPatrol(args);
      try {
        for (let i = 0; i < 5; i++) await get(`${p.url}/metrics`, false);
        await sleep(idleSeconds * 1000);
        return (await residentKiB(p.proc.pid)).rssKiB / 1024;
      } finally {
        await stopAll(p);
      }
    };
    const base = await idle([]);
    const withProbes = await idle([`--config.file=${fifty}`]);
    const more = withProbes - base;
    console.log(
      `idle memory: default ${fmt(base, 1)} MiB, with 50 probes ${fmt(withProbes, 1)} MiB: +${fmt(more, 1)} MiB (goal <= ${MEMORY_GOAL_MIB}, ${more <= MEMORY_GOAL_MIB ? 'met' : 'NOT met'})`,
    );
  } finally {
    await stopAll(patrol, blackbox);
    await scope.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
