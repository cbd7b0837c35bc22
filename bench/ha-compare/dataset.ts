/** bench/ha-compare.ts, the dataset: where it goes and the tree of small files written there. */
import { mkdirSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from '../lib/peers.ts';
import { dirs, files } from './options.ts';

/** A directory on a real disk for the dataset: os.tmpdir() unless it is a tmpfs. */
export function dataParent(): string {
  const TMPFS_MAGIC = 0x01021994;
  const t = tmpdir();
  try {
    if (statfsSync(t).type !== TMPFS_MAGIC) return t;
  } catch {
    // fall through
  }
  return dirname(ROOT.replace(/\/$/, ''));
}

/** Leaf directories as `a/b/c` (10 x 10 x 10 for 1,000), each holding files / dirs files. */
export function leafDirs(): string[] {
  const side = Math.max(1, Math.round(Math.cbrt(dirs)));
  const out: string[] = [];
  for (let i = 0; out.length < dirs; i++) {
    const a = Math.floor(i / (side * side));
    const b = Math.floor(i / side) % side;
    const c = i % side;
    out.push(`t${a}/m${b}/l${c}`);
  }
  return out;
}

export function generate(
  root: string,
  leaves: readonly string[],
): { bytes: number; dirCount: number } {
  const blob = Buffer.alloc(2048, 'patrol bench data\n');
  const perDir = Math.floor(files / leaves.length);
  let extra = files - perDir * leaves.length;
  let bytes = 0;
  const made = new Set<string>();
  let n = 0;
  for (const leaf of leaves) {
    mkdirSync(join(root, leaf), { recursive: true });
    const parts = leaf.split('/');
    for (let i = 1; i <= parts.length; i++) made.add(parts.slice(0, i).join('/'));
    const count = perDir + (extra-- > 0 ? 1 : 0);
    for (let f = 0; f < count; f++, n++) {
      const size = (n * 7919) % 2049;
      writeFileSync(join(root, leaf, `f${String(f).padStart(3, '0')}.dat`), blob.subarray(0, size));
      bytes += size;
    }
  }
  return { bytes, dirCount: made.size + 1 };
}
