/**
 * The walk itself: synchronous readdir + lstat, meant to run inside a worker thread (see
 * pool.ts for why) and usable inline in tests. Every problem with one entry is counted in the
 * Tally and skipped; only a root that cannot be opened fails the walk.
 */
import { lstatSync, readdirSync, statSync, type Stats } from 'node:fs';
import { errorCode } from '../../core/errors.ts';
import { Pace } from '../../core/pace.ts';
import { errorReason, type Tally } from './tally.ts';
import type { ErrorReason } from './metrics.ts';

export interface WalkOptions {
  /** Descend into symlinked directories (each directory once: seen again -> `loop`). */
  readonly followSymlinks: boolean;
  /** Entries this walker may examine per second; 0: unlimited. */
  readonly rate: number;
}

export interface WalkHooks {
  /** Pause for `ms` milliseconds; false when the scan was cancelled meanwhile. */
  sleep(ms: number): boolean;
  /**
   * Called every few hundred entries with the walker's pending directories (it may take some
   * away to hand them to an idle walker); false stops the walk (cancelled).
   */
  checkpoint(pending: string[]): boolean;
}

export type WalkOutcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'cancelled' }
  /** The root itself is missing, unreadable or not a directory. */
  | { readonly kind: 'root-failed'; readonly reason: ErrorReason; readonly code: string };

export const noHooks: WalkHooks = { sleep: () => true, checkpoint: () => true };

const NO_THROW = { throwIfNoEntry: false } as const;
const COUNTED = Symbol('error counted');

/**
 * lstat or stat of one entry: its Stats, undefined when it vanished (ENOENT, without the cost
 * of an exception), or COUNTED when another error was counted by reason on the tally.
 */
function statCounted(
  stat: typeof lstatSync,
  path: string,
  tally: Tally,
): Stats | undefined | typeof COUNTED {
  try {
    return stat(path, NO_THROW);
  } catch (err) {
    const code = errorCode(err) ?? 'UNKNOWN';
    tally.error(errorReason(code), path, code);
    return COUNTED;
  }
}
const inodeKey = (st: Stats): string => `${st.dev}:${st.ino}`;

/**
 * Opens `root` (a symlink given as root is followed, like `du -H`), counts the root directory's
 * own blocks and lists it, then walks everything below. `visited` (dev:ino of directories) is
 * needed only when following symlinks, and then `tally` must be a Tally({ dedupeAll: true }).
 */
export function walkRoot(
  root: string,
  tally: Tally,
  opts: WalkOptions,
  hooks: WalkHooks = noHooks,
  visited: Set<string> = new Set(),
): WalkOutcome {
  let st: Stats;
  let names: string[];
  try {
    st = statSync(root);
    if (!st.isDirectory()) return { kind: 'root-failed', reason: 'other', code: 'ENOTDIR' };
    names = readdirSync(root);
  } catch (err) {
    const code = errorCode(err) ?? 'UNKNOWN';
    return { kind: 'root-failed', reason: errorReason(code), code };
  }
  tally.directory(st);
  if (opts.followSymlinks) visited.add(inodeKey(st));
  return walk([], tally, opts, hooks, visited, { dir: root, names });
}

/**
 * Walks the directories in `pending` (a stack: it is consumed) and everything below them.
 * Their own blocks were counted by whoever found them.
 */
export function walk(
  pending: string[],
  tally: Tally,
  opts: WalkOptions,
  hooks: WalkHooks = noHooks,
  visited: Set<string> = new Set(),
  first?: { dir: string; names: string[] },
): WalkOutcome {
  const { followSymlinks, rate } = opts;
  const pace = new Pace(rate);
  let current = first;
  for (;;) {
    let dir: string;
    let names: string[];
    if (current !== undefined) {
      ({ dir, names } = current);
      current = undefined;
    } else {
      const next = pending.pop();
      if (next === undefined) return { kind: 'done' };
      dir = next;
      try {
        names = readdirSync(dir);
      } catch (err) {
        const code = errorCode(err) ?? 'UNKNOWN';
        tally.error(errorReason(code), dir, code);
        continue;
      }
    }
    const prefix = dir.endsWith('/') ? dir : dir + '/';
    for (const name of names) {
      const delay = pace.tick(tally.entries);
      if (delay !== undefined) {
        if (delay > 0 && !hooks.sleep(delay)) return { kind: 'cancelled' };
        if (!hooks.checkpoint(pending)) return { kind: 'cancelled' };
      }
      const path = prefix + name;
      tally.examined();
      const st = statCounted(lstatSync, path, tally);
      if (st === COUNTED) continue;
      if (st === undefined) {
        tally.error('vanished', path, 'ENOENT');
      } else if (st.isFile()) {
        tally.file(st);
      } else if (st.isDirectory()) {
        if (followSymlinks) {
          const key = inodeKey(st);
          // Reached before through a symlink: already counted.
          if (visited.has(key)) continue;
          visited.add(key);
        }
        tally.directory(st);
        pending.push(path);
      } else if (followSymlinks && st.isSymbolicLink()) {
        followLink(path, st, tally, pending, visited);
      } else {
        tally.other(st);
      }
    }
  }
}

function followLink(
  path: string,
  link: Stats,
  tally: Tally,
  pending: string[],
  visited: Set<string>,
): void {
  const target = statCounted(statSync, path, tally);
  if (target === COUNTED) return;
  if (target === undefined) {
    // A dangling symlink (a rotated log's `current` link...): just the link itself.
    tally.other(link);
  } else if (target.isDirectory()) {
    const key = inodeKey(target);
    if (visited.has(key)) {
      tally.error('loop', path, 'ELOOP');
      return;
    }
    visited.add(key);
    tally.directory(target);
    pending.push(path);
  } else if (target.isFile()) {
    // The target may also be reached under its own name: the Tally of a walk that follows
    // symlinks remembers every inode (dedupeAll) and counts it once.
    tally.file(target);
  } else {
    tally.other(target);
  }
}
