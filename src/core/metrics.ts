/**
 * Metric families are declared as data (kube-state-metrics' style): a collector lists what it
 * can emit, and docs/metrics.md is generated from these declarations. Samples are produced
 * afresh on every scrape, so a series nobody emits this time is simply gone (no ghost series).
 */
export type MetricType = 'gauge' | 'counter';

export interface Family<L extends string = string> {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly labels: readonly L[];
}

const NAME = /^patrol_[a-z][a-z0-9_]*$/;

export function family<const L extends string>(def: Family<L>): Family<L> {
  if (!NAME.test(def.name)) throw new Error(`metric name ${def.name} must match ${NAME}`);
  if (def.type === 'counter' && !def.name.endsWith('_total')) {
    throw new Error(`counter ${def.name} must end in _total`);
  }
  return Object.freeze({ ...def, labels: Object.freeze([...def.labels]) });
}

export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Where a collector writes the samples of one scrape. */
export interface MetricSink {
  add<L extends string>(
    family: Family<L>,
    labels: Readonly<Record<L, string>>,
    value: number,
  ): void;
}

/** Collects samples per family; one per collector per scrape, merged only when it succeeded. */
export class SampleBuffer implements MetricSink {
  readonly families = new Map<Family, Sample[]>();

  add<L extends string>(fam: Family<L>, labels: Readonly<Record<L, string>>, value: number): void {
    let samples = this.families.get(fam);
    if (samples === undefined) {
      samples = [];
      this.families.set(fam, samples);
    }
    samples.push({ labels, value });
  }

  mergeFrom(other: SampleBuffer): void {
    for (const [fam, samples] of other.families) {
      const mine = this.families.get(fam);
      if (mine === undefined) this.families.set(fam, [...samples]);
      else mine.push(...samples);
    }
  }

  /** The value of one series, for tests and for callers that read their own output. */
  get(name: string, labels: Record<string, string> = {}): number | undefined {
    for (const [fam, samples] of this.families) {
      if (fam.name !== name) continue;
      const hit = samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
      if (hit !== undefined) return hit.value;
    }
    return undefined;
  }
}
