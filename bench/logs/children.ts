/**
 * bench/logs.ts, the child processes: patrol (the Tailer or the collector, from dist/), grep and
 * mtail, each pinned to CPU 0 and timed through /usr/bin/time; the temporary directory. Every
 * child still running, and the directory, go when the benchmark exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LEVELS, type Level } from '../../src/collectors/logs/metrics.ts';
import { NODE } from '../lib/peers.ts';
import { DIST } from './options.ts';
import { GREP_PATTERN } from './patterns.ts';

export const children = new Set<ChildProcess>();
let workDir: string | undefined;
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak RSS in KiB and user + system CPU time in ms, from /usr/bin/time when there is one. */
  maxRssKiB: number | undefined;
  cpuMs: number | undefined;
}

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
/**
 * What throughput compares: CPU time (user + system, from /usr/bin/time) when there is one, which
 * other processes landing on CPU 0 of a shared machine do not inflate; else wall time.
 */
export const cost = (r: { ms: number; cpuMs: number | undefined }) =>
  // /usr/bin/time counts in 10 ms steps: a tiny --size can give 0, then wall time it is.
  r.cpuMs === undefined || r.cpuMs === 0 ? r.ms : r.cpuMs;
export const basis = TIME === undefined ? 'wall time' : 'CPU time';
const RUSAGE_MARK = 'patrol-bench-rusage';

/**
 * Runs `argv` pinned to CPU 0 (unless `pin` is false) through /usr/bin/time for its peak RSS and
 * CPU time, timing it from spawn to exit.
 */
function timed(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  pin = true,
): Promise<Ran> {
  const [command = '', ...args] = [
    ...(pin ? ['taskset', '-c', '0'] : []),
    ...(TIME === undefined ? [] : [TIME, '-f', `${RUSAGE_MARK} %M %U %S`]),
    ...argv,
  ];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 1_000_000) stderr += d;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = performance.now() - started;
      children.delete(child);
      const m = new RegExp(`^${RUSAGE_MARK} (\\d+) ([\\d.]+) ([\\d.]+)$`, 'm').exec(stderr);
      resolve({
        code,
        stdout,
        stderr: stderr.replace(new RegExp(`^${RUSAGE_MARK} .*\\n?`, 'm'), ''),
        ms,
        maxRssKiB: m?.[1] === undefined ? undefined : Number(m[1]),
        cpuMs: m === null ? undefined : (Number(m[2]) + Number(m[3])) * 1000,
      });
    });
  });
}

/**
 * The patrol child: plain JavaScript from dist/ (a .ts entry would keep Node's type stripper
 * resident, ~25 MiB), with runtime.js first as dist/main.js has it, written to the temporary
 * directory as a .mjs file (not `node -e`: a worker thread inherits the parent's execArgv, and
 * `--input-type` fails there). Modes: `tailer` (the Tailer, polled until nothing is left) and
 * `collector` (createLogsCollector: its worker thread).
 */
const PATROL_CHILD = `
const [mode, file, size, dist] = process.argv.slice(2);
const url = (p) => new URL(p, dist).href;
await import(url('runtime.js'));
const { logsConfig } = await import(url('collectors/logs/config.js'));
await import(url(mode === 'tailer' ? 'collectors/logs/tailer.js' : 'collectors/logs/index.js'));
const startRssKiB = process.memoryUsage().rss / 1024;
const config = logsConfig.parse({
  sources: [{ name: 'bench', paths: [file], format: 'syslog', start_at: 'beginning' }],
});
const logs = [];
let snap;
let started;
if (mode === 'tailer') {
  const { Tailer } = await import(url('collectors/logs/tailer.js'));
  const tailer = new Tailer({ config, positionsPath: undefined, log: (level, msg, fields) => logs.push({ level, msg, fields }) });
  started = performance.now();
  tailer.start();
  while (tailer.poll());
  snap = tailer.snapshot();
  tailer.close();
} else {
  const { createLogsCollector } = await import(url('collectors/logs/index.js'));
  const { createLogger } = await import(url('core/logger.js'));
  const logger = createLogger({ level: 'info', format: 'json', write: (l) => logs.push(JSON.parse(l)) });
  const collector = createLogsCollector(config, { logger }, { positionsPath: null });
  started = performance.now();
  await collector.start();
  for (;;) {
    snap = await collector.snapshot();
    const s = snap.sources[0];
    if (s.readBytes >= Number(size) && s.lagBytes === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  await collector.stop();
}
const readMs = performance.now() - started;
const s = snap.sources[0];
process.stdout.write(JSON.stringify({ readMs, lines: s.lines, readBytes: s.readBytes, startRssKiB, maxRssKiB: process.resourceUsage().maxRSS, logs }) + '\\n');
`;

