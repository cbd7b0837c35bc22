/**
 * Pure aggregation for directory scans: what to add up for each inode met, how to merge the
 * partial tallies of parallel walkers, how to name an error, how long to pause for the I/O
 * budget. No I/O here; walk.ts feeds it from lstat().
 */
import { ERROR_REASONS, type ErrorReason } from './metrics.ts';

/** The fields of fs.Stats that a scan uses. */
export interface StatLike {
  readonly dev: number;
  readonly ino: number;
  readonly nlink: number;
  readonly size: number;
  readonly blocks: number;
  readonly mtimeMs: number;
}

export type ErrorCounts = Record<ErrorReason, number>;

export function zeroErrors(): ErrorCounts {
  return { permission: 0, vanished: 0, loop: 0, other: 0 };
}

/** One example per reason, for a single log line per path and reason. */
export interface ErrorSample {
  readonly path: string;
  readonly code: string;
}

/** An inode with several names, kept aside so that it is counted once across all walkers. */
export type LinkedInode = readonly [key: string, isFile: boolean, size: number, blocks: number];

/** What one walker found in its share of a tree; structured-cloneable (crosses postMessage). */
export interface PartialTally {
  size: number;
  blocks: number;
  files: number;
  /** Milliseconds since the epoch; Infinity / -Infinity when no file was seen. */
  oldestMs: number;
  newestMs: number;
  entries: number;
  errors: ErrorCounts;
  samples: Partial<Record<ErrorReason, ErrorSample>>;
  linked: LinkedInode[];
}

/** The outcome of walking one whole tree. */
export interface ScanTotals {
  /** Sum of st_size over regular files (hard links once). */
  readonly sizeBytes: number;
  /** Sum of st_blocks * 512 over every inode, the root included (hard links once): `du -s -B1`. */
  readonly diskUsageBytes: number;
  readonly files: number;
  /** Seconds since the epoch; undefined when there is no regular file. */
  readonly oldestSeconds: number | undefined;
  readonly newestSeconds: number | undefined;
  /** Directory entries examined (one lstat each), the unit of the I/O budget. */
  readonly entries: number;
  readonly errors: ErrorCounts;
  readonly samples: Partial<Record<ErrorReason, ErrorSample>>;
}

const inodeKey = (st: StatLike): string => `${st.dev}:${st.ino}`;

/** Accumulates one walker's findings. */
export class Tally {
  readonly #t: PartialTally = {
    size: 0,
    blocks: 0,
    files: 0,
    oldestMs: Infinity,
    newestMs: -Infinity,
    entries: 0,
    errors: zeroErrors(),
    samples: {},
    linked: [],
  };
  readonly #linked = new Map<string, LinkedInode>();
  /** dev -> inodes already counted; only when every inode must be deduplicated. */
  readonly #seen: Map<number, Set<number>> | undefined;

  /**
   * `dedupeAll`: remember every inode, not only those with several names. Needed when
   * following symlinks (a file or device may then be reached under several paths; `du -L`
   * does the same); costs memory per file, so off otherwise. Deduplication across walkers
   * covers only inodes with nlink > 1, so a walk that follows symlinks uses one walker.
   */
  constructor(opts: { dedupeAll?: boolean } = {}) {
    this.#seen = opts.dedupeAll === true ? new Map() : undefined;
  }

  /** False when this inode was already counted (so it must be skipped). */
  #first(st: StatLike): boolean {
    const seen = this.#seen;
    if (seen === undefined) return true;
    let inodes = seen.get(st.dev);
    if (inodes === undefined) {
      inodes = new Set();
      seen.set(st.dev, inodes);
    }
    if (inodes.has(st.ino)) return false;
    inodes.add(st.ino);
    return true;
  }

  /** A regular file. */
  file(st: StatLike): void {
    const t = this.#t;
    const m = st.mtimeMs;
    if (m < t.oldestMs) t.oldestMs = m;
    if (m > t.newestMs) t.newestMs = m;
    if (st.nlink > 1) {
      const key = inodeKey(st);
      if (!this.#linked.has(key)) this.#linked.set(key, [key, true, st.size, st.blocks]);
      return;
    }
    if (this.#seen !== undefined && !this.#first(st)) return;
    t.files++;
    t.size += st.size;
    t.blocks += st.blocks;
  }

  /** A directory: only its own blocks count (du counts them too). The walker visits each once. */
  directory(st: StatLike): void {
    this.#t.blocks += st.blocks;
  }

  /** A symlink, socket, fifo or device: its blocks (usually 0) count, like du. */
  other(st: StatLike): void {
    if (st.nlink > 1) {
      const key = inodeKey(st);
      if (!this.#linked.has(key)) this.#linked.set(key, [key, false, 0, st.blocks]);
      return;
    }
    if (this.#seen !== undefined && !this.#first(st)) return;
    this.#t.blocks += st.blocks;
  }

  /** `n` more entries examined. */
  examined(n = 1): void {
    this.#t.entries += n;
  }

  get entries(): number {
    return this.#t.entries;
  }

  error(reason: ErrorReason, path: string, code: string): void {
    this.#t.errors[reason]++;
    this.#t.samples[reason] ??= { path, code };
  }

  /** A plain copy to post to the coordinator. */
  partial(): PartialTally {
    return {
      ...this.#t,
      errors: { ...this.#t.errors },
      samples: { ...this.#t.samples },
      linked: [...this.#linked.values()],
    };
  }
}

/** Adds up the partial tallies of the walkers that shared one tree, counting linked inodes once. */
export function mergeTallies(parts: readonly PartialTally[]): ScanTotals {
  let size = 0;
  let blocks = 0;
  let files = 0;
  let oldestMs = Infinity;
  let newestMs = -Infinity;
  let entries = 0;
  const errors = zeroErrors();
  const samples: Partial<Record<ErrorReason, ErrorSample>> = {};
  const seen = new Set<string>();
  for (const p of parts) {
    size += p.size;
    blocks += p.blocks;
    files += p.files;
    if (p.oldestMs < oldestMs) oldestMs = p.oldestMs;
    if (p.newestMs > newestMs) newestMs = p.newestMs;
    entries += p.entries;
    for (const r of ERROR_REASONS) {
      errors[r] += p.errors[r];
      const s = p.samples[r];
      if (s !== undefined) samples[r] ??= s;
    }
    for (const [key, isFile, sz, bl] of p.linked) {
      if (seen.has(key)) continue;
      seen.add(key);
      blocks += bl;
      if (isFile) {
        files++;
        size += sz;
      }
    }
  }
  return {
    sizeBytes: size,
    diskUsageBytes: blocks * 512,
    files,
    oldestSeconds: files > 0 ? oldestMs / 1000 : undefined,
    newestSeconds: files > 0 ? newestMs / 1000 : undefined,
    entries,
    errors,
    samples,
  };
}

/** Maps an errno code to the bounded `reason` label. */
export function errorReason(code: string | undefined): ErrorReason {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission';
    case 'ENOENT':
    case 'ENOTDIR':
      return 'vanished';
    case 'ELOOP':
      return 'loop';
    default:
      return 'other';
  }
}
