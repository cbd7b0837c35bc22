// End-to-end: the exporter as a process — flags, exit codes, configuration errors, SIGHUP
// reload, its HTTP endpoints and the bound on scrapes in flight.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { collectors } from '../../src/collectors/index.ts';
import { MAIN, NODE, ROOT, runExporter, startExporter } from '../harness/exporter.ts';
import { run } from '../harness/process.ts';
import { findSamples, sampleValue } from '../harness/metrics.ts';
import { tempDir } from '../harness/tmp.ts';
import { waitFor } from '../harness/wait.ts';

const TYPO_CONFIG = 'collectors:\n  filesytem: {}\n';
const VALID_CONFIG = 'collectors:\n  filesystem:\n    enabled: true\n';
const FILESYSTEM_OFF_CONFIG = 'collectors:\n  filesystem:\n    enabled: false\n';

const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };

describe('command line', () => {
  test('--help prints the usage and exits 0', async () => {
    const r = await runExporter(['--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^usage: patrol/);
    for (const flag of [
      '--config.file',
      '--web.listen-address',
      '--web.telemetry-path',
      '--web.config.file',
      '--web.max-requests',
      '--check-config',
      '--version',
    ]) {
      assert.ok(r.stdout.includes(flag), `--help mentions ${flag}`);
    }
  });

  test('--version prints the version and exits 0', async () => {
    const r = await runExporter(['--version']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(`^patrol, version ${pkg.version.replaceAll('.', '\\.')} \\(revision: \\S+\\)\n`),
    );
    assert.ok(r.stdout.includes(`nodejs: ${process.version}`), r.stdout);
  });

  test('an unknown flag exits 2 naming the flag', async () => {
    const r = await runExporter(['--no-such-flag']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no-such-flag/);
    assert.match(r.stderr, /usage: patrol/);
    assert.equal(r.stdout, '');
  });

  test('a bad flag value exits 2', async () => {
    const r = await runExporter(['--web.listen-address=nonsense']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--web\.listen-address/);
  });

  test('a typo in the config file: exit 1 before binding the port, naming the field path', async (t) => {
    const dir = await tempDir(t);
    const file = join(dir, 'patrol.yml');
    await writeFile(file, TYPO_CONFIG);
    // Hold the port ourselves: an exporter that tried to bind before validating would fail
    // with "address in use" instead of naming the bad field.
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    t.after(
      () =>
        new Promise<void>((resolve) =>
          blocker.close(() => {
            resolve();
          }),
        ),
    );
    const port = (blocker.address() as net.AddressInfo).port;

    const r = await runExporter([
      `--config.file=${file}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /collectors\.filesytem/);
    assert.match(r.stderr, /filesystem/, 'suggests the right key');
    assert.doesNotMatch(r.stderr, /msg=listening|EADDRINUSE|address already in use/i);
  });

  test('--check-config with a valid config exits 0 and prints one line per collector', async (t) => {
    const dir = await tempDir(t);
    const file = join(dir, 'patrol.yml');
    await writeFile(file, VALID_CONFIG);
    const r = await runExporter([`--config.file=${file}`, '--check-config']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /is valid/);
    const names = collectors.map((c) => c.name);
    assert.ok(names.length > 0);
    for (const name of names) {
      const mine = lines.filter(
        (l) => l.includes(`collector=${name} `) || l.endsWith(`collector=${name}`),
      );
      assert.equal(mine.length, 1, `one line for collector ${name} in:\n${r.stdout}`);
      assert.match(mine[0] ?? '', /collector (on|off)/);
    }
    assert.equal(lines.length, 1 + names.length, r.stdout);
  });

  test('--check-config with a typo exits 1 naming the field path', async (t) => {
    const dir = await tempDir(t);
    const file = join(dir, 'patrol.yml');
    await writeFile(file, TYPO_CONFIG);
    const r = await runExporter([`--config.file=${file}`, '--check-config']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /collectors\.filesytem/);
  });

  test('--check-config into a reader that leaves early (| head -1): no EPIPE crash', async () => {
    const r = await run('bash', [
      '-c',
      `set -o pipefail; "${NODE}" "${MAIN}" --check-config | head -1`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'configuration (embedded default) is valid\n');
    assert.doesNotMatch(r.stderr, /EPIPE|Error/);
  });

  test('a bad field in run mode is said once, not once more as a log line', async (t) => {
    const dir = await tempDir(t);
    const file = join(dir, 'patrol.yml');
    await writeFile(file, TYPO_CONFIG);
    const r = await runExporter([`--config.file=${file}`, '--web.listen-address=127.0.0.1:0']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.split('collectors.filesytem').length - 1, 1, r.stderr);
  });

  test('a missing config file exits 1 naming the file', async () => {
    const r = await runExporter([
      '--config.file=/nonexistent/patrol.yml',
      '--web.listen-address=127.0.0.1:0',
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\/nonexistent\/patrol\.yml/);
  });
});

describe('running exporter', () => {
  test('/-/healthy, /-/ready, the landing page and 404', async (t) => {
    const exporter = await startExporter(t);
    for (const path of ['/-/healthy', '/-/ready']) {
      const res = await exporter.fetch(path);
      assert.equal(res.status, 200, path);
    }
    const home = await exporter.fetch('/');
    assert.equal(home.status, 200);
    assert.match(home.headers['content-type'] ?? '', /^text\/html/);
    assert.match(home.text, /<a href="\/metrics">/);
    const missing = await exporter.fetch('/nope');
    assert.equal(missing.status, 404);
    await exporter.stop();
  });

  test('--web.telemetry-path serves the metrics elsewhere', async (t) => {
    const exporter = await startExporter(t, { args: ['--web.telemetry-path=/custom'] });
    const body = await exporter.scrape('/custom');
    assert.ok(findSamples(body, 'patrol_build_info').length === 1, 'patrol_build_info at /custom');
    const home = await exporter.fetch('/');
    assert.match(home.text, /<a href="\/custom">/);
    assert.equal((await exporter.fetch('/metrics')).status, 404);
    await exporter.stop();
  });

  test('SIGHUP reloads the config; a broken file keeps the previous one and is reported', async (t) => {
    const dir = await tempDir(t);
    const file = join(dir, 'patrol.yml');
    await writeFile(file, VALID_CONFIG);
    const exporter = await startExporter(t, { configFile: file });
    const reloadOk = async () =>
      sampleValue(await exporter.scrape(), 'patrol_config_last_reload_successful');

    const first = await exporter.scrape();
    assert.equal(sampleValue(first, 'patrol_config_last_reload_successful'), 1);
    assert.equal(sampleValue(first, 'patrol_collector_success', { collector: 'filesystem' }), 1);
    const startedAt =
      sampleValue(first, 'patrol_config_last_reload_success_timestamp_seconds') ?? NaN;
    assert.ok(startedAt > 0);

    // broken file + SIGHUP: the flag drops to 0, the old configuration keeps serving
    await writeFile(file, TYPO_CONFIG);
    exporter.signal('SIGHUP');
    await waitFor('patrol_config_last_reload_successful 0', async () => (await reloadOk()) === 0, {
      context: () => exporter.proc.describe(),
    });
    assert.match(exporter.proc.stderr, /reload failed/);
    assert.match(exporter.proc.stderr, /collectors\.filesytem/);
    const during = await exporter.scrape();
    assert.equal(
      sampleValue(during, 'patrol_collector_success', { collector: 'filesystem' }),
      1,
      'previous config still runs',
    );
    assert.equal(
      sampleValue(during, 'patrol_config_last_reload_success_timestamp_seconds'),
      startedAt,
    );
    assert.equal((await exporter.fetch('/-/healthy')).status, 200);
    assert.equal((await exporter.fetch('/-/ready')).status, 200);

    // fixed file (now with the filesystem collector off) + SIGHUP: back to 1, new config applies
    await writeFile(file, FILESYSTEM_OFF_CONFIG);
    exporter.signal('SIGHUP');
    await waitFor('patrol_config_last_reload_successful 1', async () => (await reloadOk()) === 1, {
      context: () => exporter.proc.describe(),
    });
    const after = await exporter.scrape();
    assert.ok(
      (sampleValue(after, 'patrol_config_last_reload_success_timestamp_seconds') ?? 0) > startedAt,
    );
    assert.deepEqual(
      findSamples(after, 'patrol_collector_success', { collector: 'filesystem' }),
      [],
      'filesystem collector is off',
    );
    assert.deepEqual(findSamples(after, 'patrol_filesystem_avail_bytes'), [], 'no ghost series');

    await exporter.stop();
  });

  test('--web.max-requests bounds the scrapes in flight with 503', async (t) => {
    const exporter = await startExporter(t, { args: ['--web.max-requests=1'] });
    // Scrapes take a few ms; a burst of parallel scrapes overlaps them. Retry bursts until one
    // overlaps (on an idle machine the first one does).
    const seen: Record<number, number> = {};
    await waitFor(
      'a burst of parallel scrapes to get a 503',
      async () => {
        const burst = await Promise.all(
          Array.from({ length: 20 }, () => exporter.fetch('/metrics')),
        );
        for (const res of burst) {
          seen[res.status] = (seen[res.status] ?? 0) + 1;
          assert.ok(res.status === 200 || res.status === 503, `unexpected status ${res.status}`);
          if (res.status === 503) assert.match(res.text, /too many scrapes in flight \(limit 1\)/);
        }
        return (seen[503] ?? 0) > 0;
      },
      { timeoutMs: 30_000, intervalMs: 0 },
    );
    assert.ok((seen[200] ?? 0) > 0, `some scrapes succeed: ${JSON.stringify(seen)}`);
    t.diagnostic(`statuses with --web.max-requests=1: ${JSON.stringify(seen)}`);
    // the slot is released: one at a time always succeeds
    for (let i = 0; i < 5; i++) assert.equal((await exporter.fetch('/metrics')).status, 200);
    // other endpoints are not counted against the limit
    const others = await Promise.all(
      Array.from({ length: 10 }, () => exporter.fetch('/-/healthy')),
    );
    assert.deepEqual(
      others.map((r) => r.status),
      Array<number>(10).fill(200),
    );
    await exporter.stop();
  });

  test('the default limit lets a burst of 20 parallel scrapes through', async (t) => {
    const exporter = await startExporter(t);
    const burst = await Promise.all(Array.from({ length: 20 }, () => exporter.fetch('/metrics')));
    assert.deepEqual(
      burst.map((r) => r.status),
      Array<number>(20).fill(200),
    );
    await exporter.stop();
  });

  test('SIGINT also stops it cleanly', async (t) => {
    const exporter = await startExporter(t);
    exporter.signal('SIGINT');
    const exit = await exporter.proc.exited;
    assert.deepEqual(exit, { code: 0, signal: null }, exporter.proc.describe());
    assert.match(exporter.proc.stderr, /shutting down.*signal=SIGINT/);
  });
});
