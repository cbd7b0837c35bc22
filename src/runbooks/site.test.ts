import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { createLogger, silentLogger } from '../core/logger.ts';
import { listAlerts, ruleFilePath } from '../rules/print.ts';
import { LANGS } from '../rules/runbook-url.ts';
import { startServer, type RunningServer } from '../server.ts';
import { NO_WEB_CONFIG, type WebConfig } from '../webconfig.ts';
import { CSP, RUNBOOKS_DIR, RunbookSite, renderRunbook, slug } from './site.ts';

const servers: RunningServer[] = [];
const temps: string[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

async function serve(runbooks: RunbookSite, webConfig: WebConfig = NO_WEB_CONFIG) {
  const s = await startServer({
    host: '127.0.0.1',
    port: 0,
    telemetryPath: '/metrics',
    maxRequests: 40,
    webConfig,
    logger: silentLogger,
    version: 'test',
    readiness: () => ({ ready: true, waiting: [] }),
    scrape: () => Promise.resolve('up 1\n'),
    runbooks,
  });
  servers.push(s);
  return s;
}

/** A GET of `path` exactly as written (no `..` resolved by a URL parser on the way). */
function rawGet(s: RunningServer, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: s.port, path, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body });
        });
      })
      .on('error', reject);
  });
}

const site = await RunbookSite.load(silentLogger);