export interface PatrolRun {
  ms: number;
  cpuMs: number | undefined;
  readMs: number;
  /** RSS with the modules loaded, before reading. */
  startRssKiB: number;
  lines: number[];
  readBytes: number;
  maxRssKiB: number;
}

export async function patrol(
  mode: 'tailer' | 'collector',
  file: string,
  size: number,
  nodeFlags: readonly string[] = [],
  pin = true,
): Promise<PatrolRun> {
  const script = join(workDir ?? tmpdir(), 'patrol-child.mjs');
  if (!existsSync(script)) writeFileSync(script, PATROL_CHILD);
  const r = await timed(
    [NODE, ...nodeFlags, script, mode, file, String(size), `${pathToFileURL(DIST).href}/`],
    process.env,
    pin,
  );
  if (r.code !== 0) throw new Error(`patrol (${mode}) exited ${r.code}:\n${r.stderr}`);
  const out = JSON.parse(r.stdout) as Omit<PatrolRun, 'ms' | 'cpuMs'> & { logs: unknown[] };
  if (out.logs.length > 0) {
    process.stdout.write(`patrol (${mode}) logged: ${JSON.stringify(out.logs).slice(0, 2000)}\n`);
  }
  return {
    ms: r.ms,
    cpuMs: r.cpuMs,
    readMs: out.readMs,
    startRssKiB: out.startRssKiB,
    lines: out.lines,
    readBytes: out.readBytes,
    maxRssKiB: out.maxRssKiB,
  };
}

export async function grep(
  file: string,
  locale: string,
): Promise<{ ms: number; cpuMs: number | undefined; count: number }> {
  const r = await timed(['grep', '-c', '-E', GREP_PATTERN, file], {
    ...process.env,
    LC_ALL: locale,
  });
  if (r.code !== 0 && r.code !== 1) throw new Error(`grep exited ${r.code}: ${r.stderr}`);
  if (r.stderr.trim() !== '') process.stdout.write(`grep (${locale}) said: ${r.stderr.trim()}\n`);
  return { ms: r.ms, cpuMs: r.cpuMs, count: Number(r.stdout.trim()) };
}

interface MtailMetric {
  Name: string;
  LabelValues?: { Labels?: string[]; Value?: { Value?: number } }[];
}

export async function mtail(
  file: string,
  progs: string,
): Promise<{
  ms: number;
  cpuMs: number | undefined;
  lines: number[];
  maxRssKiB: number | undefined;
}> {
  const r = await timed([
    'mtail',
    '--one_shot',
    '--one_shot_format',
    'json',
    '--progs',
    progs,
    '--logs',
    file,
    '--logtostderr',
    '--port',
    '0',
  ]);
  if (r.code !== 0) throw new Error(`mtail exited ${r.code}:\n${r.stderr.slice(-4000)}`);
  let parsed: Record<string, MtailMetric[]>;
  try {
    parsed = JSON.parse(r.stdout) as Record<string, MtailMetric[]>;
  } catch {
    throw new Error(`mtail printed no JSON:\n${r.stdout.slice(0, 2000)}\n${r.stderr.slice(-4000)}`);
  }
  const lines = LEVELS.map(() => 0);
  for (const m of parsed.log_lines_total ?? []) {
    for (const lv of m.LabelValues ?? []) {
      const i = LEVELS.indexOf((lv.Labels?.[0] ?? '') as Level);
      if (i >= 0) lines[i] = (lines[i] ?? 0) + (lv.Value?.Value ?? 0);
    }
  }
  if (/compile|error/i.test(r.stderr) && lines.every((n) => n === 0)) {
    throw new Error(`mtail counted nothing:\n${r.stderr.slice(-4000)}`);
  }
  return { ms: r.ms, cpuMs: r.cpuMs, lines, maxRssKiB: r.maxRssKiB };
}

/** The benchmark's temporary directory under os.tmpdir(), deleted when the benchmark exits. */
export function makeWorkDir(): string {
  workDir = mkdtempSync(join(tmpdir(), 'patrol-bench-logs-'));
  return workDir;
}
