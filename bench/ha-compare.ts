/**
 * The HA collector's divergence compare (issue 6, "How fast": a dataset of 100,000 files compared
 * every minute costs at most 5% of one core on each side in steady state), against
 * `rsync -an --delete --itemize-changes`, what an operator runs by hand to check two copies.
 *
 *   node bench/ha-compare.ts [--files=100000] [--dirs=1000] [--interval=15] [--compares=4]
 *                            [--warmup=1] [--touch=10] [--mirror-delay=1] [--passes=3]
 *
 * 1. The dataset: `files` small files (0 to 2 KiB) in `dirs` leaf directories three levels deep
 *    (10 x 10 x 10 for 1,000), written under os.tmpdir() (the repository's parent directory when
 *    that is a tmpfs: the walk must stat a real disk), and the standby's copy made with `cp -a`
 *    (nanosecond mtimes kept). Both are deleted at the end.
 * 2. The peers, while nothing else of this benchmark runs: `rsync -an --delete --itemize-changes
 *    primary/ standby/` (a dry run; its sender, generator and receiver processes all count) and,
 *    as a floor, `find DIR -printf '%P %s %T@\n'` over each copy (one walk of each side, which
 *    is what a compare must at least do). Each once untimed, then `passes` times through
 *    /usr/bin/time; the medians of their CPU time (user + system) are compared. rsync must list
 *    no difference.
 * 3. patrol: two exporters as deployed (dist/main.js, bench/lib/peers.ts), every collector off
 *    but `ha`: the primary (role static primary) and the standby (static standby), peers of each
 *    other on loopback ports, a shared secret_file, one dataset each (its own copy) with
 *    `compare.interval` = `interval` s and every other setting at its default (heartbeat and
 *    canary every 5 s, max_entries_per_second 50,000: a walk of 100,000 files spreads over about
 *    2 s). The default interval here is 15 s rather than shorter because the walker thread ends
 *    after 10 s idle: at 15 s, as at the default 1 minute, every compare starts a new one. The
 *    primary starts first; once its first walk is done the standby starts, so that its first
 *    compare has a primary to compare with.
 * 4. Steady state: every `interval` s the benchmark changes `touch` files on the primary (a line
 *    appended, in `touch` different directories) and `mirror-delay` s later copies them (and
 *    the primary's canary) to the standby with `cp -a --parents`, like a mirror with a delay.
 *    After `warmup` compares in that state, each exporter's CPU time is measured over exactly
 *    `compares` of its compare cycles (the standby: walk, manifest fetch, entries of the
 *    directories that differ, diff; the primary: its walk, and serving the standby).
 *
 * How CPU is measured: utime + stime of the exporter process from /proc/<pid>/stat (every
 * thread of the process, the walker thread's included, also after it ended), sampled every
 * 100 ms by this process, which costs the exporters nothing (no scrape during a window). CPU
 * time, not wall time: the machine is shared, and other processes landing on the same cores
 * stretch wall time, not this. A sample is "active" when the exporter used >= 50 ms of CPU in
 * the 500 ms up to it; a run of active samples lasting >= 1 s is a walk (the budget makes a walk
 * of 100,000 files last about 2 s). A window starts when both exporters have been quiet for 3 s
 * and ends, for each exporter, 3 s after its `compares`-th walk. Per side, subtracting nothing
 * (every tick of the window is one or the other):
 *   - CPU per compare = the CPU of the window's active samples / compares (the standby: walk,
 *     manifest, listings, diff; the primary: its walk, and serving the standby when that is
 *     busy enough to be active);
 *   - background = the CPU of the other samples per second (heartbeats, canary, a walker
 *     thread ending, smaller requests from the peer);
 *   - at the default interval of 1 minute: (CPU per compare + (60 s - a compare's active
 *     seconds) x background) / 60 s, as % of one core. Goal: <= 5% on each side.
 * The ratio printed is patrol's CPU per compare, both sides summed, over rsync's. For
 * context, patrol's walk function (walkDataset) over both copies in this process (JIT warm, no
 * budget, no worker thread), `passes` times after an untimed one.
 *
 * Also printed: the first ("cold": JIT and a new worker, page cache warm from writing the tree)
 * compare of each side, start-up included, and the first walker thread's own CPU; the walk
 * durations against the budget; the walker threads started in the window and their CPU (from
 * /proc/<pid>/task/<tid>/stat, thread name "patrol-ha-manif"); VmHWM and VmRSS of each
 * exporter at the end. Before any figure is printed the benchmark asserts, from the exporters'
 * /metrics, that the standby compared during the window, both walked `files` files, nothing is
 * out of sync, missing or extra, and no compare failed (otherwise it throws: a broken run never
 * prints figures).
 *
 * Needs rsync and /usr/bin/time (Debian packages rsync and time), and about 1 GiB free on the
 * disk: each copy takes a 4 KiB block per file. Walks must last over a second to be told apart
 * from the rest: at least 50,000 files at the default budget.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { walkDataset, type DatasetFilter } from '../src/collectors/ha/manifest.ts';
import { onlyCollectors } from '../test/harness/config.ts';
import { freePort } from '../test/harness/http.ts';
import {
  flag,
  fmt,
  get,
  median,
  ROOT,
  startPatrol,
  statusKiB,
  stopAll,
  type Running,
} from './lib/peers.ts';

const GOAL_PCT = 5;
const DEFAULT_INTERVAL_S = 60;
const files = Math.round(flag('files', 100_000));
const dirs = Math.round(flag('dirs', 1000));
const intervalS = flag('interval', 15);
const compares = Math.max(1, Math.round(flag('compares', 4)));
const warmup = Math.round(flag('warmup', 1));
const touch = Math.round(flag('touch', 10));
const mirrorDelayS = flag('mirror-delay', 1);
const passes = Math.max(1, Math.round(flag('passes', 3)));

const SAMPLE_MS = 100;
/** Active: at least this many clock ticks (10 ms) of CPU in the last ACTIVE_SAMPLES samples. */
const ACTIVE_TICKS = 5;
const ACTIVE_SAMPLES = 5;
const WALK_MIN_MS = 1000;
const QUIET_MS = 3000;
const WALKER_COMM = 'patrol-ha-manif'; // "patrol-ha-manifest", as the kernel keeps 15 bytes
const TICK_S = 1 / Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout || 100);
const TIME = '/usr/bin/time';
const MARK = 'patrol-bench-rusage';
const int = (n: number) => n.toLocaleString('en-US');

