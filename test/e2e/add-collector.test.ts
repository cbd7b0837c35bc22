/**
 * Adding a collector takes what docs/architecture.md ("Adding a collector") says and nothing
 * more: in a copy of the repository, a throw-away collector `hello` gets its folder in
 * src/collectors/ and in mixin/, and one line in each of the two lists. Then generation knows
 * its metric and alert, --check-config names it, and the exporter serves it. Its start() never
 * returns, which must not hold the listener back: /-/healthy and /metrics answer at once,
 * /-/ready says 503 naming it, and patrol_collector_ready says 0.
 */
import assert from 'node:assert/strict';
import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NODE, ROOT } from '../harness/exporter.ts';
import { request } from '../harness/http.ts';
import { ManagedProcess, run } from '../harness/process.ts';
import { tempDir } from '../harness/tmp.ts';

const COPIED = [
  'src',
  'mixin',
  'scripts',
  'docs',
  'alerts',
  'dashboards',
  'package.json',
  'tsconfig.json',
  'config.schema.json',
  'config.example.yaml',
];

/** The collector's folder: its config schema, its families, its definition. */
const COLLECTOR = {
  'config.ts': `import { z } from 'zod';
import { collectorBase } from '../../config/fields.ts';

export const helloConfig = z.strictObject({
  ...collectorBase({ enabled: false, timeout: '1s' }),
  greeting: z.string().default('hello').meta({ description: 'What to say.', default: 'hello' }),
  hang_start: z.boolean().default(false).meta({ description: 'Never finish starting.', default: false }),
});
`,
  'metrics.ts': `import { family } from '../../core/metrics.ts';

export const helloFamilies = {
  greetings: family({
    name: 'patrol_hello_greetings',
    help: 'One greeting, as configured.',
    type: 'gauge',
    labels: ['greeting'],
  }),
};
`,
  'index.ts': `import { defineCollector } from '../../core/collector.ts';
import { helloConfig } from './config.ts';
import { helloFamilies as f } from './metrics.ts';

export const helloCollector = defineCollector({
  name: 'hello',
  config: helloConfig,
  families: Object.values(f),
  describe: (cfg) => (cfg.enabled ? \`saying \${cfg.greeting}\` : 'disabled'),
  create: (cfg) => ({
    name: 'hello',
    timeoutMs: cfg.timeout,
    start: () => (cfg.hang_start ? new Promise<void>(() => {}) : Promise.resolve()),
    collect: (sink) => {
      sink.add(f.greetings, { greeting: cfg.greeting }, 1);
    },
  }),
});
`,
};

/** The mixin folder: its words in both languages, its alert, the area. */
const AREA = {
  'i18n/en.ts': `import type { AreaStrings } from '../../area.ts';

export const en = {
  alerts: {
    PatrolHelloSilent: {
      summary: 'Nobody says hello.',
      description: 'patrol at {{ $labels.instance }} has no greeting.',
    },
  },
  dashboards: {},
} satisfies AreaStrings;

export type HelloStrings = typeof en;
`,
  'i18n/zh-CN.ts': `import type { HelloStrings } from './en.ts';

export const zhCN: HelloStrings = {
  alerts: {
    PatrolHelloSilent: {
      summary: '没有人打招呼。',
      description: '{{ $labels.instance }} 上的 patrol 没有问候。',
    },
  },
  dashboards: {},
};
`,
  'alerts.ts': `import type { MixinConfig } from '../config.ts';
import { sel } from '../promql.ts';
import type { GroupSpec } from '../alerts/types.ts';
import type { HelloStrings } from './i18n/en.ts';

export function helloGroup(c: MixinConfig): GroupSpec<keyof HelloStrings['alerts']> {
  return {
    name: 'patrol-hello',
    rules: [
      {
        alert: 'PatrolHelloSilent',
        severity: 'info',
        expr: \`absent(patrol_hello_greetings\${sel(c.selector)})\`,
        for: '5m',
      },
    ],
  };
}
`,
  'index.ts': `import type { MixinArea } from '../area.ts';
import { helloGroup } from './alerts.ts';
import { en, type HelloStrings } from './i18n/en.ts';
import { zhCN } from './i18n/zh-CN.ts';

export const hello: MixinArea<HelloStrings> = {
  name: 'hello',
  strings: { en, 'zh-CN': zhCN },
  ruleGroups: (config) => [helloGroup(config)],
};
`,
};

