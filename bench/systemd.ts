/**
 * systemd collector with 1,000 loaded units: scrape time of patrol with only the systemd
 * collector against node_exporter's systemd collector scraping the same manager, and proof that
 * a patrol scrape opens no new bus connection.
 *
 *   node bench/systemd.ts [--units=1000] [--rounds=200] [--warmup=10] [--proof-scrapes=100] [--gzip]
 *
 * - A real `systemd --user` (test/harness/systemd.ts: a private mount namespace, its session bus
 *   and private socket under a temporary XDG_RUNTIME_DIR) gets a template unit `bench@.service`
 *   (oneshot, RemainAfterExit=yes, /bin/true) and bench@1..bench@N are started, 200 names per
 *   `systemctl --user start`: N loaded, active services, plus the manager's own few units.
 * - node_exporter runs inside the namespace as the issue says:
 *   `--collector.disable-defaults --collector.systemd --collector.systemd.private`, with the
 *   manager's private socket bind-mounted onto /run/systemd/private (the namespace's
 *   /run/systemd is a private tmpfs). Its unit filters keep their defaults (include `.+`, so
 *   passing `--collector.systemd.unit-include=.+` would change nothing; exclude automount,
 *   device, mount, scope, slice and target units), and patrol's keep theirs (services, sockets,
 *   timers, targets, mounts): both as deployed. Both report the N bench services; the few units
 *   only one of them reports (patrol: targets and mounts) are printed, and so are the series
 *   counts, which differ more (per service node_exporter has 5 unit_state series, patrol 7
 *   unit_state and 4 more; load_state only for required units).
 * - patrol runs as deployed (`node dist/main.js`, built first) twice, with only the systemd
 *   collector: once on the manager's private socket (the same transport as node_exporter: the
 *   headline) and once on its session bus (through dbus-daemon, as `bus: user` would).
 * - Each exporter gets `warmup` requests; then `rounds` rounds, each one GET /metrics to each
 *   of the three, in an order that cycles through all six permutations (every exporter sees
 *   every position equally often), sequential over one keep-alive connection per exporter,
 *   timed from sending the request to the last byte of the body (bench/lib/peers.ts `get`).
 * - Then the proof: for `proof-scrapes` scrapes of each exporter, `strace -f -e connect`
 *   counts the connect() calls the exporter makes, and the unix sockets each exporter holds
 *   (/proc/<pid>/fd with `ss -xp` for the peer) are listed before and after; for the patrol on
 *   the session bus, the bus daemon's unique names show that patrol keeps its name and that no
 *   other connection came (every connection to a bus gets the next `:1.N`).
 *
 * Goal: patrol's median <= 1 x node_exporter's (private socket), and no connect() during scrapes.
 */
import { execFile, spawn } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { readdir, readFile, readlink, realpath, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { onlyCollectors } from '../test/harness/config.ts';
import { freePort } from '../test/harness/http.ts';
import type { Scope } from '../test/harness/process.ts';
import { startSystemd, type SystemdManager } from '../test/harness/systemd.ts';
import { tempDir } from '../test/harness/tmp.ts';
import {
  flag,
  fmt,
  get,
  getMetrics,
  median,
  NODE,
  NODE_EXPORTER,
  Proc,
  quantile,
  residentKiB,
  startPatrol,
  statusKiB,
  waitUntilAnswers,
  type Running,
} from './lib/peers.ts';

const GOAL_RATIO = 1;
const units = flag('units', 1000);
const rounds = flag('rounds', 200);
const warmup = flag('warmup', 10);
const proofScrapes = flag('proof-scrapes', 100);
const headers: Record<string, string> = process.argv.includes('--gzip')
  ? { 'accept-encoding': 'gzip' }
  : {};
const BATCH = 200;

const run = promisify(execFile);

/** Cleanups run in reverse order at the end, each one even if another failed. */
class Cleanups implements Scope {
  readonly #fns: (() => Promise<void>)[] = [];
  after(fn: () => Promise<void>): void {
    this.#fns.push(fn);
  }
  async run(): Promise<void> {
    for (const fn of this.#fns.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        process.stderr.write(
          `cleanup failed: ${err instanceof Error ? err.message : String(err)}\n`,
        );
      }
    }
  }
}

