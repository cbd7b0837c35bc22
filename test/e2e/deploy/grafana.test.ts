// Checks of the Grafana provisioning in deploy/: it matches the repository's dashboards/
// layout. Grafana itself cannot run here (no Debian package, no network to fetch one), so its
// files are checked for what Grafana would read from them.
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { test } from 'node:test';
import { LANGUAGES } from '../../../mixin/i18n/types.ts';
import { DEPLOY, isRecord, readYaml } from '../../harness/deploy.ts';
import { ROOT as repo } from '../../harness/exporter.ts';

interface DatasourceProvisioning {
  apiVersion: number;
  datasources: {
    name: string;
    type: string;
    uid: string;
    url: string;
    access: string;
    isDefault?: boolean;
  }[];
}

interface DashboardProvider {
  name: string;
  type: string;
  folder: string;
  folderUid?: string;
  allowUiUpdates?: boolean;
  updateIntervalSeconds?: number;
  options: { path: string; foldersFromFilesStructure?: boolean };
}

const PROVISIONING = join(DEPLOY, 'grafana/provisioning');

async function provisionedDatasource() {
  const p = (await readYaml(
    join(PROVISIONING, 'datasources/patrol.yml'),
  )) as DatasourceProvisioning;
  assert.equal(p.apiVersion, 1);
  assert.equal(p.datasources.length, 1);
  const ds = p.datasources[0];
  assert.ok(ds);
  return ds;
}

test('grafana provisioning: the default Prometheus datasource with a fixed uid', async () => {
  const ds = await provisionedDatasource();
  assert.equal(ds.type, 'prometheus');
  assert.equal(ds.uid, 'prometheus');
  assert.equal(ds.url, 'http://localhost:9090');
  assert.equal(ds.access, 'proxy');
  // The dashboards' datasource variable (type prometheus, no fixed choice) starts on the
  // default datasource of that type: this one must be it.
  assert.equal(ds.isDefault, true);
});

test('grafana provisioning: one folder per dashboard language, laid out like dashboards/', async () => {
  const p = (await readYaml(join(PROVISIONING, 'dashboards/patrol.yml'))) as {
    apiVersion: number;
    providers: DashboardProvider[];
  };
  assert.equal(p.apiVersion, 1);
  const folders: Record<string, string> = { en: 'patrol', 'zh-CN': 'patrol (中文)' };
  assert.deepEqual(
    Object.keys(folders).sort(),
    [...LANGUAGES].sort(),
    'a folder for each language',
  );
  assert.equal(p.providers.length, LANGUAGES.length);
  const parents = new Set<string>();
  for (const lang of LANGUAGES) {
    // The repository's dashboards/<lang>/ is copied to <parent>/<lang>/ (deploy/README.md).
    const matching = p.providers.filter((x) => posix.basename(x.options.path) === lang);
    assert.equal(matching.length, 1, `one provider reads a folder named ${lang}`);
    const prov = matching[0];
    assert.ok(prov);
    assert.equal(prov.type, 'file');
    assert.equal(prov.folder, folders[lang]);
    assert.equal(prov.options.foldersFromFilesStructure, false);
    assert.equal(typeof prov.allowUiUpdates, 'boolean');
    assert.ok((prov.updateIntervalSeconds ?? 0) > 0);
    assert.ok(posix.isAbsolute(prov.options.path));
    parents.add(posix.dirname(prov.options.path));
  }
  assert.equal(parents.size, 1, 'all languages below one directory, as in the repository');
  for (const key of ['name', 'folder', 'folderUid'] as const) {
    const values = p.providers.map((x) => x[key]);
    assert.equal(new Set(values).size, values.length, `provider ${key}s are distinct`);
  }
});

/** The `datasource` references found anywhere in a dashboard, with where they are. */
function datasourceRefs(node: unknown, path: string, out: { path: string; ref: unknown }[]): void {
  if (Array.isArray(node)) {
    node.forEach((v, i) => {
      datasourceRefs(v, `${path}[${i}]`, out);
    });
  } else if (isRecord(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'datasource') out.push({ path: `${path}.${k}`, ref: v });
      else datasourceRefs(v, `${path}.${k}`, out);
    }
  }
}

test('generated dashboards query through their datasource variable and have distinct uids', async () => {
  const ds = await provisionedDatasource();
  const uids = new Map<string, string>();
  const filesByLang = new Map<string, string[]>();
  for (const lang of LANGUAGES) {
    const dir = join(repo, 'dashboards', lang);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
    assert.ok(files.length > 0, `${dir} holds dashboards`);
    filesByLang.set(lang, files);
    for (const f of files) {
      const where = `dashboards/${lang}/${f}`;
      const d = JSON.parse(await readFile(join(dir, f), 'utf8')) as {
        uid?: string;
        templating?: { list?: Record<string, unknown>[] };
      };
      assert.ok(typeof d.uid === 'string' && d.uid !== '', `${where} has a uid`);
      // Two providers in one Grafana: a uid in both folders would make them fight over it.
      assert.ok(!uids.has(d.uid), `${where} and ${uids.get(d.uid) ?? ''} share uid ${d.uid}`);
      uids.set(d.uid, where);

      const vars = (d.templating?.list ?? []).filter((v) => v.type === 'datasource');
      assert.equal(vars.length, 1, `${where} has one datasource variable`);
      const v = vars[0];
      assert.ok(v);
      assert.equal(v.query, ds.type, `${where}: the variable lists ${ds.type} datasources`);
      const current = isRecord(v.current) ? v.current.value : undefined;
      assert.ok(
        current === undefined || current === '' || current === 'default' || current === ds.uid,
        `${where}: the variable's saved choice ${JSON.stringify(current)} is the provisioned datasource or the default`,
      );
      const name = String(v.name);
      const viaVariable = (ref: unknown) =>
        ref === `\${${name}}` ||
        ref === `$${name}` ||
        (isRecord(ref) && (ref.uid === `\${${name}}` || ref.uid === `$${name}`));
      const grafanaBuiltIn = (ref: unknown) =>
        isRecord(ref) && (ref.type === 'grafana' || ref.uid === '-- Grafana --');
      const refs: { path: string; ref: unknown }[] = [];
      datasourceRefs(d, '', refs);
      for (const r of refs) {
        assert.ok(
          viaVariable(r.ref) || grafanaBuiltIn(r.ref),
          `${where}${r.path} = ${JSON.stringify(r.ref)}: queries must go through \${${name}}`,
        );
      }
      // A panel or query variable without a datasource uses Grafana's default one, not the
      // variable: switching the variable would silently not switch it.
      const panels = (d as { panels?: Record<string, unknown>[] }).panels ?? [];
      const all = panels.flatMap((p) => [
        p,
        ...((p.panels as Record<string, unknown>[] | undefined) ?? []),
      ]);
      for (const p of all) {
        const targets = Array.isArray(p.targets) ? (p.targets as Record<string, unknown>[]) : [];
        if (targets.length === 0) continue;
        assert.ok(
          viaVariable(p.datasource) || targets.every((x) => viaVariable(x.datasource)),
          `${where}: panel ${JSON.stringify(p.title)} queries through \${${name}}`,
        );
      }
      for (const q of (d.templating?.list ?? []).filter((x) => x.type === 'query'))
        assert.ok(
          viaVariable(q.datasource),
          `${where}: variable ${String(q.name)} queries through \${${name}}`,
        );
    }
  }
  assert.deepEqual(
    filesByLang.get('zh-CN'),
    filesByLang.get('en'),
    'the same dashboards in each language',
  );
});
