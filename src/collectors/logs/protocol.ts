import type { LogLevel, TailerConfig, TailerSnapshot } from './snapshot.ts';

/** What the worker is started with (structured-cloned: plain data only). */
export interface WorkerInit {
  readonly config: TailerConfig;
  readonly positionsPath: string | undefined;
  /** When the collector started (ms since the epoch); see TailerOptions.startedAt. */
  readonly startedAt: number;
}

export type ToWorker =
  { readonly type: 'snapshot'; readonly id: number } | { readonly type: 'stop' };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'snapshot'; readonly id: number; readonly snapshot: TailerSnapshot }
  | { readonly type: 'stopped'; readonly snapshot: TailerSnapshot }
  | {
      readonly type: 'log';
      readonly level: LogLevel;
      readonly msg: string;
      readonly fields: Record<string, unknown>;
    };
