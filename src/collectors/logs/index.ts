import { watch, type FSWatcher } from 'node:fs';
import { glob, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  CollectFailure,
  type Collector,
  type CollectorContext,
  defineCollector,
} from '../../core/collector.ts';
import { describeError, errorCode } from '../../core/errors.ts';
import { HOST_PATHS } from '../../core/host-paths.ts';
import { globBase, isGlob } from '../../core/glob.ts';
import { LogOnce } from '../../core/log-once.ts';
import type { MetricSink } from '../../core/metrics.ts';
import {
  fileSourcesOnly,
  isFileSource,
  type FileLogsConfig,
  type JournalSourceConfig,
  type LogsConfig,
  logsConfig,
  underRootfs,
} from './config.ts';
import { CursorStore, JournalReader } from './journal.ts';
import { LEVELS, logFamilies as f, READ_ERROR_REASONS, type ReadErrorReason } from './metrics.ts';
import type { WorkerInit } from './protocol.ts';
import { emit } from './samples.ts';
import { ReadingThread } from './thread.ts';
import type { LogFn, TailerSnapshot } from './snapshot.ts';

/** Where positions are kept when positions_file is not set. */
export function positionsPath(cfg: LogsConfig, env: NodeJS.ProcessEnv = process.env): string {
  if (cfg.positions_file !== undefined) return cfg.positions_file;
  // systemd's StateDirectory= (deploy/patrol.service) exports it; the first entry is ours.
  const state = env.STATE_DIRECTORY?.split(':')[0];
  return join(
    state !== undefined && state !== '' ? state : '/var/lib/patrol',
    'log-positions.json',
  );
}

export interface LogsDeps {
  /** Overrides positionsPath(); null: keep positions nowhere. */
  readonly positionsPath?: string | null;
  readonly env?: NodeJS.ProcessEnv;
}

export interface LogsCollector extends Collector {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The worker's counts now (after stop(): as they were when it stopped). */
  snapshot(): Promise<TailerSnapshot>;
}

/**
 * Whether any configured path names a file now, or (`since`, ms) a generation of one was rotated
 * away since then (a name `exclude` matches beside a configured path, created after `since`):
 * the reading thread then has something to read. Until one does, no thread is started: an idle
 * worker thread costs about 18 MiB, and the embedded default names /var/log/messages and
 * /var/log/syslog, which many hosts (journald only) do not have.
 */
export async function anyFileExists(cfg: FileLogsConfig, since?: number): Promise<boolean> {
  const exclude = new RegExp(cfg.exclude, 'u');
  const rotatedSince = async (match: string): Promise<boolean> => {
    if (since === undefined || !exclude.test(basename(match))) return false;
    const st = await stat(match).catch(() => undefined);
    const born = st === undefined ? 0 : st.birthtimeMs > 0 ? st.birthtimeMs : st.mtimeMs;
    return born > since;
  };
  for (const source of cfg.sources) {
    for (const pattern of source.paths) {
      if (!isGlob(pattern)) {
        if ((await stat(pattern).catch(() => undefined)) !== undefined) return true;
      } else {
        for await (const m of glob(pattern)) if (!exclude.test(basename(m))) return true;
      }
      // Rotated generations carry the name with a suffix (app.log.1, app.log-20261205.gz).
      if (since !== undefined)
        for await (const m of glob(`${escapeGlob(pattern)}?*`)) {
          if (await rotatedSince(m)) return true;
        }
    }
  }
  return false;
}

/** A plain path as a glob matching itself (a glob pattern is left as it is). */
function escapeGlob(pattern: string): string {
  return isGlob(pattern) ? pattern : pattern.replace(/[*?[\]{}()!@+]/g, '\\$&');
}

/** Whether a positions file lists files (unreadable or corrupt: the thread will say so). */
async function namesFiles(path: string): Promise<boolean> {
  try {
    const doc = JSON.parse(await readFile(path, 'utf8')) as { files?: unknown };
    return !Array.isArray(doc.files) || doc.files.length > 0;
  } catch (err) {
    return errorCode(err) !== 'ENOENT';
  }
}

/** What a scrape shows before the thread starts: every source, nothing followed yet. */
export function idleSnapshot(cfg: FileLogsConfig): TailerSnapshot {
  return {
    sources: cfg.sources.map((s) => ({
      name: s.name,
      format: s.format,
      required: s.required,
      maxSilenceSeconds: s.max_silence === undefined ? undefined : s.max_silence / 1000,
      lines: LEVELS.map(() => 0),
      matches: [],
      readBytes: 0,
      lagBytes: 0,
      rotations: 0,
      truncations: 0,
      lostBytes: 0,
      truncatedLines: 0,
      files: 0,
      lastWrite: undefined,
      errors: Object.fromEntries(READ_ERROR_REASONS.map((r) => [r, 0])) as Record<
        ReadErrorReason,
        number
      >,
    })),
    positionsErrors: { load: 0, save: 0 },
  };
}

/**
 * Background collector: a worker thread follows the files (tailer.ts, thread.ts) and keeps the
 * counts; a scrape asks it for a snapshot, which it answers between two reads. Journal sources
 * are followed in this thread (journal.ts). Configured file paths are the host's: with
 * --path.rootfs they are opened under it; the positions file is patrol's own and stays put.
 */
