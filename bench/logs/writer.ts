/**
 * bench/logs.ts, following: the writer child process, started by follow.ts as
 * `node bench/logs/writer.ts --dir=DIR --files=N --rate=N --seconds=N --every=MS [--seed=N]`.
 * It prints what it wrote (lines, per level, its own CPU) as one JSON line when done.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { flag } from '../lib/peers.ts';
import { LineMix } from './mix.ts';
import { option } from './options.ts';

/** The writer child: `rate` lines/s spread over the files, appended every `every` ms, for `seconds`. */
async function writer(): Promise<void> {
  const dir = option('dir', '');
  const files = flag('files', 20);
  const rate = flag('rate', 10_000);
  const seconds = flag('seconds', 25);
  const every = flag('every', 10);
  const mix = new LineMix(flag('seed', 2));
  const fds = Array.from({ length: files }, (_, i) =>
    openSync(join(dir, `f${String(i).padStart(2, '0')}.log`), 'a'),
  );
  const total = Math.round(rate * seconds);
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const parts: string[][] = fds.map(() => []);
  const emit = (upTo: number) => {
    while (mix.lines < upTo) parts[mix.lines % files]?.push(`${mix.next()}\n`);
    parts.forEach((p, i) => {
      if (p.length === 0) return;
      writeSync(fds[i] ?? -1, p.join(''));
      p.length = 0;
    });
  };
  while (mix.lines < total) {
    emit(Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate)));
    await sleep(every);
  }
  for (const fd of fds) closeSync(fd);
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    `${JSON.stringify({ lines: mix.lines, levels: mix.levels, seconds: (performance.now() - started) / 1000, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`,
  );
}

await writer();
