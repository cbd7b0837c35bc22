import { Semaphore } from '../../core/concurrency.ts';
import { StuckGuard } from '../../core/stuck-guard.ts';
import type { ProbeConfig } from './config.ts';
import { deadlineSignal } from './dial.ts';
import type { ProbeResult } from './outcome.ts';

/** One attempt of a probe; never rejects (failures are results), stops at `signal`. */
export type Attempt = (p: ProbeConfig, signal: AbortSignal) => Promise<ProbeResult>;

/**
 * How long after its deadline an attempt may take to return before it counts as stuck. The
 * modules destroy their sockets at the deadline, so only what cannot be cancelled (a system
 * resolver that does not answer) gets here.
 */
const GRACE_MS = 250;

/**
 * When probes run: on each scrape (blackbox_exporter's model) or, with `interval`, in the
 * background with the scrape reading the last result. Shared by both:
 * - at most `maxInFlight` attempts run at once, whoever asked (a semaphore);
 * - a probe already running is not started twice: a second scrape waits for the same attempt;
 * - an attempt that has not returned by its deadline (plus a grace) is stuck: the probe reports
 *   failure at once and is not attempted again until that attempt returns;
 * - a scrape that cannot start a probe before its own deadline reports it as a timeout.
 */
export class ProbeScheduler {
  readonly #attempt: Attempt;
  readonly #slots: Semaphore;
  readonly #guard = new StuckGuard();
  readonly #running = new Map<string, Promise<ProbeResult>>();
  readonly #last = new Map<string, ProbeResult>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #stopped = false;

  constructor(attempt: Attempt, maxInFlight: number) {
    this.#attempt = attempt;
    this.#slots = new Semaphore(maxInFlight);
  }

  get inFlight(): number {
    return this.#slots.held;
  }

  isStuck(name: string): boolean {
    return this.#guard.stuck.has(name);
  }

  last(name: string): ProbeResult | undefined {
    return this.#last.get(name);
  }

  /** Probes `p` now, or joins its running attempt; resolves by `deadline` (performance.now()). */
  run(p: ProbeConfig, deadline: number): Promise<ProbeResult> {
    const running = this.#running.get(p.name);
    if (running !== undefined) return running;
    const attempt = this.#run(p, deadline).then((r) => {
      this.#running.delete(p.name);
      this.#last.set(p.name, r);
      return r;
    });
    this.#running.set(p.name, attempt);
    return attempt;
  }

  async #run(p: ProbeConfig, deadline: number): Promise<ProbeResult> {
    const started = performance.now();
    if (this.#guard.stuck.has(p.name)) {
      return failed('an earlier attempt has not returned yet; not probing again until it does', 0);
    }
    const queue = deadlineSignal(deadline - started);
    if (!(await this.#slots.acquire(queue))) {
      return failed(
        `not started: ${this.#slots.size} probes (max_in_flight) were running until the scrape's deadline`,
        (performance.now() - started) / 1000,
      );
    }
    const timeoutMs = Math.min(p.timeout, deadline - performance.now());
    let attempt: Promise<ProbeResult> | undefined;
    const r = await this.#guard.call(
      p.name,
      () => {
        attempt = this.#attempt(p, deadlineSignal(timeoutMs));
        return attempt;
      },
      timeoutMs + GRACE_MS,
    );
    // The slot is held until the attempt really ends, stuck or not: the bound is on what runs.
    const release = () => {
      this.#slots.release();
    };
    if (attempt === undefined) release();
    else void attempt.then(release, release);
    if (r.kind === 'ok') return r.value;
    return failed(
      r.kind === 'error'
        ? String(r.error)
        : `did not return ${GRACE_MS} ms after its ${timeoutMs} ms deadline`,
      (performance.now() - started) / 1000,
    );
  }

  /**
   * Starts the background probes (those with `interval`): the first attempt at once, then one
   * every interval after the previous ended.
   */
  startBackground(probes: readonly ProbeConfig[]): void {
    for (const p of probes) {
      const interval = p.interval;
      if (interval === undefined) continue;
      const loop = () => {
        if (this.#stopped) return;
        void this.run(p, performance.now() + p.timeout + GRACE_MS).then(() => {
          if (this.#stopped) return;
          const t = setTimeout(() => {
            this.#timers.delete(t);
            loop();
          }, interval);
          this.#timers.add(t);
        });
      };
      loop();
    }
  }

  /** Whether each background probe has a result (the collector's first full read). */
  backgroundReady(probes: readonly ProbeConfig[]): boolean {
    return probes.every((p) => p.interval === undefined || this.#last.has(p.name));
  }

  /**
   * The result a scrape reports for `p`: a background probe's last result while it is fresh
   * (younger than two intervals and a deadline), otherwise an attempt now.
   */
  forScrape(p: ProbeConfig, deadline: number): Promise<ProbeResult> {
    const last = this.#last.get(p.name);
    if (
      p.interval !== undefined &&
      last !== undefined &&
      Date.now() - last.at <= 2 * p.interval + p.timeout + GRACE_MS
    ) {
      return Promise.resolve(last);
    }
    return this.run(p, deadline);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    await Promise.allSettled([...this.#running.values()]);
  }
}

/** A probe that could not run or did not return: a timeout, never a success. */
function failed(message: string, seconds: number): ProbeResult {
  return {
    ok: false,
    reason: 'timeout',
    message,
    seconds,
    phases: new Map(),
    facts: {},
    at: Date.now(),
  };
}
