import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  fingerprint,
  FINGERPRINT_BYTES,
  loadPositions,
  parsePositions,
  savePositions,
  serialize,
  type FilePosition,
} from './positions.ts';

async function dir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'patrol-positions-'));
  t.after(() => rm(d, { recursive: true, force: true }));
  return d;
}

const entry = (over: Partial<FilePosition> = {}): FilePosition => ({
  source: 'nginx',
  path: '/var/log/nginx/error.log',
  dev: '2049',
  // Beyond 2^53: kept exact as a string.
  ino: '18446744073709551557',
  fp: fingerprint(Buffer.from('2026/11/21 09:00:00 [error] 1#1: first line\n')),
  fpLen: 44,
  offset: 123_456,
  updated: 1_795_255_000,
  ...over,
});

describe('positions', () => {
  it('saves and loads what it saved, inode numbers beyond 2^53 exact', async (t) => {
    const d = await dir(t);
    const path = join(d, 'positions.json');
    const files = [
      entry(),
      entry({ source: 'rabbitmq', path: '/var/log/rabbitmq/x.log', eventKey: '<0.1.0>' }),
    ];
    savePositions(path, { files, sources: ['nginx'] });
    assert.deepEqual(loadPositions(path), { files, sources: ['nginx'] });
    assert.deepEqual(await readdir(d), ['positions.json'], 'no temporary file left');
    // Saving again replaces the whole file.
    savePositions(path, { files: [entry({ offset: 0 })], sources: [] });
    assert.deepEqual(loadPositions(path).files, [entry({ offset: 0 })]);
  });

  it('has no positions before the first save', async (t) => {
    const d = await dir(t);
    assert.deepEqual(loadPositions(join(d, 'positions.json')), { files: [], sources: [] });
  });

  it('moves a file that is not positions aside, says why, and starts afresh', async (t) => {
    const d = await dir(t);
    const path = join(d, 'positions.json');
    for (const [text, why] of [
      ['\u0000\u0001garbage', /not JSON/],
      ['{"version":2,"files":[]}', /version/],
      [JSON.stringify({ version: 1, files: [{ ...entry(), offset: -1 }] }), /files\.0\.offset/],
      [JSON.stringify({ version: 1, files: [{ ...entry(), ino: 12 }] }), /files\.0\.ino/],
    ] as const) {
      await writeFile(path, text);
      const loaded = loadPositions(path);
      assert.deepEqual(loaded.files, []);
      assert.match(loaded.problem ?? '', why);
      assert.match(loaded.problem ?? '', /moved to .*positions\.json\.corrupt/);
      assert.equal(existsSync(path), false);
      assert.equal(await readFile(`${path}.corrupt`, 'utf8'), text, 'kept for a human');
    }
  });

  it('ignores a temporary file left by a save that was cut short', async (t) => {
    const d = await dir(t);
    const path = join(d, 'positions.json');
    savePositions(path, { files: [entry()], sources: [] });
    await writeFile(`${path}.tmp`, '{"version":1,"fi');
    assert.deepEqual(loadPositions(path).files, [entry()]);
    savePositions(path, { files: [entry({ offset: 7 })], sources: [] });
    assert.deepEqual(loadPositions(path).files, [entry({ offset: 7 })]);
  });

  it('fingerprints the first bytes: same head, same print; one byte more, another', () => {
    const head = Buffer.from('Nov 21 09:00:00 host kernel: Linux version 6.1\n');
    assert.equal(fingerprint(head), fingerprint(Buffer.from(head)));
    assert.notEqual(fingerprint(head), fingerprint(Buffer.concat([head, Buffer.from('x')])));
    assert.match(fingerprint(Buffer.alloc(0)), /^[0-9a-f]{64}$/);
    assert.equal(FINGERPRINT_BYTES, 1024);
  });

  it('parses exactly what it serializes, and refuses unknown keys', () => {
    const files = [entry()];
    assert.deepEqual(parsePositions(serialize(files, ['a'])), { files, sources: ['a'] });
    assert.throws(
      () => parsePositions(JSON.stringify({ version: 1, files: [{ ...entry(), extra: 1 }] })),
      /not a positions file/,
    );
  });
});
