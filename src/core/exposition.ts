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

/** A label value or HELP text escaped as both text formats want it. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/**
 * One sample line (newline included), the same in the Prometheus text format and OpenMetrics
 * (patrol's counters are named with their `_total`, which is what both put on sample lines).
 */
export function formatSample(
  name: string,
  labels: Readonly<Record<string, string>>,
  value: number,
): string {
  let out = name;
  let first = true;
  for (const k in labels) {
    out += `${first ? '{' : ','}${k}="${escapeLabelValue(labels[k] ?? '')}"`;
    first = false;
  }
  return `${out}${first ? '' : '}'} ${formatValue(value)}\n`;
}

/**
 * Renders the collectors' samples (written here: prom-client's per-sample objects cost seconds
 * and hundreds of MiB at a Kubernetes cluster's 300,000 series) plus prom-client's own registry
 * (process_*, nodejs_*) in the negotiated format. Families whose lines a collector rendered
 * already (SampleBuffer.addText: the Kubernetes objects, rendered when they change) are
 * concatenated as they are.
 */
export async function render(
  samples: SampleBuffer,
  staticRegistry: RegistryType,
  contentType: string,
): Promise<Buffer[]> {
  const om = contentType === OPENMETRICS_CONTENT_TYPE;
  const chunks: Buffer[] = [];
  for (const fam of samples.familiesInOrder()) {
    const list = samples.families.get(fam) ?? [];
    const texts = samples.texts.get(fam) ?? [];
    if (list.length === 0 && texts.length === 0) continue;
    // OpenMetrics names a counter family without its _total (the samples keep it); the text
    // format separates families with a blank line.
    const name = om && fam.type === 'counter' ? fam.name.replace(/_total$/, '') : fam.name;
    const lines = [
      `${chunks.length > 0 && !om ? '\n' : ''}# HELP ${name} ${escapeHelp(fam.help)}\n# TYPE ${name} ${fam.type}\n`,
    ];
    for (const s of list) lines.push(formatSample(fam.name, s.labels, s.value));
    chunks.push(Buffer.from(lines.join('')), ...texts);
  }
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
  const processText = await reg.metrics();
  if (chunks.length > 0 && !om) chunks.push(Buffer.from('\n'));
  chunks.push(Buffer.from(processText));
  // Handed to the response as they are: a cluster's answer is 25 MB, and copying it into one
  // buffer per scrape would cost that much memory again for nothing.
  return chunks;
}
