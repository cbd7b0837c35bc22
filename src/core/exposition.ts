import type { Metric, Registry as RegistryType, RegistryContentType } from 'prom-client';
import { Registry } from './prom-client.ts';
import type { SampleBuffer } from './metrics.ts';

export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;
export const OPENMETRICS_CONTENT_TYPE = Registry.OPENMETRICS_CONTENT_TYPE;

/** Prometheus' own negotiation: OpenMetrics only when the client asks for it. */
export function negotiateContentType(accept: string | undefined): string {
  const wantsOpenMetrics = (accept ?? '')
    .split(',')
    .some(
      (part) =>
        /^\s*application\/openmetrics-text\b/i.test(part) && !/;\s*q=0(\.0*)?\s*(;|$)/i.test(part),
    );
  return wantsOpenMetrics ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE;
}

interface PromClientValue {
  labels: Record<string, string>;
  value: number;
  sharedLabels?: Record<string, string>;
}

// prom-client caches the text of each `sharedLabels` object in a WeakMap and defaults it to a
// fresh {} per sample: one shared empty object saves a cache entry and a garbage object per
// series (about 15% of a 16,000-series scrape, bench/systemd.ts).
const NO_SHARED_LABELS: Record<string, string> = Object.freeze({});

/**
 * prom-client's get() shape, fresh for each render. For OpenMetrics prom-client strips `_total`
 * from the `name` of each counter object it is given and appends it to every sample, so get()
 * must report the name as it is at that moment, and objects are never shared between renders.
 */
function wrap(
  name: string,
  help: string,
  type: string,
  get: () => Promise<{ values: PromClientValue[] }> | { values: PromClientValue[] },
) {
  const metric = {
    name,
    help,
    type,
    get: async () => ({
      name: metric.name,
      help,
      type,
      aggregator: 'sum',
      values: (await get()).values,
    }),
  };
  return metric as unknown as Metric;
}

/**
 * Renders the collectors' samples plus prom-client's own registry (process_*, nodejs_*,
 * build info) in the negotiated format, using prom-client's escaping and number formatting.
 */
export async function render(
  samples: SampleBuffer,
  staticRegistry: RegistryType,
  contentType: string,
): Promise<string> {
  const reg = new Registry<RegistryContentType>();
  reg.setContentType(contentType as RegistryContentType);
  for (const m of staticRegistry.getMetricsAsArray()) {
    const metric = m as unknown as {
      name: string;
      help: string;
      type: string;
      get(): Promise<{ values: PromClientValue[] }>;
    };
    reg.registerMetric(wrap(metric.name, metric.help, metric.type, () => metric.get()));
  }
  for (const [fam, list] of samples.families) {
    if (list.length === 0) continue;
    reg.registerMetric(
      wrap(fam.name, fam.help, fam.type, () => ({
        values: list.map((s) => ({
          labels: s.labels,
          value: s.value,
          sharedLabels: NO_SHARED_LABELS,
        })),
      })),
    );
  }
  return reg.metrics();
}
