/**
 * Directory scan speed: patrol's walker (unlimited I/O budget) against `du -s` on the same tree,
 * in the same run.
 *
 *   node bench/directory-scan.ts [--rounds=5] [--dirs=400] [--files=500]
 *
 * Generates a tree of dirs x files small files under /tmp (kept and reused: a marker file beside
 * it records its shape), runs each side once untimed to warm the page cache and the JIT, then
 * `rounds` times alternately (the order flips each round). Patrol is measured through the real
 * worker pool, once with the walker count it uses for an unlimited budget and once with a
 * single walker, for context. Goal: patrol's median <= 1.5 x du's.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultParallelism,
  WalkerPool,
  type ScanRequest,
} from '../src/collectors/directory/pool.ts';
import { flag, fmt, median } from './lib/peers.ts';

const GOAL_RATIO = 1.5;
const rounds = flag('rounds', 5);
const dirs = flag('dirs', 400);
const filesPerDir = flag('files', 500);
const total = dirs * filesPerDir;

const base = join(tmpdir(), 'patrol-bench-directory');
const tree = join(base, 'tree');
const marker = join(base, 'complete');
const shape = `${dirs}x${filesPerDir}\n`;

function generate(): void {
  if (existsSync(marker) && readFileSync(marker, 'utf8') === shape) return;
  rmSync(base, { recursive: true, force: true });
  const sizes = [0, 1, 100, 512, 1000, 4095, 4096, 4097, 10_000];
  for (let d = 0; d < dirs; d++) {
    const dir = join(tree, `d${String(d).padStart(4, '0')}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < filesPerDir; f++) {
      writeFileSync(join(dir, `f${f}.log`), Buffer.alloc(sizes[(d + f) % sizes.length] ?? 0));
    }
  }
  writeFileSync(marker, shape);
}

/** `du -s -B1`: bytes, and how long the whole command took. */
function du(): { ms: number; bytes: number } {
  const t = performance.now();
  const out = execFileSync('du', ['-s', '-B1', tree], { encoding: 'utf8' });
  const ms = performance.now() - t;
  return { ms, bytes: Number(out.split('\t')[0]) };
}

async function patrol(
  pool: WalkerPool,
  parallelism: number,
): Promise<{ ms: number; bytes: number; files: number }> {
  const req: ScanRequest = { root: tree, followSymlinks: false, rate: 0, parallelism };
  const t = performance.now();
  const o = await pool.scan(req);
  const ms = performance.now() - t;
  if (o.kind !== 'done') throw new Error(`scan of ${tree} did not complete: ${JSON.stringify(o)}`);
  return { ms, bytes: o.totals.diskUsageBytes, files: o.totals.files };
}

generate();
const walkers = defaultParallelism({ rate: 0, followSymlinks: false });
const pool = new WalkerPool({ maxWorkers: walkers });
const duMs: number[] = [];
const patrolMs: number[] = [];
const singleMs: number[] = [];
try {
  // Untimed warm-up; checks that both agree before timing anything.
  const d0 = du();
  const p0 = await patrol(pool, walkers);
  await patrol(pool, 1);
  if (p0.bytes !== d0.bytes || p0.files !== total) {
    throw new Error(
      `patrol found ${p0.bytes} bytes in ${p0.files} files, du -s -B1 ${d0.bytes} bytes (${total} files expected)`,
    );
  }
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      duMs.push(du().ms);
      patrolMs.push((await patrol(pool, walkers)).ms);
    } else {
      patrolMs.push((await patrol(pool, walkers)).ms);
      duMs.push(du().ms);
    }
    singleMs.push((await patrol(pool, 1)).ms);
  }
} finally {
  await pool.close();
}

const p = median(patrolMs);
const d = median(duMs);
const s = median(singleMs);
console.log(`cpus ${availableParallelism()}, walkers ${walkers}, rounds ${rounds}`);
console.log(`du -s        ms: ${duMs.map((x) => fmt(x, 0)).join(' ')}`);
console.log(`patrol       ms: ${patrolMs.map((x) => fmt(x, 0)).join(' ')}`);
console.log(
  `patrol (1 walker) ms: ${singleMs.map((x) => fmt(x, 0)).join(' ')}  median ${fmt(s, 0)}, ratio ${fmt(s / d)}`,
);
console.log(
  `directory scan ${total} files: patrol median ${fmt(p, 0)} ms, du -s median ${fmt(d, 0)} ms, ratio ${fmt(p / d)} (goal <= ${GOAL_RATIO})`,
);
