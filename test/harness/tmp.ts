import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scope } from './process.ts';

/** A fresh temporary directory, removed when `scope` ends. */
export async function tempDir(scope: Scope, prefix = 'patrol-e2e-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  scope.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