// ---- the dataset --------------------------------------------------------------------------------

/** A directory on a real disk for the dataset: os.tmpdir() unless it is a tmpfs. */
function dataParent(): string {
  const TMPFS_MAGIC = 0x01021994;
  const t = tmpdir();
  try {
    if (statfsSync(t).type !== TMPFS_MAGIC) return t;
  } catch {
    // fall through
  }
  return dirname(ROOT.replace(/\/$/, ''));
}

/** Leaf directories as `a/b/c` (10 x 10 x 10 for 1,000), each holding files / dirs files. */
function leafDirs(): string[] {
  const side = Math.max(1, Math.round(Math.cbrt(dirs)));
  const out: string[] = [];
  for (let i = 0; out.length < dirs; i++) {
    const a = Math.floor(i / (side * side));
    const b = Math.floor(i / side) % side;
    const c = i % side;
    out.push(`t${a}/m${b}/l${c}`);
  }
  return out;
}

function generate(root: string, leaves: readonly string[]): { bytes: number; dirCount: number } {
  const blob = Buffer.alloc(2048, 'patrol bench data\n');
  const perDir = Math.floor(files / leaves.length);
  let extra = files - perDir * leaves.length;
  let bytes = 0;
  const made = new Set<string>();
  let n = 0;
  for (const leaf of leaves) {
    mkdirSync(join(root, leaf), { recursive: true });
    const parts = leaf.split('/');
    for (let i = 1; i <= parts.length; i++) made.add(parts.slice(0, i).join('/'));
    const count = perDir + (extra-- > 0 ? 1 : 0);
    for (let f = 0; f < count; f++, n++) {
      const size = (n * 7919) % 2049;
      writeFileSync(join(root, leaf, `f${String(f).padStart(3, '0')}.dat`), blob.subarray(0, size));
      bytes += size;
    }
  }
  return { bytes, dirCount: made.size + 1 };
}

