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

interface Settled {
  readonly buffer: SampleBuffer;
  readonly outcome: CollectOutcome;
}

interface CollectResult extends Settled {
  readonly collector: Collector;
  readonly seconds: number;
}

/** A collect() call not returned yet; `outcome` while its scrape still waits for it. */
interface Pending {
  outcome: Promise<Settled> | undefined;
}

/**
 * Runs every collector on each scrape, settles all of them, and cuts each one at its own
 * timeout. A collector whose previous call is still pending is not called again until that
 * call returns, so a hung collector costs one stuck promise, not one per scrape; a scrape that
 * overlaps a call still within its timeout shares that call's result.
 */
export class CollectorRunner {
  #collectors: readonly Collector[];
  readonly #logger: Logger;
  // Keyed by instance: a collector kept across a reload keeps its state, a new one with the
  // same name starts afresh.
  readonly #pending = new Map<Collector, Pending>();
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

  async #collectOne(collector: Collector): Promise<CollectResult> {
    const started = this.#now();
    const finish = ({ buffer, outcome }: Settled): CollectResult => ({
      collector,
      buffer,
      outcome,
      seconds: (this.#now() - started) / 1000,
    });
    const current = this.#pending.get(collector);
    if (current !== undefined) {
      // Still within its timeout (two Prometheus servers scraping at once): this scrape shares
      // that call's outcome and samples, rather than losing the collector for a scrape.
      if (current.outcome !== undefined) return finish(await current.outcome);
      return finish({
        buffer: new SampleBuffer(),
        outcome: {
          ok: false,
          reason: 'previous collection has not returned yet',
          keepSamples: false,
        },
      });
    }
    const buffer = new SampleBuffer();
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const run = Promise.resolve().then(() => collector.collect(buffer, abort.signal));
    const entry: Pending = { outcome: undefined };
    this.#pending.set(collector, entry);
    void run
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        if (this.#pending.get(collector) === entry) this.#pending.delete(collector);
      });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new TimeoutError(`timed out after ${collector.timeoutMs} ms`));
      }, collector.timeoutMs);
      timer.unref();
    });
    const outcome = (async (): Promise<Settled> => {
      try {
        await Promise.race([run, timeout]);
        return { buffer, outcome: { ok: true } };
      } catch (err) {
        return {
          buffer,
          outcome: {
            ok: false,
            reason: describeError(err),
            keepSamples: err instanceof CollectFailure && !abort.signal.aborted,
          },
        };
      } finally {
        clearTimeout(timer);
        // Decided: a call that hangs on past this point is not waited for again.
        entry.outcome = undefined;
      }
    })();
    entry.outcome = outcome;
    return finish(await outcome);
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