/** Adds `entry` (imported from `from`) as the last element of the `const <list> = [...]` list. */
async function addToList(file: string, list: string, entry: string, from: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  const start = text.indexOf(`export const ${list} = [`);
  assert.ok(start >= 0, `no list ${list} in ${file}`);
  const end = text.indexOf(']', start);
  const items = text.slice(text.indexOf('[', start) + 1, end).replace(/,?\s*$/, '');
  const edited =
    `import { ${entry} } from '${from}';\n` +
    text.slice(0, text.indexOf('[', start) + 1) +
    `${items}, ${entry}` +
    text.slice(end);
  await writeFile(file, edited);
}

async function writeFolder(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
}

describe('adding a collector by the documented steps', () => {
  it('is generated, checked, served, and does not hold start-up back', async (t) => {
    const repo = await tempDir(t, 'patrol-add-collector-');
    for (const item of COPIED) await cp(join(ROOT, item), join(repo, item), { recursive: true });
    await symlink(join(ROOT, 'node_modules'), join(repo, 'node_modules'));

    // 1. One folder in src/collectors/, one line in its list.
    await writeFolder(join(repo, 'src/collectors/hello'), COLLECTOR);
    await addToList(
      join(repo, 'src/collectors/index.ts'),
      'collectors',
      'helloCollector',
      './hello/index.ts',
    );
    // 2. One folder in mixin/, one line in its list.
    await writeFolder(join(repo, 'mixin/hello'), AREA);
    await addToList(join(repo, 'mixin/areas.ts'), 'areas', 'hello', './hello/index.ts');

    // 3. npm run generate: the metric is documented, the alert is in both rule files.
    const gen = await run(NODE, ['scripts/generate.ts'], { cwd: repo, timeoutMs: 120_000 });
    assert.equal(gen.code, 0, gen.stderr);
    const metricsDoc = await readFile(join(repo, 'docs/metrics.md'), 'utf8');
    assert.match(
      metricsDoc,
      /## collector: hello\n[\s\S]*\| `patrol_hello_greetings` \| gauge \| `greeting` \|/,
    );
    assert.match(
      await readFile(join(repo, 'alerts/patrol.rules.yml'), 'utf8'),
      /alert: PatrolHelloSilent/,
    );
    assert.match(
      await readFile(join(repo, 'alerts/zh-CN/patrol.rules.yml'), 'utf8'),
      /summary: 没有人打招呼。/,
    );
    assert.match(await readFile(join(repo, 'config.example.yaml'), 'utf8'), /\n {2}hello:\n/);

    // 4. --check-config names it, with what it would do.
    const configFile = join(repo, 'hello.yml');
    await writeFile(
      configFile,
      'collectors:\n  hello: { enabled: true, greeting: ni-hao, hang_start: true }\n' +
        '  filesystem: { enabled: false }\n  directory: { enabled: false }\n' +
        '  systemd: { enabled: false }\n  logs: { enabled: false }\n',
    );
    const main = join(repo, 'src/main.ts');
    const check = await run(NODE, [main, `--config.file=${configFile}`, '--check-config'], {
      cwd: repo,
    });
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /msg="collector on" collector=hello why="saying ni-hao"/);

    // 5. Served at once although its start() never returns.
    const proc = new ManagedProcess(
      'patrol',
      NODE,
      [main, `--config.file=${configFile}`, '--web.listen-address=127.0.0.1:0'],
      { cwd: repo, env: { ...process.env, STATE_DIRECTORY: repo } },
    );
    t.after(() => proc.kill());
    const listening = await proc.waitForOutput(/msg=listening address=(http:\/\/[^\s"]+)/);
    const url = listening[1] ?? '';
    const t0 = performance.now();
    const healthy = await request(`${url}/-/healthy`, { timeoutMs: 1000 });
    const metrics = await request(`${url}/metrics`, { timeoutMs: 1000 });
    const took = performance.now() - t0;
    assert.equal(healthy.status, 200);
    assert.equal(metrics.status, 200);
    assert.ok(took < 1000, `answered in ${took} ms`);
    assert.match(metrics.text, /^patrol_hello_greetings\{greeting="ni-hao"\} 1$/m);
    assert.match(metrics.text, /^patrol_collector_ready\{collector="hello"\} 0$/m);
    assert.match(metrics.text, /^patrol_collector_success\{collector="hello"\} 1$/m);
    const ready = await request(`${url}/-/ready`, { timeoutMs: 1000 });
    assert.equal(ready.status, 503);
    assert.equal(ready.text, 'Not ready: waiting for hello\n');
  });
});
