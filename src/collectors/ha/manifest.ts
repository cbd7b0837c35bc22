/**
 * The manifest of a mirrored dataset: what the primary's exporter serves so that the standby can
 * compare its copy without either side shipping contents. One summary per directory (not
 * recursive): its file count, bytes and a hash of its sorted entries (name, type, size, mtime),
 * so a compare of a large tree sends ~70 bytes per directory and fetches file entries only for
 * the directories whose hashes differ (the Merkle idea of Dynamo and Cassandra's anti-entropy,
 * one level deep: a 100,000-file tree has ~1,000 directories, a deeper tree buys nothing).
 *
 * Synchronous readdir/lstat on purpose: this runs in a worker thread (manifest-worker.ts), where
 * sync calls cost about half the CPU of promise-based fs (bench/directory-scan.ts) and a hung
 * filesystem cannot stall the event loop that serves /metrics.
 */
import { createHash } from 'node:crypto';
import {
  lstatSync,
  readdirSync,
  realpathSync,
  statfsSync,
  type BigIntStats,
  type Dirent,
} from 'node:fs';
import { join, matchesGlob } from 'node:path';
import { errorCode } from '../../core/errors.ts';
import { Pace } from '../../core/pace.ts';

/** How two copies of a file are compared. */
export type CompareMode = 'size_and_mtime' | 'size';

/** One file of a directory: regular files and symlinks (a symlink's size is its target's length). */
export type Entry = readonly [name: string, type: 'f' | 'l', size: number, mtimeNs: string];

/** One directory, not recursive. */
export interface DirSummary {
  /** Relative to the dataset, `/`-separated; '' is the dataset's top directory. */
  readonly path: string;
  readonly files: number;
  readonly bytes: number;
  /** Over the sorted entries' name, type, size and mtime (ns). */
  readonly hash: string;
  /** The same without mtimes (compare mode `size`: mirrors that do not keep mtimes). */
  readonly sizeHash: string;
}

/** Which entries of the dataset belong to it. */
export interface DatasetFilter {
  /** Glob patterns a file must match (none: every file). */
  readonly include: readonly string[];
  /** Glob patterns that leave out a file or a whole directory. */
  readonly exclude: readonly string[];
  /** The canary's file name in the top directory: it always differs, it is measured as lag. */
  readonly canary: string;
  /**
   * How precisely the mirror keeps modification times: copies made with utimes() keep
   * microseconds, many tools milliseconds, rsync -a and cp -a nanoseconds. Times closer than
   * this are equal.
   */
  readonly mtimeResolution: MtimeResolution;
}

export const MTIME_RESOLUTIONS = ['ns', 'us', 'ms', 's'] as const;
export type MtimeResolution = (typeof MTIME_RESOLUTIONS)[number];
/** How far the kernel's file timestamps (coarse clock) may lag Date.now(): one jiffy, and more. */
const COARSE_CLOCK_NS = 20_000_000n;

export const RESOLUTION_NS: Record<MtimeResolution, bigint> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
};

/**
 * Whether a pattern matches, with rsync's filter-rule shapes so that a mirror's exclude list can
 * be copied as it is: a trailing `/` matches directories only (`cache/`), a leading `/` anchors at
 * the dataset's top (`/tmp`), a pattern with a slash inside matches the end of the path at a
 * directory boundary (`x/cache` matches `a/x/cache`), and one without a slash the name at any
 * depth (`*.tmp`).
 */
function matches(patterns: readonly string[], rel: string, name: string, isDir: boolean): boolean {
  for (const raw of patterns) {
    let p = raw;
    if (p.endsWith('/')) {
      if (!isDir) continue;
      p = p.slice(0, -1);
    }
    if (p.startsWith('/')) {
      if (matchesGlob(rel, p.slice(1))) return true;
    } else if (!p.includes('/')) {
      if (matchesGlob(name, p)) return true;
    } else {
      for (let tail = rel; ;) {
        if (matchesGlob(tail, p)) return true;
        const slash = tail.indexOf('/');
        if (slash < 0) break;
        tail = tail.slice(slash + 1);
      }
    }
  }
  return false;
}

export function admitsFile(filter: DatasetFilter, rel: string, name: string): boolean {
  // The canary and the temporary file it is written through are measured as lag, not compared.
  if (rel === filter.canary || rel === `${filter.canary}.tmp`) return false;
  if (matches(filter.exclude, rel, name, false)) return false;
  return filter.include.length === 0 || matches(filter.include, rel, name, false);
}

export function admitsDirectory(filter: DatasetFilter, rel: string, name: string): boolean {
  return !matches(filter.exclude, rel, name, true);
}

