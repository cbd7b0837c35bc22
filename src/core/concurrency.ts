/**
 * `fn` over `items`, at most `limit` at a time, results in the order of `items` (a bus that
 * caps calls in flight, an API server that must not get ten thousand requests at once).
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return out;
}

/**
 * At most `size` holders at a time, across callers that do not know of each other (scrapes
 * that overlap, background loops). A waiter whose signal aborts leaves the queue.
 */
export class Semaphore {
  readonly size: number;
  #held = 0;
  readonly #waiters: (() => void)[] = [];

  constructor(size: number) {
    this.size = Math.max(1, size);
  }

  get held(): number {
    return this.#held;
  }

  /** True once a slot is held (call release() after), false when `signal` aborted first. */
  acquire(signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted === true) return Promise.resolve(false);
    if (this.#held < this.size) {
      this.#held++;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        this.#held++;
        resolve(true);
      };
      const onAbort = () => {
        const i = this.#waiters.indexOf(grant);
        if (i >= 0) this.#waiters.splice(i, 1);
        resolve(false);
      };
      this.#waiters.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  release(): void {
    this.#held--;
    this.#waiters.shift()?.();
  }
}
