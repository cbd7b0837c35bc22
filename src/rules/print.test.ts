import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { INSTALL_ROOT } from '../install-root.ts';
import { listAlerts, printRulesCommand, rewriteRunbookUrls, ruleFilePath } from './print.ts';
import { LANGS, parseRunbookBase, runbookUrl } from './runbook-url.ts';

const BASE = 'http://patrol.example.com:9872/runbooks';

interface RuleFile {
  groups: { name: string; rules: Record<string, unknown>[] }[];
}

/** The parsed rule file with every alert's runbook_url taken out. */
function withoutRunbooks(text: string): RuleFile {
  const file = parse(text) as RuleFile;
  for (const g of file.groups) {
    for (const r of g.rules) {
      if ('alert' in r) delete (r.annotations as Record<string, unknown>).runbook_url;
    }
  }
  return file;
}

describe('--print-rules', () => {
  for (const lang of LANGS) {
    const text = readFileSync(ruleFilePath(lang), 'utf8');

    it(`points every alert of the shipped ${lang} rule file at the base, and changes nothing else`, () => {
      const out = rewriteRunbookUrls(text, lang, BASE);
      const rules = (parse(out) as RuleFile).groups.flatMap((g) => g.rules);
      const alerts = rules.filter((r) => 'alert' in r);
      assert.ok(alerts.length >= 70, `${alerts.length} alerts`);
      for (const r of alerts) {
        const url = (r.annotations as { runbook_url: string }).runbook_url;
        const prefix = lang === 'en' ? '' : `${lang}/`;
        assert.equal(url, `${BASE}/${prefix}${String(r.alert)}.md`);
        assert.equal(url, runbookUrl(BASE, lang, String(r.alert)));
      }
      assert.deepEqual(withoutRunbooks(out), withoutRunbooks(text));
      assert.match(
        out,
        new RegExp(`^# runbook_url: ${BASE}/${lang === 'en' ? '' : `${lang}/`}<Alert>\\.md`, 'm'),
      );
    });

    it(`given the generator's own base, gives the ${lang} file back byte for byte (but the header line)`, () => {
      const base = /runbook_url: (\S+?)\/(?:zh-CN\/)?PatrolExporterDown\.md/.exec(text)?.[1];
      assert.ok(base !== undefined);
      const out = rewriteRunbookUrls(text, lang, base).split('\n');
      const header = out.findIndex((l) => l.startsWith('# runbook_url: '));
      assert.equal(header, 3, 'after the three generated header lines');
      out.splice(header, 1);
      assert.ok(out.join('\n') === text, 'the printed file differs from the shipped one');
    });
  }

  it('prints a printed file again with the new base and one header line', () => {
    const text = readFileSync(ruleFilePath('zh-CN'), 'utf8');
    const once = rewriteRunbookUrls(text, 'zh-CN', 'http://first.example/runbooks');
    const twice = rewriteRunbookUrls(once, 'zh-CN', BASE);
    assert.ok(
      twice === rewriteRunbookUrls(text, 'zh-CN', BASE),
      'differs from printing the shipped file',
    );
  });

  it('lists the alerts with their severity and summary', () => {
    const alerts = listAlerts(readFileSync(ruleFilePath('en'), 'utf8'));
    assert.deepEqual(alerts[0], {
      alert: 'PatrolExporterDown',
      severity: 'critical',
      summary: 'patrol exporter is down: the inspection checklist of this host is not measured.',
    });
  });

  it('checks the base URL', () => {
    assert.equal(parseRunbookBase('http://h:9872/runbooks/'), 'http://h:9872/runbooks');
    assert.equal(parseRunbookBase('https://wiki.internal'), 'https://wiki.internal');
    assert.equal(
      parseRunbookBase('https://git.internal/ops/patrol/blob/main/docs/runbooks'),
      'https://git.internal/ops/patrol/blob/main/docs/runbooks',
    );
    assert.throws(() => parseRunbookBase('patrol:9872/runbooks'), /not an http/);
    assert.throws(() => parseRunbookBase('/runbooks'), /not an absolute URL/);
    assert.throws(() => parseRunbookBase('ftp://h/runbooks'), /not an http/);
    assert.throws(() => parseRunbookBase('http://h/runbooks?x=1'), /query or fragment/);
    assert.throws(() => parseRunbookBase('http://h/runbooks#top'), /query or fragment/);
    assert.throws(() => parseRunbookBase('http://u:p@h/runbooks'), /credentials/);
  });

  it('prints the rule file and exits 0; says the rule files are not installed and exits 1', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    assert.equal(await printRulesCommand('zh-CN', BASE, io, INSTALL_ROOT), 0);
    assert.match(
      out.join(''),
      /runbook_url: http:\/\/patrol\.example\.com:9872\/runbooks\/zh-CN\/PatrolExporterDown\.md/,
    );
    assert.deepEqual(err, []);
    out.length = 0;
    assert.equal(await printRulesCommand('en', undefined, io, INSTALL_ROOT), 0);
    assert.equal(out.join(''), readFileSync(ruleFilePath('en'), 'utf8'));
    out.length = 0;
    assert.equal(await printRulesCommand('en', BASE, io, tmpdir()), 1);
    assert.deepEqual(out, []);
    assert.match(
      err.join(''),
      /^patrol: the en rule file is not installed: .*alerts\/patrol\.rules\.yml does not exist/,
    );
  });
});
