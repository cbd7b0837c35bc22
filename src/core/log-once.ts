import type { Logger } from './logger.ts';

type Fields = Record<string, unknown>;

/**
 * "Log once until it changes": a condition that repeats (a peer that keeps refusing, a file that
 * stays unreadable, a collector that fails every scrape) is logged when it starts and when its
 * reason changes, and once more when it clears, never on every repetition. Keys are whatever
 * identifies the thing (a name, an object); at most `maxKeys` are remembered, so keys made
 * from outside input (a caller's address) cannot grow memory without bound.
 */
export class LogOnce<K = string> {
  readonly #logger: Logger;
  readonly #maxKeys: number;
  readonly #reasons = new Map<K, string>();

  constructor(logger: Logger, maxKeys = 1000) {
    this.#logger = logger;
    this.#maxKeys = maxKeys;
  }

  /**
   * Logs `msg` at `level` with `fields` when `key` was not failing or failed for another
   * `reason` (only compared: put it in `fields` under the name the line should carry); returns
   * whether it logged. Past `maxKeys` new keys are not logged (nor remembered).
   */
  fail(
    key: K,
    reason: string,
    msg: string,
    fields: Fields = {},
    level: 'warn' | 'error' | 'info' = 'warn',
  ): boolean {
    const previous = this.#reasons.get(key);
    if (previous === reason) return false;
    if (previous === undefined && this.#reasons.size >= this.#maxKeys) return false;
    this.#reasons.set(key, reason);
    this.#logger[level](msg, fields);
    return true;
  }

  /** Forgets `key`'s failure; logs `msg` (at info) if it was failing and a message is given. */
  recover(key: K, msg?: string, fields: Fields = {}): boolean {
    const previous = this.#reasons.get(key);
    if (previous === undefined) return false;
    this.#reasons.delete(key);
    if (msg !== undefined) this.#logger.info(msg, { ...fields, was: previous });
    return true;
  }

  /** The reason `key` is failing for, as last logged. */
  reason(key: K): string | undefined {
    return this.#reasons.get(key);
  }

  /** Keeps only the keys `keep` accepts (things that no longer exist are forgotten silently). */
  retain(keep: (key: K) => boolean): void {
    for (const key of this.#reasons.keys()) if (!keep(key)) this.#reasons.delete(key);
  }
}
