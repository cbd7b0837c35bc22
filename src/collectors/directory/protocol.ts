/** Messages between the scan coordinator (pool.ts) and its walker threads (walk-worker.ts). */
import type { PartialTally } from './tally.ts';
import type { WalkOutcome } from './walk.ts';

/** Indexes into the shared Int32Array. */
export const CANCEL = 0; // 1 while the current scan is being cancelled
export const HUNGRY = 1; // idle walkers waiting for directories to walk
export const CONTROL_SLOTS = 2;

interface WalkRequest {
  readonly scan: number;
  readonly followSymlinks: boolean;
  /** Entries per second for this walker; 0: unlimited. */
  readonly rate: number;
  /** May hand pending directories to idle walkers. */
  readonly share: boolean;
}

export type ToWorker =
  | (WalkRequest & { readonly type: 'root'; readonly root: string })
  | (WalkRequest & { readonly type: 'dirs'; readonly dirs: readonly string[] });

export type FromWorker =
  | { readonly type: 'share'; readonly scan: number; readonly dirs: string[] }
  | {
      readonly type: 'done';
      readonly scan: number;
      readonly outcome: WalkOutcome;
      readonly tally: PartialTally;
    };
