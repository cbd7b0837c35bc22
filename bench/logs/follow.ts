/**
 * bench/logs.ts, following: the real collector following files a writer child process
 * (writer.ts) appends to, and the CPU this process spends on it.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { logsConfig } from '../../src/collectors/logs/config.ts';
import { createLogsCollector } from '../../src/collectors/logs/index.ts';
import { LEVELS } from '../../src/collectors/logs/metrics.ts';
import { createLogger } from '../../src/core/logger.ts';
import { flag, fmt, NODE } from '../lib/peers.ts';
import { children } from './children.ts';
import { int, levelText } from './options.ts';

const WRITER = fileURLToPath(new URL('./writer.ts', import.meta.url));

export interface FollowResult {
  pct: number;
  idlePct: number;
  writerPct: number;
  written: number;
  counted: number;
  levelsMatch: boolean;
  catchUpMs: number;
}

export async function follow(base: string): Promise<FollowResult> {
  const files = flag('follow-files', 20);
  const rate = flag('follow-rate', 10_000);
  const seconds = flag('follow-seconds', 20);
  const warmup = flag('follow-warmup', 5);
  const every = flag('follow-batch-ms', 10);
  const dir = join(base, 'follow');
  mkdirSync(dir);
  for (let i = 0; i < files; i++)
    writeFileSync(join(dir, `f${String(i).padStart(2, '0')}.log`), '');

  // This process idle, for context: what it costs before any collector runs.
  const idle0 = process.cpuUsage();
  const idleT = performance.now();
  await sleep(3000);
  const idleCpu = process.cpuUsage(idle0);
  const idlePct = ((idleCpu.user + idleCpu.system) / 1000 / (performance.now() - idleT)) * 100;

  const logger = createLogger({ level: 'warn', format: 'logfmt' });
  const cfg = logsConfig.parse({
    sources: [
      { name: 'follow', paths: [join(dir, '*.log')], format: 'syslog', start_at: 'beginning' },
    ],
  });
  const collector = createLogsCollector(cfg, { logger }, { positionsPath: null });
  await collector.start();
  try {
    const first = (await collector.snapshot()).sources[0];
    if (first?.files !== files)
      throw new Error(`the collector follows ${first?.files} files, not ${files}`);
    console.log(
      `following: ${files} files in ${dir}, ${int(rate)} lines/s in total from a writer process (appending to each file every ${every} ms), the collector with its defaults (poll_interval ${cfg.poll_interval} ms, rescan_interval ${cfg.rescan_interval} ms); ${warmup} s warm-up, then ${seconds} s measured`,
    );
    const w = spawn(
      NODE,
      [
        WRITER,
        `--dir=${dir}`,
        `--files=${files}`,
        `--rate=${rate}`,
        `--seconds=${warmup + seconds + 1}`,
        `--every=${every}`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.add(w);
    let out = '';
    w.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((resolve) => w.once('close', resolve));
    await sleep(warmup * 1000);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - t0;
    const lag = (await collector.snapshot()).sources[0]?.lagBytes ?? 0;
    const code = await exited;
    children.delete(w);
    if (code !== 0) throw new Error(`the writer exited ${code}`);
    const wrote = JSON.parse(out) as {
      lines: number;
      levels: number[];
      seconds: number;
      cpuMs: number;
    };
    const caught = performance.now();
    let counted = 0;
    let levels: number[] = [];
    while (performance.now() - caught < 15_000) {
      const s = (await collector.snapshot()).sources[0];
      levels = s?.lines ?? [];
      counted = levels.reduce((a, b) => a + b, 0);
      if (counted >= wrote.lines && (s?.lagBytes ?? 1) === 0) break;
      await sleep(50);
    }
    const catchUpMs = performance.now() - caught;
    const pct = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
    const writerPct = (wrote.cpuMs / (wrote.seconds * 1000)) * 100;
    const levelsMatch = LEVELS.every((_, i) => levels[i] === wrote.levels[i]);
    // Not a timing: a line lost or counted twice is a bug, whatever the machine.
    if (counted !== wrote.lines || !levelsMatch) process.exitCode = 1;
    console.log(
      `following: CPU of this process (collector and its worker thread) ${fmt(pct, 2)}% of one core over ${fmt(wallMs / 1000, 1)} s (user ${fmt(cpu.user / 1000, 0)} ms, system ${fmt(cpu.system / 1000, 0)} ms); lag at the end of the window ${int(lag)} bytes; this process before the collector started: ${fmt(idlePct, 2)}%; the writer process: ${fmt(writerPct, 1)}% (not counted)`,
    );
    console.log(
      `following: ${int(wrote.lines)} lines written, ${int(counted)} counted ${fmt(catchUpMs, 0)} ms after the writer stopped; per level written ${levelText(wrote.levels)}, counted ${levelText(levels)}${levelsMatch ? ' (equal)' : ' (DIFFERENT)'}`,
    );
    return { pct, idlePct, writerPct, written: wrote.lines, counted, levelsMatch, catchUpMs };
  } finally {
    await collector.stop();
  }
}
