// End-to-end: the exporter's /metrics output as the Prometheus tools see it (promtool lint,
// content negotiation between the text format and OpenMetrics, gzip).
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { startExporter, type Exporter } from '../harness/exporter.ts';
import { parseSamples, sampleValue } from '../harness/metrics.ts';
import { run, type Scope } from '../harness/process.ts';
import { PROMTOOL_BIN } from '../harness/prometheus.ts';

const OPENMETRICS_ACCEPT = 'application/openmetrics-text; version=1.0.0';

describe('exposition of /metrics', () => {
  const cleanups: (() => Promise<void>)[] = [];
  const scope: Scope = { after: (fn) => cleanups.push(fn) };
  let exporter: Exporter;

  before(async () => {
    exporter = await startExporter(scope);
  });

  after(async () => {
    try {
      await exporter.stop();
    } finally {
      for (const fn of cleanups.reverse()) await fn();
    }
  });

  test('promtool check metrics reports nothing on the text format', async () => {
    const body = await exporter.scrape();
    const r = await run(PROMTOOL_BIN, ['check', 'metrics'], { input: body });
    assert.equal(r.stdout + r.stderr, '', 'promtool check metrics found problems');
    assert.equal(r.code, 0);
  });

  test('the text format is the default and carries the self metrics', async () => {
    const res = await exporter.fetch('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /^text\/plain; version=0\.0\.4/);
    assert.equal(sampleValue(res.text, 'patrol_collector_success', { collector: 'filesystem' }), 1);
    assert.equal(sampleValue(res.text, 'patrol_config_last_reload_successful'), 1);
    assert.ok(parseSamples(res.text).some((s) => s.name === 'patrol_build_info' && s.value === 1));
    // No series appears twice (a duplicate would be rejected by Prometheus).
    const keys = parseSamples(res.text).map(
      (s) => `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`,
    );
    assert.deepEqual(
      keys.filter((k, i) => keys.indexOf(k) !== i),
      [],
    );
  });

  test('OpenMetrics when the Accept header asks for it', async () => {
    const res = await exporter.fetch('/metrics', { headers: { accept: OPENMETRICS_ACCEPT } });
    assert.equal(res.status, 200);
    assert.match(
      res.headers['content-type'] ?? '',
      /^application\/openmetrics-text; version=1\.0\.0/,
    );
    assert.ok(
      res.text.endsWith('# EOF\n'),
      `body ends with ${JSON.stringify(res.text.slice(-40))}`,
    );
    assert.equal(
      res.text.indexOf('# EOF'),
      res.text.length - '# EOF\n'.length,
      '# EOF appears only at the end',
    );
    assert.match(res.text, /^# TYPE patrol_build_info (gauge|info)$/m);
  });

  test('a Prometheus-style Accept header gets the text format', async () => {
    const res = await exporter.fetch('/metrics', {
      headers: { accept: 'text/plain;version=0.0.4;q=0.5,*/*;q=0.1' },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /^text\/plain; version=0\.0\.4/);
    assert.ok(!res.text.includes('# EOF'));
  });

  test('gzip when the client accepts it', async () => {
    const res = await exporter.fetch('/metrics', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-encoding'], 'gzip');
    const text = gunzipSync(res.body).toString('utf8');
    assert.match(text, /^# HELP /);
    assert.ok(parseSamples(text).some((s) => s.name === 'patrol_build_info'));
    const r = await run(PROMTOOL_BIN, ['check', 'metrics'], { input: text });
    assert.equal(r.stdout + r.stderr, '');
    assert.equal(r.code, 0);
  });

  test('no compression when the client does not ask for it', async () => {
    const res = await exporter.fetch('/metrics');
    assert.equal(res.headers['content-encoding'], undefined);
    assert.match(res.text, /^# HELP /);
  });
});
