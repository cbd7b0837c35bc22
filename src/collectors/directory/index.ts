import { realpath, stat } from 'node:fs/promises';
import { defineCollector, type Collector, type CollectorContext } from '../../core/collector.ts';
import { describeError, errorCode } from '../../core/errors.ts';
import { fromRootfs, HOST_PATHS, inRootfs, procSelf } from '../../core/host-paths.ts';
import { LogOnce } from '../../core/log-once.ts';
import { addInfo, type MetricSink } from '../../core/metrics.ts';
import { hostMounts, parseMountInfo } from '../filesystem/mounts.ts';
import { readMountInfo } from '../filesystem/statfs.ts';
import { directoryConfig, type DirectoryConfig } from './config.ts';
import {
  deviceNumber,
  filesystemOf,
  indexMounts,
  type FilesystemLabels,
  type MountIndex,
} from './filesystem.ts';
import { directoryFamilies as f, ERROR_REASONS, type ErrorReason } from './metrics.ts';
import { expandHostPaths, expandPaths, type Expansion } from './paths.ts';
import { WalkerPool, type ScanOutcome, type Scanner } from './pool.ts';
import { zeroErrors, type ErrorCounts, type ScanTotals } from './tally.ts';

/** What is known about one matched directory; collect() reads only this. */
interface PathState {
  /** Outcome of the last finished scan: 1 completed, 0 root missing/unreadable; undefined before the first. */
  up: 0 | 1 | undefined;
  /** Totals of the last completed scan, kept only while up is 1. */
  totals: ScanTotals | undefined;
  lastScanSeconds: number | undefined;
  durationSeconds: number | undefined;
  /** The filesystem holding it as of the last cycle; undefined when that could not be told. */
  filesystem: FilesystemLabels | undefined;
  readonly errors: ErrorCounts;
  /** Problems already logged for this path ("root:vanished", "entry:permission"...). */
  readonly logged: Set<string>;
}

export interface DirectoryCollector extends Collector {
  /**
   * Expands the globs and scans every matched directory once, one after the other; resolves
   * when done. start() runs it at once and then every `interval`; a call while a cycle is
   * running joins that cycle.
   */
  runCycle(): Promise<void>;
}

export interface DirectoryDeps {
  scanner?: Scanner;
  expand?: (patterns: readonly string[], maxPaths: number) => Promise<Expansion>;
  now?: () => number;
  /** <procfs>/self/mountinfo, read once per cycle to tell which filesystem holds each path. */
  readMountInfo?: () => Promise<string>;
  /** st_dev and symlink-free path of a directory (the path to open: under the rootfs). */
  locate?: (path: string) => Promise<Location>;
}

export interface Location {
  readonly dev: bigint;
  readonly realPath: string;
}

const locate = async (path: string): Promise<Location> => {
  const [st, realPath] = await Promise.all([stat(path, { bigint: true }), realpath(path)]);
  return { dev: st.dev, realPath };
};

/**
 * Background collector: scans run in worker threads on `interval` (pool.ts), collect() only
 * copies the last results out of memory, so a scrape never waits for a disk. Configured paths
 * are the host's: with --path.rootfs they are scanned under it, and keep their host path in
 * labels and logs.
 */
