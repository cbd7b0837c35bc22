export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGUAGES)[number];

/** The two annotations of an alert that are read by people, in one language. */
export interface AlertText {
  summary: string;
  description: string;
}
