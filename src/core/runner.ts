import { CollectFailure, type Collector } from './collector.ts';
import { describeError } from './errors.ts';
import { LogOnce } from './log-once.ts';
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
  ready: family({
    name: 'patrol_collector_ready',
    help: 'Whether the collector has started and done its first full read, successful or not (1), or is still starting (0); /-/ready answers 503 naming those at 0.',
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
  /** Failures logged, per collector instance, until it recovers. */
  readonly #failures: LogOnce<Collector>;
  /** Collectors whose start() has settled (resolved, or rejected: a final failure). */
  readonly #started = new WeakSet<Collector>();
  readonly #now: () => number;

  constructor(collectors: readonly Collector[], logger: Logger, now = () => performance.now()) {
    this.#collectors = collectors;
    this.#logger = logger;
    this.#failures = new LogOnce(logger);
    this.#now = now;
  }

  get collectors(): readonly Collector[] {
    return this.#collectors;
  }

  /** Scrapes from now on use `next`; state of collectors no longer in it is dropped. */
  setCollectors(next: readonly Collector[]): void {
    this.#collectors = next;
    this.#failures.retain((c) => next.includes(c));
  }

  async collect(): Promise<SampleBuffer> {
    const out = new SampleBuffer();
    const results = await Promise.all(this.#collectors.map((c) => this.#collectOne(c)));
    for (const { collector, buffer, outcome, seconds } of results) {
      if (outcome.ok || outcome.keepSamples) out.mergeFrom(buffer);
      out.add(runnerFamilies.success, { collector: collector.name }, outcome.ok ? 1 : 0);
      out.add(runnerFamilies.duration, { collector: collector.name }, seconds);
      out.add(runnerFamilies.ready, { collector: collector.name }, this.isReady(collector) ? 1 : 0);
      this.#noteOutcome(collector, outcome);
    }
    return out;
  }

  /** Started, and done with its first full read (if it tells). */
  isReady(collector: Collector): boolean {
    return this.#started.has(collector) && (collector.ready?.() ?? true);
  }

  /** The collectors scraped now that are not ready yet (/-/ready names them). */
  notReady(): string[] {
    return this.#collectors.filter((c) => !this.isReady(c)).map((c) => c.name);
  }

  /**
   * Starts background collectors, all at once. Resolves when every start() has settled or after
   * `timeoutMs`, whichever is first: a collector still starting then is logged, and becomes
   * ready whenever its start() returns. One that fails to start is logged and left to report
   * its failure on every scrape (it counts as started: it will not get further by waiting).
   */
  async start(collectors: readonly Collector[], timeoutMs: number): Promise<void> {
    const starting = collectors.map(async (c) => {
      try {
        await c.start?.();
      } catch (err) {
        this.#logger.error('collector failed to start', {
          collector: c.name,
          err: describeError(err),
        });
      } finally {
        this.#started.add(c);
      }
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        resolve('timeout');
      }, timeoutMs);
      timer.unref();
    });
    const first = await Promise.race([Promise.all(starting), timeout]);
    clearTimeout(timer);
    if (first !== 'timeout') return;
    const slow = collectors.filter((c) => !this.#started.has(c)).map((c) => c.name);
    this.#logger.warn(
      'collectors still starting; serving meanwhile, /-/ready says 503 until they are done',
      {
        collectors: slow.join(','),
        after_seconds: timeoutMs / 1000,
      },
    );
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
    const fields = { collector: collector.name };
    if (outcome.ok) this.#failures.recover(collector, 'collector recovered', fields);
    else {
      this.#failures.fail(collector, outcome.reason, 'collector failed', {
        ...fields,
        err: outcome.reason,
      });
    }
  }
}

export async function stopCollectors(collectors: readonly Collector[]): Promise<void> {
  await Promise.allSettled(collectors.map(async (c) => c.stop?.()));
}