// ---- the peers --------------------------------------------------------------------------------

interface Timed {
  cpuS: number;
  wallS: number;
  maxRssKiB: number;
  stdout: string;
}

/** Runs `argv` through /usr/bin/time: CPU time (user + system, children included) and peak RSS. */
function timed(argv: readonly string[], keepStdout: boolean): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(TIME, ['-f', `${MARK} %U %S %M`, ...argv], {
      stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => {
      const wallS = (performance.now() - t0) / 1000;
      const m = new RegExp(`^${MARK} ([\\d.]+) ([\\d.]+) (\\d+)$`, 'm').exec(stderr);
      if (code !== 0 || m === null) {
        reject(new Error(`${argv.join(' ')} exited ${code}: ${stderr.slice(0, 2000)}`));
        return;
      }
      resolve({
        cpuS: Number(m[1]) + Number(m[2]),
        wallS,
        maxRssKiB: Number(m[3]),
        stdout,
      });
    });
  });
}

// ---- CPU of an exporter, from /proc -------------------------------------------------------------

/** utime + stime of a process (all its threads, ended ones included) or of one thread, in ticks. */
function ticks(statPath: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(statPath, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name, which may hold spaces and parentheses: state is field 3.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

interface Sample {
  readonly t: number;
  readonly ticks: number;
}

interface WalkerThread {
  readonly tid: string;
  readonly born: number;
  ended: number | undefined;
  ticks: number;
}

/** Samples one exporter's CPU every SAMPLE_MS (and its walker threads every 5th sample). */
class CpuSampler {
  readonly samples: Sample[] = [];
  /** Whether each sample is active (see ACTIVE_TICKS), and whether it belongs to a run. */
  readonly active: boolean[] = [];
  readonly walkers = new Map<string, WalkerThread>();
  readonly #pid: number;
  readonly #others = new Set<string>();
  #timer: NodeJS.Timeout;
  #n = 0;

  constructor(pid: number) {
    this.#pid = pid;
    this.#sample();
    this.#timer = setInterval(() => {
      this.#sample();
    }, SAMPLE_MS);
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #sample(): void {
    const t = performance.now();
    const c = ticks(`/proc/${this.#pid}/stat`);
    if (c === undefined) return;
    this.samples.push({ t, ticks: c });
    const i = this.samples.length - 1;
    const back = this.samples[Math.max(0, i - ACTIVE_SAMPLES)] ?? { ticks: c };
    const active = c - back.ticks >= ACTIVE_TICKS;
    this.active.push(active);
    // The ACTIVE_SAMPLES samples that made this one active are active too.
    if (active) for (let j = Math.max(0, i - ACTIVE_SAMPLES + 1); j < i; j++) this.active[j] = true;
    if (this.#n++ % 5 === 0) this.#threads(t);
  }

  #threads(t: number): void {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${this.#pid}/task`);
    } catch {
      return;
    }
    const alive = new Set(tids);
    for (const tid of tids) {
      if (this.#others.has(tid)) continue;
      let w = this.walkers.get(tid);
      if (w === undefined) {
        let comm = '';
        try {
          comm = readFileSync(`/proc/${this.#pid}/task/${tid}/comm`, 'utf8').trim();
        } catch {
          continue;
        }
        if (comm !== WALKER_COMM) {
          this.#others.add(tid);
          continue;
        }
        w = { tid, born: t, ended: undefined, ticks: 0 };
        this.walkers.set(tid, w);
      }
      w.ticks = ticks(`/proc/${this.#pid}/task/${tid}/stat`) ?? w.ticks;
    }
    for (const w of this.walkers.values())
      if (w.ended === undefined && !alive.has(w.tid)) w.ended = t;
  }

  get last(): Sample {
    const s = this.samples.at(-1);
    if (s === undefined) throw new Error(`no CPU sample of pid ${this.#pid}`);
    return s;
  }

  /** Runs of active samples from index `from` on: [first, last] indexes, closed ones only. */
  runs(from = 0): { first: number; last: number; ms: number }[] {
    const out: { first: number; last: number; ms: number }[] = [];
    const n = this.active.length;
    for (let i = from; i < n; i++) {
      if (!(this.active[i] ?? false)) continue;
      let j = i;
      while (j + 1 < n && (this.active[j + 1] ?? false)) j++;
      if (j === n - 1) break; // still running
      const before = this.samples[Math.max(0, i - 1)]?.t ?? 0;
      out.push({ first: i, last: j, ms: (this.samples[j]?.t ?? 0) - before });
      i = j;
    }
    return out;
  }

  /** Whether nothing was active in the last `ms`. */
  quietFor(ms: number): boolean {
    const now = this.last.t;
    for (let i = this.samples.length - 1; i >= 0; i--) {
      const s = this.samples[i];
      if (s === undefined || now - s.t > ms) return true;
      if (this.active[i] ?? false) return false;
    }
    return true;
  }

  /** Waits until `n` walks (active runs >= WALK_MIN_MS) have ended after sample `from`. */
  async walks(from: number, n: number, timeoutMs: number, what: string): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const walks = this.runs(from).filter((r) => r.ms >= WALK_MIN_MS);
      const nth = walks[n - 1];
      if (nth !== undefined) return nth.last;
      if (performance.now() > deadline) {
        throw new Error(`${what}: ${walks.length} of ${n} walks seen within ${timeoutMs} ms`);
      }
      await sleep(SAMPLE_MS);
    }
  }
}

