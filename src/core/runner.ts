import { CollectFailure, type Collector } from './collector.ts';
import { describeError } from './errors.ts';
import type { Logger } from './logger.ts';
import { family, SampleBuffer } from './metrics.ts';

export const runnerFamilies = {
  success: family({
    name: 'patrol_collector_success',
    help: 'Whether the collector succeeded on this scrape (1) or failed, timed out or is still stuck in an earlier scrape (0).',
    type: 'gauge',
    labels: ['collector'],
  }),
  duration: family({
    name: 'patrol_collector_duration_seconds',
    help: 'How long the collector took on this scrape, cut at its timeout.',
    type: 'gauge',
    labels: ['collector'],
  }),
} as const;

export type CollectOutcome = { ok: true } | { ok: false; reason: string; keepSamples: boolean };

class TimeoutError extends Error {}

/**
 * Runs every collector on each scrape, settles all of them, and cuts each one at its own
 * timeout. A collector whose previous call is still pending is not called again until that
 * call returns, so a hung collector costs one stuck promise, not one per scrape.
 */
export class CollectorRunner {
  #collectors: readonly Collector[];
  readonly #logger: Logger;
  // Keyed by instance: a collector kept across a reload keeps its state, a new one with the
  // same name starts afresh.
  readonly #pending = new Map<Collector, Promise<unknown>>();
  readonly #lastFailure = new Map<Collector, string | undefined>();
  readonly #now: () => number;

  constructor(collectors: readonly Collector[], logger: Logger, now = () => performance.now()) {
    this.#collectors = collectors;
    this.#logger = logger;
    this.#now = now;
  }

  get collectors(): readonly Collector[] {
    return this.#collectors;
  }

  /** Scrapes from now on use `next`; state of collectors no longer in it is dropped. */
  setCollectors(next: readonly Collector[]): void {
    this.#collectors = next;
    for (const c of this.#lastFailure.keys()) if (!next.includes(c)) this.#lastFailure.delete(c);
  }

  async collect(): Promise<SampleBuffer> {
    const out = new SampleBuffer();
    const results = await Promise.all(this.#collectors.map((c) => this.#collectOne(c)));
    for (const { collector, buffer, outcome, seconds } of results) {
      if (outcome.ok || outcome.keepSamples) out.mergeFrom(buffer);
      out.add(runnerFamilies.success, { collector: collector.name }, outcome.ok ? 1 : 0);
      out.add(runnerFamilies.duration, { collector: collector.name }, seconds);
      this.#noteOutcome(collector, outcome);
    }
    return out;
  }

  async #collectOne(collector: Collector) {
    const buffer = new SampleBuffer();
    const started = this.#now();
    const finish = (outcome: CollectOutcome) => ({
      collector,
      buffer,
      outcome,
      seconds: (this.#now() - started) / 1000,
    });
    if (this.#pending.has(collector)) {
      return finish({
        ok: false,
        reason: 'previous collection has not returned yet',
        keepSamples: false,
      });
    }
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const run = Promise.resolve().then(() => collector.collect(buffer, abort.signal));
    const tracked = run.then(
      () => undefined,
      () => undefined,
    );
    this.#pending.set(collector, tracked);
    void tracked.then(() => this.#pending.delete(collector));
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new TimeoutError(`timed out after ${collector.timeoutMs} ms`));
      }, collector.timeoutMs);
      timer.unref();
    });
    try {
      await Promise.race([run, timeout]);
      return finish({ ok: true });
    } catch (err) {
      return finish({
        ok: false,
        reason: describeError(err),
        keepSamples: err instanceof CollectFailure && !abort.signal.aborted,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Log a failure once when it starts or changes, and once when the collector recovers. */
  #noteOutcome(collector: Collector, outcome: CollectOutcome): void {
    const { name } = collector;
    const previous = this.#lastFailure.get(collector);
    if (outcome.ok) {
      if (previous !== undefined) this.#logger.info('collector recovered', { collector: name });
      this.#lastFailure.set(collector, undefined);
    } else if (previous !== outcome.reason) {
      this.#logger.warn('collector failed', { collector: name, err: outcome.reason });
      this.#lastFailure.set(collector, outcome.reason);
    }
  }
}

/** Starts background collectors; one that fails to start is logged and left to report failure. */
export async function startCollectors(
  collectors: readonly Collector[],
  logger: Logger,
): Promise<void> {
  const results = await Promise.allSettled(collectors.map(async (c) => c.start?.()));
  results.forEach((r, i) => {
    if (r.status === 'rejected') {
      logger.error('collector failed to start', {
        collector: collectors[i]?.name,
        err: describeError(r.reason),
      });
    }
  });
}

export async function stopCollectors(collectors: readonly Collector[]): Promise<void> {
  await Promise.allSettled(collectors.map(async (c) => c.stop?.()));
}