/**
 * bench/lib/peers.ts exits at once on SIGINT/SIGTERM, and the harness only SIGKILLs its own
 * children on exit: the bus daemon the manager started would outlive us. This kills every
 * process in the namespace, synchronously, whatever way the benchmark ends.
 */
function killNamespaceSync(holderPid: number): void {
  let ns: string;
  try {
    ns = readlinkSync(`/proc/${holderPid}/ns/mnt`);
  } catch {
    return;
  }
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readlinkSync(`/proc/${pid}/ns/mnt`) === ns) process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

async function loadUnits(manager: SystemdManager): Promise<{ all: number; bench: number }> {
  await manager.writeUnit(
    'bench@.service',
    '[Unit]\nDescription=patrol benchmark unit %i\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n',
  );
  for (let first = 1; first <= units; first += BATCH) {
    const names: string[] = [];
    for (let i = first; i < first + BATCH && i <= units; i++) names.push(`bench@${i}.service`);
    await manager.systemctl(['start', ...names]);
  }
  const r = await manager.systemctl([
    'list-units',
    '--all',
    '--no-legend',
    '--plain',
    '--no-pager',
  ]);
  const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
  const bench = lines.filter((l) => /^bench@\d+\.service\s+loaded\s+active\s+exited/.test(l));
  return { all: lines.length, bench: bench.length };
}