/** Whether every directory on the way to `rel` is admitted (none excluded). */
function admitsPath(filter: DatasetFilter, rel: string): boolean {
  if (rel === '') return true;
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    if (!admitsDirectory(filter, parts.slice(0, i).join('/'), parts[i - 1] ?? '')) return false;
  }
  return true;
}

const relJoin = (dir: string, name: string) => (dir === '' ? name : `${dir}/${name}`);

/**
 * A directory's summary. Its hash holds mtimes truncated to the resolution the mirror keeps, so
 * equal hashes mean equal copies; a copy whose mtime fell just across a truncation boundary
 * only costs a look at the entries, which are compared within the resolution.
 */
export function summarize(
  path: string,
  entries: readonly Entry[],
  resolution: MtimeResolution = 'ns',
): DirSummary {
  const full = createHash('sha256');
  const sized = createHash('sha256');
  const r = RESOLUTION_NS[resolution];
  let bytes = 0;
  for (const [name, type, size, mtime] of entries) {
    const m = r === 1n ? mtime : String(BigInt(mtime) - (BigInt(mtime) % r));
    full.update(`${name}\0${type}\0${size}\0${m}\n`);
    sized.update(`${name}\0${type}\0${size}\n`);
    bytes += size;
  }
  return {
    path,
    files: entries.length,
    bytes,
    // 16 bytes: a collision between two states of one directory is not a practical concern.
    hash: full.digest('hex').slice(0, 32),
    sizeHash: sized.digest('hex').slice(0, 32),
  };
}

/** What reading one directory gave. */
interface DirListing {
  readonly entries: Entry[];
  readonly subdirs: string[];
  /** Entries that vanished or could not be stat()ed. */
  readonly skipped: number;
}

const NO_THROW = { bigint: true, throwIfNoEntry: false } as const;

/**
 * Lists one directory of the dataset: its admitted files, sorted by name, and its admitted
 * subdirectories. Throws when the directory itself cannot be read.
 */
export function listDirectory(
  root: string,
  rel: string,
  filter: DatasetFilter,
  realRoot: string = realpathSync.native(root),
): DirListing {
  const abs = rel === '' ? root : join(root, rel);
  // The directory must still be itself: one replaced by a symlink since it was queued (or named
  // by a peer) would list what lies outside the dataset.
  if (realpathSync.native(abs) !== (rel === '' ? realRoot : join(realRoot, rel))) {
    throw Object.assign(new Error(`${abs} leads outside the dataset`), { code: 'ELOOP' });
  }
  const dirents: Dirent[] = readdirSync(abs, { withFileTypes: true });
  const entries: Entry[] = [];
  const subdirs: string[] = [];
  let skipped = 0;
  for (const d of dirents) {
    const name = d.name;
    const childRel = relJoin(rel, name);
    let isDir = d.isDirectory();
    let isFile = d.isFile() || d.isSymbolicLink();
    let st: BigIntStats | undefined;
    const typeKnown =
      isDir || isFile || d.isFIFO() || d.isSocket() || d.isBlockDevice() || d.isCharacterDevice();
    if (!typeKnown) {
      // DT_UNKNOWN (some network and FUSE filesystems): the type needs an lstat.
      try {
        st = lstatSync(join(abs, name), NO_THROW);
      } catch {
        st = undefined;
      }
      if (st === undefined) {
        skipped++;
        continue;
      }
      isDir = st.isDirectory();
      isFile = st.isFile() || st.isSymbolicLink();
    }
    if (isDir) {
      if (admitsDirectory(filter, childRel, name)) subdirs.push(childRel);
      continue;
    }
    if (!isFile || !admitsFile(filter, childRel, name)) continue;
    try {
      st ??= lstatSync(join(abs, name), NO_THROW);
    } catch {
      st = undefined;
    }
    if (st === undefined) {
      skipped++; // vanished between readdir and lstat, or unreadable: next walk sees it
      continue;
    }
    entries.push([name, st.isSymbolicLink() ? 'l' : 'f', Number(st.size), String(st.mtimeNs)]);
  }
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { entries, subdirs, skipped };
}

