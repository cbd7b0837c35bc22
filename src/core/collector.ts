import type { Family, MetricSink } from './metrics.ts';
import type { Logger } from './logger.ts';
import type { RouteTable } from './routes.ts';

/**
 * The one interface every collector implements (node_exporter's contract):
 * - scrape-time collectors do bounded I/O inside collect();
 * - background collectors do I/O after start() and collect() only reads memory.
 * collect() may throw or hang: the runner cuts it at `timeoutMs` and reports
 * patrol_collector_success 0; it never fails the scrape.
 */
export interface Collector {
  readonly name: string;
  readonly timeoutMs: number;
  start?(): Promise<void>;
  stop?(): Promise<void>;
  collect(sink: MetricSink, signal: AbortSignal): Promise<void> | void;
}

export interface CollectorContext {
  readonly logger: Logger;
  /** Where a collector serves endpoints of its own on the exporter's listener (absent in tests that need none). */
  readonly routes?: RouteTable;
}

/** What the registry knows about one collector: its families (for docs) and how to build it. */
export interface CollectorDefinition<C extends { enabled: boolean }> {
  readonly name: string;
  readonly families: readonly Family[];
  /** One line saying what this collector will do with this config, for start-up and --check-config. */
  describe(config: C): string;
  /**
   * Why this collector cannot run on this host although enabled (e.g. no systemd), or
   * undefined. It is then left out with that reason logged, instead of failing every scrape.
   */
  unavailable?(config: C): string | undefined;
  create(config: C, ctx: CollectorContext): Collector;
}

/**
 * Thrown by collect() when the collector failed but what it wrote to the sink first is true and
 * worth exporting (its own `patrol_<name>_up 0`): the runner reports the failure and keeps
 * those samples, where any other error drops them.
 */
export class CollectFailure extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CollectFailure';
  }
}