interface Window {
  readonly cpuS: number;
  readonly seconds: number;
  readonly activeS: number;
  readonly activeSeconds: number;
  readonly walks: number;
  readonly walkMs: number[];
  readonly walkers: WalkerThread[];
}

/** CPU of samples (from, to]: in all, and in active samples. */
function windowOf(s: CpuSampler, from: number, to: number): Window {
  let active = 0;
  let activeMs = 0;
  for (let i = from + 1; i <= to; i++) {
    const a = s.samples[i];
    const b = s.samples[i - 1];
    if (a === undefined || b === undefined) continue;
    if (s.active[i] ?? false) {
      active += a.ticks - b.ticks;
      activeMs += a.t - b.t;
    }
  }
  const first = s.samples[from];
  const last = s.samples[to];
  if (first === undefined || last === undefined) throw new Error('window outside the samples');
  const walks = s.runs(from).filter((r) => r.ms >= WALK_MIN_MS && r.last <= to);
  return {
    cpuS: (last.ticks - first.ticks) * TICK_S,
    seconds: (last.t - first.t) / 1000,
    activeS: active * TICK_S,
    activeSeconds: activeMs / 1000,
    walks: walks.length,
    walkMs: walks.map((r) => r.ms),
    walkers: [...s.walkers.values()].filter((w) => w.born > first.t && w.born <= last.t),
  };
}

// ---- the exporters ------------------------------------------------------------------------------