export interface WalkResult {
  /** Every readable directory, sorted by path. */
  readonly dirs: DirSummary[];
  /** Directories that could not be read (left out of the compare on both sides). */
  readonly unreadable: string[];
  readonly files: number;
  readonly bytes: number;
  /** Entries skipped because they vanished or could not be stat()ed. */
  readonly skipped: number;
  /** Bytes of files whose mtime is in [changedSince, startedAt): what was written since the last walk. */
  readonly changedBytes: number;
  /** One hash over every directory's: equal manifests, equal root hashes. */
  readonly rootHash: string;
  /** Wall clock, ms. */
  readonly startedAt: number;
  readonly durationMs: number;
  /**
   * The filesystem holding the dataset, at the end of the walk: statfs in this thread rather than
   * at scrape time, where a hung mount would hold a libuv thread per scrape.
   */
  readonly filesystem: { readonly avail: number; readonly size: number } | undefined;
}

export interface WalkOptions {
  /** Entries per second; 0: unlimited. */
  readonly rate: number;
  /** The previous walk's start (wall ms): files modified since count as changed bytes. */
  readonly changedSince?: number | undefined;
  /** Pauses for the budget; false when the walk was cancelled meanwhile. */
  readonly sleep: (ms: number) => boolean;
  readonly now?: () => number;
}

export type WalkOutcome =
  | { readonly kind: 'done'; readonly result: WalkResult }
  | { readonly kind: 'failed'; readonly error: string }
  | { readonly kind: 'cancelled' };

/** Walks the whole dataset under the entries-per-second budget. */
export function walkDataset(root: string, filter: DatasetFilter, opts: WalkOptions): WalkOutcome {
  const now = opts.now ?? Date.now;
  const startedAt = now();
  const t0 = performance.now();
  // Windows of consecutive walks, each shifted back by a clock tick: the kernel stamps mtimes
  // with its coarse clock, up to a jiffy behind Date.now(), so a file written just after a walk
  // started can carry an earlier time. Shifted alike, the windows still meet, and a file is
  // counted once, by the first walk whose window holds its mtime.
  const since =
    opts.changedSince === undefined
      ? undefined
      : BigInt(opts.changedSince) * 1_000_000n - COARSE_CLOCK_NS;
  const until = BigInt(startedAt) * 1_000_000n - COARSE_CLOCK_NS;
  const dirs: DirSummary[] = [];
  const unreadable: string[] = [];
  let files = 0;
  let bytes = 0;
  let skipped = 0;
  let changedBytes = 0;
  let examined = 0;
  const pace = new Pace(opts.rate);
  const pending = [''];
  let realRoot: string;
  try {
    realRoot = realpathSync.native(root);
  } catch (err) {
    return { kind: 'failed', error: `${root}: ${errorCode(err) ?? String(err)}` };
  }
  for (let rel = pending.pop(); rel !== undefined; rel = pending.pop()) {
    let listing: DirListing;
    try {
      listing = listDirectory(root, rel, filter, realRoot);
    } catch (err) {
      if (rel === '') return { kind: 'failed', error: `${root}: ${errorCode(err) ?? String(err)}` };
      unreadable.push(rel);
      continue;
    }
    dirs.push(summarize(rel, listing.entries, filter.mtimeResolution));
    for (const e of listing.entries) {
      files++;
      bytes += e[2];
      if (since !== undefined) {
        const m = BigInt(e[3]);
        if (m >= since && m < until) changedBytes += e[2];
      }
    }
    skipped += listing.skipped;
    for (let i = listing.subdirs.length - 1; i >= 0; i--) pending.push(listing.subdirs[i] ?? '');
    examined += listing.entries.length + listing.subdirs.length + 1;
    const wait = pace.tick(examined) ?? 0;
    if (wait > 0 && !opts.sleep(wait)) return { kind: 'cancelled' };
  }
  dirs.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const root_ = createHash('sha256');
  for (const d of dirs) root_.update(`${d.path}\0${d.hash}\n`);
  for (const u of unreadable) root_.update(`${u}\0unreadable\n`);
  let fs: { avail: number; size: number } | undefined;
  try {
    const st = statfsSync(root);
    fs = { avail: st.bavail * st.bsize, size: st.blocks * st.bsize };
  } catch {
    fs = undefined;
  }
  return {
    kind: 'done',
    result: {
      dirs,
      unreadable: unreadable.sort(),
      files,
      bytes,
      skipped,
      changedBytes,
      rootHash: root_.digest('hex').slice(0, 32),
      startedAt,
      durationMs: performance.now() - t0,
      filesystem: fs,
    },
  };
}

/** A relative directory path as the manifest writes it: no `.`, `..`, empty parts or leading slash. */
export function isManifestPath(rel: string): boolean {
  if (rel === '') return true;
  return rel
    .split('/')
    .every((part) => part !== '' && part !== '.' && part !== '..' && !part.includes('\0'));
}

