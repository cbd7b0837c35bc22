import { family, type Family, type MetricSink } from './metrics.ts';

/**
 * Per-target outcome families, for collectors that check many things on one scrape (a probe
 * per target, a replica per database): `patrol_<subsystem>_success{<labels>}` and
 * `patrol_<subsystem>_duration_seconds{<labels>}`, the runner's per-collector pair one level
 * down (blackbox_exporter's probe_success and probe_duration_seconds). A target that could not
 * be checked at all (unresolvable, refused, cut at its deadline) is a 0, never a missing series.
 */
export interface OutcomeFamilies<L extends string> {
  readonly success: Family<L>;
  readonly duration: Family<L>;
}

export function outcomeFamilies<const L extends string>(
  subsystem: string,
  labels: readonly L[],
  what: string,
): OutcomeFamilies<L> {
  return {
    success: family({
      name: `patrol_${subsystem}_success`,
      help: `Whether the last check of this ${what} succeeded (1) or failed, timed out or could not run (0).`,
      type: 'gauge',
      labels,
    }),
    duration: family({
      name: `patrol_${subsystem}_duration_seconds`,
      help: `How long the last check of this ${what} took, cut at its deadline.`,
      type: 'gauge',
      labels,
    }),
  };
}

export interface Outcome {
  readonly ok: boolean;
  readonly seconds: number;
}

export function addOutcome<L extends string>(
  sink: MetricSink,
  fams: OutcomeFamilies<L>,
  labels: Readonly<Record<L, string>>,
  outcome: Outcome,
): void {
  sink.add(fams.success, labels, outcome.ok ? 1 : 0);
  sink.add(fams.duration, labels, outcome.seconds);
}
