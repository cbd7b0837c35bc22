import { glob, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  CollectFailure,
  type Collector,
  type CollectorContext,
  type CollectorDefinition,
} from '../../core/collector.ts';
import { describeError, errorCode } from '../../core/errors.ts';
import type { MetricSink } from '../../core/metrics.ts';
import {
  fileSourcesOnly,
  isFileSource,
  type FileLogsConfig,
  type JournalSourceConfig,
  type LogsConfig,
} from './config.ts';
import { CursorStore, JournalReader } from './journal.ts';
import { LEVELS, logFamilies as f, READ_ERROR_REASONS, type ReadErrorReason } from './metrics.ts';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.ts';
import type { LogFn, TailerSnapshot } from './tailer.ts';

// Same extension as this module: .ts when run from source, .js from the built dist/.
const WORKER_URL = new URL(
  `./worker${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`,
  import.meta.url,
);

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
 * Whether any configured path names a file now. Until one does, no thread is started: an idle
 * worker thread costs about 18 MiB, and the embedded default names /var/log/messages and
 * /var/log/syslog, which many hosts (journald only) do not have.
 */
export async function anyFileExists(cfg: FileLogsConfig): Promise<boolean> {
  const exclude = new RegExp(cfg.exclude, 'u');
  for (const source of cfg.sources) {
    for (const pattern of source.paths) {
      if (!/[*?[\]{}]/.test(pattern)) {
        if ((await stat(pattern).catch(() => undefined)) !== undefined) return true;
        continue;
      }
      for await (const m of glob(pattern)) if (!exclude.test(basename(m))) return true;
    }
  }
  return false;
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

const RESTART_MIN_MS = 1000;
const RESTART_MAX_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const YOUNG_GENERATION_MB = 1;

/**
 * Background collector: a worker thread follows the files (tailer.ts) and keeps the counts; a
 * scrape asks it for a snapshot, which it answers between two reads.
 */
export function createLogsCollector(
  cfg: LogsConfig,
  ctx: CollectorContext,
  deps: LogsDeps = {},
): LogsCollector {
  const log = ctx.logger.child({ collector: 'logs' });
  const fileCfg = fileSourcesOnly(cfg);
  const init: WorkerInit = {
    config: fileCfg,
    positionsPath:
      deps.positionsPath === null
        ? undefined
        : (deps.positionsPath ?? positionsPath(cfg, deps.env)),
    startedAt: Date.now(),
  };
  let worker: Worker | undefined;
  let seq = 0;
  /** Scrapes waiting for a snapshot; undefined: the thread ended first. */
  const waiting = new Map<number, (s: TailerSnapshot | undefined) => void>();
  let final: TailerSnapshot | undefined;
  let stopping: Promise<void> | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let backoff = RESTART_MIN_MS;
  let failure: string | undefined;
  let waitTimer: NodeJS.Timeout | undefined;
  let started = false;

  const spawn = (): Promise<void> =>
    new Promise((resolve) => {
      // A small young generation: a catch-up allocates one short-lived string per line, and
      // V8's default semi-spaces (16 MiB each) would grow the thread by about 30 MiB for no
      // speed (bench/logs.ts: 1 GiB read in the same time, peak RSS lower).
      const w = new Worker(WORKER_URL, {
        workerData: init,
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      });
      worker = w;
      w.on('message', (msg: FromWorker) => {
        switch (msg.type) {
          case 'ready':
            failure = undefined;
            backoff = RESTART_MIN_MS;
            resolve();
            return;
          case 'log':
            log[msg.level](msg.msg, msg.fields);
            return;
          case 'snapshot':
            waiting.get(msg.id)?.(msg.snapshot);
            waiting.delete(msg.id);
            return;
          case 'stopped':
            final = msg.snapshot;
            return;
        }
      });
      w.on('error', (err) => {
        failure = describeError(err);
        log.error('log reading thread failed', { error: failure });
      });
      w.on('exit', (code) => {
        if (worker === w) worker = undefined;
        resolve();
        // Snapshots it will never answer: the stopped one (`final`) or a failure instead.
        for (const [id, answer] of waiting) {
          waiting.delete(id);
          answer(final);
        }
        if (stopping !== undefined) return;
        failure ??= `exited with code ${code}`;
        // Counts restart from zero (a counter reset to Prometheus); positions from the last save.
        log.error('log reading thread ended; starting it again', { code, retryInMs: backoff });
        restartTimer = setTimeout(() => void spawn(), backoff);
        backoff = Math.min(backoff * 2, RESTART_MAX_MS);
      });
    });

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
  const cursorErrors = { save: 0, failing: false };
  const saveCursors = () => {
    try {
      cursors.save();
      cursorErrors.failing = false;
    } catch (err) {
      cursorErrors.save++;
      if (!cursorErrors.failing) {
        log.warn('cannot save journal cursors; a restart will start over per start_at', {
          error: describeError(err),
        });
      }
      cursorErrors.failing = true;
    }
  };
  let cursorTimer: NodeJS.Timeout | undefined;

  /** The file sources' counts, from the thread (or idle before it starts). */
  const fileSnapshot = (): Promise<TailerSnapshot> => {
    if (final !== undefined) return Promise.resolve(final);
    if (!started) return Promise.resolve(idleSnapshot(fileCfg));
    const w = worker;
    if (w === undefined) {
      return Promise.reject(
        new CollectFailure(
          `log reading thread not running${failure === undefined ? '' : `: ${failure}`}`,
        ),
      );
    }
    const id = ++seq;
    return new Promise((resolve, reject) => {
      waiting.set(id, (snap) => {
        if (snap !== undefined) resolve(snap);
        else reject(new CollectFailure('log reading thread ended before answering'));
      });
      w.postMessage({ type: 'snapshot', id } satisfies ToWorker);
    });
  };

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
      if (fileCfg.sources.length > 0) await startFiles();
    },
    async stop() {
      clearInterval(cursorTimer);
      await Promise.all([stopFiles(), ...journals.map((j) => j.stop())]);
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

  async function startFiles(): Promise<void> {
    const begin = async () => {
      clearInterval(waitTimer);
      if (started || stopping !== undefined) return;
      started = true;
      await spawn();
    };
    // Saved positions may name files rotated while the exporter was down: start at once.
    const saved = init.positionsPath !== undefined && (await namesFiles(init.positionsPath));
    if (saved || (await anyFileExists(fileCfg))) {
      await begin();
      return;
    }
    log.info('no log file to follow yet; looking again every rescan_interval', {
      sources: fileCfg.sources.map((s) => s.name).join(','),
    });
    waitTimer = setInterval(() => {
      void anyFileExists(fileCfg).then(async (yes) => {
        if (yes) await begin();
      });
    }, cfg.rescan_interval);
    waitTimer.unref();
  }

  function stopFiles(): Promise<void> {
    if (stopping !== undefined) return stopping;
    clearTimeout(restartTimer);
    clearInterval(waitTimer);
    const w = worker;
    stopping = (async () => {
      if (w === undefined) return;
      const exited = new Promise<void>((resolve) =>
        w.once('exit', () => {
          resolve();
        }),
      );
      w.postMessage({ type: 'stop' } satisfies ToWorker);
      const timer = setTimeout(() => {
        log.warn(
          'log reading thread did not stop in time; terminating it (positions may be older)',
        );
        void w.terminate();
      }, STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  }
}

export function emit(snap: TailerSnapshot, sink: MetricSink): void {
  for (const s of snap.sources) {
    const source = s.name;
    sink.add(f.sourceInfo, { source, format: s.format, required: String(s.required) }, 1);
    LEVELS.forEach((level, i) => {
      sink.add(f.lines, { source, level }, s.lines[i] ?? 0);
    });
    const lastByRule = new Map<string, number>();
    for (const m of s.matches) {
      sink.add(f.matches, { ...m.labels, source, rule: m.rule }, m.count);
      lastByRule.set(m.rule, Math.max(lastByRule.get(m.rule) ?? 0, m.last));
    }
    for (const [rule, last] of lastByRule) sink.add(f.lastMatch, { source, rule }, last);
    sink.add(f.readBytes, { source }, s.readBytes);
    sink.add(f.lag, { source }, s.lagBytes);
    sink.add(f.rotations, { source }, s.rotations);
    sink.add(f.truncations, { source }, s.truncations);
    sink.add(f.lostBytes, { source }, s.lostBytes);
    sink.add(f.files, { source }, s.files);
    if (s.lastWrite !== undefined) sink.add(f.lastWrite, { source }, s.lastWrite);
    if (s.maxSilenceSeconds !== undefined) sink.add(f.maxSilence, { source }, s.maxSilenceSeconds);
    for (const reason of READ_ERROR_REASONS) {
      sink.add(f.readErrors, { source, reason }, s.errors[reason]);
    }
    sink.add(f.linesTruncated, { source }, s.truncatedLines);
  }
  sink.add(f.positionsErrors, { operation: 'load' }, snap.positionsErrors.load);
  sink.add(f.positionsErrors, { operation: 'save' }, snap.positionsErrors.save);
}

export const logsCollector: CollectorDefinition<LogsConfig> = {
  name: 'logs',
  families: Object.values(f),
  describe: (cfg) =>
    !cfg.enabled
      ? 'disabled in configuration (collectors.logs.enabled: false)'
      : cfg.sources.length === 0
        ? 'no log sources configured'
        : `following ${cfg.sources.length} log source(s): ${cfg.sources.map((s) => `${s.name} (${s.format}: ${s.format === 'journal' ? (s.journal?.units.join(', ') ?? '') || 'every unit' : s.paths.join(', ')})`).join('; ')}`,
  create: (cfg, ctx) => createLogsCollector(cfg, ctx),
};
