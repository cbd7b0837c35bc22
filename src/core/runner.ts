import type { Collector } from './collector.ts';
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

export type CollectOutcome = { ok: true } | { ok: false; reason: string };

class TimeoutError extends Error {}

/**
 * Runs every collector on each scrape, settles all of them, and cuts each one at its own
 * timeout. A collector whose previous call is still pending is not called again until that
 * call returns, so a hung collector costs one stuck promise, not one per scrape.
 */
export class CollectorRunner {
  readonly #collectors: readonly Collector[];
  readonly #logger: Logger;
  readonly #pending = new Map<string, Promise<unknown>>();
  readonly #lastFailure = new Map<string, string | undefined>();
  readonly #now: () => number;

  constructor(collectors: readonly Collector[], logger: Logger, now = () => performance.now()) {
    this.#collectors = collectors;
    this.#logger = logger;
    this.#now = now;
  }

  get collectors(): readonly Collector[] {
    return this.#collectors;
  }

  async collect(): Promise<SampleBuffer> {
    const out = new SampleBuffer();
    const results = await Promise.all(this.#collectors.map((c) => this.#collectOne(c)));
    for (const { collector, buffer, outcome, seconds } of results) {
      if (outcome.ok) out.mergeFrom(buffer);
      out.add(runnerFamilies.success, { collector: collector.name }, outcome.ok ? 1 : 0);
      out.add(runnerFamilies.duration, { collector: collector.name }, seconds);
      this.#noteOutcome(collector.name, outcome);
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
    if (this.#pending.has(collector.name)) {
      return finish({ ok: false, reason: 'previous collection has not returned yet' });
    }
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const run = Promise.resolve().then(() => collector.collect(buffer, abort.signal));
    const tracked = run.then(
      () => undefined,
      () => undefined,
    );
    this.#pending.set(collector.name, tracked);
    void tracked.then(() => this.#pending.delete(collector.name));
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
      return finish({ ok: false, reason: describeError(err) });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Log a failure once when it starts or changes, and once when the collector recovers. */
  #noteOutcome(name: string, outcome: CollectOutcome): void {
    const previous = this.#lastFailure.get(name);
    if (outcome.ok) {
      if (previous !== undefined) this.#logger.info('collector recovered', { collector: name });
      this.#lastFailure.set(name, undefined);
    } else if (previous !== outcome.reason) {
      this.#logger.warn('collector failed', { collector: name, err: outcome.reason });
      this.#lastFailure.set(name, outcome.reason);
    }
  }

  /** Starts background collectors; one that fails to start is logged and left to report failure. */
  async start(): Promise<void> {
    const results = await Promise.allSettled(this.#collectors.map(async (c) => c.start?.()));
    results.forEach((r, i) => {
      if (r.status === 'rejected') {
        this.#logger.error('collector failed to start', {
          collector: this.#collectors[i]?.name,
          err: describeError(r.reason),
        });
      }
    });
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.#collectors.map(async (c) => c.stop?.()));
  }
}
