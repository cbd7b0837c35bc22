/**
 * Runs directory walks off the event loop, in worker threads.
 *
 * Why synchronous calls in workers (measured on a 200,000-file tree, warm cache, see
 * bench/directory-scan.ts): promise-based fs costs a libuv threadpool round trip and a promise
 * per file and competes with every other fs call of the process; sync readdirSync/lstatSync cost
 * the syscall plus ~1 µs of JavaScript. Even so one sync walker needs ~1.5x the time of `du -s`,
 * because each lstat() resolves the whole path (du uses fstatat() relative to an open directory
 * fd, which Node does not offer, and process.chdir() is not available in workers). When the I/O
 * budget is unlimited the tree is therefore shared by up to two walkers: a busy walker hands half
 * of its pending directories to an idle one (work sharing through a SharedArrayBuffer flag),
 * which brings a scan under du's time on two cores. With a budget (the default), one walker is
 * far faster than the budget allows, so one is used. Following symlinks also uses one walker,
 * because loop detection needs one set of visited directories.
 *
 * One scan at a time per pool; cancel() stops it within one budget check (<= 1024 entries, or
 * at once during a budget pause), close() terminates the threads.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ErrorReason } from './metrics.ts';
import { CANCEL, CONTROL_SLOTS, HUNGRY, type FromWorker, type ToWorker } from './protocol.ts';
import { mergeTallies, type PartialTally, type ScanTotals } from './tally.ts';

export interface ScanRequest {
  readonly root: string;
  readonly followSymlinks: boolean;
  /** Entries per second for the whole scan; 0: unlimited. */
  readonly rate: number;
  /** How many walker threads may share this tree; defaults to defaultParallelism(). */
  readonly parallelism?: number;
}

export type ScanOutcome =
  | { readonly kind: 'done'; readonly totals: ScanTotals }
  | { readonly kind: 'root-failed'; readonly reason: ErrorReason; readonly code: string }
  | { readonly kind: 'cancelled' };

/** Something that scans trees: the worker pool, or a stand-in in tests. */
export interface Scanner {
  scan(req: ScanRequest): Promise<ScanOutcome>;
  cancel(): void;
  close(): Promise<void>;
  /** Ends threads not needed until the next scan (they are started again on demand). */
  releaseIdle?(): Promise<void>;
}

/** Walker threads for one scan: 2 when the budget is unlimited and symlinks are not followed. */
export function defaultParallelism(req: Pick<ScanRequest, 'rate' | 'followSymlinks'>): number {
  return req.rate === 0 && !req.followSymlinks ? Math.min(2, availableParallelism()) : 1;
}

interface ActiveScan {
  readonly id: number;
  readonly resolve: (o: ScanOutcome) => void;
  readonly reject: (e: Error) => void;
  readonly request: Omit<ToWorker, 'type' | 'root' | 'dirs'>;
  readonly busy: Set<Worker>;
  readonly idle: Worker[];
  readonly queue: string[][];
  readonly parts: PartialTally[];
  rootFailure: { reason: ErrorReason; code: string } | undefined;
  cancelled: boolean;
  failure: Error | undefined;
}

// Same extension as this module: .ts when run from source, .js from the built dist/.
const WORKER_URL = new URL(
  `./walk-worker${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`,
  import.meta.url,
);

