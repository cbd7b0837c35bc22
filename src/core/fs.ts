import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Replaces a file's content atomically and durably: a temporary file beside it (`<path>.tmp`,
 * so a pattern that admits the file admits it too), fsync, rename over the old one, fsync of
 * the directory (without it the rename itself may not survive a power cut). A reader sees the
 * old content or the new, never half of either. Synchronous on purpose: callers run it in a
 * worker thread or for a few bytes, and a half-done save must not interleave with the next.
 * `mode` is narrowed by the process's umask (UMask=0077 under deploy/patrol.service) unless
 * `exactMode` says the file must have it whatever the umask (a file another program reads).
 */
export function writeFileAtomic(
  path: string,
  text: string,
  mode = 0o644,
  { exactMode = false }: { exactMode?: boolean } = {},
): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    if (exactMode) fchmodSync(fd, mode);
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