describe('runbooks at /runbooks/', () => {
  for (const lang of LANGS) {
    it(`serves a runbook for every ${lang} alert of the shipped rules, as ${lang} HTML`, async () => {
      const alerts = new Set(
        listAlerts(readFileSync(ruleFilePath(lang), 'utf8')).map((a) => a.alert),
      );
      assert.ok(alerts.size >= 60, `${alerts.size} alerts`);
      for (const alert of alerts) {
        const path = `/runbooks/${lang === 'en' ? '' : `${lang}/`}${alert}.md`;
        const r = await site.answer(path);
        assert.equal(r.status, 200, path);
        assert.equal(r.type, 'text/html; charset=utf-8');
        assert.equal(r.headers?.['Content-Security-Policy'], CSP);
        assert.match(r.body, new RegExp(`^<!doctype html>\\n<html lang="${lang}">`));
        assert.match(r.body, new RegExp(`<h1 id="[^"]*">${alert}</h1>`), path);
      }
    });
  }

  it('keeps every relative link between runbooks working, anchors included', async () => {
    const pages = [...(site.pages?.keys() ?? [])];
    assert.ok(pages.length >= 140, `${pages.length} pages`);
    const bodies = new Map<string, string>();
    for (const key of pages) bodies.set(key, (await site.answer(`/runbooks/${key}`)).body);
    let checked = 0;
    for (const [key, body] of bodies) {
      for (const [, href] of body.matchAll(/<a href="([^"]*)"/g)) {
        if (href === undefined || /^[a-z]+:/i.test(href)) continue;
        const target = new URL(href.replace(/&#38;/g, '&'), `http://patrol/runbooks/${key}`);
        const page = target.pathname.slice('/runbooks/'.length);
        if (page === '') continue; // the index
        const html = bodies.get(page);
        assert.ok(html !== undefined, `${key}: link to ${href} (${target.pathname}) is not served`);
        if (target.hash !== '') {
          const id = decodeURIComponent(target.hash.slice(1));
          assert.ok(html.includes(` id="${id}"`), `${key}: ${href}: no heading ${id} in ${page}`);
        }
        checked++;
      }
    }
    assert.ok(checked > 500, `${checked} links`);
  });

  it('renders relative links to files that are not served as text', async () => {
    const html = await renderRunbook(
      'See [the config](../../mixin/config.ts), [down](PatrolExporterDown.md#impact), [web](https://prometheus.io/).',
      'PatrolHaPeerDown.md',
      new Set(['PatrolExporterDown.md']),
    );
    assert.match(html, /See the config, <a href="PatrolExporterDown\.md#impact">down<\/a>/);
    assert.match(html, /<a href="https:\/\/prometheus\.io\/">web<\/a>/);
  });

  it("gives headings GitHub's anchors", () => {
    assert.equal(slug('Make it permanent / prevent'), 'make-it-permanent--prevent');
    assert.equal(slug('Confirm by hand'), 'confirm-by-hand');
    assert.equal(slug('根治与预防'), '根治与预防');
    assert.equal(slug('`patrol_up` & co.'), 'patrol_up--co');
  });

  it('has an index of both languages with each alert and its summary', async () => {
    const r = await site.answer('/runbooks/');
    assert.equal(r.status, 200);
    assert.match(r.body, /<section lang="en" id="en">/);
    assert.match(r.body, /<section lang="zh-CN" id="zh-CN">/);
    assert.match(
      r.body,
      /<a href="PatrolExporterDown\.md">PatrolExporterDown<\/a><\/td><td>critical<\/td><td>patrol exporter is down/,
    );
    assert.match(r.body, /<a href="zh-CN\/PatrolExporterDown\.md">PatrolExporterDown<\/a>/);
  });

  it('answers 404 to unknown names and to any way out of the directory', async () => {
    const s = await serve(site);
    for (const path of [
      '/runbooks/Nope.md',
      '/runbooks/PatrolExporterDown',
      '/runbooks/zh-CN/README',
      '/runbooks/../package.json',
      '/runbooks/zh-CN/../PatrolExporterDown.md',
      '/runbooks/%2e%2e/%2e%2e/package.json',
      '/runbooks/..%2F..%2Fpackage.json',
      '/runbooks/zh-CN/../../README.md',
      '/runbooks//etc/passwd',
      '/runbooks/fr/PatrolExporterDown.md',
    ]) {
      assert.equal((await rawGet(s, path)).status, 404, path);
    }
    const ok = await rawGet(s, '/runbooks/zh-CN/PatrolExporterDown.md?from=alertmanager');
    assert.equal(ok.status, 200);
    const landing = await rawGet(s, '/');
    assert.match(landing.body, /<a href="\/runbooks\/">Runbooks<\/a>/);
  });

  it('redirects the directory names to the index', async () => {
    for (const [path, location] of [
      ['/runbooks', 'runbooks/'],
      ['/runbooks/zh-CN', './#zh-CN'],
      ['/runbooks/zh-CN/', '../#zh-CN'],
    ] as const) {
      const r = await site.answer(path);
      assert.equal(r.status, 301);
      assert.equal(
        new URL(r.headers?.Location ?? '', `http://h${path}`).href,
        `http://h/runbooks/${location.includes('#') ? '#zh-CN' : ''}`,
      );
    }
  });

  it('sets a strict Content-Security-Policy that still allows its one stylesheet', async () => {
    const s = await serve(site);
    const res = await fetch(`${s.url}/runbooks/PatrolExporterDown.md`);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /^default-src 'none'; /);
    const html = await res.text();
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    assert.ok(csp.includes(`style-src 'sha256-${hash}'`), csp);
    assert.doesNotMatch(html, /<script/i);
  });

  it('is behind basic auth like everything else', async () => {
    const users = new Map([['prom', bcrypt.hashSync('s3cret', 4)]]);
    const s = await serve(site, { ...NO_WEB_CONFIG, users });
    for (const path of ['/runbooks/', '/runbooks/PatrolExporterDown.md', '/runbooks/Nope.md']) {
      assert.equal((await fetch(`${s.url}${path}`)).status, 401, path);
    }
    const auth = `Basic ${Buffer.from('prom:s3cret').toString('base64')}`;
    const ok = await fetch(`${s.url}/runbooks/PatrolExporterDown.md`, {
      headers: { authorization: auth },
    });
    assert.equal(ok.status, 200);
  });

  it('without docs/runbooks: 404 with a sentence, said once at start-up', async () => {
    const root = mkdtempSync(join(tmpdir(), 'patrol-runbooks-'));
    temps.push(root);
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', format: 'logfmt', write: (l) => lines.push(l) });
    const missing = await RunbookSite.load(logger, join(root, 'docs', 'runbooks'), root);
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /runbooks are not installed/);
    const s = await serve(missing);
    for (const path of ['/runbooks/', '/runbooks/PatrolExporterDown.md']) {
      const r = await rawGet(s, path);
      assert.equal(r.status, 404);
      assert.match(r.body, /^The runbooks are not installed with this patrol/);
      assert.equal(r.body.includes(root), false, 'no path of the installation in the answer');
    }
    assert.equal(lines.length, 1);
  });

  it('lists only the pages found at start, without summaries when the rules are absent', async () => {
    const root = mkdtempSync(join(tmpdir(), 'patrol-runbooks-'));
    temps.push(root);
    const dir = join(root, 'docs', 'runbooks');
    mkdirSync(join(dir, 'zh-CN'), { recursive: true });
    writeFileSync(
      join(dir, 'PatrolA.md'),
      '# PatrolA\n\n中文：[zh-CN/PatrolA.md](zh-CN/PatrolA.md)\n',
    );
    writeFileSync(join(dir, 'zh-CN', 'PatrolA.md'), '# PatrolA\n\n[English](../PatrolA.md)\n');
    writeFileSync(join(dir, 'notes.txt'), 'not a page');
    const own = await RunbookSite.load(silentLogger, dir, root);
    assert.deepEqual([...(own.pages?.keys() ?? [])], ['PatrolA.md', 'zh-CN/PatrolA.md']);
    assert.equal((await own.answer('/runbooks/notes.txt')).status, 404);
    // A page added after start is not served (names are fixed at start-up).
    writeFileSync(join(dir, 'PatrolB.md'), '# PatrolB\n');
    assert.equal((await own.answer('/runbooks/PatrolB.md')).status, 404);
    const index = await own.answer('/runbooks/');
    assert.match(index.body, /<a href="PatrolA\.md">PatrolA<\/a><\/td><td><\/td><td><\/td>/);
    assert.match(index.body, /<a href="zh-CN\/PatrolA\.md">PatrolA<\/a>/);
  });
});

it('finds docs/runbooks next to src/ (and so next to dist/ when installed)', () => {
  assert.ok(RUNBOOKS_DIR.endsWith('/docs/runbooks'));
  assert.ok(readFileSync(join(RUNBOOKS_DIR, 'PatrolExporterDown.md'), 'utf8').startsWith('# '));
});
