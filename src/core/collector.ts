import type { z } from 'zod';
import type { HostPaths } from './host-paths.ts';
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
  /**
   * Starts background work. The exporter serves before this settles and does not wait for it
   * beyond the start timeout: an API that is slow to list must not keep /metrics from
   * answering. The collector counts as ready (`/-/ready`, patrol_collector_ready) once this
   * has resolved and `ready()`, if present, says so.
   */
  start?(): Promise<void>;
  /**
   * Whether the collector has done its first full read (a watch's initial list, a first scan),
   * successful or not, for collectors whose start() returns before that; absent: ready once
   * started. A source that is down still makes a collector ready once it has tried.
   */
  ready?(): boolean;
  stop?(): Promise<void>;
  collect(sink: MetricSink, signal: AbortSignal): Promise<void> | void;
}

export interface CollectorContext {
  readonly logger: Logger;
  /** Where a collector serves endpoints of its own on the exporter's listener (absent in tests that need none). */
  readonly routes?: RouteTable;
  /**
   * Where the host's root, proc and sys are (--path.rootfs, --path.procfs, --path.sysfs; see
   * core/host-paths.ts); absent: patrol runs on the host itself (HOST_PATHS).
   */
  readonly host?: HostPaths;
}

/** The schema of one collector's section, `collectors.<name>`: every key has a default. */
export type CollectorConfigSchema = z.ZodType<{ enabled: boolean }>;

/**
 * Everything the exporter knows about one collector, declared once in its folder: the name of
 * its section, that section's schema (the whole configuration schema is assembled from these),
 * its families (for docs/metrics.md) and how to build it. The list of definitions is in
 * src/collectors/index.ts.
 */
export interface CollectorDefinition<
  S extends CollectorConfigSchema = CollectorConfigSchema,
  N extends string = string,
> {
  readonly name: N;
  readonly config: S;
  readonly families: readonly Family[];
  /** One line saying what this collector will do with this config, for start-up and --check-config. */
  describe(config: z.output<S>): string;
  /**
   * Why this collector cannot run on this host although enabled (e.g. no systemd), or
   * undefined. It is then left out with that reason logged, instead of failing every scrape.
   * `host` says where the host is (--path.rootfs): in a container, the host's files, not the
   * container's, decide.
   */
  unavailable?(config: z.output<S>, host: HostPaths): string | undefined;
  create(config: z.output<S>, ctx: CollectorContext): Collector;
}

/** Declares a collector, keeping its name and config types for the registry. */
export function defineCollector<const N extends string, S extends CollectorConfigSchema>(
  def: CollectorDefinition<S, N>,
): CollectorDefinition<S, N> {
  return def;
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
