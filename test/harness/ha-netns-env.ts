/**
 * The environment of the HA pair test (test/e2e/ha-netns.test.ts): a hot-standby pair as two
 * hosts. Two real patrol exporters, each in its own network namespace joined by a veth link
 * (192.0.2.1 and .2), heartbeats signed with a shared secret, role by virtual IP (192.0.2.100,
 * held by the primary a from the start), and a real lsyncd (Debian's, default.rsync with
 * delay=1) on a, mirroring a's dataset to b's directory, while this process measures, from
 * outside patrol, when each canary reached the standby.
 *
 * Needs root and: util-linux (unshare, nsenter, setpriv), iproute2, lsyncd + rsync, libfaketime
 * (.ci/run installs them); preflight() checks. Nothing can outlive the test, even if it is
 * SIGKILLed: the namespaces are held by agents that exit when their stdin closes, and every
 * program inside runs under `setpriv --pdeathsig KILL` (test/harness/netns.ts). Everything
 * startPair() starts is stopped in one `after` hook of the test, in reverse order.
 *
 * Scraping: HTTP from the test process cannot reach a namespace, so each namespace's agent makes
 * the requests from inside it (NetNs.fetch, over a pipe). That keeps the root namespace untouched
 * (no second veth, no routes on the host) and costs no process per scrape.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { globSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { stringify } from 'yaml';
import { onlyCollectors } from './config.ts';
import { MAIN, NODE, ROOT } from './exporter.ts';
import { sampleValue } from './metrics.ts';
import { connect, NETNS_TOOLS, NetNs, requireTools } from './netns.ts';
import type { ManagedProcess } from './process.ts';
import { waitFor } from './wait.ts';

export const PORT = 9872;
export const CLUSTER = 'pair';
export const VIP = '192.0.2.100';
export const INTERVAL_MS = 500;
export const TIMEOUT_MS = 200;
export const THRESHOLD = 3;
/** The bound the issue sets for peer loss: interval × failure_threshold + 1 s. */
export const PEER_BOUND_MS = INTERVAL_MS * THRESHOLD + 1000;
/** lsyncd's delay is a batching window: a canary arrives `delay` after it opened a batch only if the next one comes later (canary interval > delay). */
export const LSYNCD_DELAY_S = 1;
export const CANARY_MS = 2000;
export const LAG_BOUND_S = CANARY_MS / 1000 + 0.5;
export const SKEW_S = 30;
export const OFFSET_TOLERANCE_S = 0.1;

export interface Host {
  readonly name: 'a' | 'b';
  readonly ns: NetNs;
  readonly ifname: string;
  readonly address: string;
  readonly config: string;
  readonly data: string;
  proc: ManagedProcess | undefined;
}

/** libfaketime's preload library, wherever the distribution put it (multiarch or not). */
function libfaketime(): string | undefined {
  return globSync([
    '/usr/lib/*/faketime/libfaketime.so.1',
    '/usr/lib/faketime/libfaketime.so.1',
    '/usr/local/lib/faketime/libfaketime.so.1',
  ])[0];
}

/** Checks that everything the test needs is there; gives libfaketime's preload library. */
export async function preflight(): Promise<string> {
  const need =
    'the HA netns test needs root, unshare/nsenter/setpriv (util-linux), ip (iproute2), lsyncd, rsync and libfaketime';
  assert.equal(process.getuid?.(), 0, `${need}: not running as root`);
  await requireTools(
    [...NETNS_TOOLS, ['lsyncd', '-version'], ['rsync', '--version']],
    (cmd) => `${need}: ${cmd}`,
  );
  const lib = libfaketime();
  assert.ok(lib !== undefined, `${need}: libfaketime.so.1 not found`);
  return lib;
}

export const fmt = (xs: readonly number[], digits = 3) =>
  xs.map((x) => x.toFixed(digits)).join(' ');
