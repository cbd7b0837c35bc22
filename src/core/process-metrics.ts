import type { Registry as RegistryType } from 'prom-client';
import { Registry, requirePromClient } from './prom-client.ts';

type MetricModule = (registry: RegistryType, config?: object) => void;

/**
 * prom-client's standard process_* and nodejs_* metrics, without the ones that cost more than
 * they tell on an exporter scraped every 15 s:
 * - eventLoopLag: computing the histogram's stddev walks its whole bucket array on every
 *   scrape, ~17% of a scrape's CPU (bench/metrics-latency.ts);
 * - processHandles/Requests/Resources: gauges named *_total that `promtool check metrics`
 *   rejects, and per-type series that come and go;
 * - heapSpacesSizeAndUsed: a dozen V8-internal series per scrape.
 * prom-client has no option to leave single default metrics out, so the modules that
 * collectDefaultMetrics() itself uses are called one by one (pinned by package-lock.json).
 */
const MODULES = [
  'processCpuTotal',
  'processStartTime',
  'osMemoryHeap',
  'processOpenFileDescriptors',
  'processMaxFileDescriptors',
  'heapSizeAndUsed',
  'version',
  'gc',
] as const;

/** The kinds of garbage collection prom-client's gc module labels its histogram with. */
const GC_KINDS = ['major', 'minor', 'incremental', 'weakcb'] as const;

export function processRegistry(): RegistryType {
  const registry = new Registry();
  for (const name of MODULES) {
    (requirePromClient(`metrics/${name}`) as MetricModule)(registry, {});
  }
  // The histogram has no series until a collection of that kind is observed: a family declared
  // with no samples. Every kind starts at zero instead, as a counter should.
  const gc = registry.getSingleMetric('nodejs_gc_duration_seconds') as
    { zero(labels: Record<string, string>): void } | undefined;
  for (const kind of GC_KINDS) gc?.zero({ kind });
  return registry;
}
