/**
 * Runs dataset walks and listings in one worker thread (see manifest.ts for why a thread), started
 * when needed and ended after a quiet spell: an idle thread holds ~13 MiB, and a compare a minute
 * needs it for a second or two.
 */
import { Worker } from 'node:worker_threads';
import type { DatasetFilter, Entry, WalkOutcome } from './manifest.ts';

export type ToManifestWorker =
  | {
      readonly id: number;
      readonly op: 'walk';
      readonly root: string;
      readonly filter: DatasetFilter;
      readonly rate: number;
      readonly changedSince: number | undefined;
    }
  | {
      readonly id: number;
      readonly op: 'list';
      readonly root: string;
      readonly dirs: readonly string[];
      readonly filter: DatasetFilter;
    };

export type FromManifestWorker =
  | { readonly id: number; readonly op: 'walk'; readonly outcome: WalkOutcome }
  | { readonly id: number; readonly op: 'list'; readonly dirs: Record<string, Entry[] | null> }
  | { readonly id: number; readonly op: 'error'; readonly error: string };

type Request = ToManifestWorker extends infer T
  ? T extends unknown
    ? Omit<T, 'id'>
    : never
  : never;

// Same extension as this module: .ts when run from source, .js from the built dist/.
const WORKER_URL = new URL(
  `./manifest-worker${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`,
  import.meta.url,
);

export class ManifestWalker {
  readonly #idleMs: number;
  readonly #ctl = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  readonly #pending = new Map<
    number,
    { resolve: (m: FromManifestWorker) => void; reject: (e: Error) => void; worker: Worker }
  >();
  #worker: Worker | undefined;
  #idle: NodeJS.Timeout | undefined;
  #seq = 0;
  #closed = false;

  constructor(opts: { idleMs?: number } = {}) {
    this.#idleMs = opts.idleMs ?? 10_000;
  }

  async walk(req: Omit<Extract<Request, { op: 'walk' }>, 'op'>): Promise<WalkOutcome> {
    const reply = await this.#send({ op: 'walk', ...req });
    if (reply.op !== 'walk') throw new Error(`dataset walk failed: ${describe(reply)}`);
    return reply.outcome;
  }

  async list(
    req: Omit<Extract<Request, { op: 'list' }>, 'op'>,
  ): Promise<Record<string, Entry[] | null>> {
    const reply = await this.#send({ op: 'list', ...req });
    if (reply.op !== 'list')
      throw new Error(`listing dataset directories failed: ${describe(reply)}`);
    return reply.dirs;
  }

  /** Cancels a running walk (it resolves as cancelled) and ends the thread. */
  async close(): Promise<void> {
    this.#closed = true;
    Atomics.store(this.#ctl, 0, 1);
    Atomics.notify(this.#ctl, 0);
    clearTimeout(this.#idle);
    const w = this.#worker;
    this.#worker = undefined;
    for (const p of this.#pending.values()) p.reject(new Error('the dataset walker was closed'));
    this.#pending.clear();
    await w?.terminate();
  }

  #send(req: Request): Promise<FromManifestWorker> {
    if (this.#closed) return Promise.reject(new Error('the dataset walker was closed'));
    clearTimeout(this.#idle);
    const w = (this.#worker ??= this.#spawn());
    w.ref();
    const id = ++this.#seq;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, worker: w });
      w.postMessage({ id, ...req });
    });
  }

  #spawn(): Worker {
    const w = new Worker(WORKER_URL, {
      name: 'patrol-ha-manifest',
      workerData: { control: this.#ctl.buffer },
    });
    w.on('message', (msg: FromManifestWorker) => {
      const p = this.#pending.get(msg.id);
      this.#pending.delete(msg.id);
      p?.resolve(msg);
      this.#settle();
    });
    // Only this thread's requests: one ended when idle may exit after its successor started.
    const lost = (err: Error) => {
      if (this.#worker === w) this.#worker = undefined;
      for (const [id, p] of this.#pending) {
        if (p.worker !== w) continue;
        this.#pending.delete(id);
        p.reject(err);
      }
    };
    w.on('error', (err) => {
      lost(new Error('dataset walker thread failed', { cause: err }));
    });
    w.on('exit', (code) => {
      lost(new Error(`dataset walker thread exited with code ${code}`));
    });
    return w;
  }

  /** With nothing pending, the thread stops holding the process open and ends after idleMs. */
  #settle(): void {
    if (this.#pending.size > 0) return;
    const w = this.#worker;
    if (w === undefined) return;
    w.unref();
    this.#idle = setTimeout(() => {
      if (this.#pending.size > 0 || this.#worker !== w) return;
      this.#worker = undefined;
      void w.terminate();
    }, this.#idleMs);
    this.#idle.unref();
  }
}

function describe(reply: FromManifestWorker): string {
  return reply.op === 'error' ? reply.error : `unexpected answer ${reply.op}`;
}
