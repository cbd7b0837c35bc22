import type { Strings } from '../i18n/index.ts';

export type Severity = 'critical' | 'warning' | 'info';
export type AlertName = keyof Strings['alerts'];

/** One alerting rule before it is put into words: the words come from the string tables. */
export interface AlertSpec {
  alert: AlertName;
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

export interface GroupSpec {
  name: string;
  /** Recording rules come first so the alerts of the same group read this evaluation's values. */
  rules: readonly (AlertSpec | RecordSpec)[];
}

export const isAlert = (r: AlertSpec | RecordSpec): r is AlertSpec => 'alert' in r;