export const median = (xs: readonly number[]) => {
  const s = [...xs].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

export interface HaPair {
  /** The primary (it holds the VIP at the start) and the standby, both running. */
  readonly a: Host;
  readonly b: Host;
  /** lsyncd, on a's host, mirroring a's dataset to b's. */
  readonly lsyncd: ManagedProcess;
  /**
   * The mirror's real delay, measured from outside patrol: the standby's copy keeps the
   * primary's mtime (rsync -t), so each new copy arrived (time seen − its mtime) after the
   * primary wrote it, in seconds. Polled every 10 ms until stopArrivals().
   */
  readonly arrivals: number[];
  readonly stopArrivals: () => void;
  /** GET /metrics on a host (from inside its namespace); anything but 200 fails the test. */
  readonly scrape: (h: Host) => Promise<string>;
  /** A sample of the pair's cluster in an exposition, NaN when absent. */
  readonly metric: (text: string, name: string, labels?: Record<string, string>) => number;
  /** Both exporters' and both namespaces' output, for failure messages. */
  readonly describe: () => string;
  /** (Re)starts the real exporter in the host's namespace; `env` (e.g. libfaketime) applies to it alone. */
  readonly startPatrol: (h: Host, env?: readonly string[]) => Promise<void>;
}

/**
 * Builds the pair in `t` and starts it: the primary first (it writes the first canary), then
 * the mirror, then the standby. Everything started is stopped after the test.
 */
export async function startPair(t: TestContext): Promise<HaPair> {
  // Everything the test starts, stopped in one hook in reverse order (exporters and lsyncd
  // before the namespaces' agents, the directory last).
  const cleanups: (() => Promise<void>)[] = [];
  t.after(async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        t.diagnostic(`cleanup: ${String(err)}`);
      }
    }
  });
  const root = await mkdtemp(join(tmpdir(), 'patrol-ha-netns-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  const secretFile = join(root, 'secret');
  writeFileSync(secretFile, `${randomBytes(24).toString('hex')}\n`, { mode: 0o600 });

  const nsA = await NetNs.create('a');
  cleanups.push(() => nsA.close());
  const nsB = await NetNs.create('b');
  cleanups.push(() => nsB.close());
  const host = (name: 'a' | 'b', ns: NetNs, n: number): Host => ({
    name,
    ns,
    ifname: `v${name}`,
    address: `192.0.2.${n}`,
    config: join(root, `${name}.yml`),
    data: join(root, name, 'data'),
    proc: undefined,
  });
  const a = host('a', nsA, 1);
  const b = host('b', nsB, 2);
  await connect(
    { ns: a.ns, ifname: a.ifname, address: `${a.address}/24` },
    { ns: b.ns, ifname: b.ifname, address: `${b.address}/24` },
  );
  // The primary holds the VIP from the start, so its first role is primary (not a change).
  await a.ns.exec('ip', ['addr', 'add', `${VIP}/32`, 'dev', a.ifname]);

  for (const h of [a, b]) {
    const other = h === a ? b : a;
    mkdirSync(h.data, { recursive: true });
    writeFileSync(
      h.config,
      // Only the HA collector: the rest is not this test's business (and the log collector's
      // positions must not land in /var/lib/patrol).
      stringify(
        onlyCollectors({
          ha: {
            enabled: true,
            cluster: CLUSTER,
            node: h.name,
            peers: [{ name: other.name, url: `http://${other.address}:${PORT}` }],
            interval: `${INTERVAL_MS}ms`,
            timeout: `${TIMEOUT_MS}ms`,
            failure_threshold: THRESHOLD,
            secret_file: secretFile,
            role: { source: 'vip', address: VIP },
            // In real life the path is the same on both nodes; here each node has its own
            // directory on the same disk.
            datasets: [{ name: 'data', path: h.data, canary: { interval: `${CANARY_MS}ms` } }],
          },
        }),
      ),
    );
  }

  const local = `http://127.0.0.1:${PORT}`;
  const scrape = async (h: Host): Promise<string> => {
    const res = await h.ns.fetch(`${local}/metrics`, { timeoutMs: 5_000 });
    assert.equal(res.status, 200, `GET /metrics on ${h.name}: ${res.status} ${res.text}`);
    return res.text;
  };
  const metric = (text: string, name: string, labels: Record<string, string> = {}) =>
    sampleValue(text, name, { cluster: CLUSTER, ...labels }) ?? NaN;
  const describe = () =>
    [a, b]
      .map((h) => h.proc?.describe() ?? `patrol ${h.name} not running`)
      .concat(nsA.describe(), nsB.describe())
      .join('\n');

  /** The real exporter in the host's namespace; `env` (e.g. libfaketime) applies to it alone. */
  const startPatrol = async (h: Host, env: readonly string[] = []) => {
    const args = [MAIN, `--web.listen-address=:${PORT}`, `--config.file=${h.config}`];
    const proc =
      env.length === 0
        ? h.ns.spawn(`patrol ${h.name}`, NODE, args, { cwd: ROOT })
        : h.ns.spawn(`patrol ${h.name}`, 'env', [...env, NODE, ...args], { cwd: ROOT });
    h.proc = proc;
    cleanups.push(() => proc.kill());
    await proc.waitForOutput(/msg=listening address=/, 30_000);
    await waitFor(
      `patrol ${h.name} to answer /-/ready`,
      async () => {
        if (!proc.running) throw new Error('exited');
        return (await h.ns.fetch(`${local}/-/ready`, { timeoutMs: 5_000 })).status === 200;
      },
      { timeoutMs: 30_000, context: () => proc.describe() },
    );
  };

  // The primary first (it writes the first canary), then the mirror, then the standby.
  await startPatrol(a);
  const lsyncdConfig = join(root, 'lsyncd.lua');
  writeFileSync(
    lsyncdConfig,
    `settings { nodaemon = true, insist = true }
sync { default.rsync, source = ${JSON.stringify(a.data)}, target = ${JSON.stringify(b.data)},
       delay = ${LSYNCD_DELAY_S}, rsync = { archive = true } }
`,
  );
  // The mirror runs on the primary's host (it only copies between local directories here).
  const lsyncd = a.ns.spawn('lsyncd', 'lsyncd', ['-nodaemon', lsyncdConfig], { cwd: root });
  cleanups.push(() => lsyncd.kill());
  await lsyncd.waitForOutput(/Startup of .* finished/, 15_000);

  // The mirror's real delay, measured from outside patrol: the standby's copy keeps the
  // primary's mtime (rsync -t), so each new copy arrived (time seen − its mtime) after the
  // primary wrote it. Polled every 10 ms until the mirror is stopped.
  const canaryCopy = join(b.data, '.patrol-canary');
  const arrivals: number[] = [];
  let lastMtime: bigint | undefined;
  const watcher = setInterval(() => {
    let mtimeNs: bigint;
    try {
      mtimeNs = statSync(canaryCopy, { bigint: true }).mtimeNs;
    } catch {
      return;
    }
    if (lastMtime !== undefined && mtimeNs !== lastMtime) {
      arrivals.push((Date.now() - Number(mtimeNs / 1_000_000n)) / 1000);
    }
    lastMtime = mtimeNs;
  }, 10);
  cleanups.push(() => {
    clearInterval(watcher);
    return Promise.resolve();
  });

  await startPatrol(b);
  return {
    a,
    b,
    lsyncd,
    arrivals,
    stopArrivals: () => {
      clearInterval(watcher);
    },
    scrape,
    metric,
    describe,
    startPatrol,
  };
}
