/** Small helpers for writing PromQL in TypeScript without losing sight of the query. */

/** `{a, b}` from selector fragments; empty fragments are dropped. */
export function sel(...matchers: readonly string[]): string {
  return `{${matchers.filter((m) => m.trim() !== '').join(', ')}}`;
}

/** Trims the indentation of a template literal so generated YAML reads like hand-written PromQL. */
export function promql(
  strings: TemplateStringsArray,
  ...values: readonly (string | number)[]
): string {
  const raw = strings.reduce(
    (acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''),
    '',
  );
  const lines = raw.replace(/^\n/, '').replace(/\s+$/, '').split('\n');
  const indent = Math.min(
    ...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)?.[0].length ?? 0),
  );
  return lines.map((l) => l.slice(indent)).join('\n');
}
