/** Go templates the alerts' descriptions share, given to the texts as %parameters%. */

/**
 * A Go template that prints another figure of the alert's object when Prometheus renders the
 * alert, for descriptions that name two ("2 of 4 replicas available": $value and the desired
 * count). It queries `metric` for the series with the alert's own values of the labels `by`
 * (and `extra` matchers, `filter` after), and prints its value, or its label `label`; nothing
 * if there is no such series. Given to the texts as a %parameter%, so the string tables keep
 * words only.
 */
export function lookup(
  metric: string,
  by: string,
  opts: { extra?: string; filter?: string; label?: string } = {},
): string {
  const labels = by.split(', ');
  const matchers = [...labels.map((l) => `${l}=%q`), ...(opts.extra ? [opts.extra] : [])];
  const query = `${metric}{${matchers.join(', ')}}${opts.filter ?? ''}`;
  const args = labels.map((l) => `$labels.${l}`).join(' ');
  const print = opts.label === undefined ? 'value' : `label "${opts.label}"`;
  return `{{ with printf \`${query}\` ${args} | query }}{{ . | first | ${print} }}{{ end }}`;
}