export function createLogsCollector(
  cfg: LogsConfig,
  ctx: CollectorContext,
  deps: LogsDeps = {},
): LogsCollector {
  const log = ctx.logger.child({ collector: 'logs' });
  const fileCfg = underRootfs(fileSourcesOnly(cfg), ctx.host ?? HOST_PATHS);
  const init: WorkerInit = {
    config: fileCfg,
    positionsPath:
      deps.positionsPath === null
        ? undefined
        : (deps.positionsPath ?? positionsPath(cfg, deps.env)),
    startedAt: Date.now(),
  };
  const thread = new ReadingThread(init, log);
  let started = false;
  let stopped = false;
  let waiting: FileWaiter | undefined;

  const cursors = new CursorStore(
    init.positionsPath === undefined
      ? undefined
      : init.positionsPath.replace(/\.json$/, '') + '.journal.json',
  );
  const logFn: LogFn = (level, msg, fields) => {
    log[level](msg, fields);
  };
  const journals = cfg.sources
    .filter((s): s is JournalSourceConfig => !isFileSource(s))
    .map((s) => new JournalReader(s, { cursors, log: logFn }));
  const cursorErrors = { save: 0 };
  const saveLog = new LogOnce(log);
  const saveCursors = () => {
    try {
      cursors.save();
      saveLog.recover('cursors');
    } catch (err) {
      cursorErrors.save++;
      const error = describeError(err);
      saveLog.fail(
        'cursors',
        error,
        'cannot save journal cursors; a restart will start over per start_at',
        { error },
      );
    }
  };
  let cursorTimer: NodeJS.Timeout | undefined;

  /** The file sources' counts, from the thread (or idle before it starts). */
  const fileSnapshot = (): Promise<TailerSnapshot> =>
    started ? thread.snapshot() : Promise.resolve(idleSnapshot(fileCfg));

  /** File and journal sources together, in configuration order. */
  const merge = (files: TailerSnapshot): TailerSnapshot => {
    const byName = new Map(
      [...files.sources, ...journals.map((j) => j.snapshot())].map((s) => [s.name, s]),
    );
    return {
      sources: cfg.sources.flatMap((s) => byName.get(s.name) ?? []),
      positionsErrors: {
        load: files.positionsErrors.load,
        save: files.positionsErrors.save + cursorErrors.save,
      },
    };
  };
  const snapshot = async (): Promise<TailerSnapshot> => merge(await fileSnapshot());

  /** Starts the reading thread, once. */
  const begin = async (): Promise<void> => {
    waiting?.close();
    waiting = undefined;
    if (started || stopped) return;
    started = true;
    await thread.start();
  };

  return {
    name: 'logs',
    timeoutMs: cfg.timeout,
    snapshot,
    async start() {
      for (const j of journals) j.start();
      if (journals.length > 0) {
        cursorTimer = setInterval(saveCursors, cfg.save_interval);
        cursorTimer.unref();
      }
      if (fileCfg.sources.length === 0) return;
      // Saved positions may name files rotated while the exporter was down: start at once.
      const saved = init.positionsPath !== undefined && (await namesFiles(init.positionsPath));
      if (saved || (await anyFileExists(fileCfg))) {
        await begin();
        return;
      }
      log.info('no log file to follow yet; watching their directories for one', {
        sources: fileCfg.sources.map((s) => s.name).join(','),
      });
      waiting = new FileWaiter(fileCfg, init.startedAt, cfg.rescan_interval, () => begin());
    },
    async stop() {
      stopped = true;
      waiting?.close();
      clearInterval(cursorTimer);
      await Promise.all([thread.stop(), ...journals.map((j) => j.stop())]);
      if (journals.length > 0) saveCursors();
    },
    async collect(sink: MetricSink) {
      let files: TailerSnapshot;
      try {
        files = await fileSnapshot();
      } catch (err) {
        // The journal sources are still worth exporting while the file thread is down.
        emit(merge({ sources: [], positionsErrors: { load: 0, save: 0 } }), sink);
        throw err instanceof CollectFailure ? err : new CollectFailure(describeError(err));
      }
      emit(merge(files), sink);
    },
  };
}

/**
 * Waits for a first configured file before the reading thread is started, by watching the
 * directories it would appear in (inotify, like the follower itself) and looking again every
 * `rescan_interval` (inotify is only a hint: NFS, full queues). A writer that starts after
 * patrol on an empty directory and rotates at once then loses nothing: the thread starts
 * within milliseconds of the first file, and reads what was rotated since the collector started.
 */
class FileWaiter {
  readonly #watchers: FSWatcher[] = [];
  readonly #timer: NodeJS.Timeout;
  #checking = false;
  #closed = false;

  constructor(cfg: FileLogsConfig, since: number, rescanMs: number, found: () => Promise<void>) {
    const check = () => {
      if (this.#checking || this.#closed) return;
      this.#checking = true;
      void anyFileExists(cfg, since)
        .then(async (yes) => {
          if (yes && !this.#closed) await found();
        })
        .finally(() => {
          this.#checking = false;
        });
    };
    const dirs = new Set(cfg.sources.flatMap((s) => s.paths.map((p) => globBase(dirname(p)))));
    for (const dir of dirs) {
      try {
        const w = watch(dir, { persistent: false }, check);
        w.on('error', () => {
          w.close();
        });
        this.#watchers.push(w);
      } catch {
        // Absent or unreadable directory: the periodic look finds its files once it exists.
      }
    }
    this.#timer = setInterval(check, rescanMs);
    this.#timer.unref();
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    for (const w of this.#watchers) w.close();
  }
}

export const logsCollector = defineCollector({
  name: 'logs',
  config: logsConfig,
  families: Object.values(f),
  describe: (cfg) =>
    !cfg.enabled
      ? 'disabled in configuration (collectors.logs.enabled: false)'
      : cfg.sources.length === 0
        ? 'no log sources configured'
        : `following ${cfg.sources.length} log source(s): ${cfg.sources.map((s) => `${s.name} (${s.format}: ${s.format === 'journal' ? (s.journal?.units.join(', ') ?? '') || 'every unit' : s.paths.join(', ')})`).join('; ')}`,
  create: (cfg, ctx) => createLogsCollector(cfg, ctx),
});
