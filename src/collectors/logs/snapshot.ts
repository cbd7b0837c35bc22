/**
 * What the log collector knows of its sources at one moment, as the reading thread (tailer.ts)
 * and the journal readers (journal.ts) report it and samples.ts exports it: plain data, so it
 * crosses the thread boundary as a message.
 */
import type { FileLogsConfig } from './config.ts';
import type { ReadErrorReason } from './metrics.ts';
import type { MatchSnapshot } from './rules.ts';

export type LogLevel = 'info' | 'warn' | 'error';
export type TailerConfig = FileLogsConfig;
export type LogFn = (level: LogLevel, msg: string, fields: Record<string, unknown>) => void;

export type { MatchSnapshot };

export interface SourceSnapshot {
  readonly name: string;
  readonly format: string;
  readonly required: boolean;
  readonly maxSilenceSeconds: number | undefined;
  /** Entries per level, in LEVELS order. */
  readonly lines: number[];
  readonly matches: MatchSnapshot[];
  readonly readBytes: number;
  readonly lagBytes: number;
  readonly rotations: number;
  readonly truncations: number;
  readonly lostBytes: number;
  readonly truncatedLines: number;
  readonly files: number;
  /** Newest mtime of the files followed, Unix seconds; undefined while none is. */
  readonly lastWrite: number | undefined;
  readonly errors: Record<ReadErrorReason, number>;
}

export interface TailerSnapshot {
  readonly sources: SourceSnapshot[];
  readonly positionsErrors: { load: number; save: number };
}
