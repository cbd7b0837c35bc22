import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { secretFile } from '../config/fields.ts';
import { formatIssues } from '../config/load.ts';
import { readSecretFile } from './secret.ts';

const dir = mkdtempSync(join(tmpdir(), 'patrol-secret-'));
const file = (name: string, content: string, mode = 0o600) => {
  const path = join(dir, name);
  writeFileSync(path, content, { mode });
  chmodSync(path, mode); // writeFileSync's mode is filtered by the umask
  return path;
};

describe('readSecretFile', () => {
  it('reads the secret without the trailing newline', () => {
    assert.equal(readSecretFile(file('ok', 's3cret\n')), 's3cret');
  });

  it('refuses a missing, empty, world-readable or too short file, naming the path', () => {
    const missing = join(dir, 'missing');
    assert.throws(() => readSecretFile(missing), { message: `${missing}: no such file` });
    const empty = file('empty', '\n');
    assert.throws(() => readSecretFile(empty), { message: `${empty}: empty` });
    const open = file('open', 's3cret\n', 0o644);
    assert.throws(() => readSecretFile(open), {
      message: `${open}: readable by every user (mode 0644); run chmod o-r ${open}`,
    });
    const short = file('short', 'abc\n');
    assert.throws(() => readSecretFile(short, 16), /at least 16 characters/);
    const sub = join(dir, 'sub');
    mkdirSync(sub, { mode: 0o700 });
    assert.throws(() => readSecretFile(sub), /not a regular file/);
  });

  it('refuses a file patrol may not read', () => {
    // As root, read it as nobody (root reads anything); otherwise take the owner's right away.
    const root = process.geteuid?.() === 0;
    const locked = file('locked', 's3cret\n', root ? 0o600 : 0o000);
    if (root) process.seteuid?.(65534);
    try {
      assert.throws(() => readSecretFile(locked), /may not read it/);
    } finally {
      if (root) process.seteuid?.(0);
    }
  });
});

describe('secretFile (config field)', () => {
  it('stops the configuration with the field path and the reason', () => {
    const schema = z.strictObject({ password_file: secretFile('test') });
    const r = schema.safeParse({ password_file: join(dir, 'nope') });
    assert.equal(r.success, false);
    assert.deepEqual(formatIssues(r.error?.issues ?? [], schema), [
      `password_file: ${join(dir, 'nope')}: no such file`,
    ]);
    const rel = schema.safeParse({ password_file: 'relative' });
    assert.match(formatIssues(rel.error?.issues ?? [], schema).join(), /must be an absolute path/);
    assert.equal(
      schema.parse({ password_file: file('good', 'x\n') }).password_file,
      join(dir, 'good'),
    );
    assert.equal(schema.parse({}).password_file, undefined, 'optional');
  });
});
