/**
 * Shared pieces of the benchmarks: starting patrol and node_exporter as child processes,
 * timing HTTP requests, reading a process' resident memory, and simple statistics.
 *
 * Benchmarks run on shared, noisy machines, so every figure is compared with a peer measured
 * in the same run (interleaved where it matters); absolute numbers are only context.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, readlink } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../test/harness/http.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What `npm start` runs: the JavaScript built into dist/ (built by startPatrol when missing or stale). */
export const PATROL_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
/** The Node.js running the benchmark (node_modules/.bin/node under `npm run bench`). */
export const NODE = process.execPath;
export const NODE_EXPORTER = process.env.NODE_EXPORTER ?? '/usr/bin/prometheus-node-exporter';

/** Every child still running; killed if the benchmark exits without stopping them. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    for (const child of live) child.kill('SIGKILL');
    process.exit(130);
  });
}

/** A child process whose output is kept for diagnostics. */
export class Proc {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  output = '';
  #running = true;

  constructor(
    name: string,
    command: string,
    args: readonly string[],
    env: Readonly<Record<string, string>> = {},
  ) {
    this.name = name;
    this.child = spawn(command, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    live.add(this.child);
    const keep = (d: string) => {
      // Keep the start of the log, where start-up problems show; bounded so a chatty process
      // cannot grow the benchmark's own memory.
      if (this.output.length < 64_000) this.output += d;
    };
    this.child.stdout?.setEncoding('utf8').on('data', keep);
    this.child.stderr?.setEncoding('utf8').on('data', keep);
    this.exited = new Promise<void>((resolve) => {
      const done = () => {
        this.#running = false;
        live.delete(this.child);
        resolve();
      };
      this.child.once('error', (err) => {
        this.output += `\n[spawn error: ${err.message}]\n`;
        done();
      });
      this.child.once('close', done);
    });
  }

  get running(): boolean {
    return this.#running;
  }

  get pid(): number {
    const pid = this.child.pid;
    if (pid === undefined)
      throw new Error(`${this.name} has no pid (did it start?)\n${this.describe()}`);
    return pid;
  }

  describe(): string {
    return `--- ${this.name} output ---\n${this.output}--- end ${this.name} ---`;
  }

  /** SIGTERM, then SIGKILL if it has not exited after `timeoutMs`. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.#running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}

export interface Response {
  status: number;
  bytes: number;
  body: string;
  /** Wall time from sending the request to the last byte of the body, in ms. */
  ms: number;
}

/** GET `url`; the body is read completely before the clock stops. */
export function get(
  url: string,
  agent: http.Agent | false,
  headers: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const started = performance.now();
    const req = http.get(url, { agent, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const ms = performance.now() - started;
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          bytes: body.length,
          body: body.toString('utf8'),
          ms,
        });
      });
    });
    req.on('timeout', () => {
      req.destroy(new Error(`GET ${url}: no response within ${timeoutMs} ms`));
    });
    req.on('error', reject);
  });
}

/** Polls `url` until it answers 200; fails early if `proc` exits. */
export async function waitUntilAnswers(proc: Proc, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (!proc.running)
      throw new Error(`${proc.name} exited before answering ${url}\n${proc.describe()}`);
    try {
      const res = await get(url, false, {}, 5_000);
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(100);
  }
  throw new Error(
    `${proc.name} did not answer ${url} within ${timeoutMs} ms (${last})\n${proc.describe()}`,
  );
}

export interface Running {
  proc: Proc;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
}

/**
 * Starts patrol the way it is deployed (`node dist/main.js`, the Node.js binary itself as the
 * process, no npm or shell in between) on a port the kernel chooses, and waits for /-/ready.
 */
