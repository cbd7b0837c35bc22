/**
 * Runs every benchmark (each `bench/*.ts` except this file, `*.test.ts` and `_*.ts`; helpers
 * live in bench/lib/, a benchmark's own modules in bench/<name>/) one after the other, each in
 * its own Node.js process, passing its output through, then repeats the last line of each (its
 * result) as a summary.
 *
 *   npm run bench                          all of them
 *   npm run bench -- metrics-latency       only those whose file name contains a word given
 *   npm run bench -- --rounds=500          options starting with -- are passed to each one
 *   npm run bench -- --list                list what would run
 *   npm run bench -- logs --skip-mtail     options a single benchmark reads (see its header)
 *
 * A benchmark is registered by being a bench/<name>.ts file (usage and goal in its header
 * comment, a section in bench/README.md): the runner finds it, there is no list to edit.
 *
 * Exits 1 if a benchmark crashed; a missed goal is reported in its result line, not as failure
 * (figures from a shared machine are too noisy to gate on).
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const self = basename(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const options = args.filter((a) => a.startsWith('--'));
const words = args.filter((a) => !a.startsWith('--'));

const files = (await readdir(dir, { withFileTypes: true }))
  .filter((e) => e.isFile() && e.name.endsWith('.ts'))
  .map((e) => e.name)
  .filter(
    (n) => n !== self && !n.startsWith('_') && !n.endsWith('.test.ts') && !n.endsWith('.d.ts'),
  )
  .filter((n) => words.length === 0 || words.some((w) => n.includes(w)))
  .sort();

if (options.includes('--list')) {
  process.stdout.write(files.map((f) => `${f}\n`).join(''));
  process.exit(0);
}

if (files.length === 0) {
  process.stderr.write(`no benchmark matches ${words.join(' ')}\n`);
  process.exit(2);
}

interface Result {
  file: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  last: string;
  seconds: number;
}

function runOne(file: string): Promise<Result> {
  return new Promise<Result>((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(dir, file), ...options], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let tail = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      process.stdout.write(d);
      tail = (tail + d).slice(-4096);
    });
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      const lines = tail.split('\n').filter((l) => l.trim() !== '');
      resolve({
        file,
        code,
        signal,
        last: lines.at(-1) ?? '',
        seconds: (performance.now() - started) / 1000,
      });
    };
    child.once('error', (err) => {
      process.stderr.write(`cannot start ${file}: ${err.message}\n`);
      finish(null, null);
    });
    child.once('close', finish);
  });
}

const results: Result[] = [];
for (const file of files) {
  process.stdout.write(`\n=== ${file} ===\n`);
  results.push(await runOne(file));
}

process.stdout.write(`\n=== summary (${new Date().toISOString()}) ===\n`);
for (const r of results) {
  const ok = r.code === 0;
  const how = ok ? '' : ` [FAILED: ${r.signal ?? `exit ${r.code}`}]`;
  process.stdout.write(`${r.file} (${r.seconds.toFixed(0)} s)${how}: ${ok ? r.last : ''}\n`);
}
process.exitCode = results.every((r) => r.code === 0) ? 0 : 1;