export function createDirectoryCollector(
  cfg: DirectoryConfig,
  ctx: CollectorContext,
  deps: DirectoryDeps = {},
): DirectoryCollector {
  const log = ctx.logger.child({ collector: 'directory' });
  const host = ctx.host ?? HOST_PATHS;
  const scanner = deps.scanner ?? new WalkerPool();
  const expand = deps.expand ?? expandPaths;
  const now = deps.now ?? Date.now;
  const readMounts = deps.readMountInfo ?? (() => readMountInfo(procSelf(host, 'mountinfo')));
  const locatePath = deps.locate ?? locate;
  const states = new Map<string, PathState>();
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let overflowLogged = false;
  let mountInfoFailure: string | undefined;
  const emptyLogged = new Set<string>();

  const logOnce = (st: PathState, key: string, emit: () => void) => {
    if (st.logged.has(key)) return;
    st.logged.add(key);
    emit();
  };

  const record = (path: string, outcome: ScanOutcome, seconds: number) => {
    if (outcome.kind === 'cancelled') return;
    let st = states.get(path);
    if (st === undefined) {
      st = {
        up: undefined,
        totals: undefined,
        lastScanSeconds: undefined,
        durationSeconds: undefined,
        filesystem: undefined,
        errors: zeroErrors(),
        logged: new Set(),
      };
      states.set(path, st);
    }
    if (outcome.kind === 'root-failed') {
      st.up = 0;
      st.totals = undefined;
      st.errors[outcome.reason]++;
      const { reason, code } = outcome;
      logOnce(st, `root:${reason}`, () => {
        log.warn('cannot scan directory; reporting patrol_directory_up 0', { path, reason, code });
      });
      return;
    }
    if (st.up === 0 && st.logged.size > 0) log.info('directory can be scanned again', { path });
    for (const key of st.logged) if (key.startsWith('root:')) st.logged.delete(key);
    const t = outcome.totals;
    st.up = 1;
    st.totals = t;
    st.lastScanSeconds = now() / 1000;
    st.durationSeconds = seconds;
    for (const reason of ERROR_REASONS) {
      const count = t.errors[reason];
      if (count === 0) continue;
      st.errors[reason] += count;
      const sample = t.samples[reason];
      logOnce(st, `entry:${reason}`, () => {
        log.warn(
          'skipped entries while scanning directory (logged once per path and reason; see patrol_directory_scan_errors_total)',
          {
            path,
            reason,
            count,
            example:
              sample === undefined ? undefined : (fromRootfs(host, sample.path) ?? sample.path),
            code: sample?.code,
          },
        );
      });
    }
  };

  /** This cycle's mount table; undefined (so no filesystem_info) when it cannot be read. */
  const loadMounts = async (): Promise<MountIndex | undefined> => {
    try {
      // Unparseable lines are skipped here; the filesystem collector reports them.
      const index = indexMounts(hostMounts(parseMountInfo(await readMounts()).mounts, host));
      mountInfoFailure = undefined;
      return index;
    } catch (err) {
      const msg = describeError(err);
      if (msg !== mountInfoFailure)
        log.warn('cannot read the mount table; omitting patrol_directory_filesystem_info', {
          err: msg,
        });
      mountInfoFailure = msg;
      return undefined;
    }
  };

  /** Tells which filesystem holds `path`; a failure only costs its filesystem_info. */
  const place = async (path: string, mounts: MountIndex | undefined) => {
    const st = states.get(path);
    if (st === undefined) return;
    st.filesystem = undefined;
    if (mounts === undefined) return;
    let where: Location;
    try {
      where = await locatePath(inRootfs(host, path));
    } catch (err) {
      // Mostly a missing root, which patrol_directory_up and its warning already tell: debug.
      logOnce(st, `filesystem:${errorCode(err) ?? 'other'}`, () => {
        log.debug('cannot stat directory; omitting patrol_directory_filesystem_info', {
          path,
          err: describeError(err),
        });
      });
      return;
    }
    const device = deviceNumber(where.dev);
    // Resolved outside the rootfs (an absolute symbolic link on the host, followed in this
    // filesystem): not the host's directory, so no filesystem can be named for it.
    const realPath = fromRootfs(host, where.realPath);
    st.filesystem = realPath === undefined ? undefined : filesystemOf(device, realPath, mounts);
    if (st.filesystem !== undefined) return;
    logOnce(st, 'filesystem:unmounted', () => {
      log.debug(
        'no visible mount holds this directory; omitting patrol_directory_filesystem_info',
        { path, device },
      );
    });
  };

  const cycle = async (): Promise<void> => {
    const { paths, overflow, empty } = await expandHostPaths(
      cfg.paths,
      cfg.max_paths,
      host,
      expand,
    );
    if (overflow > 0 && !overflowLogged) {
      overflowLogged = true;
      log.warn(
        'more directories match collectors.directory.paths than max_paths allows; ignoring the rest',
        {
          max_paths: cfg.max_paths,
          ignored: overflow,
        },
      );
    }
    for (const pattern of empty) {
      if (emptyLogged.has(pattern)) continue;
      emptyLogged.add(pattern);
      log.info('glob matches no directory (yet)', { pattern });
    }
    const current = new Set(paths);
    for (const p of states.keys()) if (!current.has(p)) states.delete(p);
    const mounts = await loadMounts();
    for (const path of paths) {
      if (stopped) return;
      const started = performance.now();
      const outcome = await scanner.scan({
        root: inRootfs(host, path),
        followSymlinks: cfg.follow_symlinks,
        rate: cfg.max_entries_per_second,
      });
      if (stopped) return;
      // The path may have stopped matching only at the next expansion; record anyway.
      record(path, outcome, (performance.now() - started) / 1000);
      await place(path, mounts);
    }
  };

  const cycleFailure = new LogOnce(log, 1);
  const runCycle = (): Promise<void> => {
    running ??= cycle()
      .then(() => {
        cycleFailure.recover('cycle');
      })
      .catch((err: unknown) => {
        // A walker thread died or the globs could not be expanded: log once until it changes.
        const msg = describeError(err);
        cycleFailure.fail(
          'cycle',
          msg,
          'directory scan cycle failed; retrying at the next interval',
          { err: msg },
          'error',
        );
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const loop = () => {
    if (stopped) return;
    const started = now();
    void runCycle().then(async () => {
      if (stopped) return;
      // Long pauses between scans are not worth keeping the walker threads' memory for.
      if (cfg.interval >= RELEASE_WORKERS_AFTER_MS) await scanner.releaseIdle?.();
      if (stopped) return;
      timer = setTimeout(loop, Math.max(0, cfg.interval - (now() - started)));
      timer.unref();
    });
  };

  return {
    name: 'directory',
    timeoutMs: cfg.timeout,
    runCycle,
    start() {
      if (cfg.paths.length > 0) loop();
      return Promise.resolve();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      scanner.cancel();
      await scanner.close();
    },
    collect(sink: MetricSink) {
      for (const [path, st] of states) {
        if (st.up === undefined) continue;
        const labels = { path };
        sink.add(f.up, labels, st.up);
        for (const reason of ERROR_REASONS)
          sink.add(f.scanErrors, { path, reason }, st.errors[reason]);
        if (st.lastScanSeconds !== undefined) sink.add(f.lastScan, labels, st.lastScanSeconds);
        if (st.durationSeconds !== undefined) sink.add(f.scanDuration, labels, st.durationSeconds);
        const fs = st.filesystem;
        if (fs !== undefined)
          addInfo(sink, f.filesystem, { path, device: fs.device, mountpoint: fs.mountpoint });
        const t = st.totals;
        if (t === undefined) continue;
        sink.add(f.size, labels, t.sizeBytes);
        sink.add(f.diskUsage, labels, t.diskUsageBytes);
        sink.add(f.files, labels, t.files);
        if (t.oldestSeconds !== undefined) sink.add(f.oldest, labels, t.oldestSeconds);
        if (t.newestSeconds !== undefined) sink.add(f.newest, labels, t.newestSeconds);
      }
    },
  };
}

const RELEASE_WORKERS_AFTER_MS = 10_000;

/** `1m`, `90s` -> `1m30s`, for describe(). */
export function formatDuration(ms: number): string {
  const units = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ] as const;
  let rest = ms;
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out === '' ? '0s' : out;
}

export const directoryCollector = defineCollector({
  name: 'directory',
  config: directoryConfig,
  families: Object.values(f),
  describe: (cfg) => {
    if (!cfg.enabled) return 'disabled in configuration (collectors.directory.enabled: false)';
    const n = cfg.paths.length;
    if (n === 0) return 'watching 0 paths (set collectors.directory.paths to measure directories)';
    const budget =
      cfg.max_entries_per_second === 0
        ? 'no I/O budget'
        : `at most ${cfg.max_entries_per_second} entries/s`;
    return `${n} path${n === 1 ? '' : 's'} (${cfg.paths.join(', ')}), every ${formatDuration(cfg.interval)}, ${budget}${cfg.follow_symlinks ? ', following symlinks' : ''}`;
  },
  create: (cfg, ctx) => createDirectoryCollector(cfg, ctx),
});

export type { ErrorReason };
