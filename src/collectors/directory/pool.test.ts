import assert from 'node:assert/strict';
import { linkSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WalkerPool, type ScanOutcome } from './pool.ts';
import { duBytes, KNOWN, known, tempRoot } from './test-fixtures.ts';

function totals(o: ScanOutcome) {
  assert.equal(o.kind, 'done', JSON.stringify(o));
  if (o.kind !== 'done') throw new Error('unreachable');
  return o.totals;
}

describe('WalkerPool', () => {
  it('scans in a worker thread: same totals as du, with one or two walkers', async (t) => {
    const root = tempRoot(t);
    known(root);
    // Enough directories and entries (> 1024 per check) for the walkers to share work, and
    // hard links spread over directories that different walkers may visit.
    for (let d = 0; d < 60; d++) {
      const dir = join(root, 'many', `d${d}`);
      mkdirSync(dir, { recursive: true });
      for (let f = 0; f < 40; f++) writeFileSync(join(dir, `f${f}`), Buffer.alloc(f * 37));
      if (d > 0) linkSync(join(root, 'many', 'd0', 'f1'), join(dir, 'hard'));
    }
    const expectedFiles = KNOWN.files + 60 * 40;
    const pool = new WalkerPool({ maxWorkers: 2 });
    t.after(() => pool.close());
    for (const parallelism of [1, 2]) {
      const r = totals(await pool.scan({ root, followSymlinks: false, rate: 0, parallelism }));
      assert.equal(r.files, expectedFiles, `parallelism ${parallelism}`);
      assert.equal(r.diskUsageBytes, duBytes(root), `parallelism ${parallelism}`);
      assert.equal(r.oldestSeconds, KNOWN.oldestSeconds);
    }
  });

  it('ends its threads between scans on request and starts them again for the next scan', async (t) => {
    const root = tempRoot(t);
    known(root);
    const pool = new WalkerPool({ maxWorkers: 2 });
    t.after(() => pool.close());
    // Worker threads carry their name (truncated to 15 bytes) as the OS thread name.
    const threads = () =>
      readdirSync('/proc/self/task').filter((id) =>
        readFileSync(`/proc/self/task/${id}/comm`, 'utf8').startsWith('patrol-director'),
      ).length;
    const first = totals(await pool.scan({ root, followSymlinks: false, rate: 0, parallelism: 2 }));
    assert.equal(threads(), 2, 'two walker threads after a shared scan');
    await pool.releaseIdle();
    assert.equal(threads(), 0, 'no walker thread left');
    const second = totals(
      await pool.scan({ root, followSymlinks: false, rate: 0, parallelism: 2 }),
    );
    assert.deepEqual(second, first);
  });

  it('reports a missing root', async (t) => {
    const root = tempRoot(t);
    const pool = new WalkerPool();
    t.after(() => pool.close());
    assert.deepEqual(
      await pool.scan({ root: join(root, 'gone'), followSymlinks: false, rate: 0 }),
      {
        kind: 'root-failed',
        reason: 'vanished',
        code: 'ENOENT',
      },
    );
  });

  it('keeps to the I/O budget: N entries at B per second take at least about N/B seconds', async (t) => {
    const root = tempRoot(t);
    const n = 100;
    const budget = 100;
    for (let i = 0; i < n; i++) writeFileSync(join(root, `f${i}`), 'x');
    const pool = new WalkerPool();
    t.after(() => pool.close());
    const started = performance.now();
    const r = totals(await pool.scan({ root, followSymlinks: false, rate: budget }));
    const seconds = (performance.now() - started) / 1000;
    assert.equal(r.entries, n);
    // The last pause comes before the last entry: (n - 1) / budget.
    assert.ok(seconds >= (0.9 * n) / budget, `took ${seconds} s`);
  });

  it('cancels a scan, also while it pauses for the budget, and can scan again', async (t) => {
    const root = tempRoot(t);
    for (let i = 0; i < 100; i++) writeFileSync(join(root, `f${i}`), 'x');
    const pool = new WalkerPool();
    t.after(() => pool.close());
    // 100 entries at 10/s would take 10 s.
    const running = pool.scan({ root, followSymlinks: false, rate: 10 });
    await sleep(200);
    pool.cancel();
    assert.deepEqual(await running, { kind: 'cancelled' });
    assert.equal(totals(await pool.scan({ root, followSymlinks: false, rate: 0 })).files, 100);
  });

  it('refuses a second concurrent scan and answers cancelled once closed', async (t) => {
    const root = tempRoot(t);
    for (let i = 0; i < 100; i++) writeFileSync(join(root, `f${i}`), 'x');
    const pool = new WalkerPool();
    const running = pool.scan({ root, followSymlinks: false, rate: 10 });
    await assert.rejects(pool.scan({ root, followSymlinks: false, rate: 0 }), /already running/);
    await pool.close();
    assert.deepEqual(await running, { kind: 'cancelled' });
    assert.deepEqual(await pool.scan({ root, followSymlinks: false, rate: 0 }), {
      kind: 'cancelled',
    });
    t.after(() => pool.close());
  });
});
