// End-to-end: a real Prometheus scrapes the real exporter (default configuration, no flags but
// the listen address) and the facts are read back through Prometheus' HTTP API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startExporter } from '../harness/exporter.ts';
import { request } from '../harness/http.ts';
import { sampleValue } from '../harness/metrics.ts';
import { single, startPrometheus } from '../harness/prometheus.ts';

test('Prometheus scrapes patrol with the default configuration', async (t) => {
  const exporter = await startExporter(t);
  const prom = await startPrometheus(t, {
    scrapeConfigs: [{ job_name: 'patrol', static_configs: [{ targets: [exporter.target] }] }],
  });

  await prom.waitFor('up{job="patrol"} == 1', async () => {
    const r = await prom.query('up{job="patrol"}');
    return r.length === 1 && single(r) === 1;
  });

  const targets = await prom.targets();
  const target = targets.find((x) => x.labels.job === 'patrol');
  assert.ok(target, `no patrol target in ${JSON.stringify(targets)}`);
  assert.equal(target.health, 'up');
  assert.equal(target.lastError, '');
  assert.equal(target.scrapeUrl, `${exporter.url}/metrics`);

  const avail = await prom.waitForQuery(
    'patrol_filesystem_avail_bytes{job="patrol",mountpoint="/"}',
  );
  assert.equal(avail.length, 1, JSON.stringify(avail));
  assert.ok(
    Number(avail[0]?.value[1]) > 0,
    `avail bytes of / should be positive: ${JSON.stringify(avail)}`,
  );
  assert.ok(avail[0]?.metric.device, 'the device label is set');
  assert.ok(avail[0]?.metric.fstype, 'the fstype label is set');

  const success = await prom.waitForQuery(
    'patrol_collector_success{job="patrol",collector="filesystem"}',
  );
  assert.equal(single(success), 1);

  const build = await prom.waitForQuery('patrol_build_info{job="patrol"}');
  assert.equal(single(build), 1);
  assert.ok(build[0]?.metric.version, 'patrol_build_info has a version label');
  assert.ok(build[0]?.metric.nodejs_version?.startsWith('v'), JSON.stringify(build));

  // Prometheus asks for OpenMetrics: counters must arrive under their own names, not *_total_total.
  const cpu = await prom.waitForQuery('process_cpu_seconds_total{job="patrol"}');
  assert.ok(single(cpu) > 0, JSON.stringify(cpu));
  const doubled = await prom.query('{job="patrol",__name__=~".*_total_total"}');
  assert.deepEqual(doubled, [], 'no counter name gets _total twice');

  // Prometheus' own counters: no sample of ours was rejected as duplicate, out of order or
  // out of bounds (a duplicated series in the exposition would show up here).
  const own = await request(`${prom.url}/metrics`);
  for (const name of [
    'prometheus_target_scrapes_sample_duplicate_timestamp_total',
    'prometheus_target_scrapes_sample_out_of_order_total',
    'prometheus_target_scrapes_sample_out_of_bounds_total',
    'prometheus_target_scrapes_exemplar_out_of_order_total',
  ]) {
    assert.equal(sampleValue(own.text, name), 0, name);
  }

  await prom.stop();
  await exporter.stop();
});
