/**
 * Checks on the generated bundle as committed: every dashboard is usable on any Prometheus
 * (datasource variable, unique uid, units, no host baked in), every alert carries what
 * Alertmanager and the person paged need, and every expression names only metrics patrol
 * really declares (or the mixin records). The end-to-end test then runs them on Prometheus.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultConfig } from '../mixin/config.ts';
import { LANGUAGES } from '../mixin/i18n/index.ts';
import { allFamilies } from '../scripts/generate.ts';
import { ROOT } from './harness/exporter.ts';
import { dashboardFiles, dashboardTargets, ruleFiles, type Panel } from './harness/bundle.ts';

const declared = new Set(allFamilies().flatMap((g) => g.families.map((f) => f.name)));

/** patrol_* names and recording rules (level:metric:op) an expression refers to. */
function metricNames(expr: string): string[] {
  const noStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...noStrings.matchAll(/\b(?:[a-z_]+:)?patrol_[a-z0-9_]+(?::[a-z0-9_]+)?\b/g)].map(
    (m) => m[0],
  );
}

describe('generated dashboards', () => {
  const files = dashboardFiles();

  it('exist in every language with the same files', () => {
    for (const lang of LANGUAGES) {
      const names = files.filter((f) => f.lang === lang).map((f) => f.name);
      assert.ok(names.includes('overview.json') && names.includes('host.json'), lang);
      assert.deepEqual(
        names,
        files.filter((f) => f.lang === 'en').map((f) => f.name),
      );
    }
  });

  it('have unique, stable uids and a Prometheus datasource variable', () => {
    const uids = files.map((f) => f.model.uid);
    assert.equal(new Set(uids).size, uids.length, `duplicate uid in ${uids.join(', ')}`);
    for (const f of files) {
      assert.match(f.model.uid ?? '', /^[a-z0-9-]{1,40}$/, `${f.path}: uid`);
      assert.ok(f.model.uid?.startsWith(defaultConfig.dashboardUidPrefix), f.path);
      const ds = f.model.templating?.list?.find((v) => v.name === 'datasource');
      assert.equal(ds?.type, 'datasource', `${f.path}: no datasource variable`);
      assert.equal(ds?.query, 'prometheus', `${f.path}: datasource variable is not Prometheus`);
    }
  });

  it('set a unit and the datasource variable on every panel and query', () => {
    for (const f of files)
      for (const p of f.panels) {
        if (p.type === 'row') continue;
        const where = `${f.path}: panel "${p.title ?? ''}"`;
        assert.ok((p.fieldConfig?.defaults?.unit ?? '') !== '', `${where} has no unit`);
        assert.equal(p.datasource?.uid, '${datasource}', `${where}: datasource`);
        assert.ok((p.targets ?? []).length > 0, `${where} has no query`);
        for (const t of p.targets ?? []) {
          assert.equal(t.datasource?.uid ?? '${datasource}', '${datasource}', where);
          assert.ok((t.expr ?? '') !== '', `${where}: empty query`);
        }
      }
  });

  it('bake in no host: instances come from the $instance variable', () => {
    for (const f of files) {
      const text = readFileSync(join(ROOT, f.path), 'utf8');
      assert.doesNotMatch(text, /\b\d{1,3}(\.\d{1,3}){3}\b|localhost|:9872/, f.path);
      for (const { expr, panel } of dashboardTargets(f)) {
        const instances = [...expr.matchAll(/\binstance\s*(=~|=|!=|!~)\s*"([^"]*)"/g)];
        for (const m of instances)
          // ALERTS{instance=""}: the alerts about a whole HA pair, which are about no one host.
          if (!(m[0] === 'instance=""' && /ALERTS\{[^}]*$/.test(expr.slice(0, m.index))))
            assert.equal(m[2], '$instance', `${f.path}: "${panel}" selects instance ${m[0]}`);
        if (/\bpatrol_|\bup\b/.test(expr))
          assert.match(expr, /instance=~?"\$instance"/, `${f.path}: "${panel}": ${expr}`);
      }
    }
  });

  it('read only declared metrics', () => {
    const recorded = recordedNames();
    for (const f of files)
      for (const { expr, panel } of dashboardTargets(f))
        for (const name of metricNames(expr))
          assert.ok(
            declared.has(name) || recorded.has(name),
            `${f.path}: "${panel}" reads ${name}, which patrol does not export`,
          );
  });

  it('are translations of each other: same panels, same queries, different words', () => {
    const en = files.filter((f) => f.lang === 'en');
    for (const f of files.filter((x) => x.lang !== 'en')) {
      const base = en.find((e) => e.name === f.name);
      assert.ok(base, f.path);
      const shape = (ps: readonly Panel[]) =>
        ps.map((p) => ({ type: p.type, gridPos: p.gridPos, exprs: p.targets?.map((t) => t.expr) }));
      assert.deepEqual(shape(f.panels), shape(base.panels), f.path);
      assert.notEqual(f.model.title, base.model.title, `${f.path}: title not translated`);
    }
  });
});

function recordedNames(): Set<string> {
  return new Set(
    ruleFiles()
      .flatMap((f) => f.groups.flatMap((g) => g.rules))
      .flatMap((r) => ('record' in r ? [r.record] : [])),
  );
}

describe('generated alerts', () => {
  const files = ruleFiles();

  it('exist in every language', () => {
    assert.deepEqual(files.map((f) => f.lang).sort(), [...LANGUAGES].sort());
  });

  it('carry severity, summary, description and a runbook that exists', () => {
    for (const f of files)
      for (const g of f.groups)
        for (const r of g.rules) {
          if (!('alert' in r)) continue;
          const where = `${f.path}: ${r.alert}`;
          assert.match(r.labels.severity, /^(critical|warning|info)$/, where);
          assert.ok(r.annotations.summary.trim() !== '', `${where}: summary`);
          assert.ok(r.annotations.description.trim() !== '', `${where}: description`);
          const dir = f.lang === 'en' ? '' : `${f.lang}/`;
          assert.equal(
            r.annotations.runbook_url,
            `${defaultConfig.runbookUrlBase}/${dir}${r.alert}.md`,
            where,
          );
          const runbook = join(ROOT, 'docs/runbooks', dir, `${r.alert}.md`);
          assert.ok(existsSync(runbook), `${where}: ${runbook} does not exist`);
          const text = readFileSync(runbook, 'utf8');
          assert.ok(text.startsWith(`# ${r.alert}`), `${runbook}: title is not the alert name`);
          assert.ok(text.length > 800, `${runbook} says too little`);
        }
  });

  it('read only declared metrics and recorded series', () => {
    const recorded = recordedNames();
    for (const f of files)
      for (const g of f.groups)
        for (const r of g.rules)
          for (const name of metricNames(r.expr))
            assert.ok(
              declared.has(name) || recorded.has(name),
              `${f.path}: ${'alert' in r ? r.alert : r.record} reads ${name}, which patrol does not export`,
            );
  });

  it('every runbook belongs to an alert (no orphans left behind by a rename)', () => {
    const names = new Set(
      files.flatMap((f) =>
        f.groups.flatMap((g) => g.rules.flatMap((r) => ('alert' in r ? [r.alert] : []))),
      ),
    );
    for (const dir of ['docs/runbooks', 'docs/runbooks/zh-CN'])
      for (const file of readdirSync(join(ROOT, dir)).filter((n) => n.endsWith('.md'))) {
        if (file === 'README.md') continue;
        assert.ok(names.has(file.replace(/\.md$/, '')), `${dir}/${file} has no alert`);
      }
  });
});