export class WalkerPool implements Scanner {
  readonly #maxWorkers: number;
  readonly #ctl = new Int32Array(
    new SharedArrayBuffer(CONTROL_SLOTS * Int32Array.BYTES_PER_ELEMENT),
  );
  readonly #workers: Worker[] = [];
  #seq = 0;
  #active: ActiveScan | undefined;
  #closed = false;

  constructor(opts: { maxWorkers?: number } = {}) {
    this.#maxWorkers = Math.max(1, opts.maxWorkers ?? 2);
  }

  scan(req: ScanRequest): Promise<ScanOutcome> {
    if (this.#closed) return Promise.resolve({ kind: 'cancelled' });
    if (this.#active !== undefined)
      return Promise.reject(new Error('a directory scan is already running'));
    const n = Math.min(this.#maxWorkers, Math.max(1, req.parallelism ?? defaultParallelism(req)));
    while (this.#workers.length < n) this.#workers.push(this.#spawn());
    const workers = this.#workers.slice(0, n);
    const [first, ...rest] = workers;
    if (first === undefined) throw new Error('unreachable: no walker thread');
    return new Promise<ScanOutcome>((resolve, reject) => {
      const scan: ActiveScan = {
        id: ++this.#seq,
        resolve,
        reject,
        request: {
          scan: this.#seq,
          followSymlinks: req.followSymlinks,
          rate: req.rate > 0 ? req.rate / n : 0,
          share: n > 1,
        },
        busy: new Set([first]),
        idle: rest,
        queue: [],
        parts: [],
        rootFailure: undefined,
        cancelled: false,
        failure: undefined,
      };
      this.#active = scan;
      Atomics.store(this.#ctl, CANCEL, 0);
      Atomics.store(this.#ctl, HUNGRY, rest.length);
      for (const w of workers) w.ref();
      first.postMessage({ ...scan.request, type: 'root', root: req.root } satisfies ToWorker);
    });
  }

  /** Stops the running scan (its promise resolves as cancelled). */
  cancel(): void {
    const scan = this.#active;
    if (scan === undefined) return;
    scan.cancelled = true;
    Atomics.store(this.#ctl, CANCEL, 1);
    Atomics.notify(this.#ctl, CANCEL);
    scan.queue.length = 0;
  }

  /** Cancels any scan and ends the threads; does not wait more than `graceMs` for a thread stuck in a syscall. */
  async close(graceMs = 1000): Promise<void> {
    this.#closed = true;
    this.cancel();
    const workers = this.#workers.splice(0);
    const scan = this.#active;
    if (scan !== undefined) {
      this.#active = undefined;
      scan.resolve({ kind: 'cancelled' });
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(workers.map((w) => w.terminate())),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
  }

  /**
   * Ends the walker threads between scans: each holds its own module graph and V8 heap
   * (~13 MiB idle), while starting one again costs a few tens of milliseconds once per interval.
   */
  async releaseIdle(): Promise<void> {
    if (this.#active !== undefined) return;
    await Promise.all(this.#workers.splice(0).map((w) => w.terminate()));
  }

  #spawn(): Worker {
    const w = new Worker(WORKER_URL, {
      name: 'patrol-directory-walker',
      workerData: { control: this.#ctl.buffer },
    });
    w.unref();
    w.on('message', (msg: FromWorker) => {
      this.#onMessage(w, msg);
    });
    w.on('error', (err) => {
      this.#lost(w, new Error('directory walker thread failed', { cause: err }));
    });
    w.on('exit', (code) => {
      this.#lost(w, new Error(`directory walker thread exited with code ${code}`));
    });
    return w;
  }

  #assign(scan: ActiveScan, w: Worker, dirs: string[]): void {
    scan.busy.add(w);
    w.postMessage({ ...scan.request, type: 'dirs', dirs } satisfies ToWorker);
  }

  #onMessage(w: Worker, msg: FromWorker): void {
    const scan = this.#active;
    if (scan === undefined || msg.scan !== scan.id) return; // late message of a closed scan
    if (msg.type === 'share') {
      if (scan.cancelled) return;
      const idle = scan.idle.pop();
      if (idle !== undefined) this.#assign(scan, idle, msg.dirs);
      else scan.queue.push(msg.dirs);
      return;
    }
    scan.parts.push(msg.tally);
    if (msg.outcome.kind === 'root-failed') scan.rootFailure = msg.outcome;
    scan.busy.delete(w);
    const next = scan.cancelled ? undefined : scan.queue.shift();
    if (next !== undefined) {
      this.#assign(scan, w, next);
    } else {
      scan.idle.push(w);
      Atomics.add(this.#ctl, HUNGRY, 1);
    }
    if (scan.busy.size === 0) this.#finish(scan);
  }

  #lost(w: Worker, err: Error): void {
    const i = this.#workers.indexOf(w);
    if (i >= 0) this.#workers.splice(i, 1);
    const scan = this.#active;
    if (scan === undefined || !scan.busy.has(w)) return;
    scan.failure ??= err;
    scan.busy.delete(w);
    this.cancel();
    if (scan.busy.size === 0) this.#finish(scan);
  }

  #finish(scan: ActiveScan): void {
    this.#active = undefined;
    Atomics.store(this.#ctl, HUNGRY, 0);
    Atomics.store(this.#ctl, CANCEL, 0);
    for (const w of this.#workers) w.unref();
    if (scan.failure !== undefined) scan.reject(scan.failure);
    else if (scan.cancelled) scan.resolve({ kind: 'cancelled' });
    else if (scan.rootFailure !== undefined)
      scan.resolve({ kind: 'root-failed', ...scan.rootFailure });
    else scan.resolve({ kind: 'done', totals: mergeTallies(scan.parts) });
  }
}
