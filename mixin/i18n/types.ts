export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGUAGES)[number];

/**
 * The two annotations of an alert that are read by people, in one language. summary: one line,
 * no values (it groups well). description: the values that matter, as Prometheus alert
 * templates ({{ $labels.x }}, {{ $value }}); a translation must keep the same templates (checked
 * at generation).
 */
export interface AlertText {
  summary: string;
  description: string;
}
