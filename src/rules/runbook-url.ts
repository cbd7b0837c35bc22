/** The languages the mixin writes rule files and runbooks in (mixin/i18n). */
export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];

/**
 * Where an alert's runbook is, as mixin/rules.ts `runbookUrl` builds it: `<base>/<Alert>.md` in
 * English, `<base>/zh-CN/<Alert>.md` in Chinese.
 */
export function runbookUrl(base: string, lang: Lang, alert: string): string {
  return `${base}/${lang === 'en' ? '' : `${lang}/`}${alert}.md`;
}

/**
 * Checks a runbook base URL given on the command line (`--rules.runbook-url`) and returns it
 * without a trailing slash. It must be an absolute http(s) URL with no query, fragment or
 * credentials (it ends up in every alert notification).
 */
export function parseRunbookBase(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(
      `${JSON.stringify(raw)} is not an absolute URL (e.g. "http://patrol.example.com:9872/runbooks")`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${JSON.stringify(raw)} is not an http:// or https:// URL`);
  }
  if (url.search !== '' || url.hash !== '' || raw.includes('?') || raw.includes('#')) {
    throw new Error(
      `${JSON.stringify(raw)} has a query or fragment; the alert's page name is appended to its path`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new Error(
      `${JSON.stringify(raw)} carries credentials; alert notifications would show them`,
    );
  }
  return url.href.replace(/\/+$/, '');
}
