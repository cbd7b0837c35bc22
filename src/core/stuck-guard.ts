export type Guarded<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | { readonly kind: 'error'; readonly error: unknown }
  /** This call outlived its deadline; the key is stuck until it returns. */
  | { readonly kind: 'timeout' }
  /** An earlier call for the key has not returned: not called again. */
  | { readonly kind: 'stuck' };

/**
 * Calls with a deadline that remember calls which outlived it (node_exporter's stuckMounts,
 * generalised). Some calls cannot be cancelled: statfs on a stale NFS mount blocks its libuv
 * thread in the kernel, a read from a hung FUSE file likewise, a client library that ignores
 * its socket. Asking again each scrape would pile up one more such call every time, so a key
 * whose call is still out is "stuck": the caller gets that answer at once, and the key is
 * called again only once the stuck call has returned.
 */
export class StuckGuard<K = string> {
  readonly #stuck = new Set<K>();
  /** Told when a stuck call finally returns (set by whoever owns the logger now). */
  onRecovered: ((key: K) => void) | undefined;

  get stuck(): ReadonlySet<K> {
    return this.#stuck;
  }

  async call<T>(key: K, fn: () => Promise<T>, timeoutMs: number): Promise<Guarded<T>> {
    if (this.#stuck.has(key)) return { kind: 'stuck' };
    const call = Promise.resolve()
      .then(fn)
      .then(
        (value) => ({ kind: 'ok', value }) as const,
        (error: unknown) => ({ kind: 'error', error }) as const,
      );
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        resolve('timeout');
      }, timeoutMs);
    });
    const first = await Promise.race([call, deadline]);
    clearTimeout(timer);
    if (first !== 'timeout') return first;
    this.#stuck.add(key);
    void call.then(() => {
      this.#stuck.delete(key);
      this.onRecovered?.(key);
    });
    return { kind: 'timeout' };
  }
}
