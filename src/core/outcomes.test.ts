import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SampleBuffer } from './metrics.ts';
import { addOutcome, outcomeFamilies } from './outcomes.ts';

it('names a subsystem success/duration pair and writes both for each target', () => {
  const f = outcomeFamilies('probe', ['probe', 'module', 'target'], 'probe');
  assert.equal(f.success.name, 'patrol_probe_success');
  assert.equal(f.duration.name, 'patrol_probe_duration_seconds');
  assert.deepEqual(f.success.labels, ['probe', 'module', 'target']);
  const sink = new SampleBuffer();
  const labels = { probe: 'redis', module: 'redis', target: '127.0.0.1:6379' };
  addOutcome(sink, f, labels, { ok: false, seconds: 2 });
  assert.equal(sink.get('patrol_probe_success', labels), 0, 'a failed target is a 0, not absent');
  assert.equal(sink.get('patrol_probe_duration_seconds', labels), 2);
  assert.throws(() => outcomeFamilies('Bad Name', ['target'], 'x'), /must match/);
});
