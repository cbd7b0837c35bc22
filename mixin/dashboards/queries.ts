/**
 * The PromQL pieces every area's dashboards share. Selectors come from the dashboard variables,
 * never from fixed hosts; each area's own expressions are in `mixin/<area>/queries.ts`.
 */
import { sel } from '../promql.ts';

/** The scrape targets the viewer picked; every selector of every dashboard starts with these. */
export const targetMatchers = ['job=~"$job"', 'instance=~"$instance"'];

/** The scrape targets picked by $job and $instance. */
export const target = sel(...targetMatchers);

/** `x * 0 - 1`: a series turned into a code, keeping its labels. */
export const asCode = (expr: string, code: number) =>
  `(${expr}) * 0 ${code < 0 ? `- ${-code}` : `+ ${code}`}`;

/**
 * While a host's collector fails or its exporter is down, its series are gone; the grids then
 * show what it reported within this window (its required units, its log sources), marked as not
 * measured, rather than dropping the cells. (A dashboard constant: the alerts do not need it.)
 */
export const REPORTED_MEMORY = '1d';