/** The value of the first series `name{...labels}` in an exposition, or undefined. */
function metric(
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

async function scrape(r: Running): Promise<string> {
  const res = await get(`${r.url}/metrics`, false);
  if (res.status !== 200) {
    throw new Error(`/metrics answered ${res.status}\n${r.proc.describe()}`);
  }
  return res.body;
}

function config(
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
async function firstCompare(
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

// ---- main ---------------------------------------------------------------------------------------

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

async function main(): Promise<void> {
  if ((files + 2 * dirs) / 50_000 < 1.2) {
    throw new Error('--files: at least 60,000 (a walk must last over a second to be seen)');
  }
  if (!existsSync(TIME)) throw new Error(`${TIME} is needed (apt-get install time)`);
  const rsyncVersion = spawnSync('rsync', ['--version'], { encoding: 'utf8' });
  if (rsyncVersion.status !== 0) throw new Error('rsync is needed (apt-get install rsync)');

  const parent = dataParent();
  const work = mkdtempSync(join(parent, 'patrol-bench-ha-'));
  process.once('exit', () => {
    rmSync(work, { recursive: true, force: true });
  });
  const primaryDir = join(work, 'primary');
  const standbyDir = join(work, 'standby');
  const fsType = statfsSync(parent).type.toString(16);
  const leaves = leafDirs();

  let t = performance.now();
  const { bytes, dirCount } = generate(primaryDir, leaves);
  const genS = (performance.now() - t) / 1000;
  t = performance.now();
  const cp = spawnSync('cp', ['-a', primaryDir, standbyDir], { encoding: 'utf8' });
  if (cp.status !== 0) throw new Error(`cp -a failed: ${cp.stderr}`);
  console.log(
    `dataset: ${int(files)} files (${int(bytes)} bytes) in ${int(leaves.length)} leaf directories, ${int(dirCount)} directories in all, under ${work} (filesystem type 0x${fsType}); written in ${fmt(genS, 1)} s, copied with cp -a in ${fmt((performance.now() - t) / 1000, 1)} s`,
  );
  console.log(
    `cpus ${availableParallelism()}; CPU time is utime + stime (/proc, /usr/bin/time), not wall time: other work on this machine stretches the latter`,
  );

  // ---- peers, before any exporter runs ----
  const rsyncArgs = [
    'rsync',
    '-an',
    '--delete',
    '--itemize-changes',
    `${primaryDir}/`,
    `${standbyDir}/`,
  ];
  const findArgs = (dir: string) => ['find', dir, '-printf', '%P %s %T@\\n'];
  const warm = await timed(rsyncArgs, true);
  if (warm.stdout.trim() !== '') {
    throw new Error(`rsync sees differences between the copies:\n${warm.stdout.slice(0, 2000)}`);
  }
  await timed(findArgs(primaryDir), false);
  const rsyncRuns: Timed[] = [];
  const findRuns: number[] = [];
  for (let i = 0; i < passes; i++) {
    const r = await timed(rsyncArgs, true);
    if (r.stdout.trim() !== '')
      throw new Error(`rsync sees differences:\n${r.stdout.slice(0, 2000)}`);
    rsyncRuns.push(r);
    const a = await timed(findArgs(primaryDir), false);
    const b = await timed(findArgs(standbyDir), false);
    findRuns.push(a.cpuS + b.cpuS);
  }
  const rsyncCpu = median(rsyncRuns.map((r) => r.cpuS));
  const findCpu = median(findRuns);
  console.log(
    `${rsyncVersion.stdout.split('\n')[0] ?? 'rsync'}: \`${rsyncArgs.join(' ')}\` lists no difference; CPU ${rsyncRuns.map((r) => fmt(r.cpuS, 2)).join(' ')} s (median ${fmt(rsyncCpu, 2)}), wall ${rsyncRuns.map((r) => fmt(r.wallS, 2)).join(' ')} s, peak RSS ${fmt(Math.max(...rsyncRuns.map((r) => r.maxRssKiB)) / 1024, 1)} MiB`,
  );
  console.log(
    `find -printf over both copies (floor: one walk of each side): CPU ${findRuns.map((x) => fmt(x, 2)).join(' ')} s (median ${fmt(findCpu, 2)})`,
  );

  // patrol's walk itself, in this process: JIT warm, no budget, no worker thread.
  const filter: DatasetFilter = {
    include: [],
    exclude: [],
    canary: '.patrol-canary',
    mtimeResolution: 'ns',
  };
  const walkCpu = () => {
    const c0 = process.cpuUsage();
    for (const root of [primaryDir, standbyDir]) {
      const o = walkDataset(root, filter, {
        rate: 0,
        sleep: () => true,
      });
      if (o.kind !== 'done' || o.result.files !== files) {
        throw new Error(`walkDataset(${root}): ${JSON.stringify(o).slice(0, 300)}`);
      }
    }
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1e6;
  };
  walkCpu();
  const inProcess: number[] = [];
  for (let i = 0; i < passes; i++) inProcess.push(walkCpu());
  const inProcessCpu = median(inProcess);
  console.log(
    `patrol's walk (walkDataset) of both copies in this process, JIT warm, no budget, no worker thread: CPU ${inProcess.map((x) => fmt(x, 2)).join(' ')} s (median ${fmt(inProcessCpu, 2)})`,
  );

  // ---- the exporters ----
  const secretFile = join(work, 'secret');
  writeFileSync(secretFile, `${'bench-secret-'.repeat(3)}\n`, { mode: 0o600 });
  const [pPort, sPort] = [await freePort(), await freePort()];
  const pConfig = join(work, 'primary.yml');
  const sConfig = join(work, 'standby.yml');
  writeFileSync(
    pConfig,
    config('primary', { name: 'standby', port: sPort }, primaryDir, secretFile),
  );
  writeFileSync(
    sConfig,
    config('standby', { name: 'primary', port: pPort }, standbyDir, secretFile),
  );
  let primary: Running | undefined;
  let standby: Running | undefined;
  const samplers: CpuSampler[] = [];
  let mirroring = true;
  let mirror: Promise<void> | undefined;
  try {
    primary = await startPatrol([
      `--config.file=${pConfig}`,
      `--web.listen-address=127.0.0.1:${pPort}`,
    ]);
    const ps = new CpuSampler(primary.proc.pid);
    samplers.push(ps);
    const pFirst = await firstCompare(primary, ps, 'patrol_replication_dataset_files');
    standby = await startPatrol([
      `--config.file=${sConfig}`,
      `--web.listen-address=127.0.0.1:${sPort}`,
    ]);
    const ss = new CpuSampler(standby.proc.pid);
    samplers.push(ss);
    const pBefore = ps.last.ticks;
    const sFirst = await firstCompare(
      standby,
      ss,
      'patrol_replication_last_compare_timestamp_seconds',
    );
    const pServedFirst = (ps.last.ticks - pBefore) * TICK_S;
    console.log(
      `first compare (JIT cold, a new walker thread, page cache warm), start-up included: primary ${fmt(pFirst.cpuS, 2)} s CPU (its walker thread ${fmt(pFirst.walkerS, 2)} s), then ${fmt(pServedFirst, 2)} s serving the standby's first compare; standby ${fmt(sFirst.cpuS, 2)} s CPU (its walker thread ${fmt(sFirst.walkerS, 2)} s)`,
    );

    // ---- steady state: a mirror with a delay ----
    let round = 0;
    const pick = () => {
      const out: string[] = [];
      for (let j = 0; j < touch; j++) {
        const leaf = leaves[(round * 37 + j * 101) % leaves.length] ?? '';
        const perDir = Math.floor(files / leaves.length);
        out.push(`${leaf}/f${String((round * 13 + j) % perDir).padStart(3, '0')}.dat`);
      }
      round++;
      return out;
    };
    let mirrorError: Error | undefined;
    mirror = (async () => {
      while (mirroring) {
        const changed = pick();
        for (const rel of changed) appendFileSync(join(primaryDir, rel), `changed ${round}\n`);
        await sleep(mirrorDelayS * 1000);
        const canary = existsSync(join(primaryDir, '.patrol-canary')) ? ['.patrol-canary'] : [];
        const r = spawnSync('cp', ['-a', '--parents', ...changed, ...canary, standbyDir], {
          cwd: primaryDir,
          encoding: 'utf8',
        });
        if (r.status !== 0) throw new Error(`cp -a --parents failed: ${r.stderr}`);
        for (
          let waited = 0;
          mirroring && waited < intervalS * 1000 - mirrorDelayS * 1000;
          waited += 200
        ) {
          await sleep(200);
        }
      }
    })().catch((err: unknown) => {
      mirrorError = err instanceof Error ? err : new Error(String(err));
    });
    const cycleMs = (intervalS + 10) * 1000;
    if (warmup > 0) {
      const from = ss.samples.length - 1;
      await ss.walks(from, warmup, cycleMs * (warmup + 1), 'warm-up');
    }
    const before = await scrape(standby);
    const pBody0 = await scrape(primary);
    // Start when both have been quiet for a while: no compare is cut in two.
    const startDeadline = performance.now() + cycleMs * 2;
    while (!(ps.quietFor(QUIET_MS) && ss.quietFor(QUIET_MS))) {
      if (performance.now() > startDeadline) throw new Error('the exporters are never quiet');
      await sleep(SAMPLE_MS);
    }
    const start = [ps.samples.length - 1, ss.samples.length - 1] as const;
    console.log(
      `steady state: ${touch} files changed on the primary every ${intervalS} s, copied to the standby ${mirrorDelayS} s later; measuring ${compares} compares of each side after ${warmup} warm-up compare(s)`,
    );
    const ends = await Promise.all(
      [ps, ss].map(async (s, i) => {
        const last = await s.walks(
          start[i] ?? 0,
          compares,
          cycleMs * (compares + 1),
          `window ${i}`,
        );
        const lastT = s.samples[last]?.t ?? 0;
        while (s.last.t - lastT < QUIET_MS || !s.quietFor(QUIET_MS / 2)) await sleep(SAMPLE_MS);
        return s.samples.length - 1;
      }),
    );
    mirroring = false;
    await mirror;
    if (mirrorError !== undefined) throw mirrorError;
    const pw = windowOf(ps, start[0], ends[0] ?? 0);
    const sw = windowOf(ss, start[1], ends[1] ?? 0);

    // ---- the run must be sound before any figure is printed ----
    const after = await scrape(standby);
    const pBody = await scrape(primary);
    const v = (body: string, name: string, labels: Record<string, string> = {}) =>
      metric(body, name, { dataset: 'data', ...labels });
    const problems: string[] = [];
    const lc0 = v(before, 'patrol_replication_last_compare_timestamp_seconds') ?? NaN;
    const lc1 = v(after, 'patrol_replication_last_compare_timestamp_seconds') ?? NaN;
    if (!(lc1 > lc0))
      problems.push(`the standby's last compare did not advance (${lc0} -> ${lc1})`);
    for (const [side, body] of [
      ['primary', pBody],
      ['standby', after],
    ] as const) {
      const n = v(body, 'patrol_replication_dataset_files');
      if (n !== files) problems.push(`the ${side} walked ${n} files, not ${files}`);
    }
    for (const name of [
      'patrol_replication_out_of_sync_files',
      'patrol_replication_missing_files',
      'patrol_replication_extra_files',
    ]) {
      const x = v(after, name);
      if (x !== 0) problems.push(`${name} is ${x} on the standby`);
    }
    for (const reason of ['local', 'peer', 'no_primary']) {
      const x = v(after, 'patrol_replication_compare_errors_total', { reason });
      if (x !== 0) problems.push(`${x} compare errors (${reason}) on the standby`);
    }
    if (sw.walks !== compares || pw.walks !== compares) {
      problems.push(
        `walks in the windows: primary ${pw.walks}, standby ${sw.walks} (${compares} expected)`,
      );
    }
    if (problems.length > 0) {
      throw new Error(
        `the run is not sound, no figures:\n  ${problems.join('\n  ')}\n${primary.proc.describe()}\n${standby.proc.describe()}`,
      );
    }
    const changed =
      (v(pBody, 'patrol_replication_dataset_changed_bytes_total') ?? NaN) -
      (v(pBody0, 'patrol_replication_dataset_changed_bytes_total') ?? NaN);
    const memory = (r: Running) => {
      const status = readFileSync(`/proc/${r.proc.pid}/status`, 'utf8');
      return {
        hwm: (statusKiB(status, 'VmHWM') ?? NaN) / 1024,
        rss: (statusKiB(status, 'VmRSS') ?? NaN) / 1024,
      };
    };
    const pm = memory(primary);
    const sm = memory(standby);

    // ---- figures ----
    const entries = files + 2 * dirCount;
    const walkS = (body: string) => v(body, 'patrol_replication_walk_duration_seconds') ?? NaN;
    console.log(
      `walk budget: max_entries_per_second 50,000 over ${int(entries)} entries (files, directories listed and stepped into) = ${fmt(entries / 50_000, 2)} s at least; last walk took ${fmt(walkS(pBody), 2)} s on the primary, ${fmt(walkS(after), 2)} s on the standby`,
    );
    const side = (name: string, w: Window) => {
      const activity = w.activeS / w.walks;
      const activeSeconds = w.activeSeconds / w.walks;
      const background = (w.cpuS - w.activeS) / (w.seconds - w.activeSeconds);
      const perMinute = activity + (DEFAULT_INTERVAL_S - activeSeconds) * background;
      const pct = (perMinute / DEFAULT_INTERVAL_S) * 100;
      const walkerS = w.walkers.reduce((a, x) => a + x.ticks * TICK_S, 0);
      console.log(
        `${name}: ${fmt(w.cpuS, 2)} s CPU over ${fmt(w.seconds, 1)} s holding ${w.walks} compares: ${fmt(activity, 3)} s CPU per compare (active ${fmt(activeSeconds, 1)} s each; walks of ${w.walkMs.map((x) => fmt(x / 1000, 1)).join(' ')} s), background ${fmt(background * 1000, 2)} ms/s the rest of the time; ${w.walkers.length} walker thread(s) started, their CPU ${fmt(walkerS / w.walks, 3)} s per compare`,
      );
      console.log(
        `${name}: at one compare a minute, (${fmt(activity, 3)} + ${fmt(DEFAULT_INTERVAL_S - activeSeconds, 1)} x ${fmt(background, 5)}) s / 60 s = ${fmt(pct, 2)}% of one core (goal <= ${GOAL_PCT}%)`,
      );
      return { activity, pct };
    };
    const p = side('primary', pw);
    const s = side('standby', sw);
    console.log(
      `changed bytes counted by the primary in the window: ${int(changed)}; memory: primary VmHWM ${fmt(pm.hwm, 1)} MiB (VmRSS ${fmt(pm.rss, 1)}), standby VmHWM ${fmt(sm.hwm, 1)} MiB (VmRSS ${fmt(sm.rss, 1)})`,
    );
    const both = p.activity + s.activity;
    const ok = p.pct <= GOAL_PCT && s.pct <= GOAL_PCT;
    console.log(
      `patrol's CPU per compare, both sides: ${fmt(both, 3)} s CPU = ${fmt(both / rsyncCpu, 2)} x rsync -an's ${fmt(rsyncCpu, 3)} s, ${fmt(both / findCpu, 2)} x find's ${fmt(findCpu, 3)} s, ${fmt(both / inProcessCpu, 2)} x the walks in this process (${fmt(inProcessCpu, 3)} s)`,
    );
    console.log(
      `ha-compare ${int(files)} files: primary ${fmt(p.pct, 2)}%, standby ${fmt(s.pct, 2)}% of one core at 1 compare/min (goal <= ${GOAL_PCT}% each, ${verdict(ok)}); per compare ${fmt(p.activity, 3)} + ${fmt(s.activity, 3)} s CPU vs rsync -an ${fmt(rsyncCpu, 3)} s, ratio ${fmt(both / rsyncCpu, 2)}`,
    );
  } finally {
    mirroring = false;
    await mirror;
    for (const s of samplers) s.stop();
    await stopAll(primary, standby);
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
