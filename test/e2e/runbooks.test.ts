// End-to-end: the rule files printed by `patrol --print-rules --rules.runbook-url=...` pass
// promtool, and every runbook_url in them is a page the real exporter serves.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { MAIN, NODE, ROOT, startExporter, type Exporter } from '../harness/exporter.ts';
import { run, suiteScope } from '../harness/process.ts';
import { PROMTOOL_BIN } from '../harness/prometheus.ts';

const LANGS = ['en', 'zh-CN'] as const;

interface RuleFile {
  groups: { rules: { alert?: string; annotations?: { runbook_url?: string } }[] }[];
}

describe('runbooks served by patrol, linked from the printed rules', () => {
  const scope = suiteScope();
  let exporter: Exporter;
  let dir: string;
  const printed = new Map<string, string>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'patrol-rules-'));
    exporter = await startExporter(scope);
    const base = `http://127.0.0.1:${exporter.port}/runbooks`;
    for (const lang of LANGS) {
      const r = await run(NODE, [MAIN, `--print-rules=${lang}`, `--rules.runbook-url=${base}`], {
        cwd: tmpdir(), // the rule files are found next to the code, not in the working directory
      });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      printed.set(lang, r.stdout);
    }
  });

  after(async () => {
    try {
      await exporter.stop();
    } finally {
      await scope.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the index lists both languages', async () => {
    const res = await exporter.fetch('/runbooks/');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /^text\/html; charset=utf-8/);
    assert.match(res.text, /<section lang="en" id="en">[\s\S]*<section lang="zh-CN" id="zh-CN">/);
    assert.match(String(res.headers['content-security-policy']), /^default-src 'none'/);
  });

  for (const lang of LANGS) {
    test(`every runbook_url of the printed ${lang} rules answers with its alert's page`, async () => {
      const file = parse(printed.get(lang) ?? '') as RuleFile;
      const urls = new Map<string, string>();
      for (const r of file.groups.flatMap((g) => g.rules)) {
        if (r.alert !== undefined) urls.set(r.alert, r.annotations?.runbook_url ?? '');
      }
      assert.ok(urls.size >= 60, `${urls.size} alerts`);
      for (const [alert, url] of urls) {
        const u = new URL(url);
        assert.equal(`${u.protocol}//${u.host}`, `http://127.0.0.1:${exporter.port}`, url);
        const res = await exporter.fetch(u.pathname);
        assert.equal(res.status, 200, `${alert}: GET ${url}: ${res.status}`);
        assert.match(res.text, new RegExp(`<html lang="${lang}">`), url);
        assert.ok(res.text.includes(alert), `${url} does not name ${alert}`);
      }
    });
  }

  test('promtool check rules accepts the printed rule files', async () => {
    const files = LANGS.map((lang) => {
      const f = join(dir, `patrol.${lang}.rules.yml`);
      writeFileSync(f, printed.get(lang) ?? '');
      return f;
    });
    const r = await run(PROMTOOL_BIN, ['check', 'rules', ...files], { cwd: ROOT });
    assert.equal(r.code, 0, `promtool: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /SUCCESS: \d+ rules found/);
  });

  test('a bad base URL is exit 2 and a usage message', async () => {
    const r = await run(NODE, [MAIN, '--print-rules', '--rules.runbook-url=patrol:9872']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^patrol: --rules\.runbook-url: "patrol:9872" is not an http/);
  });
});