/** node_exporter inside the manager's namespace, on the manager's private socket. */
async function startNodeExporterInNamespace(manager: SystemdManager): Promise<Running> {
  const port = await freePort();
  const args = [
    '--collector.disable-defaults',
    '--collector.systemd',
    '--collector.systemd.private',
    `--web.listen-address=127.0.0.1:${port}`,
  ];
  const script = [
    'set -e',
    'touch /run/systemd/private',
    `mount --bind '${manager.runtimeDir}/systemd/private' /run/systemd/private`,
    `exec ${[NODE_EXPORTER, ...args].map((a) => `'${a}'`).join(' ')}`,
  ].join('\n');
  // nsenter enters a mount namespace without forking, and sh execs: the pid is node_exporter's.
  const proc = new Proc('node_exporter', 'nsenter', [
    '-t',
    String(manager.holderPid),
    '-m',
    '--',
    'sh',
    '-c',
    script,
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilAnswers(proc, `${url}/metrics`);
  return { proc, url };
}

interface Target {
  name: string;
  running: Running;
  agent: http.Agent;
  samples: number[];
  bytes: number;
  body: string;
}

async function scrape(t: Target): Promise<number> {
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
function contents(body: string, prefix: 'node' | 'patrol') {
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

async function summary(t: Target): Promise<string> {
  const { status } = await residentKiB(t.running.proc.pid);
  const mib = (field: string) => fmt((statusKiB(status, field) ?? NaN) / 1024, 1);
  return `${t.name}: median ${fmt(median(t.samples))} ms, p90 ${fmt(quantile(t.samples, 0.9))} ms, min ${fmt(Math.min(...t.samples))} ms, max ${fmt(Math.max(...t.samples))} ms (${t.bytes} bytes); RSS after the rounds ${mib('VmRSS')} MiB, peak ${mib('VmHWM')} MiB`;
}

/** Waits until patrol's watcher is up and holds every loaded unit with its details. */
async function waitForPatrolSync(t: Target, expected: number): Promise<void> {
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

// ---- the proof: sockets and connect() calls ---------------------------------------------

interface UnixSocket {
  inode: string;
  peer: string;
  path: string;
  pids: number[];
}

/** Every unix socket `ss -xp` knows, by inode. */
async function unixSockets(): Promise<Map<string, UnixSocket>> {
  const { stdout } = await run('ss', ['-xapnH'], { maxBuffer: 64 * 2 ** 20 });
  const out = new Map<string, UnixSocket>();
  for (const line of stdout.split('\n')) {
    const t = line.trim().split(/\s+/);
    if (t.length < 8) continue;
    const [, , , , path = '', inode = '', , peer = ''] = t;
    const pids = [
      ...t
        .slice(8)
        .join(' ')
        .matchAll(/pid=(\d+)/g),
    ].map((m) => Number(m[1]));
    out.set(inode, { inode, peer, path, pids });
  }
  return out;
}

/** The socket inodes among /proc/<pid>/fd. */
async function socketInodes(pid: number): Promise<string[]> {
  const out: string[] = [];
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(await readlink(`/proc/${pid}/fd/${fd}`));
      if (m?.[1] !== undefined) out.push(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  return out.sort();
}

/**
 * The exporter's unix sockets whose peer was accepted on the listening socket `path` (the
 * manager's private socket, the bus), as "exporter-inode->peer-inode (peer process)".
 */
async function connectionsTo(pid: number, path: string): Promise<string[]> {
  const all = await unixSockets();
  const out: string[] = [];
  for (const inode of await socketInodes(pid)) {
    const s = all.get(inode);
    const other = s === undefined ? undefined : all.get(s.peer);
    if (s === undefined || other === undefined || other.path !== path) continue;
    const owners = await Promise.all(
      other.pids.map(async (p) => {
        const comm = await readFile(`/proc/${p}/comm`, 'utf8').catch(() => '?');
        return `${comm.trim()} ${p}`;
      }),
    );
    out.push(`${inode}->${s.peer} (${[...new Set(owners)].join(', ')})`);
  }
  return out.sort();
}

/** Connections open on the listening socket `path`, counted on the server side. */
async function serverConnections(path: string): Promise<number> {
  let n = 0;
  for (const s of (await unixSockets()).values()) if (s.path === path && s.peer !== '0') n++;
  return n;
}

/** connect() calls `pid` (all its threads) makes while `work` runs, from strace. */
async function connectCalls(
  pid: number,
  dir: string,
  work: () => Promise<void>,
): Promise<string[]> {
  const file = join(dir, `strace-${pid}.txt`);
  const strace = spawn('strace', ['-f', '-e', 'trace=connect', '-o', file, '-p', String(pid)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  strace.stderr.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<void>((resolve) => {
    strace.once('close', () => {
      resolve();
    });
  });
  const deadline = Date.now() + 10_000;
  while (!/attached/.test(err)) {
    if (strace.exitCode !== null || Date.now() > deadline) {
      strace.kill('SIGKILL');
      throw new Error(`strace did not attach to ${pid}: ${err}`);
    }
    await sleep(20);
  }
  await sleep(200); // every thread attached
  try {
    await work();
  } finally {
    strace.kill('SIGINT');
    await exited;
  }
  // One line per call, `connect(...) = 0` or `connect(... <unfinished ...>` (then resumed).
  return (await readFile(file, 'utf8')).split('\n').filter((l) => /\bconnect\(/.test(l));
}

/** The session bus' unique names with their pids (busctl), and the highest serial handed out. */
async function busNames(
  address: string,
): Promise<{ byPid: Map<number, string[]>; maxSerial: number }> {
  const { stdout } = await run('busctl', [
    `--address=${address}`,
    'list',
    '--unique',
    '--no-legend',
    '--no-pager',
  ]);
  const byPid = new Map<number, string[]>();
  let maxSerial = 0;
  for (const line of stdout.split('\n')) {
    const [name = '', pid = ''] = line.trim().split(/\s+/);
    const m = /^:1\.(\d+)$/.exec(name);
    if (m === null) continue;
    maxSerial = Math.max(maxSerial, Number(m[1]));
    const p = Number(pid);
    if (Number.isInteger(p)) byPid.set(p, [...(byPid.get(p) ?? []), name]);
  }
  return { byPid, maxSerial };
}

// ---- main --------------------------------------------------------------------------------

async function main(): Promise<void> {
  const scope = new Cleanups();
  const agents: http.Agent[] = [];
  let holderPid: number | undefined;
  const emergency = () => {
    if (holderPid !== undefined) killNamespaceSync(holderPid);
  };
  process.prependOnceListener('SIGINT', emergency);
  process.prependOnceListener('SIGTERM', emergency);
  process.once('exit', emergency);
  try {
    const dir = await tempDir(scope, 'patrol-bench-systemd-');
    const started = performance.now();
    const manager = await startSystemd(scope);
    holderPid = manager.holderPid;
    const loaded = await loadUnits(manager);
    if (loaded.all < units || loaded.bench !== units) {
      throw new Error(
        `expected ${units} bench units active and >= ${units} units listed, got ${loaded.bench} and ${loaded.all}`,
      );
    }
    const systemdVersion = (await manager.systemctl(['--version'])).stdout.split('\n')[0];
    console.log(
      `systemd: ${systemdVersion}; ${loaded.all} units listed by \`systemctl --user list-units --all\` (${loaded.bench} bench@N.service active), set up in ${fmt((performance.now() - started) / 1000, 1)} s`,
    );

    const patrolConfig = async (file: string, bus: string) => {
      const path = join(dir, file);
      // Only the systemd collector (YAML is a superset of JSON).
      await writeFile(path, JSON.stringify(onlyCollectors({ systemd: { bus } }), null, 2));
      return path;
    };
    const privateConfig = await patrolConfig('private.yml', manager.privateAddress);
    const busConfig = await patrolConfig('bus.yml', manager.busAddress);

    const stop = (r: Running) => {
      scope.after(() => r.proc.stop());
    };
    const nodeExporter = await startNodeExporterInNamespace(manager);
    stop(nodeExporter);
    const patrolPrivate = await startPatrol([`--config.file=${privateConfig}`]);
    stop(patrolPrivate);
    const patrolBus = await startPatrol([`--config.file=${busConfig}`]);
    stop(patrolBus);

    // The processes measured are the exporters themselves, not nsenter, sh or npm.
    const nodeExe = await realpath(NODE);
    for (const [r, exe] of [
      [nodeExporter, await realpath(NODE_EXPORTER)],
      [patrolPrivate, nodeExe],
      [patrolBus, nodeExe],
    ] as const) {
      const actual = await readlink(`/proc/${r.proc.pid}/exe`);
      if (actual !== exe)
        throw new Error(`${r.proc.name} pid ${r.proc.pid} runs ${actual}, not ${exe}`);
    }

    const target = (name: string, running: Running): Target => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      agents.push(agent);
      return { name, running, agent, samples: [], bytes: 0, body: '' };
    };
    const ne = target('node_exporter', nodeExporter);
    const pp = target('patrol (private socket)', patrolPrivate);
    const pb = target('patrol (session bus)', patrolBus);
    await waitForPatrolSync(pp, loaded.all);
    await waitForPatrolSync(pb, loaded.all);

    console.log(
      `systemd scrape: ${rounds} rounds after ${warmup} warm-up requests each, keep-alive, ${headers['accept-encoding'] === undefined ? 'uncompressed' : 'gzip'}; node_exporter pid ${nodeExporter.proc.pid}, patrol pids ${patrolPrivate.proc.pid} (private socket), ${patrolBus.proc.pid} (session bus)`,
    );
    const targets = [ne, pp, pb];
    for (let i = 0; i < warmup; i++) for (const t of targets) await scrape(t);
    const orders = [
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
      [1, 0, 2],
      [0, 2, 1],
    ];
    for (let i = 0; i < rounds; i++) {
      for (const k of orders[i % orders.length] ?? []) {
        const t = targets[k] as Target;
        t.samples.push(await scrape(t));
      }
    }

    // What each one reported (from its last, uncompressed, body).
    if (headers['accept-encoding'] !== undefined) {
      for (const t of targets) t.body = (await get(`${t.running.url}/metrics`, t.agent)).body;
    }
    const neC = contents(ne.body, 'node');
    const ppC = contents(pp.body, 'patrol');
    const pbC = contents(pb.body, 'patrol');
    const onlyNe = [...neC.names].filter((n) => !ppC.names.has(n));
    const onlyP = [...ppC.names].filter((n) => !neC.names.has(n));
    for (const [t, c] of [
      [ne, neC],
      [pp, ppC],
      [pb, pbC],
    ] as const) {
      console.log(
        `${t.name}: ${c.total} series (${c.systemd} systemd), ${c.unitState} unit_state series for ${c.names.size} units, ${c.benchActive} bench units active; families: ${c.families.join(' ')}`,
      );
    }
    console.log(
      `units reported by node_exporter only: ${onlyNe.length} (${onlyNe.slice(0, 8).join(' ')}); by patrol only: ${onlyP.length} (${onlyP.slice(0, 8).join(' ')})`,
    );
    for (const c of [neC, ppC, pbC]) {
      if (c.benchActive !== units)
        throw new Error(`an exporter reports ${c.benchActive} bench units active, not ${units}`);
    }

    for (const t of targets) console.log(await summary(t));
    const paired = pp.samples.map((x, i) => x / (ne.samples[i] ?? NaN));
    console.log(
      `per-round ratio patrol (private)/node_exporter: median ${fmt(median(paired))}, p10 ${fmt(quantile(paired, 0.1))}, p90 ${fmt(quantile(paired, 0.9))}`,
    );
    const busRatio = median(pb.samples) / median(ne.samples);
    console.log(`patrol (session bus)/node_exporter: ratio of medians ${fmt(busRatio)}`);

    // ---- proof: no new connection per scrape ----
    const privatePath = manager.privateAddress.replace(/^unix:path=/, '');
    const busPath = manager.busAddress.replace(/^unix:path=/, '');
    const proof = async (t: Target, path: string) => {
      const pid = t.running.proc.pid;
      const before = await connectionsTo(pid, path);
      const serverBefore = await serverConnections(path);
      const connects = await connectCalls(pid, dir, async () => {
        for (let i = 0; i < proofScrapes; i++) await scrape(t);
      });
      const after = await connectionsTo(pid, path);
      const serverAfter = await serverConnections(path);
      const same = before.length === after.length && before.every((c, i) => c === after[i]);
      const paths = [
        ...new Set(connects.map((l) => /sun_path="([^"]*)"/.exec(l)?.[1] ?? 'not a unix socket')),
      ];
      console.log(
        `${t.name}: ${proofScrapes} scrapes made ${connects.length} connect() calls${paths.length > 0 ? ` (to ${paths.join(', ')})` : ''}; its connections to ${path}: ${before.length} before [${before.join(', ')}], ${after.length} after${same ? ' (the same sockets)' : ` [${after.join(', ')}]`}; connections open on that socket, server side: ${serverBefore} before, ${serverAfter} after`,
      );
      return { connects: connects.length, same, before: before.length };
    };
    const proofNe = await proof(ne, privatePath);
    const proofPp = await proof(pp, privatePath);
    const namesBefore = await busNames(manager.busAddress);
    const proofPb = await proof(pb, busPath);
    const namesAfter = await busNames(manager.busAddress);
    const pbPid = patrolBus.proc.pid;
    console.log(
      `session bus: patrol's unique name ${namesBefore.byPid.get(pbPid)?.join(',') ?? 'none'} before, ${namesAfter.byPid.get(pbPid)?.join(',') ?? 'none'} after; highest unique name handed out :1.${namesBefore.maxSerial} before, :1.${namesAfter.maxSerial} after (+1 is busctl's own connection)`,
    );
    const patrolKeeps =
      proofPp.connects === 0 &&
      proofPb.connects === 0 &&
      proofPp.same &&
      proofPb.same &&
      proofPp.before === 1 &&
      proofPb.before === 1 &&
      namesBefore.byPid.get(pbPid)?.join() === namesAfter.byPid.get(pbPid)?.join() &&
      namesAfter.maxSerial - namesBefore.maxSerial === 1;

    const ratio = median(pp.samples) / median(ne.samples);
    console.log(
      `systemd (${units} units): patrol median ${fmt(median(pp.samples))} ms p90 ${fmt(quantile(pp.samples, 0.9))} ms (session bus ${fmt(median(pb.samples))} ms), node_exporter median ${fmt(median(ne.samples))} ms p90 ${fmt(quantile(ne.samples, 0.9))} ms, ratio ${fmt(ratio)} (goal <= ${GOAL_RATIO}${ratio <= GOAL_RATIO ? ', met' : ', MISSED'}); connect() calls in ${proofScrapes} scrapes: patrol ${proofPp.connects} (private) and ${proofPb.connects} (bus), node_exporter ${proofNe.connects} (goal: none, ${patrolKeeps ? 'met' : 'MISSED'})`,
    );
  } finally {
    for (const a of agents) a.destroy();
    await scope.run();
    process.removeListener('exit', emergency);
  }
}

await main();
