import { formatSample } from './exposition.ts';
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

/**
 * A state set (kube-state-metrics' and OpenMetrics' StateSet): one series per possible value of
 * the label `state` (the name is the family's choice: `state`, `phase`, `role`), 1 for the
 * current one and 0 for the others, so a state that is not current is a 0, never a gap.
 */
export interface StateSetFamily<
  L extends string,
  S extends string,
  K extends L = L,
> extends Family<L> {
  readonly kind: 'stateset';
  readonly stateLabel: K;
  readonly states: readonly S[];
}

export function stateSet<const L extends string, const S extends string, const K extends L>(def: {
  name: string;
  help: string;
  labels: readonly L[];
  stateLabel: K;
  states: readonly S[];
}): StateSetFamily<L, S, K> {
  if (!def.labels.includes(def.stateLabel)) {
    throw new Error(`state set ${def.name}: labels must include its state label ${def.stateLabel}`);
  }
  if (new Set(def.states).size !== def.states.length || def.states.length === 0) {
    throw new Error(`state set ${def.name}: states must be distinct and at least one`);
  }
  const { stateLabel, states, ...rest } = def;
  return Object.freeze({
    ...family({ ...rest, type: 'gauge' }),
    kind: 'stateset' as const,
    stateLabel,
    states: Object.freeze([...states]),
  });
}

/**
 * Writes a state set for one object: every state, 1 for `current`. Returns false when `current`
 * is not one of the declared states (a newer server's value): every state is then 0, and the
 * caller says so once.
 */
export function addStateSet<L extends string, S extends string, K extends L>(
  sink: MetricSink,
  fam: StateSetFamily<L, S, K>,
  labels: Readonly<Omit<Record<L, string>, K>>,
  current: string | undefined,
): boolean {
  let known = false;
  for (const state of fam.states) {
    const on = state === current;
    known ||= on;
    const all = { ...labels, [fam.stateLabel]: state } as unknown as Record<L, string>;
    sink.add(fam, all, on ? 1 : 0);
  }
  return known;
}

/** A constant fact about an object: its labels carry the fact, its value is always 1. */
export interface InfoFamily<L extends string> extends Family<L> {
  readonly kind: 'info';
}

export function info<const L extends string>(def: {
  name: string;
  help: string;
  labels: readonly L[];
}): InfoFamily<L> {
  if (!def.name.endsWith('_info')) throw new Error(`info metric ${def.name} must end in _info`);
  return Object.freeze({ ...family({ ...def, type: 'gauge' }), kind: 'info' as const });
}

export function addInfo<L extends string>(
  sink: MetricSink,
  fam: InfoFamily<L>,
  labels: Readonly<Record<L, string>>,
): void {
  sink.add(fam, labels, 1);
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
  /**
   * Sample lines of `family` already rendered (TextSink.lines()): what a collector keeps per
   * object and renders only when the object changes, kube-state-metrics' way of serving
   * 300,000 series in milliseconds.
   */
  addText(family: Family, text: string | Buffer): void;
}

/** Collects samples per family; one per collector per scrape, merged only when it succeeded. */
export class SampleBuffer implements MetricSink {
  readonly families = new Map<Family, Sample[]>();
  readonly texts = new Map<Family, Buffer[]>();

  add<L extends string>(fam: Family<L>, labels: Readonly<Record<L, string>>, value: number): void {
    let samples = this.families.get(fam);
    if (samples === undefined) {
      samples = [];
      this.families.set(fam, samples);
    }
    samples.push({ labels, value });
  }

  addText(fam: Family, text: string | Buffer): void {
    if (text.length === 0) return;
    const bytes = typeof text === 'string' ? Buffer.from(text) : text;
    let texts = this.texts.get(fam);
    if (texts === undefined) {
      texts = [];
      this.texts.set(fam, texts);
    }
    texts.push(bytes);
  }

  /** Every family with samples or text, in the order they were first written. */
  familiesInOrder(): Family[] {
    return [...new Set([...this.families.keys(), ...this.texts.keys()])];
  }

  mergeFrom(other: SampleBuffer): void {
    for (const [fam, samples] of other.families) {
      const mine = this.families.get(fam);
      if (mine === undefined) this.families.set(fam, [...samples]);
      else mine.push(...samples);
    }
    for (const [fam, texts] of other.texts) {
      const mine = this.texts.get(fam);
      if (mine === undefined) this.texts.set(fam, [...texts]);
      else mine.push(...texts);
    }
  }

  /** The value of one series, for tests and for callers that read their own output. */
  get(name: string, labels: Record<string, string> = {}): number | undefined {
    const match = (l: Readonly<Record<string, string>>) =>
      Object.entries(labels).every(([k, v]) => l[k] === v);
    for (const [fam, samples] of this.families) {
      if (fam.name !== name) continue;
      const hit = samples.find((s) => match(s.labels));
      if (hit !== undefined) return hit.value;
    }
    for (const [fam, texts] of this.texts) {
      if (fam.name !== name) continue;
      for (const s of texts.flatMap((t) => parseLines(t.toString()))) {
        if (match(s.labels)) return s.value;
      }
    }
    return undefined;
  }
}

/**
 * A sink that renders each sample into its family's text at once: run an object's emit
 * function into one when the object changes, keep `lines()`, and hand them to addText() at
 * each scrape.
 */
export class TextSink implements MetricSink {
  readonly #lines = new Map<Family, string[]>();

  add<L extends string>(fam: Family<L>, labels: Readonly<Record<L, string>>, value: number): void {
    this.addText(fam, formatSample(fam.name, labels, value));
  }

  addText(fam: Family, text: string | Buffer): void {
    const t = typeof text === 'string' ? text : text.toString();
    const list = this.#lines.get(fam);
    if (list === undefined) this.#lines.set(fam, [t]);
    else list.push(t);
  }

  /**
   * The rendered lines per family (a compact array: one entry per family written), as UTF-8
   * bytes: a scrape copies them into the answer, where joining strings of 300,000 lines costs a
   * hundred milliseconds and a second copy to encode them. One allocation of its own for all of
   * them (views into it per family): Buffer.from would take small buffers from Node's shared 8
   * KiB slabs, and a long-lived object's lines would pin a slab each, which objects replaced all
   * day (pods) turn into memory that only grows.
   */
  lines(): readonly (readonly [Family, Buffer])[] {
    const texts = [...this.#lines].map(([fam, list]) => [fam, list.join('')] as const);
    let size = 0;
    for (const [, text] of texts) size += Buffer.byteLength(text);
    const bytes = Buffer.allocUnsafeSlow(size);
    let at = 0;
    return texts.map(([fam, text]) => {
      const n = bytes.write(text, at);
      const view = bytes.subarray(at, at + n);
      at += n;
      return [fam, view] as const;
    });
  }
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses rendered sample lines back (SampleBuffer.get on text families: tests, mostly). */
function parseLines(text: string): Sample[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .flatMap((line) => {
      const m = LINE.exec(line);
      if (m === null) return [];
      const labels: Record<string, string> = {};
      for (const lm of (m[2] ?? '').matchAll(LABEL)) {
        labels[lm[1] ?? ''] = (lm[2] ?? '').replace(/\\(.)/g, (_, c: string) =>
          c === 'n' ? '\n' : c,
        );
      }
      const v = m[3] ?? '';
      return [{ labels, value: v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v) }];
    });
}
