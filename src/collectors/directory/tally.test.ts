import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorReason, mergeTallies, Tally, type StatLike } from './tally.ts';

let nextIno = 1;
const stat = (over: Partial<StatLike> = {}): StatLike => ({
  dev: 1,
  ino: nextIno++,
  nlink: 1,
  size: 0,
  blocks: 0,
  mtimeMs: 0,
  ...over,
});

describe('Tally', () => {
  it('adds up files, directories and other inodes', () => {
    const t = new Tally();
    t.directory(stat({ blocks: 8, size: 4096 }));
    t.file(stat({ size: 10, blocks: 8, mtimeMs: 2_000 }));
    t.file(stat({ size: 5000, blocks: 16, mtimeMs: 1_000 }));
    t.other(stat({ size: 7, blocks: 0 })); // a symlink: no size, no blocks
    t.examined(3);
    const r = mergeTallies([t.partial()]);
    assert.equal(r.sizeBytes, 5010);
    assert.equal(r.diskUsageBytes, 32 * 512);
    assert.equal(r.files, 2);
    assert.equal(r.oldestSeconds, 1);
    assert.equal(r.newestSeconds, 2);
    assert.equal(r.entries, 3);
  });

  it('reports no oldest/newest without files', () => {
    const t = new Tally();
    t.directory(stat({ blocks: 8 }));
    const r = mergeTallies([t.partial()]);
    assert.equal(r.files, 0);
    assert.equal(r.oldestSeconds, undefined);
    assert.equal(r.newestSeconds, undefined);
    assert.equal(r.diskUsageBytes, 4096);
  });

  it('counts a hard-linked file once, even when two walkers each meet one name', () => {
    const linked = stat({ nlink: 2, size: 100, blocks: 8, mtimeMs: 5_000 });
    const a = new Tally();
    a.file(linked);
    a.file(linked);
    const b = new Tally();
    b.file(linked);
    b.file(stat({ size: 1, blocks: 8, mtimeMs: 9_000 }));
    const r = mergeTallies([a.partial(), b.partial()]);
    assert.equal(r.files, 2);
    assert.equal(r.sizeBytes, 101);
    assert.equal(r.diskUsageBytes, 16 * 512);
    assert.equal(r.oldestSeconds, 5);
    assert.equal(r.newestSeconds, 9);
  });

  it('counts every inode once when told to remember them all (following symlinks)', () => {
    const target = stat({ size: 3, blocks: 8 });
    const fifo = stat({ blocks: 0 });
    const plain = new Tally();
    plain.file(target);
    plain.file(target);
    assert.equal(
      mergeTallies([plain.partial()]).files,
      2,
      'without dedupeAll only nlink > 1 is remembered',
    );
    const t = new Tally({ dedupeAll: true });
    t.file(target);
    t.file(target);
    t.other(fifo);
    t.other(fifo);
    t.file(stat({ size: 4, blocks: 8 }));
    const r = mergeTallies([t.partial()]);
    assert.equal(r.files, 2);
    assert.equal(r.sizeBytes, 7);
    assert.equal(r.diskUsageBytes, 16 * 512);
  });

  it('merges errors and keeps one sample per reason', () => {
    const a = new Tally();
    a.error('permission', '/x/a', 'EACCES');
    a.error('permission', '/x/b', 'EACCES');
    const b = new Tally();
    b.error('permission', '/x/c', 'EPERM');
    b.error('vanished', '/x/d', 'ENOENT');
    const r = mergeTallies([a.partial(), b.partial()]);
    assert.deepEqual(r.errors, { permission: 3, vanished: 1, loop: 0, other: 0 });
    assert.deepEqual(r.samples.permission, { path: '/x/a', code: 'EACCES' });
    assert.deepEqual(r.samples.vanished, { path: '/x/d', code: 'ENOENT' });
  });
});

describe('errorReason', () => {
  it('maps errno codes to the fixed reasons', () => {
    assert.equal(errorReason('EACCES'), 'permission');
    assert.equal(errorReason('EPERM'), 'permission');
    assert.equal(errorReason('ENOENT'), 'vanished');
    assert.equal(errorReason('ENOTDIR'), 'vanished');
    assert.equal(errorReason('ELOOP'), 'loop');
    assert.equal(errorReason('EIO'), 'other');
    assert.equal(errorReason(undefined), 'other');
  });
});
