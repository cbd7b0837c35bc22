/**
 * Journal sources (`format: journal`): entries of the systemd journal counted by PRIORITY,
 * through `journalctl --follow --output=json`. journalctl rather than a library: no maintained
 * Node binding reads the journal (systemd-journald on npm writes to it), and journalctl is
 * wherever the journal is. It runs as a child process, read asynchronously, so it costs the
 * event loop one JSON.parse per entry and never blocks it.
 *
 * Where it left off is its cursor (`__CURSOR`), saved with the others in one small JSON file
 * next to the file positions; a restart goes on with `--after-cursor`, so nothing is counted
 * twice or skipped. A cursor journald has since vacuumed is refused by journalctl: the source
 * then starts at the end, and says so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { describeError } from '../../core/errors.ts';
import { silentLogger } from '../../core/logger.ts';
import { Supervisor, type LoopContext } from '../../core/supervisor.ts';
import { writeFileAtomic } from '../../core/fs.ts';
import { LabelCap } from '../../core/label-cap.ts';
import type { JournalSourceConfig } from './config.ts';
import { LEVELS, READ_ERROR_REASONS, type Level, type ReadErrorReason } from './metrics.ts';
import {
  compileRule,
  matchLabels,
  recordMatch,
  type CompiledRule,
  type MatchSnapshot,
} from './rules.ts';
import type { LogFn, SourceSnapshot } from './snapshot.ts';

/** syslog priorities 0-7 (emerg ... debug) to patrol's levels. */
const PRIORITY_LEVEL: readonly Level[] = [
  'critical',
  'critical',
  'critical',
  'error',
  'warning',
  'info',
  'info',
  'debug',
];
const LEVEL_INDEX = Object.fromEntries(LEVELS.map((l, i) => [l, i])) as Record<Level, number>;
const RESTART_MIN_MS = 1000;
const RESTART_MAX_MS = 30_000;

/** The level of one journal entry: PRIORITY is a string "0".."7"; absent or odd: other. */
export function journalLevel(priority: unknown): Level {
  const n = typeof priority === 'string' && /^[0-7]$/.test(priority) ? Number(priority) : -1;
  return PRIORITY_LEVEL[n] ?? 'other';
}

/**
 * MESSAGE as bytes: a string when valid UTF-8, an array of byte values when not, an array of
 * those when the field has several values (the first counts), null or absent when missing.
 */
export function messageBytes(message: unknown): Buffer {
  if (typeof message === 'string') return Buffer.from(message, 'utf8');
  if (Array.isArray(message)) {
    if (message.every((b) => typeof b === 'number')) return Buffer.from(message);
    return messageBytes(message[0]);
  }
  return Buffer.alloc(0);
}

/** The journalctl arguments for a source: after `cursor` if known, else per start_at. */
export function journalctlArgs(cfg: JournalSourceConfig, cursor: string | undefined): string[] {
  const j = cfg.journal;
  return [
    '--follow',
    '--output=json',
    '--output-fields=MESSAGE,PRIORITY',
    '--no-pager',
    ...(j?.directory === undefined ? [] : [`--directory=${j.directory}`]),
    ...(j?.units ?? []).map((u) => `--unit=${u}`),
    ...(cursor !== undefined
      ? [`--after-cursor=${cursor}`]
      : cfg.start_at === 'beginning'
        ? ['--no-tail']
        : ['--lines=0']),
  ];
}

/** Cursors of every journal source, in one file. */
export class CursorStore {
  readonly #path: string | undefined;
  readonly #cursors = new Map<string, string>();
  #saved = '';

  constructor(path: string | undefined) {
    this.#path = path;
    if (path === undefined) return;
    try {
      const doc = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      if (typeof doc === 'object' && doc !== null) {
        for (const [k, v] of Object.entries(doc))
          if (typeof v === 'string') this.#cursors.set(k, v);
      }
    } catch {
      // None yet, or unreadable: the sources start per start_at (and the next save fixes it).
    }
    this.#saved = this.#text();
  }

  get(source: string): string | undefined {
    return this.#cursors.get(source);
  }

  set(source: string, cursor: string | undefined): void {
    if (cursor === undefined) this.#cursors.delete(source);
    else this.#cursors.set(source, cursor);
  }

