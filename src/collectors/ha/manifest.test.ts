import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  listDirectories,
  manifestBody,
  parseEntries,
  parseManifest,
  walkDataset,
  type DatasetFilter,
  type WalkResult,
} from './manifest.ts';

const root = mkdtempSync(join(tmpdir(), 'patrol-ha-manifest-'));
after(() => {
  rmSync(root, { recursive: true, force: true });
});

function tree(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

const all: DatasetFilter = {
  include: [],
  exclude: [],
  canary: '.patrol-canary',
  mtimeResolution: 'ns',
};
const noSleep = { rate: 0, sleep: () => true };

function done(o: ReturnType<typeof walkDataset>): WalkResult {
  assert.equal(o.kind, 'done');
  return (o as { result: WalkResult }).result;
}

describe('walkDataset', () => {
  const dir = tree('walk', {
    '.patrol-canary': 'canary',
    'top.dat': '12345',
    'a/one.dat': '1',
    'a/b/two.dat': '22',
    'a/b/skip.tmp': 'tmp',
    'cache/big.dat': 'x'.repeat(100),
    'db/data.db': 'dddd',
    'db/notes.txt': 'nn',
  });
  symlinkSync('../a', join(dir, 'db', 'link'));

  it('summarises each directory, canary and excluded names left out, symlinks listed not followed', () => {
    const w = done(walkDataset(dir, { ...all, exclude: ['*.tmp', 'cache'] }, noSleep));
    assert.deepEqual(
      w.dirs.map((d) => [d.path, d.files, d.bytes]),
      [
        ['', 1, 5],
        ['a', 1, 1],
        ['a/b', 1, 2],
        ['db', 3, 4 + 2 + 4],
      ],
    );
    assert.equal(w.files, 6);
    assert.equal(w.bytes, 5 + 1 + 2 + 10);
    assert.equal(w.unreadable.length, 0);
    const again = done(walkDataset(dir, { ...all, exclude: ['*.tmp', 'cache'] }, noSleep));
    assert.equal(again.rootHash, w.rootHash, 'same tree, same root hash');
  });

  it('applies include patterns to files: a slash matches the path, none the name', () => {
    const w = done(
      walkDataset(dir, { ...all, include: ['db/*.db', '*.dat'], exclude: ['cache'] }, noSleep),
    );
    assert.equal(w.files, 4, 'top.dat, a/one.dat, a/b/two.dat, db/data.db');
  });

  it('takes rsync-style excludes: trailing slash for directories, leading slash anchored, inner slash at a boundary', () => {
    const d = tree('rsync', {
      'cache/a': '1',
      'x/cache': '22',
      'x/y/cache/b': '333',
      'tmp/c': '4444',
      'x/tmp/d': '55555',
      'p/q/r/e': '666666',
    });
    const files = (exclude: string[]) =>
      done(walkDataset(d, { ...all, exclude }, noSleep)).dirs.flatMap((x) => x.path);
    assert.deepEqual(files(['cache/']), ['', 'p', 'p/q', 'p/q/r', 'tmp', 'x', 'x/tmp', 'x/y']);
    const w = done(walkDataset(d, { ...all, exclude: ['cache/'] }, noSleep));
    assert.equal(w.files, 4, 'x/cache is a file: a trailing slash leaves it in');
    assert.deepEqual(files(['/tmp']), [
      '',
      'cache',
      'p',
      'p/q',
      'p/q/r',
      'x',
      'x/tmp',
      'x/y',
      'x/y/cache',
    ]);
    assert.deepEqual(files(['q/r']), [
      '',
      'cache',
      'p',
      'p/q',
      'tmp',
      'x',
      'x/tmp',
      'x/y',
      'x/y/cache',
    ]);
  });

  it('never follows a directory replaced by a symlink while the walk pauses', () => {
    const d = tree('swap', { 'a/inside': '1', 'outside/secret': 'ssss' });
    const data = join(d, 'a');
    mkdirSync(join(data, 'sub'));
    writeFileSync(join(data, 'sub', 'f'), 'f');
    // Enough entries in the top directory for a budget pause before sub is read.
    for (let i = 0; i < 1100; i++) writeFileSync(join(data, `pad${i}`), '');
    let swapped = false;
    const w = done(
      walkDataset(data, all, {
        rate: 1,
        sleep: () => {
          if (!swapped) {
            rmSync(join(data, 'sub'), { recursive: true, force: true });
            symlinkSync(join(d, 'outside'), join(data, 'sub'));
            swapped = true;
          }
          return true;
        },
      }),
    );
    assert.deepEqual(
      w.dirs.map((x) => x.path),
      [''],
      'sub now leads outside: not listed',
    );
    assert.deepEqual(w.unreadable, ['sub']);
  });

  it('counts the bytes of files modified since the previous walk', () => {
    const first = done(walkDataset(dir, all, noSleep));
    assert.equal(first.changedBytes, 0, 'no previous walk');
    const old = new Date(first.startedAt - 60_000);
    utimesSync(join(dir, 'top.dat'), old, old);
    const later = new Date(first.startedAt + 1);
    utimesSync(join(dir, 'a/one.dat'), later, later);
    const second = done(
      walkDataset(dir, all, {
        ...noSleep,
        changedSince: first.startedAt,
        now: () => first.startedAt + 1000,
      }),
    );
    assert.equal(second.changedBytes, 1, 'a/one.dat only');
  });

  it('keeps to the entries-per-second budget and stops when cancelled', () => {
    const many = tree(
      'budget',
      Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`f${i}`, ''])),
    );
    const pauses: number[] = [];
    done(
      walkDataset(many, all, {
        rate: 1000,
        sleep: (ms) => {
          pauses.push(ms);
          return true;
        },
      }),
    );
    assert.ok(pauses.length >= 1 && pauses.every((ms) => ms > 0), `paused ${pauses.length} times`);
    assert.ok(pauses.reduce((a, b) => a + b, 0) > 1000, 'about 3 s of budget for 3001 entries');
    assert.deepEqual(walkDataset(many, all, { rate: 1000, sleep: () => false }), {
      kind: 'cancelled',
    });
  });

  it('fails when the dataset itself cannot be read', () => {
    const o = walkDataset(join(root, 'nope'), all, noSleep);
    assert.equal(o.kind, 'failed');
  });
});

