import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { family, SampleBuffer } from './metrics.ts';
import {
  negotiateContentType,
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
  render,
} from './exposition.ts';
import { processRegistry } from './process-metrics.ts';

const errors = family({
  name: 'patrol_test_errors_total',
  help: 'Errors.',
  type: 'counter',
  labels: ['path'],
});
const info = family({ name: 'patrol_test_info', help: 'Facts.', type: 'gauge', labels: ['v'] });

function samples(): SampleBuffer {
  const b = new SampleBuffer();
  b.add(errors, { path: '/a "quoted"\\dir' }, 3);
  b.add(info, { v: '1' }, 1);
  return b;
}

describe('exposition', () => {
  it('renders the Prometheus text format with escaped labels', async () => {
    const text = Buffer.concat(
      await render(samples(), processRegistry(), PROMETHEUS_CONTENT_TYPE),
    ).toString();
    assert.match(text, /^# TYPE patrol_test_errors_total counter$/m);
    assert.match(text, /^patrol_test_errors_total\{path="\/a \\"quoted\\"\\\\dir"\} 3$/m);
    assert.match(text, /^process_cpu_seconds_total \d/m);
  });

  it('renders OpenMetrics counters as family name + _total, every time', async () => {
    const reg = processRegistry();
    for (let i = 0; i < 2; i++) {
      const text = Buffer.concat(await render(samples(), reg, OPENMETRICS_CONTENT_TYPE)).toString();
      assert.match(text, /^# TYPE patrol_test_errors counter$/m);
      assert.match(text, /^patrol_test_errors_total\{path=.*\} 3$/m);
      assert.match(text, /^# TYPE process_cpu_seconds counter$/m);
      assert.match(text, /^process_cpu_seconds_total \d/m);
      assert.doesNotMatch(text, /_total_total/);
      assert.ok(text.endsWith('# EOF\n'));
    }
    // and the text format afterwards is unaffected
    const text = Buffer.concat(await render(samples(), reg, PROMETHEUS_CONTENT_TYPE)).toString();
    assert.match(text, /^process_cpu_seconds_total \d/m);
  });

  it('negotiates like Prometheus: OpenMetrics only when asked for', () => {
    assert.equal(negotiateContentType(undefined), PROMETHEUS_CONTENT_TYPE);
    assert.equal(negotiateContentType('text/plain;version=0.0.4'), PROMETHEUS_CONTENT_TYPE);
    assert.equal(
      negotiateContentType('application/openmetrics-text;version=1.0.0;q=0.5,text/plain;q=0.4'),
      OPENMETRICS_CONTENT_TYPE,
    );
    assert.equal(
      negotiateContentType('application/openmetrics-text;q=0,text/plain'),
      PROMETHEUS_CONTENT_TYPE,
    );
  });
});
