/** Trees of known content for the directory collector's tests. */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  ftruncateSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory under /tmp, removed after the test. */
export function tempRoot(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'patrol-dir-test-'));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

export function file(path: string, size: number, mtimeSeconds: number): void {
  writeFileSync(path, Buffer.alloc(size, 'x'));
  utimesSync(path, mtimeSeconds, mtimeSeconds);
}

/** What `known()` holds. */
export const KNOWN = {
  // a.txt 10 + b.bin 5000 + sub/c.log 4096 + sub/deep/d.txt 1 + sparse 1 MiB (no blocks);
  // sub/a-link is a hard link to a.txt: counted once.
  sizeBytes: 10 + 5000 + 4096 + 1 + 1_048_576,
  files: 5,
  oldestSeconds: 1_000_000_000,
  newestSeconds: 1_700_000_000.25,
} as const;

/**
 * root/a.txt, b.bin, sparse, sub/{c.log, a-link (hard link to a.txt), deep/d.txt}, empty/,
 * link-to-b (symlink to b.bin).
 */
export function known(root: string): void {
  file(join(root, 'a.txt'), 10, 1_000_000_000);
  file(join(root, 'b.bin'), 5000, 1_500_000_000);
  const fd = openSync(join(root, 'sparse'), 'w');
  ftruncateSync(fd, 1_048_576);
  closeSync(fd);
  utimesSync(join(root, 'sparse'), 1_200_000_000, 1_200_000_000);
  mkdirSync(join(root, 'sub', 'deep'), { recursive: true });
  file(join(root, 'sub', 'c.log'), 4096, 1_600_000_000);
  file(join(root, 'sub', 'deep', 'd.txt'), 1, 1_700_000_000.25);
  linkSync(join(root, 'a.txt'), join(root, 'sub', 'a-link'));
  mkdirSync(join(root, 'empty'));
  symlinkSync('b.bin', join(root, 'link-to-b'));
}

/** `du -s -B1`: what disk_usage_bytes must equal (du's complaints about bad symlinks ignored). */
export function duBytes(path: string, ...flags: string[]): number {
  const du = spawnSync('du', ['-s', '-B1', ...flags, path], { encoding: 'utf8' });
  const bytes = Number(du.stdout.split('\t')[0]);
  if (du.stdout === '' || !Number.isFinite(bytes))
    throw new Error(`du -s -B1 ${flags.join(' ')} ${path} failed: ${du.stderr}`);
  return bytes;
}
