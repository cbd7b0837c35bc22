/**
 * The torture test's writer (test/e2e/logs.test.ts), a separate process so its writing does
 * not share a core's event loop with the reader it checks. Appends syslog lines to 20 files at
 * `rate` lines/s in total and rotates them the ways real systems do, on a fixed timeline:
 *   rot-*.log    rename to .1 (the old .1 deleted) and create, like logrotate's `create`
 *   ct-*.log     copy to .1, a few lines more, truncate: logrotate's `copytruncate` (the lines
 *                written between copy and truncate are the window logrotate's man page warns of)
 *   re-*.log     delete and create again
 *   daily-*.log  a new dated file every few seconds, like Tomcat's AccessLogValve
 * Prints one JSON line at the end: lines written per group (and per level), and the window.
 *
 * argv: dir durationMs rate quietFromMs quietToMs (no deletes in [quietFrom, quietTo): what a
 * deleted file got while nobody was reading cannot be recovered by anyone).
 */
import {
  closeSync,
  copyFileSync,
  ftruncateSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

const [dir = '.', durationArg = '10000', rateArg = '10000', quietFromArg = '0', quietToArg = '0'] =
  process.argv.slice(2);
const duration = Number(durationArg);
const rate = Number(rateArg);
const quietFrom = Number(quietFromArg);
const quietTo = Number(quietToArg);

type Group = 'rot' | 'ct' | 're' | 'daily';
interface File {
  readonly group: Group;
  readonly index: number;
  path: string;
  fd: number;
  nextRotation: number;
  generation: number;
}
const groups: [Group, number][] = [
  ['rot', 10],
  ['ct', 4],
  ['re', 3],
  ['daily', 3],
];
const written = { rot: 0, ct: 0, re: 0, daily: 0 };
const errors = { rot: 0, ct: 0, re: 0, daily: 0 };
let ctWindow = 0;
let rotations = 0;

const pathOf = (g: Group, i: number, gen: number) =>
  g === 'daily'
    ? join(dir, `daily-${i}.2026-11-${String(gen + 1).padStart(2, '0')}.log`)
    : join(dir, `${g}-${i}.log`);
const files: File[] = [];
for (const [group, count] of groups) {
  for (let i = 0; i < count; i++) {
    const path = pathOf(group, i, 0);
    files.push({
      group,
      index: i,
      path,
      fd: openSync(path, 'a'),
      // Staggered so rotations do not all land at once; every 2.5 to 4 s per file.
      nextRotation: 1500 + ((i * 397 + group.length * 211) % 2500),
      generation: 0,
    });
  }
}

let seq = 0;
const line = (f: File) => {
  seq++;
  const isError = seq % 10 === 0;
  if (isError) errors[f.group]++;
  written[f.group]++;
  return `2026-11-21T10:00:00.${String(seq % 1_000_000).padStart(6, '0')}+00:00 host app[${f.index}]: seq=${seq} ${isError ? 'request failed: upstream error' : 'request served'}\n`;
};

function rotate(f: File, now: number): void {
  rotations++;
  switch (f.group) {
    case 'rot':
      rmSync(`${f.path}.1`, { force: true });
      renameSync(f.path, `${f.path}.1`);
      // Like a daemon that reopens on SIGHUP after logrotate's postrotate: a line or two may
      // still land in the renamed file.
      writeSync(f.fd, line(f));
      closeSync(f.fd);
      f.fd = openSync(f.path, 'a');
      break;
    case 'ct': {
      copyFileSync(f.path, `${f.path}.1`);
      for (let k = 0; k < 3; k++) {
        writeSync(f.fd, line(f));
        ctWindow++;
      }
      ftruncateSync(f.fd, 0);
      break;
    }
    case 're':
      if (now >= quietFrom && now < quietTo) return;
      closeSync(f.fd);
      rmSync(f.path);
      f.fd = openSync(f.path, 'a');
      break;
    case 'daily':
      closeSync(f.fd);
      f.generation++;
      f.path = pathOf('daily', f.index, f.generation);
      f.fd = openSync(f.path, 'a');
      break;
  }
}

const start = Date.now();
const perFile = new Map<File, number>(files.map((f) => [f, 0]));
let due = 0;
for (;;) {
  const now = Date.now() - start;
  if (now >= duration) break;
  const target = Math.floor((now * rate) / 1000);
  // Round-robin over the files, batched: one write call per file per tick.
  const batch = target - due;
  if (batch > 0) {
    const chunks = new Map<File, string>();
    for (let k = 0; k < batch; k++) {
      const f = files[(due + k) % files.length] as File;
      chunks.set(f, (chunks.get(f) ?? '') + line(f));
      perFile.set(f, (perFile.get(f) ?? 0) + 1);
    }
    for (const [f, text] of chunks) writeSync(f.fd, text);
    due = target;
  }
  for (const f of files) {
    if (now >= f.nextRotation) {
      rotate(f, now);
      f.nextRotation = now + 2500 + ((f.index * 131) % 1500);
    }
  }
  await new Promise((r) => setTimeout(r, 10));
}
for (const f of files) closeSync(f.fd);
process.stdout.write(`${JSON.stringify({ written, errors, ctWindow, rotations })}\n`);
