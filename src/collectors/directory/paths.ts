/**
 * Turns the configured paths into the directories to scan, once per scan cycle. Plain paths are
 * always kept (a missing one must show up as patrol_directory_up 0); glob patterns contribute
 * the directories they match now (files are ignored), so a directory that stops matching drops
 * out and its series vanish.
 */
import { glob, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errorCode } from '../../core/errors.ts';
import { isGlob } from '../../core/glob.ts';
import { fromRootfs, inRootfs, type HostPaths } from '../../core/host-paths.ts';

export interface Expansion {
  /** Absolute paths, plain ones first in configuration order, then each glob's matches sorted. */
  readonly paths: string[];
  /** Matches beyond max_paths, dropped. */
  readonly overflow: number;
  /** Globs that matched no directory this time. */
  readonly empty: string[];
}

export interface ExpandDeps {
  glob: (pattern: string) => AsyncIterable<string>;
  isDirectory: (path: string) => Promise<boolean>;
}

const realDeps: ExpandDeps = {
  glob: (pattern) => glob(pattern),
  isDirectory: async (path) => {
    try {
      return (await stat(path)).isDirectory();
    } catch (err) {
      // Gone between the glob and the stat, or unreadable: not a match this time.
      if (errorCode(err) !== undefined) return false;
      throw err;
    }
  },
};

export async function expandPaths(
  patterns: readonly string[],
  maxPaths: number,
  deps: ExpandDeps = realDeps,
): Promise<Expansion> {
  const chosen = new Set<string>();
  let overflow = 0;
  const empty: string[] = [];
  const add = (p: string) => {
    if (chosen.has(p)) return;
    if (chosen.size < maxPaths) chosen.add(p);
    else overflow++;
  };
  for (const p of patterns) if (!isGlob(p)) add(resolve(p));
  for (const pattern of patterns) {
    if (!isGlob(pattern)) continue;
    const matches: string[] = [];
    for await (const m of deps.glob(pattern)) {
      const abs = resolve(m);
      if (await deps.isDirectory(abs)) matches.push(abs);
    }
    if (matches.length === 0) empty.push(pattern);
    for (const m of matches.sort()) add(m);
  }
  return { paths: [...chosen], overflow, empty };
}

/**
 * expandPaths for configured paths that are the host's (--path.rootfs): expanded under the
 * rootfs, answered as the host's paths, so labels and logs name what the operator configured.
 * With rootfs "/" it is expandPaths itself.
 */
export async function expandHostPaths(
  patterns: readonly string[],
  maxPaths: number,
  host: HostPaths,
  expand: (patterns: readonly string[], maxPaths: number) => Promise<Expansion> = expandPaths,
): Promise<Expansion> {
  if (host.rootfs === '/') return expand(patterns, maxPaths);
  const configured = new Map(patterns.map((p) => [inRootfs(host, p), p]));
  const r = await expand([...configured.keys()], maxPaths);
  return {
    paths: r.paths.flatMap((p) => fromRootfs(host, p) ?? []),
    overflow: r.overflow,
    empty: r.empty.map((p) => configured.get(p) ?? p),
  };
}