  /** Writes them if changed; throws when it cannot (the caller counts and logs). */
  save(): void {
    const text = this.#text();
    if (this.#path === undefined || text === this.#saved) return;
    mkdirSync(dirname(this.#path), { recursive: true });
    writeFileAtomic(this.#path, `${text}\n`);
    this.#saved = text;
  }

  #text(): string {
    return JSON.stringify(Object.fromEntries(this.#cursors));
  }
}

export interface JournalReaderOptions {
  readonly cursors: CursorStore;
  readonly log: LogFn;
  readonly now?: () => number;
}

/** Follows the journal for one source and counts its entries. */
export class JournalReader {
  readonly #cfg: JournalSourceConfig;
  readonly #rules: CompiledRule[];
  readonly #cursors: CursorStore;
  readonly #log: LogFn;
  readonly #now: () => number;
  readonly #labelCap = new LabelCap();
  readonly #lines: number[] = LEVELS.map(() => 0);
  readonly #matches = new Map<string, MatchSnapshot>();
  readonly #errors = Object.fromEntries(READ_ERROR_REASONS.map((r) => [r, 0])) as Record<
    ReadErrorReason,
    number
  >;
  #child: ChildProcess | undefined;
  #readBytes = 0;
  #lastEntry: number | undefined;
  #failing = false;
  /** journalctl, run again with backoff whenever it ends (it tells its own outages). */
  readonly #supervisor: Supervisor;
  #ctx: LoopContext | undefined;

  constructor(cfg: JournalSourceConfig, opts: JournalReaderOptions) {
    this.#cfg = cfg;
    this.#rules = cfg.rules.map(compileRule);
    this.#cursors = opts.cursors;
    this.#log = opts.log;
    this.#now = opts.now ?? Date.now;
    this.#supervisor = new Supervisor({
      name: `journal source ${cfg.name}`,
      logger: silentLogger,
      log: false,
      backoff: { initialMs: RESTART_MIN_MS, maxMs: RESTART_MAX_MS },
      run: (ctx) => this.#follow(ctx),
    });
  }

  start(): void {
    this.#supervisor.start();
  }

  async stop(): Promise<void> {
    await this.#supervisor.stop();
  }

  /** One journalctl, from its start to its end (an error, a vanished cursor, stop()). */
  #follow(ctx: LoopContext): Promise<void> {
    this.#ctx = ctx;
    const cursor = this.#cursors.get(this.#cfg.name);
    const bin = this.#cfg.journal?.journalctl ?? 'journalctl';
    const child = spawn(bin, journalctlArgs(this.#cfg, cursor), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 4096) stderr += d;
    });
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    lines.on('line', (line) => {
      this.#entry(line);
    });
    ctx.signal.addEventListener('abort', () => child.kill('SIGTERM'));
    return new Promise((resolve, reject) => {
      child.on('error', (err) => {
        this.#failed(`cannot run ${bin}: ${describeError(err)}`);
        reject(err);
      });
      child.on('close', (code, signal) => {
        if (this.#child === child) this.#child = undefined;
        if (ctx.signal.aborted) {
          resolve();
          return;
        }
        if (cursor !== undefined && /cursor/i.test(stderr)) {
          // Vacuumed since: start again from now on, and say what was skipped.
          this.#cursors.set(this.#cfg.name, undefined);
          this.#log('warn', 'the saved journal cursor is gone (vacuumed?); counting from now on', {
            source: this.#cfg.name,
          });
        }
        const why = `${bin} ended (${signal ?? `code ${code}`})${stderr === '' ? '' : `: ${stderr.trim().slice(0, 500)}`}`;
        this.#failed(why);
        reject(new Error(why));
      });
    });
  }

  snapshot(): SourceSnapshot {
    return {
      name: this.#cfg.name,
      format: 'journal',
      required: this.#cfg.required,
      maxSilenceSeconds:
        this.#cfg.max_silence === undefined ? undefined : this.#cfg.max_silence / 1000,
      lines: [...this.#lines],
      matches: [...this.#matches.values()].map((m) => ({ ...m })),
      readBytes: this.#readBytes,
      lagBytes: 0,
      rotations: 0,
      truncations: 0,
      lostBytes: 0,
      truncatedLines: 0,
      // The journal counts as the one "file" of the source while journalctl follows it.
      files: this.#child !== undefined && !this.#failing ? 1 : 0,
      lastWrite: this.#lastEntry,
      errors: { ...this.#errors },
    };
  }

  #entry(line: string): void {
    this.#readBytes += Buffer.byteLength(line) + 1;
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(line) as Record<string, unknown>;
    } catch {
      this.#lines[LEVEL_INDEX.other] = (this.#lines[LEVEL_INDEX.other] ?? 0) + 1;
      return;
    }
    if (this.#failing) {
      this.#failing = false;
      this.#log('info', 'following the journal again', { source: this.#cfg.name });
    }
    this.#ctx?.healthy();
    const i = LEVEL_INDEX[journalLevel(doc.PRIORITY)];
    this.#lines[i] = (this.#lines[i] ?? 0) + 1;
    const ts =
      typeof doc.__REALTIME_TIMESTAMP === 'string' ? Number(doc.__REALTIME_TIMESTAMP) : NaN;
    this.#lastEntry = Number.isFinite(ts) ? ts / 1e6 : this.#now() / 1000;
    if (typeof doc.__CURSOR === 'string') this.#cursors.set(this.#cfg.name, doc.__CURSOR);
    if (this.#rules.length === 0) return;
    const bytes = messageBytes(doc.MESSAGE);
    const text = bytes.toString('latin1');
    for (const rule of this.#rules) {
      const m = rule.regex.exec(rule.utf8 ? bytes.toString('utf8') : text);
      if (m === null) continue;
      recordMatch(
        this.#matches,
        rule,
        matchLabels(this.#cfg.name, rule, m, this.#labelCap),
        this.#now(),
      );
    }
  }

  /** Counts and logs an outage once (the supervisor runs journalctl again after its backoff). */
  #failed(reason: string): void {
    if (this.#failing) return;
    this.#failing = true;
    this.#errors.io++;
    this.#log('warn', 'cannot follow the journal; retrying with backoff (logged once)', {
      source: this.#cfg.name,
      reason,
    });
  }
}
