/**
 * Comparing the standby's copy of a dataset with the primary's manifest, pure: which directories
 * need their entries fetched, what differs in them, and which differences are real rather than
 * changes still in flight through the mirror.
 */
import {
  RESOLUTION_NS,
  type CompareMode,
  type DirSummary,
  type Entry,
  type MtimeResolution,
} from './manifest.ts';

/** One difference found by one compare. */
export interface Finding {
  /** Identifies the path and the kind of difference. */
  readonly key: string;
  /**
   * The primary's state of it (the standby's for an extra file): a difference counts only when a
   * second compare finds it again with the same signature.
   */
  readonly signature: string;
  readonly kind: 'missing' | 'out_of_sync' | 'extra';
  readonly files: number;
  /** The primary's bytes (the standby's for an extra file). */
  readonly bytes: number;
}

const hashOf = (d: DirSummary, mode: CompareMode) => (mode === 'size' ? d.sizeHash : d.hash);

/** Whether a path is one of these directories or lies below one. */
function under(path: string, dirs: ReadonlySet<string>): boolean {
  if (dirs.size === 0) return false;
  for (let p = path; ; p = p.slice(0, p.lastIndexOf('/'))) {
    if (dirs.has(p)) return true;
    if (!p.includes('/')) return dirs.has('');
  }
}

/**
 * Matches the two lists of directory summaries and says which directories to list on both
 * sides: those whose hashes differ and those with files that only one side has. Every finding
 * then comes from listings made at the same moment, never from a summary, which may be as old as
 * the primary's last walk. Directories either side could not read, and everything below them,
 * are left out (their state is unknown, not different).
 */
export function planCompare(
  primary: readonly DirSummary[],
  standby: readonly DirSummary[],
  unreadable: ReadonlySet<string>,
  mode: CompareMode,
): string[] {
  const mine = new Map(standby.map((d) => [d.path, d]));
  const fetch: string[] = [];
  for (const p of primary) {
    const s = mine.get(p.path);
    mine.delete(p.path);
    if (under(p.path, unreadable)) continue;
    if (s === undefined ? p.files > 0 : hashOf(p, mode) !== hashOf(s, mode)) fetch.push(p.path);
  }
  for (const s of mine.values()) {
    if (s.files > 0 && !under(s.path, unreadable)) fetch.push(s.path);
  }
  return fetch;
}

const join = (dir: string, name: string) => (dir === '' ? name : `${dir}/${name}`);
const state = (e: Entry) => `${e[1]}:${e[2]}:${e[3]}`;

/** Whether two mtimes (ns, decimal) are closer than the resolution. */
function sameTime(a: string, b: string, resolution: MtimeResolution): boolean {
  if (a === b) return true;
  const d = BigInt(a) - BigInt(b);
  return (d < 0n ? -d : d) < RESOLUTION_NS[resolution];
}

/** The differences between one directory's entries on the primary and on the standby. */
export function diffDirectory(
  dir: string,
  primary: readonly Entry[],
  standby: readonly Entry[],
  mode: CompareMode,
  resolution: MtimeResolution = 'ns',
): Finding[] {
  const mine = new Map(standby.map((e) => [e[0], e]));
  const out: Finding[] = [];
  for (const p of primary) {
    const path = join(dir, p[0]);
    const s = mine.get(p[0]);
    mine.delete(p[0]);
    if (s === undefined) {
      out.push({
        key: `missing:${path}`,
        signature: state(p),
        kind: 'missing',
        files: 1,
        bytes: p[2],
      });
      continue;
    }
    const same =
      p[1] === s[1] && p[2] === s[2] && (mode === 'size' || sameTime(p[3], s[3], resolution));
    if (!same) {
      out.push({
        key: `out_of_sync:${path}`,
        signature: state(p),
        kind: 'out_of_sync',
        files: 1,
        bytes: p[2],
      });
    }
  }
  for (const s of mine.values()) {
    out.push({
      key: `extra:${join(dir, s[0])}`,
      signature: state(s),
      kind: 'extra',
      files: 1,
      bytes: s[2],
    });
  }
  return out;
}

export interface Divergence {
  readonly outOfSyncFiles: number;
  readonly missingFiles: number;
  readonly extraFiles: number;
  /** What the mirror still has to ship: the primary's bytes of the missing and out-of-sync files. */
  readonly outOfSyncBytes: number;
}

/**
 * Counts only differences seen in two consecutive compares with the same signature. The two
 * walks happen at different instants and the mirror ships with a delay, so a file just written
 * on the primary differs once; a copy that is really wrong differs again a compare later while
 * the primary's file stays as it was. A file the primary keeps rewriting is in flight by
 * definition and is measured by the lag instead.
 */
export class DivergenceTracker {
  #previous = new Map<string, string>();

  confirm(findings: readonly Finding[]): Divergence {
    const next = new Map<string, string>();
    let outOfSyncFiles = 0;
    let missingFiles = 0;
    let extraFiles = 0;
    let outOfSyncBytes = 0;
    for (const f of findings) {
      next.set(f.key, f.signature);
      if (this.#previous.get(f.key) !== f.signature) continue;
      if (f.kind === 'missing') {
        missingFiles += f.files;
        outOfSyncBytes += f.bytes;
      } else if (f.kind === 'out_of_sync') {
        outOfSyncFiles += f.files;
        outOfSyncBytes += f.bytes;
      } else {
        extraFiles += f.files;
      }
    }
    this.#previous = next;
    return { outOfSyncFiles, missingFiles, extraFiles, outOfSyncBytes };
  }

  /** Forgets what was seen (the primary changed: its manifest is another node's). */
  reset(): void {
    this.#previous.clear();
  }
}
