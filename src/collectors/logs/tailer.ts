/**
 * Follows the files of every log source and counts their entries (issue 5). Synchronous on
 * purpose: it runs alone in a worker thread (worker.ts), where blocking calls cost nothing and
 * one pread into a reused buffer beats a stream (no per-chunk allocation, no thread-pool round
 * trip, and the descriptor stays open across rotations).
 *
 * Written by hand rather than taken from npm: no tail package keeps the descriptor open, reads
 * a renamed file to its end, tells truncation from rotation and persists identity-checked
 * offsets (the `tail` package reopens by path and drops lines around a rename). The rules,
 * after mtail, promtail, fluent-bit, Vector and filebeat and the bugs reported against them:
 *
 * - A file is known by device and inode plus its first bytes (up to 1 KiB): an inode is reused
 *   after delete and create, identical headers are common.
 * - Rotation: the path now names another inode, or nothing. The old descriptor keeps being read
 *   ("draining") until it has been at its end and idle for DRAIN_IDLE_MS (the writer may still
 *   append until logrotate's postrotate makes it reopen), then it is closed, deleted or not, so
 *   no descriptor leaks. The new file at the path is read from its start.
 * - Truncation (copytruncate): the size went below what was read, or the first bytes changed.
 *   What logrotate copied is read from the copy (a sibling with the same first bytes) from the
 *   old offset; what was written between its copy and its truncate is gone, and counted in
 *   patrol_log_lost_bytes_total as far as it was seen. Reading restarts at 0.
 * - Positions are saved atomically (positions.ts) every save_interval and at close, and only
 *   up to the end of the last complete line, so a graceful restart neither counts a line twice
 *   nor skips one. Renames and truncations that happened while the exporter was down are found
 *   again from the saved inode and first bytes.
 */
