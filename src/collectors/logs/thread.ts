/**
 * The reading thread of the file sources, supervised: started, asked for snapshots, started
 * again with backoff when it dies (from the saved positions; its counts start again at 0, a
 * counter reset to Prometheus), and stopped by asking it to save and exit.
 */
import { Worker } from 'node:worker_threads';
import { CollectFailure } from '../../core/collector.ts';
import { describeError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { Supervisor, type LoopContext } from '../../core/supervisor.ts';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.ts';
import type { TailerSnapshot } from './snapshot.ts';

// Same extension as this module: .ts when run from source, .js from the built dist/.
const WORKER_URL = new URL(
  `./worker${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`,
  import.meta.url,
);

const RESTART_MIN_MS = 1000;
const RESTART_MAX_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
/**
 * A small young generation: a catch-up allocates one short-lived string per line, and V8's
 * default semi-spaces (16 MiB each) would grow the thread by about 30 MiB for no speed
 * (bench/logs.ts: 1 GiB read in the same time, peak RSS lower).
 */
const YOUNG_GENERATION_MB = 1;

export class ReadingThread {
  readonly #init: WorkerInit;
  readonly #log: Logger;
  readonly #supervisor: Supervisor;
  #worker: Worker | undefined;
  #seq = 0;
  /** Scrapes waiting for a snapshot; undefined: the thread ended first. */
  readonly #waiting = new Map<number, (s: TailerSnapshot | undefined) => void>();
  /** The counts at stop, answered from then on. */
  #final: TailerSnapshot | undefined;
  #failure: string | undefined;
  #firstReady: (() => void) | undefined;

  constructor(init: WorkerInit, log: Logger) {
    this.#init = init;
    this.#log = log;
    this.#supervisor = new Supervisor({
      name: 'log reading thread',
      logger: log,
      backoff: { initialMs: RESTART_MIN_MS, maxMs: RESTART_MAX_MS },
      // The thread gets the time to save its positions, then is terminated: wait that long.
      stopTimeoutMs: STOP_TIMEOUT_MS + 1000,
      run: (ctx) => this.#life(ctx),
      onEnd: (err) => {
        this.#failure = describeError(err);
      },
    });
  }

  /** Starts the thread; resolves once it is ready (or has ended trying). */
  start(): Promise<void> {
    const ready = new Promise<void>((resolve) => {
      this.#firstReady = resolve;
    });
    this.#supervisor.start();
    return ready;
  }

  /** Asks it to save its positions and exit; later snapshots are the one it stopped with. */
  stop(): Promise<void> {
    return this.#supervisor.stop();
  }

  /** The thread's counts now; a CollectFailure while it is not running. */
  snapshot(): Promise<TailerSnapshot> {
    if (this.#final !== undefined) return Promise.resolve(this.#final);
    const w = this.#worker;
    if (w === undefined) {
      return Promise.reject(
        new CollectFailure(
          `log reading thread not running${this.#failure === undefined ? '' : `: ${this.#failure}`}`,
        ),
      );
    }
    const id = ++this.#seq;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, (snap) => {
        if (snap !== undefined) resolve(snap);
        else reject(new CollectFailure('log reading thread ended before answering'));
      });
      w.postMessage({ type: 'snapshot', id } satisfies ToWorker);
    });
  }

  /** One thread's life, from its start to its exit. */
  #life(ctx: LoopContext): Promise<void> {
    return new Promise((resolve, reject) => {
      const w = new Worker(WORKER_URL, {
        workerData: this.#init,
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      });
      this.#worker = w;
      let error: Error | undefined;
      w.on('message', (msg: FromWorker) => {
        switch (msg.type) {
          case 'ready':
            this.#failure = undefined;
            ctx.healthy();
            this.#readyOnce();
            return;
          case 'log':
            this.#log[msg.level](msg.msg, msg.fields);
            return;
          case 'snapshot':
            this.#waiting.get(msg.id)?.(msg.snapshot);
            this.#waiting.delete(msg.id);
            return;
          case 'stopped':
            this.#final = msg.snapshot;
            return;
        }
      });
      w.on('error', (err: Error) => {
        error = err;
      });
      let terminate: NodeJS.Timeout | undefined;
      w.on('exit', (code) => {
        clearTimeout(terminate);
        if (this.#worker === w) this.#worker = undefined;
        this.#readyOnce();
        // Snapshots it will never answer: the stopped one (`#final`) or a failure instead.
        for (const [id, answer] of this.#waiting) {
          this.#waiting.delete(id);
          answer(this.#final);
        }
        if (ctx.signal.aborted) resolve();
        else reject(error ?? new Error(`exited with code ${code}`));
      });
      ctx.signal.addEventListener('abort', () => {
        w.postMessage({ type: 'stop' } satisfies ToWorker);
        terminate = setTimeout(() => {
          this.#log.warn(
            'log reading thread did not stop in time; terminating it (positions may be older)',
          );
          void w.terminate();
        }, STOP_TIMEOUT_MS);
      });
    });
  }

  #readyOnce(): void {
    this.#firstReady?.();
    this.#firstReady = undefined;
  }
}