export async function startPatrol(args: readonly string[] = []): Promise<Running> {
  await buildOnce();
  const proc = new Proc('patrol', NODE, [PATROL_MAIN, '--web.listen-address=127.0.0.1:0', ...args]);
  const deadline = Date.now() + 60_000;
  let url: string | undefined;
  while (url === undefined) {
    const m = /msg=listening address=(http:\/\/[^\s"]+)/.exec(proc.output);
    if (m?.[1] !== undefined) url = m[1];
    else if (!proc.running) throw new Error(`patrol exited during start-up\n${proc.describe()}`);
    else if (Date.now() > deadline)
      throw new Error(`patrol did not log its address within 60 s\n${proc.describe()}`);
    else await sleep(50);
  }
  await waitUntilAnswers(proc, `${url}/-/ready`);
  return { proc, url };
}

let built: Promise<void> | undefined;
/** Builds dist/ from src/ once per benchmark process (incremental, about a second). */
function buildOnce(): Promise<void> {
  built ??= new Promise<void>((resolve, reject) => {
    const tsc = spawn(
      NODE,
      [
        fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)),
        '-p',
        'tsconfig.build.json',
      ],
      { cwd: ROOT, stdio: 'inherit' },
    );
    tsc.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`tsc -p tsconfig.build.json exited ${code}`));
    });
  });
  return built;
}

/** GET /metrics of a running exporter; anything but 200 throws with the exporter's log. */
export async function getMetrics(
  name: string,
  running: Running,
  agent: http.Agent,
  headers: Record<string, string>,
): Promise<Response> {
  const res = await get(`${running.url}/metrics`, agent, headers);
  if (res.status !== 200) {
    throw new Error(
      `${name} /metrics answered HTTP ${res.status}: ${res.body.slice(0, 500)}\n${running.proc.describe()}`,
    );
  }
  return res;
}

/** Starts node_exporter with `args` on a free port and waits until /metrics answers. */
export async function startNodeExporter(args: readonly string[] = []): Promise<Running> {
  const port = await freePort();
  const proc = new Proc('node_exporter', NODE_EXPORTER, [
    ...args,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilAnswers(proc, `${url}/metrics`);
  return { proc, url };
}

/**
 * Starts both exporters in parallel. If one fails, the other is stopped before the error is
 * thrown, so no process outlives the benchmark.
 */
export async function startBoth(
  a: () => Promise<Running>,
  b: () => Promise<Running>,
): Promise<[Running, Running]> {
  const [ra, rb] = await Promise.allSettled([a(), b()]);
  if (ra.status === 'fulfilled' && rb.status === 'fulfilled') return [ra.value, rb.value];
  await stopAll(
    ra.status === 'fulfilled' ? ra.value : undefined,
    rb.status === 'fulfilled' ? rb.value : undefined,
  );
  throw ra.status === 'rejected' ? ra.reason : (rb as PromiseRejectedResult).reason;
}

/** Stops every process given, whatever state they are in. */
export async function stopAll(...procs: (Running | undefined)[]): Promise<void> {
  await Promise.all(procs.filter((p) => p !== undefined).map((p) => p.proc.stop()));
}

/** Resident set size (VmRSS) of `pid` in KiB, and the executable it runs (to check it is the real process). */
export async function residentKiB(
  pid: number,
): Promise<{ rssKiB: number; exe: string; status: string }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (m?.[1] === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  const exe = await readlink(`/proc/${pid}/exe`);
  return { rssKiB: Number(m[1]), exe, status };
}

/** One field (in kB) of /proc/<pid>/status, e.g. RssAnon. */
export function statusKiB(status: string, field: string): number | undefined {
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/** The q-quantile (0..1) of `xs` by linear interpolation between closest ranks. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = s[lo] ?? NaN;
  const b = s[hi] ?? NaN;
  return a + (b - a) * (pos - lo);
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

export function fmt(x: number, digits = 2): string {
  return x.toFixed(digits);
}

/** `--name=value` from argv, or the default. */
export function flag(name: string, fallback: number): number {
  const prefix = `--${name}=`;
  const arg = process.argv.slice(2).find((a) => a.startsWith(prefix));
  if (arg === undefined) return fallback;
  const v = Number(arg.slice(prefix.length));
  if (!Number.isFinite(v) || v < 0) throw new Error(`bad value for --${name}: ${arg}`);
  return v;
}

/** utime + stime of a process (every thread), in seconds, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces and parentheses): utime is field 14.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100; // USER_HZ on Linux
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}
