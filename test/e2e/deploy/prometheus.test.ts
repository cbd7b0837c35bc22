// End-to-end checks of the Prometheus example in deploy/: the real promtool accepts
// deploy/prometheus.yml, it scrapes patrol the way the alert rules and dashboards assume, and
// the rule files installed as deploy/README.md says are loaded through its rule_files.
import assert from 'node:assert/strict';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { defaultConfig } from '../../../mixin/config.ts';
import { LANGUAGES } from '../../../mixin/i18n/types.ts';
import { DEPLOY, readYaml } from '../../harness/deploy.ts';
import { ROOT as repo } from '../../harness/exporter.ts';
import { run } from '../../harness/process.ts';
import { PROMTOOL_BIN } from '../../harness/prometheus.ts';
import { tempDir } from '../../harness/tmp.ts';

interface PromConfig {
  global: { scrape_interval: string; evaluation_interval: string };
  rule_files: string[];
  alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
  scrape_configs: {
    job_name: string;
    scrape_timeout?: string;
    static_configs?: { targets: string[] }[];
  }[];
}

test('promtool check config accepts deploy/prometheus.yml', async () => {
  const file = join(DEPLOY, 'prometheus.yml');
  const r = await run(PROMTOOL_BIN, ['check', 'config', file]);
  assert.equal(r.code, 0, `promtool check config failed:\n${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /SUCCESS: .*prometheus\.yml is valid prometheus config file syntax/);

  // What the alert rules and dashboards assume about the scrape job.
  const cfg = (await readYaml(file)) as PromConfig;
  const jobs = cfg.scrape_configs.filter((j) => j.job_name === 'patrol');
  assert.equal(jobs.length, 1, 'one scrape job named patrol');
  assert.equal(
    defaultConfig.selector,
    `job="${jobs[0]?.job_name ?? ''}"`,
    "the mixin's selector selects the example's job",
  );
  const targets = jobs[0]?.static_configs?.flatMap((s) => s.targets) ?? [];
  assert.ok(
    targets.length > 0 && targets.every((x) => x.endsWith(':9872')),
    `patrol targets use port 9872: ${targets.join(', ')}`,
  );
  assert.deepEqual(
    cfg.alerting.alertmanagers.flatMap((a) => a.static_configs.flatMap((s) => s.targets)),
    ['localhost:9093'],
  );
});

test('rule files installed as deploy/README.md says are loaded by prometheus.yml', async (t) => {
  // The README copies alerts/patrol.rules.yml (English) or alerts/zh-CN/patrol.rules.yml into
  // /etc/prometheus/rules/patrol/. Do that below a temp dir, point rule_files there, and let
  // promtool load them through the config: the glob must pick the file up.
  const sources = LANGUAGES.map((lang) => ({
    lang,
    file: join(repo, 'alerts', ...(lang === 'en' ? [] : [lang]), 'patrol.rules.yml'),
  }));
  const cfg = (await readYaml(join(DEPLOY, 'prometheus.yml'))) as PromConfig;
  assert.deepEqual(cfg.rule_files, ['/etc/prometheus/rules/patrol/*.yml']);
  for (const { lang, file } of sources) {
    const root = await tempDir(t, 'patrol-deploy-rules-');
    const installed = join(root, 'etc/prometheus/rules/patrol', basename(file));
    await mkdir(dirname(installed), { recursive: true });
    await copyFile(file, installed);
    const configFile = join(root, 'prometheus.yml');
    await writeFile(
      configFile,
      stringify({ ...cfg, rule_files: cfg.rule_files.map((g) => join(root, g)) }),
    );
    const r = await run(PROMTOOL_BIN, ['check', 'config', configFile]);
    assert.equal(r.code, 0, `${lang}: promtool check config failed:\n${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /SUCCESS: 1 rule files found/, `${lang}:\n${r.stdout}`);
    assert.match(r.stdout, /SUCCESS: \d+ rules found/, `${lang}:\n${r.stdout}`);
  }
});
