import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffDirectory, DivergenceTracker, planCompare } from './compare.ts';
import { summarize, type Entry } from './manifest.ts';

const e = (name: string, size: number, mtime = '1000'): Entry => [name, 'f', size, mtime];

describe('planCompare', () => {
  const a = summarize('a', [e('1', 10)]);
  const b = summarize('b', [e('2', 20), e('3', 30)]);
  it('lists only directories whose hashes differ, or with files only one side has', () => {
    const changed = summarize('a', [e('1', 10, '2000')]);
    assert.deepEqual(planCompare([a, b], [changed, b], new Set(), 'size_and_mtime'), ['a']);
    assert.deepEqual(planCompare([a, b], [changed, b], new Set(), 'size'), [], 'size mode');
    const extra = summarize('c', [e('4', 4)]);
    const empty = summarize('d', []);
    assert.deepEqual(
      planCompare([a, b, empty], [a, extra], new Set(), 'size_and_mtime'),
      ['b', 'c'],
      'an empty directory missing holds no files',
    );
  });
  it('leaves out directories either side could not read, and everything below them', () => {
    const below = summarize('b/x/y', [e('5', 5)]);
    const other = summarize('bb', [e('6', 6)]);
    assert.deepEqual(planCompare([a, b, below, other], [a], new Set(['b']), 'size_and_mtime'), [
      'bb',
    ]);
  });
});

describe('diffDirectory', () => {
  it('finds missing, out-of-sync and extra files with the right bytes', () => {
    const found = diffDirectory(
      'x/y',
      [e('same', 1), e('gone', 2), e('changed', 3, '2000'), e('resized', 4)],
      [e('same', 1), e('changed', 3, '1000'), e('resized', 5), e('extra', 6)],
      'size_and_mtime',
    );
    assert.deepEqual(
      found.map((f) => [f.kind, f.key, f.bytes]),
      [
        ['missing', 'missing:x/y/gone', 2],
        ['out_of_sync', 'out_of_sync:x/y/changed', 3],
        ['out_of_sync', 'out_of_sync:x/y/resized', 4],
        ['extra', 'extra:x/y/extra', 6],
      ],
    );
    const sizes = diffDirectory('', [e('changed', 3, '2000')], [e('changed', 3, '1')], 'size');
    assert.deepEqual(sizes, [], 'size mode ignores mtimes');
    const ms = diffDirectory(
      '',
      [e('f', 1, '1123456789')],
      [e('f', 1, '1122999999')],
      'size_and_mtime',
      'ms',
    );
    assert.deepEqual(ms, [], 'a copy kept to the ms, with float noise, is equal within 1 ms');
    const off = diffDirectory(
      '',
      [e('f', 1, '1123456789')],
      [e('f', 1, '1121999999')],
      'size_and_mtime',
      'ms',
    );
    assert.equal(off.length, 1, '1.46 ms apart is not');
    const typed = diffDirectory('', [e('l', 3)], [['l', 'l', 3, '1000']], 'size');
    assert.equal(typed[0]?.kind, 'out_of_sync', 'a file replaced by a symlink differs');
  });
});

describe('DivergenceTracker', () => {
  it('counts a difference only when the next compare finds it again unchanged', () => {
    const t = new DivergenceTracker();
    const missing = diffDirectory('', [e('m', 100)], [], 'size_and_mtime');
    const stale = diffDirectory('', [e('s', 7, '2')], [e('s', 7, '1')], 'size_and_mtime');
    const extra = diffDirectory('', [], [e('x', 9)], 'size_and_mtime');
    const zero = { outOfSyncFiles: 0, missingFiles: 0, extraFiles: 0, outOfSyncBytes: 0 };
    assert.deepEqual(t.confirm([...missing, ...stale, ...extra]), zero, 'first sighting');
    assert.deepEqual(t.confirm([...missing, ...stale, ...extra]), {
      outOfSyncFiles: 1,
      missingFiles: 1,
      extraFiles: 1,
      outOfSyncBytes: 107,
    });
    // The primary rewrote m meanwhile: in flight again, not counted.
    const rewritten = diffDirectory('', [e('m', 100, '5000')], [], 'size_and_mtime');
    assert.deepEqual(t.confirm([...rewritten, ...stale]), {
      ...zero,
      outOfSyncFiles: 1,
      outOfSyncBytes: 7,
    });
    assert.deepEqual(t.confirm([]), zero, 'repaired');
    t.confirm(missing);
    t.reset();
    assert.deepEqual(t.confirm(missing), zero, 'forgotten after reset');
  });
});
