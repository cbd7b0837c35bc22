// The runbooks (docs/runbooks/*.md) served as HTML at /runbooks/ on the exporter's own listener,
// so that the alerts' runbook_url can point at patrol on a network without a git server or wiki.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Tokens } from 'marked';
import { describeError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { RouteHandler, RouteResponse } from '../core/routes.ts';
import { INSTALL_ROOT } from '../install-root.ts';
import { listAlerts, readRuleFile, type AlertEntry } from '../rules/print.ts';
import { LANGS, type Lang } from '../rules/runbook-url.ts';

/** docs/runbooks next to src/ (a checkout) or dist/ (an installed copy). */
export const RUNBOOKS_DIR = join(INSTALL_ROOT, 'docs', 'runbooks');

/** The URL path the runbooks are served under. */
export const RUNBOOKS_PATH = '/runbooks/';

/** A runbook page's file name: nothing that could leave its directory. */
const PAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*\.md$/;

export interface RunbookPage {
  readonly lang: Lang;
  /** e.g. PatrolExporterDown.md */
  readonly name: string;
  readonly file: string;
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:58em;margin:1em auto;padding:0 1em;color:#1f2328}
a{color:#0969da}code,pre{font:14px ui-monospace,monospace;background:#f6f8fa}pre{padding:.8em;overflow:auto}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.3em .6em;text-align:left;vertical-align:top}
nav{margin-bottom:1em}`;

/**
 * Nothing runs in a runbook page and nothing is loaded from elsewhere: the one inline stylesheet
 * is allowed by its hash. The runbooks are our own files, but a page shown to people on call
 * deserves the strictest policy that still renders it.
 */
export const CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const HTML_HEADERS = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const TEXT = 'text/plain; charset=utf-8';
const HTML = 'text/html; charset=utf-8';

function htmlDocument(lang: Lang, title: string, nav: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<nav>${nav}</nav>
<main>
${body}</main>
</body></html>
`;
}

/** GitHub's heading anchors (github-slugger), so that `Page.md#mitigate` links keep working. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The key of a page under /runbooks/: `PatrolX.md` or `zh-CN/PatrolX.md`. */
export const pageKey = (lang: Lang, name: string) => (lang === 'en' ? name : `${lang}/${name}`);

/**
 * A runbook's Markdown as the `<main>` of its page. Relative links to other served pages (and
 * anchors) are kept; a relative link to anything else (a file of the repository such as
 * ../../mixin/config.ts) would be a 404 here, so only its text is kept.
 */
export async function renderRunbook(
  markdown: string,
  key: string,
  served: ReadonlySet<string>,
): Promise<string> {
  const { Marked } = await import('marked');
  const ids = new Map<string, number>();
  const here = new URL(key, `http://patrol${RUNBOOKS_PATH}`);
  const marked = new Marked({
    gfm: true,
    async: false,
    renderer: {
      heading({ tokens, depth, text }: Tokens.Heading) {
        const base = slug(text);
        const n = ids.get(base) ?? 0;
        ids.set(base, n + 1);
        const id = n === 0 ? base : `${base}-${n}`;
        return `<h${depth} id="${escapeHtml(id)}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
      },
      link({ href, tokens }: Tokens.Link) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#')) return false;
        const target = new URL(href, here);
        const path = target.pathname;
        const ok =
          target.host === here.host &&
          path.startsWith(RUNBOOKS_PATH) &&
          (path === RUNBOOKS_PATH || served.has(path.slice(RUNBOOKS_PATH.length)));
        return ok ? false : this.parser.parseInline(tokens);
      },
    },
  });
  return marked.parse(markdown, { async: false });
}

/** The index: every alert of each language's rules, with its summary, linked to its runbook. */
export function indexPage(
  alerts: ReadonlyMap<Lang, readonly AlertEntry[] | undefined>,
  pages: readonly RunbookPage[],
): string {
  const title: Record<Lang, string> = { en: 'Runbooks (English)', 'zh-CN': '处置手册（中文）' };
  const sections = LANGS.map((lang) => {
    const own = pages.filter((p) => p.lang === lang);
    const names = new Set(own.map((p) => p.name));
    // Alerts in rule-file order, once each (some have a warning and a critical rule).
    const rows = new Map<string, { severities: string[]; summary: string }>();
    for (const a of alerts.get(lang) ?? []) {
      const row = rows.get(a.alert) ?? { severities: [], summary: a.summary };
      if (!row.severities.includes(a.severity)) row.severities.push(a.severity);
      rows.set(a.alert, row);
    }
    for (const p of own) {
      const alert = p.name.replace(/\.md$/, '');
      if (alert !== 'README' && !rows.has(alert)) rows.set(alert, { severities: [], summary: '' });
    }
    const link = (alert: string) =>
      names.has(`${alert}.md`)
        ? `<a href="${escapeHtml(pageKey(lang, `${alert}.md`))}">${escapeHtml(alert)}</a>`
        : escapeHtml(alert);
    const table = [...rows]
      .map(
        ([alert, r]) =>
          `<tr><td>${link(alert)}</td><td>${escapeHtml(r.severities.join(', '))}</td><td>${escapeHtml(r.summary)}</td></tr>`,
      )
      .join('\n');
    const readme = names.has('README.md')
      ? `<p><a href="${escapeHtml(pageKey(lang, 'README.md'))}">README</a></p>\n`
      : '';
    return `<section lang="${lang}" id="${lang}">
<h2>${escapeHtml(title[lang])}</h2>
${readme}<table>
<thead><tr><th>alert</th><th>severity</th><th>summary</th></tr></thead>
<tbody>
${table}
</tbody></table>
</section>
`;
  });
  return htmlDocument(
    'en',
    'patrol runbooks',
    '<a href="../">patrol</a> · <a href="#en">English</a> · <a href="#zh-CN">中文</a>',
    `<h1>patrol runbooks</h1>\n${sections.join('')}`,
  );
}

/** The runbook pages of `dir` (docs/runbooks and its language folders); undefined if absent. */
export async function listRunbooks(dir: string): Promise<RunbookPage[] | undefined> {
  const pages: RunbookPage[] = [];
  for (const lang of LANGS) {
    const sub = lang === 'en' ? dir : join(dir, lang);
    let names: string[];
    try {
      names = await readdir(sub);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        if (lang === 'en') return undefined;
        continue;
      }
      throw err;
    }
    for (const name of names.sort()) {
      if (PAGE_NAME.test(name)) pages.push({ lang, name, file: join(sub, name) });
    }
  }
  return pages;
}

/**
 * What answers /runbooks and below: the pages listed once at start-up (only those names are
 * served, so no request can reach another file), each read and rendered when asked for (they
 * are rarely read: nothing is kept in memory, and `marked` is loaded on the first page).
 */
export class RunbookSite {
  readonly dir: string;
  /** undefined: the runbooks are not installed. */
  readonly pages: ReadonlyMap<string, RunbookPage> | undefined;
  readonly #rulesRoot: string;
  #index: Promise<string> | undefined;

  constructor(dir: string, pages: readonly RunbookPage[] | undefined, rulesRoot = INSTALL_ROOT) {
    this.dir = dir;
    this.pages = pages && new Map(pages.map((p) => [pageKey(p.lang, p.name), p]));
    this.#rulesRoot = rulesRoot;
  }

  /** Lists `dir`; when it is absent, says once that the runbooks are not served. */
  static async load(
    logger: Logger,
    dir: string = RUNBOOKS_DIR,
    rulesRoot: string = INSTALL_ROOT,
  ): Promise<RunbookSite> {
    let pages: RunbookPage[] | undefined;
    try {
      pages = await listRunbooks(dir);
      if (pages === undefined) {
        logger.warn('runbooks are not installed; /runbooks/ answers 404', { dir });
      }
    } catch (err) {
      // Not a reason to stop the exporter: it monitors without them.
      logger.warn('cannot list the runbooks; /runbooks/ answers 404', {
        dir,
        err: describeError(err),
      });
    }
    return new RunbookSite(dir, pages, rulesRoot);
  }

  /** The handler of `path` when it is /runbooks or below, else undefined (not ours). */
  handler(path: string): RouteHandler | undefined {
    if (path !== RUNBOOKS_PATH.slice(0, -1) && !path.startsWith(RUNBOOKS_PATH)) return undefined;
    return () => this.answer(path);
  }

  async answer(path: string): Promise<RouteResponse> {
    const pages = this.pages;
    if (pages === undefined) {
      return {
        status: 404,
        type: TEXT,
        // The directory is in patrol's log (once, at start), not told to whoever asks.
        body: 'The runbooks are not installed with this patrol (docs/runbooks beside its code).\n',
      };
    }
    // Relative redirects, so that they hold behind a reverse proxy that adds a prefix.
    if (path === '/runbooks') return redirect('runbooks/');
    if (path === '/runbooks/zh-CN') return redirect('./#zh-CN');
    if (path === '/runbooks/zh-CN/') return redirect('../#zh-CN');
    if (path === RUNBOOKS_PATH) {
      this.#index ??= this.#renderIndex().catch((err: unknown) => {
        this.#index = undefined;
        throw err;
      });
      return { status: 200, type: HTML, headers: HTML_HEADERS, body: await this.#index };
    }
    const key = path.slice(RUNBOOKS_PATH.length);
    const page = pages.get(key);
    if (page === undefined) return { status: 404, type: TEXT, body: 'No such runbook\n' };
    const markdown = await readFile(page.file, 'utf8');
    const up = page.lang === 'en' ? './' : '../';
    const nav = `<a href="${up}">runbooks</a>`;
    const title = `${page.name.replace(/\.md$/, '')} · patrol runbook`;
    const body = await renderRunbook(markdown, key, new Set(pages.keys()));
    return {
      status: 200,
      type: HTML,
      headers: HTML_HEADERS,
      body: htmlDocument(page.lang, title, nav, body),
    };
  }

  async #renderIndex(): Promise<string> {
    const alerts = new Map<Lang, AlertEntry[] | undefined>();
    for (const lang of LANGS) {
      // Without the rule files (not installed) the index still lists the pages, without summaries.
      alerts.set(lang, await readRuleFile(lang, this.#rulesRoot).then(listAlerts, () => undefined));
    }
    return indexPage(alerts, [...(this.pages?.values() ?? [])]);
  }
}

function redirect(location: string): RouteResponse {
  return { status: 301, type: TEXT, headers: { Location: location }, body: `See ${location}\n` };
}
