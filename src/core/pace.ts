/**
 * An I/O budget as a pace (the directory walks and the HA manifest walks share it): before
 * doing unit `done + 1`, a walker allowed `rate` units per second must have spent at least
 * done / rate seconds. Checked every `every` units (about 1/20 s of budget, 1 to 1024), so
 * that a fast walk does not read the clock per entry.
 */
export class Pace {
  readonly rate: number;
  readonly every: number;
  readonly #started: number;
  readonly #now: () => number;
  #nextCheck: number;

  /** `rate` <= 0: no limit. */
  constructor(rate: number, now: () => number = () => performance.now()) {
    this.rate = rate;
    this.every = rate <= 0 ? 1024 : Math.max(1, Math.min(1024, Math.floor(rate / 20)));
    this.#now = now;
    this.#started = now();
    this.#nextCheck = this.every;
  }

  /**
   * Called as units are done: undefined between checks; at a check (every `every` units, also
   * without a limit, so a walk can look for cancellation there) how long to pause (ms) now that
   * `done` units are done, 0 when on time.
   */
  tick(done: number): number | undefined {
    if (done < this.#nextCheck) return undefined;
    this.#nextCheck = done + this.every;
    return paceDelayMs(done, this.#now() - this.#started, this.rate);
  }
}

/** The pause before unit `done + 1` at `rate` per second, `elapsedMs` after the start. */
export function paceDelayMs(done: number, elapsedMs: number, rate: number): number {
  if (rate <= 0) return 0;
  return Math.max(0, (done * 1000) / rate - elapsedMs);
}