/**
 * The entries of some directories now (null: missing, not a directory, unreadable, or reached
 * through a symlink). Each path is checked to resolve to itself under the dataset's real path,
 * so a name asked by a peer can never list anything outside the dataset.
 */
export function listDirectories(
  root: string,
  dirs: readonly string[],
  filter: DatasetFilter,
): Record<string, Entry[] | null> {
  // No prototype: a directory may be called __proto__.
  const out = Object.create(null) as Record<string, Entry[] | null>;
  let realRoot: string | undefined;
  try {
    realRoot = realpathSync.native(root);
  } catch {
    realRoot = undefined;
  }
  for (const rel of dirs) {
    out[rel] = null;
    if (realRoot === undefined || !isManifestPath(rel) || !admitsPath(filter, rel)) continue;
    try {
      out[rel] = listDirectory(root, rel, filter, realRoot).entries;
    } catch {
      out[rel] = null;
    }
  }
  return out;
}

/*
 * The wire format of GET /ha/manifest (JSON, arrays rather than objects: a 100,000-file dataset's
 * summaries are ~70 KB before gzip).
 *   summaries: { dataset, node, mtimeResolution, walkedAt, dirs: [[path, files, bytes, hash, sizeHash]], unreadable: [path] }
 *   entries:   { dataset, dirs: { path: [[name, type, size, mtimeNs]] | null } }
 */

export function manifestBody(
  dataset: string,
  node: string,
  w: WalkResult,
  mtimeResolution: MtimeResolution,
): string {
  return JSON.stringify({
    dataset,
    node,
    mtimeResolution,
    walkedAt: w.startedAt,
    dirs: w.dirs.map((d) => [d.path, d.files, d.bytes, d.hash, d.sizeHash]),
    unreadable: w.unreadable,
  });
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isHash = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{32}$/.test(v);

function parseJsonObject(body: string): Record<string, unknown> {
  const v: unknown = JSON.parse(body);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not a JSON object');
  return v as Record<string, unknown>;
}

/** The peer's directory summaries; throws on anything that is not a manifest. */
export function parseManifest(body: string): {
  dirs: DirSummary[];
  unreadable: string[];
  mtimeResolution: MtimeResolution;
} {
  const o = parseJsonObject(body);
  const mtimeResolution = o.mtimeResolution as MtimeResolution;
  if (!MTIME_RESOLUTIONS.includes(mtimeResolution)) {
    throw new Error('not a manifest: unknown mtimeResolution');
  }
  if (!Array.isArray(o.dirs) || !Array.isArray(o.unreadable)) {
    throw new Error('not a manifest: dirs or unreadable missing');
  }
  const dirs = o.dirs.map((d: unknown): DirSummary => {
    if (!Array.isArray(d)) throw new Error('not a manifest: a directory is not a list');
    const [path, files, bytes, hash, sizeHash] = d as unknown[];
    if (typeof path !== 'string' || !isManifestPath(path) || !isCount(files) || !isCount(bytes)) {
      throw new Error('not a manifest: bad directory summary');
    }
    if (!isHash(hash) || !isHash(sizeHash)) throw new Error('not a manifest: bad directory hash');
    return { path, files, bytes, hash, sizeHash };
  });
  const unreadable = o.unreadable.filter((p): p is string => typeof p === 'string');
  return { dirs, unreadable, mtimeResolution };
}

export function entriesBody(dataset: string, dirs: Record<string, Entry[] | null>): string {
  return JSON.stringify({ dataset, dirs });
}

/** The peer's entries of some directories; throws on anything else. */
export function parseEntries(body: string): Record<string, Entry[] | null> {
  const o = parseJsonObject(body);
  const dirs = o.dirs;
  if (typeof dirs !== 'object' || dirs === null || Array.isArray(dirs)) {
    throw new Error('not a directory listing: dirs missing');
  }
  const out = Object.create(null) as Record<string, Entry[] | null>;
  for (const [path, list] of Object.entries(dirs as Record<string, unknown>)) {
    if (list === null) {
      out[path] = null;
      continue;
    }
    if (!Array.isArray(list)) throw new Error('not a directory listing: entries not a list');
    out[path] = list.map((e: unknown): Entry => {
      if (!Array.isArray(e)) throw new Error('not a directory listing: bad entry');
      const [name, type, size, mtime] = e as unknown[];
      if (
        typeof name !== 'string' ||
        (type !== 'f' && type !== 'l') ||
        !isCount(size) ||
        typeof mtime !== 'string' ||
        !/^-?\d+$/.test(mtime)
      ) {
        throw new Error('not a directory listing: bad entry');
      }
      return [name, type, size, mtime];
    });
  }
  return out;
}
