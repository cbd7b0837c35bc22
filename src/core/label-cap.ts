/** The label value that stands for every value past a cap. */
export const OVERFLOW_VALUE = 'other';

/**
 * Bounds the values one label takes (cardinality is a public API's cost): per scope (a rule's
 * capture, a waiting reason, a container's image), the first `max` distinct values keep their
 * own series for the exporter's lifetime and later ones become "other". A value that turns out
 * to hold request ids then costs one series, not one per request.
 */
export class LabelCap {
  readonly #seen = new Map<string, Set<string>>();

  /** `raw` if it is one of the first `max` distinct values seen in `scope`, else "other". */
  value(scope: string, raw: string, max: number): string {
    let seen = this.#seen.get(scope);
    if (seen === undefined) {
      seen = new Set();
      this.#seen.set(scope, seen);
    }
    if (seen.has(raw)) return raw;
    if (seen.size >= max) return OVERFLOW_VALUE;
    seen.add(raw);
    return raw;
  }

  /** Whether `scope` has hit its cap (some value was turned into "other"). */
  full(scope: string, max: number): boolean {
    return (this.#seen.get(scope)?.size ?? 0) >= max;
  }
}
