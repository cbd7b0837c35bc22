import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { mergeTallies, Tally, type ScanTotals } from './tally.ts';
import { duBytes, KNOWN, known, tempRoot } from './test-fixtures.ts';
import { walkRoot, type WalkOutcome } from './walk.ts';

function scan(root: string, followSymlinks = false): { outcome: WalkOutcome; totals: ScanTotals } {
  const tally = new Tally({ dedupeAll: followSymlinks });
  const outcome = walkRoot(root, tally, { followSymlinks, rate: 0 });
  return { outcome, totals: mergeTallies([tally.partial()]) };
}

describe('walkRoot', () => {
  it('measures a directory of known content exactly, disk usage as du -s -B1', (t) => {
    const root = tempRoot(t);
    known(root);
    const { outcome, totals } = scan(root);
    assert.deepEqual(outcome, { kind: 'done' });
    assert.equal(totals.sizeBytes, KNOWN.sizeBytes);
    assert.equal(totals.files, KNOWN.files);
    assert.equal(totals.oldestSeconds, KNOWN.oldestSeconds);
    assert.equal(totals.newestSeconds, KNOWN.newestSeconds);
    assert.equal(totals.diskUsageBytes, duBytes(root));
    // a.txt b.bin sparse sub empty link-to-b c.log a-link deep d.txt
    assert.equal(totals.entries, 10);
    assert.deepEqual(totals.errors, { permission: 0, vanished: 0, loop: 0, other: 0 });
  });

  it('gives no oldest/newest for a tree without files', (t) => {
    const root = tempRoot(t);
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    const { totals } = scan(root);
    assert.equal(totals.files, 0);
    assert.equal(totals.sizeBytes, 0);
    assert.equal(totals.oldestSeconds, undefined);
    assert.equal(totals.newestSeconds, undefined);
    assert.equal(totals.diskUsageBytes, duBytes(root));
  });

  it('follows symlinks when asked: each file once, loops counted and skipped', (t) => {
    const root = tempRoot(t);
    known(root);
    symlinkSync(root, join(root, 'sub', 'up')); // back to an ancestor
    symlinkSync('self', join(root, 'self')); // ELOOP
    symlinkSync('nowhere', join(root, 'dangling'));
    const outside = tempRoot(t);
    writeFileSync(join(outside, 'far.txt'), 'abc');
    symlinkSync(outside, join(root, 'elsewhere'));
    const plain = scan(root, false);
    assert.equal(plain.totals.files, KNOWN.files, 'not followed by default');
    assert.equal(plain.totals.errors.loop, 0);
    const { outcome, totals } = scan(root, true);
    assert.deepEqual(outcome, { kind: 'done' });
    assert.equal(
      totals.files,
      KNOWN.files + 1,
      'link-to-b counted once, far.txt through elsewhere',
    );
    assert.equal(totals.sizeBytes, KNOWN.sizeBytes + 3);
    assert.equal(totals.errors.loop, 2, 'sub/up and self');
    assert.equal(totals.samples.loop?.code !== undefined, true);
    assert.equal(totals.diskUsageBytes, duBytes(root, '-L'));
  });

  it('reports a missing root as vanished and a file root as other', (t) => {
    const root = tempRoot(t);
    writeFileSync(join(root, 'f'), 'x');
    assert.deepEqual(scan(join(root, 'missing')).outcome, {
      kind: 'root-failed',
      reason: 'vanished',
      code: 'ENOENT',
    });
    assert.deepEqual(scan(join(root, 'f')).outcome, {
      kind: 'root-failed',
      reason: 'other',
      code: 'ENOTDIR',
    });
  });

  // Root reads everything, so the walk runs in a child process as root without the capabilities
  // that bypass permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), on a directory owned by
  // another user: a real EACCES. (Switching to `nobody` instead fails where the checkout itself,
  // with the node binary, is not readable by others, e.g. under a 0700 mktemp directory.)
  it('counts and skips a directory it may not read', (t) => {
    assert.equal(
      process.getuid?.(),
      0,
      'this test runs as root (as CI does) to own and chown its files',
    );
    const root = tempRoot(t);
    known(root);
    const locked = join(root, 'locked');
    mkdirSync(join(locked, 'inner'), { recursive: true });
    writeFileSync(join(locked, 'secret'), 'x'.repeat(100));
    chownSync(locked, 65534, 65534);
    chmodSync(locked, 0o700);
    const program = `
      import { Tally, mergeTallies } from ${JSON.stringify(new URL('./tally.ts', import.meta.url).href)};
      import { walkRoot } from ${JSON.stringify(new URL('./walk.ts', import.meta.url).href)};
      const out = {};
      for (const [name, dir] of [['tree', process.argv[1]], ['locked', process.argv[2]]]) {
        const tally = new Tally();
        out[name] = { outcome: walkRoot(dir, tally, { followSymlinks: false, rate: 0 }), totals: mergeTallies([tally.partial()]) };
      }
      console.log(JSON.stringify(out));`;
    const child = spawnSync(
      'setpriv',
      [
        '--bounding-set=-dac_override,-dac_read_search',
        process.execPath,
        '--input-type=module',
        '-e',
        program,
        root,
        locked,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(child.status, 0, child.stderr);
    const out = JSON.parse(child.stdout) as Record<
      'tree' | 'locked',
      { outcome: WalkOutcome; totals: ScanTotals }
    >;
    assert.deepEqual(out.tree.outcome, { kind: 'done' });
    assert.equal(out.tree.totals.errors.permission, 1);
    assert.deepEqual(out.tree.totals.samples.permission, { path: locked, code: 'EACCES' });
    assert.equal(out.tree.totals.files, KNOWN.files, 'the rest of the tree is still measured');
    assert.equal(out.tree.totals.sizeBytes, KNOWN.sizeBytes);
    assert.deepEqual(out.locked.outcome, {
      kind: 'root-failed',
      reason: 'permission',
      code: 'EACCES',
    });
  });

  it('counts entries that vanish during the walk and goes on', (t) => {
    const root = tempRoot(t);
    for (let i = 0; i < 20; i++) writeFileSync(join(root, `f${i}`), 'x');
    mkdirSync(join(root, 'dir'));
    const tally = new Tally();
    let removed = false;
    // The hook runs after the root was listed: remove what is still to be examined.
    const outcome = walkRoot(
      root,
      tally,
      { followSymlinks: false, rate: 10 },
      {
        sleep: () => true,
        checkpoint: () => {
          if (!removed) {
            removed = true;
            spawnSync('rm', [
              '-rf',
              ...Array.from({ length: 20 }, (_, i) => join(root, `f${i}`)),
              join(root, 'dir'),
            ]);
          }
          return true;
        },
      },
    );
    assert.deepEqual(outcome, { kind: 'done' });
    const totals = mergeTallies([tally.partial()]);
    // With rate 10 the first check comes before the first entry: all 21 are gone by then.
    assert.equal(totals.errors.vanished, 21);
    assert.equal(totals.files, 0);
    assert.equal(totals.entries, 21);
  });

  it('stops when a checkpoint says so', (t) => {
    const root = tempRoot(t);
    for (let i = 0; i < 50; i++) writeFileSync(join(root, `f${i}`), 'x');
    const tally = new Tally();
    const outcome = walkRoot(
      root,
      tally,
      { followSymlinks: false, rate: 100 },
      { sleep: () => true, checkpoint: () => false },
    );
    assert.deepEqual(outcome, { kind: 'cancelled' });
    assert.ok(tally.entries < 50);
  });
});
