import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApp, type App } from './app.ts';
import { loadConfigFile } from './collectors/index.ts';
import { silentLogger } from './core/logger.ts';
import { loadWebConfig } from './webconfig.ts';

function setup(t: { after: (fn: () => Promise<void> | void) => void }) {
  const dir = mkdtempSync(join(tmpdir(), 'patrol-app-'));
  const watched = join(dir, 'logs');
  const configFile = join(dir, 'patrol.yml');
  const write = (fsEnabled: boolean, interval = '1h') => {
    writeFileSync(
      configFile,
      `collectors:\n  filesystem: {enabled: ${fsEnabled}}\n  directory: {paths: [${watched}], interval: ${interval}}\n`,
    );
  };
  let app: App | undefined;
  t.after(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const start = async () => {
    app = await startApp(
      {
        configFile,
        webConfigFile: undefined,
        host: '127.0.0.1',
        port: 0,
        telemetryPath: '/metrics',
        maxRequests: 10,
        logger: silentLogger,
      },
      await loadConfigFile(configFile),
      await loadWebConfig(undefined),
    );
    await app.started;
    return app;
  };
  return { dir, watched, write, start };
}

async function scrape(app: App): Promise<string> {
  return (await fetch(`${app.server.url}/metrics`)).text();
}

async function until(app: App, re: RegExp): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const text = await scrape(app);
    if (re.test(text)) return text;
    await sleep(50);
  }
  assert.fail(`no ${re} in /metrics`);
}

const walkerThreads = () =>
  readdirSync('/proc/self/task').filter((id) =>
    readFileSync(`/proc/self/task/${id}/comm`, 'utf8').startsWith('patrol-director'),
  ).length;

describe('app reload', () => {
  it('keeps a collector whose configuration did not change, with its results', async (t) => {
    const { watched, write, start } = setup(t);
    mkdirSync(watched);
    writeFileSync(join(watched, 'a.log'), 'x'.repeat(1234));
    write(true);
    const app = await start();
    await until(app, /^patrol_directory_size_bytes\{path=".*"\} 1234$/m);
    assert.match(await scrape(app), /^patrol_filesystem_size_bytes/m);

    writeFileSync(join(watched, 'b.log'), 'y'.repeat(100)); // not seen until a rescan (interval 1h)
    write(false); // only the filesystem section changes
    assert.equal(await app.reload(), true);
    const after = await scrape(app);
    assert.match(
      after,
      /^patrol_directory_size_bytes\{path=".*"\} 1234$/m,
      'same results, no rescan',
    );
    assert.doesNotMatch(after, /^patrol_filesystem_size_bytes/m);
    assert.match(after, /^patrol_config_last_reload_successful 1$/m);

    write(false, '2h'); // the directory section changes: a new collector scans afresh
    assert.equal(await app.reload(), true);
    await until(app, /^patrol_directory_size_bytes\{path=".*"\} 1334$/m);
  });

  it('stop() waits for a reload under way, and leaves nothing running', async (t) => {
    const { watched, write, start } = setup(t);
    mkdirSync(watched);
    write(true, '10s');
    const app = await start();
    await until(app, /^patrol_directory_up\{path=".*"\} 1$/m);
    write(true, '20s');
    const reloaded = app.reload();
    await app.stop();
    await reloaded;
    await sleep(100);
    assert.equal(walkerThreads(), 0, 'no walker thread survives stop()');
    await assert.rejects(fetch(`${app.server.url}/metrics`));
  });
});