import {
  closeSync,
  constants,
  fstatSync,
  globSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  statfsSync,
  statSync,
  watch,
  type BigIntStats,
  type FSWatcher,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { describeError, errorCode } from '../../core/errors.ts';
import type { FileSourceConfig } from './config.ts';
import { LineSplitter, type OnLine } from './lines.ts';
import type { MatchSnapshot } from './rules.ts';
import { LEVELS, READ_ERROR_REASONS, type Level, type ReadErrorReason } from './metrics.ts';
import {
  FINGERPRINT_BYTES,
  fingerprint,
  loadPositions,
  savePositions,
  type FilePosition,
} from './positions.ts';
import { createClassifier, type LineClassifier } from './presets.ts';
import { globBase, isGlob } from '../../core/glob.ts';
import { LabelCap } from '../../core/label-cap.ts';
import { compileRule, matchLabels, recordMatch, type CompiledRule } from './rules.ts';

/** A rotated or deleted file is closed once at its end and unchanged for this long. */
export const DRAIN_IDLE_MS = 5000;
/**
 * With max_files descriptors open, a file unchanged for this long gives its descriptor up to a
 * new one (old daily files pile up where nobody cleans them): it stays followed, "parked", and
 * is opened again at its offset when a rescan sees it change.
 */
export const PARK_IDLE_MS = 60_000;
/** Bytes read per file per turn before others get theirs (and the thread answers scrapes). */
const TURN_BYTES_PER_FILE = 4 * 1024 * 1024;
const READ_BUFFER_BYTES = 64 * 1024;
/** Rotated siblings examined when looking for a copy or a renamed file. */
const MAX_SIBLINGS = 64;
const COMPRESSED = /\.(?:gz|bz2|xz|zst|lz4|zip|Z)$/;
/** statfs f_type of filesystems where inotify sees nothing of other clients' writes. */
const POLL_ONLY_FS = new Set([
  0x6969, // nfs
  0xfe534d42, // smb2
  0xff534d42, // cifs
  0x517b, // smb
  0x65735546, // fuse
  0x01021997, // 9p
  0x794c7630, // overlay
  0x47504653, // gpfs
  0x0bd00bd0, // lustre
  0x00c36400, // ceph
]);
const LEVEL_INDEX = Object.fromEntries(LEVELS.map((l, i) => [l, i])) as Record<Level, number>;

import type { LogFn, TailerConfig, TailerSnapshot } from './snapshot.ts';

export type { LogFn, LogLevel, SourceSnapshot, TailerConfig, TailerSnapshot } from './snapshot.ts';

interface Tracked {
  readonly source: SourceRun;
  /** The configured path it was found under (a rotated file keeps its old name here). */
  path: string;
  /** Where its siblings (rotated generations, logrotate's copy) are: the path, symlinks resolved. */
  realPath: string;
  /** Creation time (statx birthtime; 0 where the filesystem does not keep it). */
  readonly born: bigint;
  readonly fd: number;
  readonly dev: bigint;
  readonly ino: bigint;
  /** The first bytes (at most FINGERPRINT_BYTES); grows with the file until full. */
  head: Buffer;
  splitter: LineSplitter;
  /** Bytes read so far (committed plus the unfinished line). */
  readPos: number;
  /** Size and mtime at the last fstat. */
  size: number;
  mtimeNs: bigint;
  classifier: LineClassifier;
  draining: boolean;
  deleted: boolean;
  /** Since when a draining file has been at its end without growing. */
  idleSince: number | undefined;
  /** Entries started in this file; a rule counts once per entry. */
  entry: number;
  readonly ruleEntry: number[];
  readonly onLine: OnLine;
  /** A read error is being reported for it (counted once until a read succeeds). */
  failing: boolean;
  /** When its size or mtime last changed (ms; its mtime when opened). */
  changedAt: number;
}

/** A followed file without a descriptor (see PARK_IDLE_MS). */
interface Parked {
  readonly dev: bigint;
  readonly ino: bigint;
  /** Fingerprint of the first fpLen bytes, as in positions. */
  readonly fp: string;
  readonly fpLen: number;
  readonly offset: number;
  readonly eventKey: string | undefined;
  /** As when parked; -1 when parked straight from the saved positions (unknown). */
  readonly size: number;
  readonly mtimeNs: bigint;
}

class SourceRun {
  readonly cfg: FileSourceConfig;
  readonly rules: CompiledRule[];
  readonly lines: number[] = LEVELS.map(() => 0);
  readonly matches = new Map<string, MatchSnapshot>();
  readonly errors = Object.fromEntries(READ_ERROR_REASONS.map((r) => [r, 0])) as Record<
    ReadErrorReason,
    number
  >;
  readonly active = new Map<string, Tracked>();
  draining: Tracked[] = [];
  readonly parked = new Map<string, Parked>();
  /** Paths that cannot be followed now, and why: counted and logged when first seen. */
  readonly problems = new Map<string, ReadErrorReason>();
  readBytes = 0;
  rotations = 0;
  truncations = 0;
  lostBytes = 0;
  truncatedLines = 0;
  /** No saved position has ever named this source: its first files start at start_at. */
  fresh = true;

  constructor(cfg: FileSourceConfig) {
    this.cfg = cfg;
    this.rules = cfg.rules.map(compileRule);
  }

  *tracked(): Iterable<Tracked> {
    yield* this.active.values();
    yield* this.draining;
  }

  find(dev: bigint, ino: bigint): Tracked | undefined {
    for (const t of this.tracked()) if (t.dev === dev && t.ino === ino) return t;
    return undefined;
  }

  knows(dev: bigint, ino: bigint): boolean {
    if (this.find(dev, ino) !== undefined) return true;
    for (const p of this.parked.values()) if (p.dev === dev && p.ino === ino) return true;
    return false;
  }
}

export interface TailerOptions {
  readonly config: TailerConfig;
  /** Where positions are kept; undefined: nowhere (tests, or an explicit choice). */
  readonly positionsPath: string | undefined;
  readonly log: LogFn;
  readonly now?: () => number;
  /**
   * When the collector started (ms): a file created after it is new even for a source seen for
   * the first time, so it is read from its start whatever start_at says.
   */
  readonly startedAt?: number;
  /** Called when inotify says something changed in a watched directory. */
  readonly onWake?: () => void;
}

type Start =
  'beginning' | 'end' | { readonly offset: number; readonly eventKey: string | undefined };

export class Tailer {
  readonly #cfg: TailerConfig;
  readonly #positionsPath: string | undefined;
  readonly #log: LogFn;
  readonly #now: () => number;
  readonly #onWake: (() => void) | undefined;
  readonly #startedAtNs: bigint;
  readonly #sources: SourceRun[];
  readonly #exclude: RegExp;
  readonly #buf = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  readonly #small = Buffer.allocUnsafe(FINGERPRINT_BYTES);
  readonly #labelCap = new LabelCap();
  readonly #watchers = new Map<string, FSWatcher | undefined>();
  readonly #positionsErrors = { load: 0, save: 0 };
  #open = 0;
  #saveFailing = false;
  #lastSaved = '';
  #watchFailureLogged = false;
  #closed = false;

  constructor(opts: TailerOptions) {
    this.#cfg = opts.config;
    this.#positionsPath = opts.positionsPath;
    this.#log = opts.log;
    this.#now = opts.now ?? Date.now;
    this.#onWake = opts.onWake;
    // The end of the start millisecond: a file created in it counts as present at start.
    this.#startedAtNs = BigInt(Math.floor(opts.startedAt ?? this.#now()) + 1) * 1_000_000n;
    this.#sources = opts.config.sources.map((s) => new SourceRun(s));
    this.#exclude = new RegExp(opts.config.exclude, 'u');
  }

  /** Files open now, all sources. */
  get openFiles(): number {
    return this.#open;
  }

  /**
   * Loads the saved positions and opens every file: saved ones where they were left (found
   * again by inode if they were renamed meanwhile), new ones at start_at or 0.
   */
  start(): void {
    const loaded =
      this.#positionsPath === undefined
        ? { files: [], sources: [] }
        : loadPositions(this.#positionsPath);
    if ('problem' in loaded && loaded.problem !== undefined) {
      this.#positionsErrors.load++;
      this.#log('warn', 'cannot use the saved log positions; starting afresh', {
        problem: loaded.problem,
      });
    }
    const savedAt = Math.max(0, ...loaded.files.map((f) => f.updated));
    for (const src of this.#sources) {
      src.fresh = !loaded.sources.includes(src.cfg.name);
      const saved = loaded.files.filter((f) => f.source === src.cfg.name);
      try {
        this.#startSource(src, saved, savedAt);
      } catch (err) {
        // A bug or an fs error nothing below caught: this source starts with what it has, the
        // next rescan picks up the rest, and the others start normally.
        this.#log('error', 'log source could not start completely', {
          source: src.cfg.name,
          error: describeError(err),
        });
      }
    }
  }

  #startSource(src: SourceRun, saved: FilePosition[], savedAt: number): void {
    {
      const used = new Set<FilePosition>();
      const paths = this.#expand(src);
      for (const path of paths) {
        const st = this.#statPath(src, path);
        if (st === undefined) continue;
        const e = saved.find(
          (f) => !used.has(f) && f.dev === String(st.dev) && f.ino === String(st.ino),
        );
        if (e !== undefined) {
          used.add(e);
          if (this.#open >= this.#cfg.max_files && !this.#parkOne()) {
            // No descriptor free: followed without one until a rescan sees it change.
            src.parked.set(path, {
              dev: st.dev,
              ino: st.ino,
              fp: e.fp,
              fpLen: e.fpLen,
              offset: e.offset,
              eventKey: e.eventKey,
              size: -1,
              mtimeNs: -1n,
            });
            continue;
          }
          this.#resume(src, path, e, false);
        } else {
          // birthtime is 0 where the filesystem does not record it: start_at applies then.
          const isNew = !src.fresh || st.birthtimeNs > this.#startedAtNs;
          this.#openFile(src, path, isNew ? 'beginning' : src.cfg.start_at, false);
        }
      }
      for (const e of saved) {
        if (used.has(e)) continue;
        const found = this.#locate(e);
        if (found === undefined) {
          this.#log(
            'warn',
            'a log file followed before the restart is gone; what it got since the last save is lost',
            {
              source: src.cfg.name,
              path: e.path,
            },
          );
          continue;
        }
        this.#resume(src, found, e, true);
      }
      // The end of the save millisecond: what was created in it existed when it was saved.
      const savedAtNs = BigInt(Math.floor(savedAt * 1000) + 1) * 1_000_000n;
      for (const path of new Set(saved.map((e) => e.path))) {
        this.#adoptNewGenerations(src, path, savedAtNs, saved);
      }
      // A source never followed whose files appeared after the collector started (the thread
      // starts with the first of them): what was rotated away before it started is read too.
      if (src.fresh && saved.length === 0) {
        for (const path of paths) this.#adoptNewGenerations(src, path, this.#startedAtNs, []);
      }
    }
  }

  /**
   * Looks for new files (globs expanded again) and for paths that now name another file.
   * Cheap enough for every few seconds: a glob, and a stat per followed path.
   */
  rescan(): void {
    for (const src of this.#sources) {
      const matched = new Set(this.#expand(src));
      for (const path of matched) {
        if (src.active.has(path)) continue;
        const parked = src.parked.get(path);
        if (parked !== undefined) {
          this.#unpark(src, path, parked);
          continue;
        }
        this.#openFile(src, path, 'beginning', false);
      }
      for (const path of src.problems.keys()) if (!matched.has(path)) src.problems.delete(path);
      for (const path of src.parked.keys()) if (!matched.has(path)) src.parked.delete(path);
    }
  }

  /**
   * One turn: checks every followed file (rotation, truncation, growth) and reads what is new,
   * up to a bounded amount per file. Returns whether a file still has unread bytes.
   */
  poll(): boolean {
    let more = false;
    const now = this.#now();
    for (const src of this.#sources) {
      for (const [path, t] of src.active) {
        if (this.#replaced(t)) {
          src.active.delete(path);
          t.draining = true;
          src.draining.push(t);
          src.rotations++;
          this.#openFile(src, path, 'beginning', false);
          // Rotated more than once since the last poll: the generations in between.
          if (t.born !== 0n) this.#adoptNewGenerations(src, path, t.born, []);
        }
      }
      for (const t of src.tracked()) {
        try {
          if (this.#pollFile(t)) more = true;
        } catch (err) {
          // Whatever a file does (EIO on the first bytes, a sibling that loops), it must not
          // keep the others from being read or the positions from being saved.
          this.#readFailed(t, err);
        }
      }
      if (src.draining.length > 0) {
        src.draining = src.draining.filter((t) => {
          // A file that keeps failing closes like an idle one: it was rotated away anyway.
          if (t.readPos < t.size && !t.failing) {
            t.idleSince = undefined;
            return true;
          }
          if (t.idleSince === undefined) {
            t.idleSince = now;
            return true;
          }
          if (now - t.idleSince < Math.max(DRAIN_IDLE_MS, 2 * this.#cfg.poll_interval)) {
            return true;
          }
          const renamedTo = t.deleted ? undefined : this.#matchedName(t);
          if (renamedTo !== undefined) {
            this.#promote(t, renamedTo);
            return false;
          }
          // Its writer is done with it: a last line without "\n" is complete now.
          t.splitter.flush(t.onLine);
          this.#close(t);
          return false;
        });
      }
    }
    return more;
  }

  /** Saves positions if they changed since the last save. Never throws. */
  save(): void {
    if (this.#positionsPath === undefined) return;
    const files: FilePosition[] = [];
    for (const src of this.#sources) {
      for (const t of src.tracked()) {
        files.push({
          source: src.cfg.name,
          path: t.path,
          dev: String(t.dev),
          ino: String(t.ino),
          fp: fingerprint(t.head),
          fpLen: t.head.length,
          offset: t.splitter.committed,
          ...(t.classifier.eventKey === undefined ? {} : { eventKey: t.classifier.eventKey }),
          updated: 0,
        });
      }
      for (const [path, p] of src.parked) {
        files.push({
          source: src.cfg.name,
          path,
          dev: String(p.dev),
          ino: String(p.ino),
          fp: p.fp,
          fpLen: p.fpLen,
          offset: p.offset,
          ...(p.eventKey === undefined ? {} : { eventKey: p.eventKey }),
          updated: 0,
        });
      }
    }
    const sources = this.#sources.map((s) => s.cfg.name);
    const key = JSON.stringify([files, sources]);
    if (key === this.#lastSaved) return;
    const updated = this.#now() / 1000;
    for (const f of files) f.updated = updated;
    try {
      mkdirSync(dirname(this.#positionsPath), { recursive: true });
      savePositions(this.#positionsPath, { files, sources });
      this.#lastSaved = key;
      if (this.#saveFailing) this.#log('info', 'log positions are saved again', {});
      this.#saveFailing = false;
    } catch (err) {
      this.#positionsErrors.save++;
      if (!this.#saveFailing) {
        this.#log(
          'warn',
          'cannot save log positions; a restart will start over per start_at (set collectors.logs.positions_file to a writable place)',
          { path: this.#positionsPath, error: describeError(err) },
        );
      }
      this.#saveFailing = true;
    }
  }

  /**
   * Stops: reads deleted files to their end (nobody can after their descriptor closes), saves
   * the positions, closes every descriptor and watch.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const src of this.#sources) {
      for (const t of src.draining) {
        if (!t.deleted) continue;
        try {
          while (this.#pollFile(t));
          t.splitter.flush(t.onLine);
        } catch (err) {
          this.#readFailed(t, err);
        }
      }
    }
    this.save();
    for (const src of this.#sources) {
      for (const t of [...src.tracked()]) this.#close(t);
      src.active.clear();
      src.draining = [];
    }
    for (const w of this.#watchers.values()) w?.close();
    this.#watchers.clear();
  }

  snapshot(): TailerSnapshot {
    return {
      sources: this.#sources.map((src) => {
        let lag = 0;
        let files = 0;
        let lastWrite: bigint | undefined;
        for (const t of src.tracked()) {
          files++;
          lag += Math.max(0, t.size - t.readPos);
          if (lastWrite === undefined || t.mtimeNs > lastWrite) lastWrite = t.mtimeNs;
        }
        for (const p of src.parked.values()) {
          files++;
          if (lastWrite === undefined || p.mtimeNs > lastWrite) lastWrite = p.mtimeNs;
        }
        return {
          name: src.cfg.name,
          format: src.cfg.format,
          required: src.cfg.required,
          maxSilenceSeconds:
            src.cfg.max_silence === undefined ? undefined : src.cfg.max_silence / 1000,
          lines: [...src.lines],
          matches: [...src.matches.values()].map((m) => ({ ...m })),
          readBytes: src.readBytes,
          lagBytes: lag,
          rotations: src.rotations,
          truncations: src.truncations,
          lostBytes: src.lostBytes,
          truncatedLines: src.truncatedLines,
          files,
          lastWrite: lastWrite === undefined ? undefined : Number(lastWrite / 1_000_000n) / 1000,
          errors: { ...src.errors },
        };
      }),
      positionsErrors: { ...this.#positionsErrors },
    };
  }

  // --- finding files -------------------------------------------------------------------------

  /** The paths a source names now: plain paths as they are, glob matches minus excluded names. */
  #expand(src: SourceRun): string[] {
    const out: string[] = [];
    for (const pattern of src.cfg.paths) {
      if (!isGlob(pattern)) {
        out.push(resolve(pattern));
        this.#watchDir(dirname(pattern));
        continue;
      }
      let matches: string[];
      try {
        matches = globSync(pattern);
      } catch (err) {
        this.#log('warn', 'cannot expand a log path glob', {
          source: src.cfg.name,
          pattern,
          error: describeError(err),
        });
        continue;
      }
      for (const m of matches.sort()) {
        if (!this.#exclude.test(basename(m))) out.push(resolve(m));
      }
      this.#watchDir(globBase(pattern));
    }
    return [...new Set(out)];
  }

  /** stat() of a path about to be followed; undefined (reported or quietly) when it cannot be. */
  #statPath(src: SourceRun, path: string): BigIntStats | undefined {
    let st: BigIntStats | undefined;
    try {
      st = statSync(path, { bigint: true, throwIfNoEntry: false });
    } catch (err) {
      this.#problem(src, path, reasonOf(err), err);
      return undefined;
    }
    if (st === undefined) return undefined;
    if (!st.isFile()) {
      this.#problem(src, path, 'not_a_file');
      return undefined;
    }
    return st;
  }

  /** Finds the file a saved position was about, by inode, at its path or a rotated sibling's. */
  #locate(e: FilePosition): string | undefined {
    let real = e.path;
    try {
      real = realpathSync(e.path);
    } catch {
      // The name is gone: its siblings are looked for next to it.
    }
    for (const candidate of new Set([e.path, ...this.#siblings(e.path), ...this.#siblings(real)])) {
      const st = statQuietly(candidate);
      if (st?.isFile() && String(st.dev) === e.dev && String(st.ino) === e.ino) return candidate;
    }
    return undefined;
  }

  /** Rotated generations next to a file: names that extend its name, compressed ones left out. */
  #siblings(path: string): string[] {
    const dir = dirname(path);
    const base = basename(path);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => n !== base && n.startsWith(base) && !COMPRESSED.test(n))
      .slice(0, MAX_SIBLINGS)
      .map((n) => join(dir, n));
  }

  /**
   * Rotated generations next to `path` created after `sinceNs` that nobody follows: everything
   * in them was written while nobody read them (two rotations between two polls, or rotations
   * while the exporter was down). Only names `exclude` calls rotated count (a sibling another
   * glob matches is a source of its own), and logrotate's copies of `copiesOf` are left out
   * (their lines are read from the offset, as a truncation).
   */
  #adoptNewGenerations(
    src: SourceRun,
    path: string,
    sinceNs: bigint,
    copiesOf: readonly { fp: string; fpLen: number }[],
  ): void {
    let real = path;
    try {
      real = realpathSync(path);
    } catch {
      // The name is gone: its siblings are looked for next to it.
    }
    for (const sib of new Set([...this.#siblings(path), ...this.#siblings(real)])) {
      if (!this.#exclude.test(basename(sib))) continue;
      const st = statQuietly(sib);
      if (st === undefined || !st.isFile()) continue;
      if (this.#sources.some((x) => x.knows(st.dev, st.ino))) continue;
      // Creation time; where the filesystem keeps none, the last write (a late write to an old
      // generation then reads it again: documented).
      const born = st.birthtimeNs !== 0n ? st.birthtimeNs : st.mtimeNs;
      if (born <= sinceNs) continue;
      const isCopy = copiesOf.some((c) =>
        c.fpLen === 0 ? st.size === 0n : this.#headHash(sib, c.fpLen) === c.fp,
      );
      if (isCopy) continue;
      if (this.#openFile(src, sib, 'beginning', true) !== undefined) {
        this.#log('info', 'reading a rotated log file nobody read yet', {
          source: src.cfg.name,
          path: sib,
        });
      }
    }
  }

  // --- opening and closing -------------------------------------------------------------------

  #resume(src: SourceRun, path: string, e: FilePosition, draining: boolean): void {
    const t = this.#openFile(src, path, { offset: e.offset, eventKey: e.eventKey }, draining);
    if (t === undefined) return;
    const sameStart = this.#headHash(path, e.fpLen) === e.fp;
    if (sameStart && t.size >= e.offset) return;
    // Same inode, different content: the saved offset means nothing here. A file born after
    // the save is a new file that got a freed inode number (deleted and created again while
    // the exporter was down); otherwise it was truncated in place (copytruncate).
    let born = 0n;
    try {
      born = fstatSync(t.fd, { bigint: true }).birthtimeNs;
    } catch {
      // Treated as a truncation below: the copy is looked for, nothing is counted twice.
    }
    if (born > BigInt(Math.floor(e.updated * 1000) + 1) * 1_000_000n) {
      t.splitter.reset(0);
      t.readPos = 0;
      t.classifier = createClassifier(src.cfg.format);
      return;
    }
    this.#truncated(t, { fp: e.fp, fpLen: e.fpLen, seenSize: undefined }, t.size);
  }

  /** Opens and tracks a file; undefined when it cannot be (reported) or is followed already. */
  #openFile(src: SourceRun, path: string, start: Start, draining: boolean): Tracked | undefined {
    if (this.#open >= this.#cfg.max_files && !this.#parkOne()) {
      this.#problem(src, path, 'too_many_files');
      return undefined;
    }
    let fd: number;
    try {
      // O_NONBLOCK: a FIFO where a file was expected must not hang the thread in open().
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') this.#problem(src, path, reasonOf(err), err);
      return undefined;
    }
    let st: BigIntStats;
    try {
      st = fstatSync(fd, { bigint: true });
    } catch (err) {
      closeSync(fd);
      this.#problem(src, path, 'io', err);
      return undefined;
    }
    if (!st.isFile()) {
      closeSync(fd);
      this.#problem(src, path, 'not_a_file');
      return undefined;
    }
    const known = src.find(st.dev, st.ino);
    if (known !== undefined) {
      closeSync(fd);
      // A file rotated to a name the glob also matches (app.log -> app.2026-11-21.log): it is
      // the same file, followed on from where it was, never read again from 0.
      if (known.draining && !draining) this.#promote(known, path);
      return undefined;
    }
    src.problems.delete(path);
    const size = Number(st.size);
    let offset: number;
    let head: Buffer;
    try {
      if (start === 'beginning') offset = 0;
      else if (start === 'end') offset = this.#lastLineEnd(fd, size);
      else offset = start.offset;
      head = this.#readHead(fd, size);
    } catch (err) {
      closeSync(fd);
      this.#problem(src, path, reasonOf(err), err);
      return undefined;
    }
    let realPath = path;
    try {
      realPath = realpathSync(path);
    } catch {
      // Gone again already: the configured path will do.
    }
    const t: Tracked = {
      source: src,
      path,
      realPath,
      born: st.birthtimeNs,
      fd,
      dev: st.dev,
      ino: st.ino,
      head,
      splitter: new LineSplitter(this.#cfg.max_line_bytes, offset),
      readPos: offset,
      size,
      mtimeNs: st.mtimeNs,
      classifier: createClassifier(src.cfg.format),
      draining,
      deleted: st.nlink === 0n,
      idleSince: undefined,
      entry: 0,
      ruleEntry: src.rules.map(() => -1),
      onLine: (buf, s, e, truncated) => {
        this.#line(t, buf, s, e, truncated);
      },
      failing: false,
      changedAt: Number(st.mtimeNs / 1_000_000n),
    };
    if (typeof start === 'object') t.classifier.resume(start.eventKey);
    this.#open++;
    if (draining) src.draining.push(t);
    else src.active.set(path, t);
    this.#watchDir(dirname(path));
    return t;
  }

  /** Closes the active file unchanged for longest (if PARK_IDLE_MS or more) and parks it. */
  #parkOne(): boolean {
    let oldest: Tracked | undefined;
    for (const src of this.#sources) {
      for (const t of src.active.values()) {
        if (t.readPos < t.size || t.failing || t.splitter.pending > 0) continue;
        if (oldest === undefined || t.changedAt < oldest.changedAt) oldest = t;
      }
    }
    if (oldest === undefined || this.#now() - oldest.changedAt < PARK_IDLE_MS) return false;
    const t = oldest;
    t.source.active.delete(t.path);
    t.source.parked.set(t.path, {
      dev: t.dev,
      ino: t.ino,
      fp: fingerprint(t.head),
      fpLen: t.head.length,
      offset: t.splitter.committed,
      eventKey: t.classifier.eventKey,
      size: t.size,
      mtimeNs: t.mtimeNs,
    });
    this.#close(t);
    return true;
  }

  /** A rescan met a parked file: opened again if it changed, as a new file if replaced. */
  #unpark(src: SourceRun, path: string, p: Parked): void {
    const st = statQuietly(path);
    if (st === undefined) return; // gone for now; counted as replaced if it comes back
    if (st.dev === p.dev && st.ino === p.ino) {
      if (Number(st.size) === p.size && st.mtimeNs === p.mtimeNs) return;
      src.parked.delete(path);
      const t = this.#openFile(src, path, { offset: p.offset, eventKey: p.eventKey }, false);
      if (t === undefined) {
        src.parked.set(path, p); // no descriptor free: tried again at the next rescan
        return;
      }
      if (Number(st.size) < p.offset || this.#headHash(path, p.fpLen) !== p.fp) {
        this.#truncated(t, { fp: p.fp, fpLen: p.fpLen, seenSize: undefined }, t.size);
      }
      return;
    }
    // Replaced while parked: what the old file got after parking cannot be told (rare: it was
    // idle for PARK_IDLE_MS first).
    src.parked.delete(path);
    src.rotations++;
    this.#openFile(src, path, 'beginning', false);
  }

  /** A draining file found under a name the source follows: it is an active file again. */
  #promote(t: Tracked, path: string): void {
    const src = t.source;
    if (src.active.has(path)) return;
    src.draining = src.draining.filter((d) => d !== t);
    t.draining = false;
    t.idleSince = undefined;
    t.path = path;
    try {
      t.realPath = realpathSync(path);
    } catch {
      t.realPath = path;
    }
    src.active.set(path, t);
  }

  /** The name a source matches that a draining file has now, if any (checked before closing it). */
  #matchedName(t: Tracked): string | undefined {
    for (const path of this.#expand(t.source)) {
      if (t.source.active.has(path)) continue;
      const st = statQuietly(path);
      if (st !== undefined && st.dev === t.dev && st.ino === t.ino) return path;
    }
    return undefined;
  }

  #close(t: Tracked): void {
    try {
      closeSync(t.fd);
    } catch {
      // Already closed: nothing to release.
    }
    this.#open--;
  }

  /** The end of the last complete line: start_at "end" never starts inside a line. */
  #lastLineEnd(fd: number, size: number): number {
    if (size === 0) return 0;
    const len = Math.min(size, this.#buf.length);
    const n = readSync(fd, this.#buf, 0, len, size - len);
    const nl = this.#buf.subarray(0, n).lastIndexOf(0x0a);
    return nl === -1 ? size : size - n + nl + 1;
  }

  #readHead(fd: number, size: number): Buffer {
    const n = readSync(fd, this.#small, 0, Math.min(size, FINGERPRINT_BYTES), 0);
    return Buffer.from(this.#small.subarray(0, n));
  }

  #headHash(path: string, len: number): string | undefined {
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch {
      return undefined;
    }
    try {
      const n = readSync(fd, this.#small, 0, len, 0);
      return n === len ? fingerprint(this.#small.subarray(0, n)) : undefined;
    } catch {
      return undefined;
    } finally {
      closeSync(fd);
    }
  }

  // --- reading -------------------------------------------------------------------------------

  /** Whether an active file's path now names another file, or nothing. */
  #replaced(t: Tracked): boolean {
    let st: BigIntStats | undefined;
    try {
      st = statSync(t.path, { bigint: true, throwIfNoEntry: false });
    } catch {
      return false; // the directory cannot be searched now: keep reading what is open
    }
    return st === undefined || st.ino !== t.ino || st.dev !== t.dev;
  }

  /** Checks one file and reads what is new; returns whether bytes are left unread. */
  #pollFile(t: Tracked): boolean {
    let st: BigIntStats;
    try {
      st = fstatSync(t.fd, { bigint: true });
    } catch (err) {
      this.#readFailed(t, err);
      return false;
    }
    const size = Number(st.size);
    const changed = size !== t.size || st.mtimeNs !== t.mtimeNs;
    if (size < t.readPos || (changed && !this.#headUnchanged(t))) {
      this.#truncated(t, { fp: fingerprint(t.head), fpLen: t.head.length, seenSize: t.size }, size);
    }
    if (changed) t.changedAt = this.#now();
    t.size = size;
    t.mtimeNs = st.mtimeNs;
    t.deleted = st.nlink === 0n;
    if (t.head.length < FINGERPRINT_BYTES && size > t.head.length) {
      t.head = this.#readHead(t.fd, size);
    }
    let budget = TURN_BYTES_PER_FILE;
    const src = t.source;
    try {
      while (budget > 0) {
        const n = readSync(t.fd, this.#buf, 0, this.#buf.length, t.readPos);
        if (n === 0) break;
        t.readPos += n;
        src.readBytes += n;
        budget -= n;
        t.splitter.push(n === this.#buf.length ? this.#buf : this.#buf.subarray(0, n), t.onLine);
      }
    } catch (err) {
      this.#readFailed(t, err);
      return false;
    }
    if (t.failing) {
      t.failing = false;
      this.#log('info', 'a log file can be read again', { source: src.cfg.name, path: t.path });
    }
    if (t.readPos > t.size) t.size = t.readPos;
    return t.readPos < t.size;
  }

  #headUnchanged(t: Tracked): boolean {
    if (t.head.length === 0) return true;
    const n = readSync(t.fd, this.#small, 0, t.head.length, 0);
    return n === t.head.length && this.#small.subarray(0, n).equals(t.head);
  }

  /**
   * The file was truncated in place. Recovers what logrotate's copy holds beyond the offset,
   * counts what is gone, and starts again at 0.
   */
  #truncated(
    t: Tracked,
    was: { fp: string; fpLen: number; seenSize: number | undefined },
    size: number,
  ): void {
    const src = t.source;
    src.truncations++;
    const from = t.splitter.committed;
    t.splitter.reset(from);
    const copy = from > 0 ? this.#findCopy(t, was.fp, was.fpLen) : undefined;
    let recovered = 0;
    let copySize = 0;
    if (copy !== undefined) {
      copySize = copy.size;
      recovered = this.#readCopy(t, copy.path, from);
    }
    const readTo = Math.max(from, copySize);
    const lost = was.seenSize === undefined ? 0 : Math.max(0, was.seenSize - readTo);
    src.lostBytes += lost;
    this.#log(
      'info',
      'log file truncated in place (copytruncate); reading it again from its start',
      {
        source: src.cfg.name,
        path: t.path,
        offset: from,
        copy: copy?.path,
        recoveredBytes: recovered,
        lostBytes: lost,
      },
    );
    t.splitter.reset(0);
    t.readPos = 0;
    t.classifier = createClassifier(src.cfg.format);
    t.entry = 0;
    t.ruleEntry.fill(-1);
    t.head = this.#readHead(t.fd, size);
  }

  /** logrotate's copy: a sibling, not this file, starting with the same bytes. */
  #findCopy(t: Tracked, fp: string, fpLen: number): { path: string; size: number } | undefined {
    let best: { path: string; size: number; mtimeNs: bigint } | undefined;
    for (const sib of this.#siblings(t.realPath)) {
      const st = statQuietly(sib);
      if (st === undefined || !st.isFile() || (st.dev === t.dev && st.ino === t.ino)) continue;
      if (best !== undefined && st.mtimeNs <= best.mtimeNs) continue;
      if (fpLen > 0 && this.#headHash(sib, fpLen) !== fp) continue;
      best = { path: sib, size: Number(st.size), mtimeNs: st.mtimeNs };
    }
    return best;
  }

  /** Reads a copy from `from` to its end into the file's counts; returns the bytes read. */
  #readCopy(t: Tracked, path: string, from: number): number {
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch {
      return 0;
    }
    let pos = from;
    try {
      for (;;) {
        const n = readSync(fd, this.#buf, 0, this.#buf.length, pos);
        if (n === 0) break;
        pos += n;
        t.source.readBytes += n;
        t.splitter.push(n === this.#buf.length ? this.#buf : this.#buf.subarray(0, n), t.onLine);
      }
      // The copy ends where logrotate copied: a line cut there is complete as far as it goes.
      t.splitter.flush(t.onLine);
    } catch (err) {
      this.#log('warn', 'cannot read the copy of a truncated log file', {
        path,
        error: describeError(err),
      });
    } finally {
      closeSync(fd);
    }
    return pos - from;
  }

  #line(t: Tracked, buf: Buffer, start: number, end: number, truncated: boolean): void {
    const src = t.source;
    const text = buf.toString('latin1', start, end);
    const level = t.classifier.classify(text);
    if (level !== undefined) {
      const i = LEVEL_INDEX[level];
      src.lines[i] = (src.lines[i] ?? 0) + 1;
      t.entry++;
    }
    if (truncated) src.truncatedLines++;
    for (let i = 0; i < src.rules.length; i++) {
      if (t.ruleEntry[i] === t.entry) continue;
      const rule = src.rules[i] as CompiledRule;
      const m = rule.regex.exec(rule.utf8 ? buf.toString('utf8', start, end) : text);
      if (m === null) continue;
      t.ruleEntry[i] = t.entry;
      recordMatch(
        src.matches,
        rule,
        matchLabels(src.cfg.name, rule, m, this.#labelCap),
        this.#now(),
      );
    }
  }

  // --- problems ------------------------------------------------------------------------------

  #problem(src: SourceRun, path: string, reason: ReadErrorReason, err?: unknown): void {
    if (src.problems.get(path) === reason) return;
    src.problems.set(path, reason);
    src.errors[reason]++;
    this.#log('warn', 'cannot follow a log file; skipping it (logged once per file and reason)', {
      source: src.cfg.name,
      path,
      reason,
      ...(err === undefined ? {} : { error: describeError(err) }),
    });
  }

  #readFailed(t: Tracked, err: unknown): void {
    if (t.failing) return;
    t.failing = true;
    const reason = reasonOf(err);
    t.source.errors[reason]++;
    this.#log('warn', 'cannot read a log file; retrying every poll (logged once)', {
      source: t.source.cfg.name,
      path: t.path,
      reason,
      error: describeError(err),
    });
  }

  // --- inotify -------------------------------------------------------------------------------

  /**
   * Watches a directory so new and rotated files are seen at once. Only a hint: events can be
   * dropped (queue overflow) and never come from other NFS clients, so polling goes on anyway;
   * on network and FUSE filesystems there is no watch at all. A directory, not the file: a
   * watch on a file follows its inode when it is renamed away.
   */
  #watchDir(dir: string): void {
    if (this.#onWake === undefined || this.#watchers.has(dir) || this.#closed) return;
    let watcher: FSWatcher | undefined;
    try {
      if (POLL_ONLY_FS.has(statfsSync(dir).type)) {
        this.#watchers.set(dir, undefined);
        return;
      }
      const wake = this.#onWake;
      watcher = watch(dir, { persistent: false }, (event) => {
        if (event === 'rename') wake();
      });
      watcher.on('error', () => {
        watcher?.close();
      });
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return; // not there yet: tried again at the next rescan
      if (!this.#watchFailureLogged) {
        this.#watchFailureLogged = true;
        this.#log('warn', 'cannot watch a log directory with inotify; polling only', {
          dir,
          error: describeError(err),
        });
      }
    }
    this.#watchers.set(dir, watcher);
  }
}

/** stat() that never throws: undefined for a missing path and for one that cannot be stat'ed (ELOOP, EACCES). */
function statQuietly(path: string): BigIntStats | undefined {
  try {
    return statSync(path, { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function reasonOf(err: unknown): ReadErrorReason {
  switch (errorCode(err)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission';
    case 'EISDIR':
    case 'ENOTDIR':
    case 'ENXIO':
      return 'not_a_file';
    default:
      return 'io';
  }
}