describe('listDirectories', () => {
  const dir = tree('list', { 'a/one.dat': '1', 'outside/secret': 's' });
  symlinkSync(join(dir, 'outside'), join(dir, 'a', 'link'));
  it('lists only directories of the dataset, never through .. or a symlink', () => {
    const data = join(dir, 'a');
    const got = listDirectories(data, ['', '..', '../outside', 'link', 'missing', '/etc'], all);
    assert.deepEqual(got[''], [
      ['link', 'l', (got[''] ?? [])[0]?.[2], (got[''] ?? [])[0]?.[3]],
      ['one.dat', 'f', 1, (got[''] ?? [])[1]?.[3]],
    ]);
    for (const bad of ['..', '../outside', 'link', 'missing', '/etc'])
      assert.equal(got[bad], null, bad);
  });
});

describe('the manifest wire format', () => {
  it('round-trips and rejects what is not a manifest', () => {
    const dir = tree('wire', { 'a/x': 'xx' });
    const w = done(walkDataset(dir, all, noSleep));
    const back = parseManifest(manifestBody('d', 'n', w, 'ns'));
    assert.deepEqual(back.dirs, w.dirs);
    assert.equal(back.mtimeResolution, 'ns');
    assert.throws(() => parseManifest('[]'), /not a JSON object/);
    assert.throws(
      () => parseManifest('{"dirs":[["../x",1,1,"0","0"]],"unreadable":[],"mtimeResolution":"ns"}'),
      /bad directory/,
    );
    assert.throws(
      () => parseManifest('{"dirs":[],"unreadable":[],"mtimeResolution":"day"}'),
      /mtimeResolution/,
    );
    assert.deepEqual(
      { ...parseEntries('{"dirs":{"a":[["x","f",2,"-17"]],"b":null,"__proto__":[]}}') },
      { a: [['x', 'f', 2, '-17']], b: null, ['__proto__']: [] },
      'mtimes before 1970; a directory named __proto__ is just a name',
    );
    assert.throws(() => parseEntries('{"dirs":{"a":[["x","d",2,"17"]]}}'), /bad entry/);
    assert.throws(() => parseEntries('{"dirs":{"a":[["x","f",-1,"17"]]}}'), /bad entry/);
  });
});
