export type Severity = 'critical' | 'warning' | 'info';

/**
 * One alerting rule before it is put into words: the words come from the string tables. `A` is
 * the names of the alerts whose texts the area's table has.
 */
export interface AlertSpec<A extends string = string> {
  alert: A;
  severity: Severity;
  expr: string;
  for: string;
  /** Values for the %name% parameters of its summary and description (e.g. the horizon). */
  params?: Readonly<Record<string, string>>;
}

export interface RecordSpec {
  record: string;
  expr: string;
}

export interface GroupSpec<A extends string = string> {
  name: string;
  /** Recording rules come first so the alerts of the same group read this evaluation's values. */
  rules: readonly (AlertSpec<A> | RecordSpec)[];
}

export const isAlert = <A extends string>(r: AlertSpec<A> | RecordSpec): r is AlertSpec<A> =>
  'alert' in r;
