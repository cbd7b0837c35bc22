import assert from 'node:assert/strict';
import { it } from 'node:test';
import { processRegistry } from './process-metrics.ts';

it('declares no process or Node.js family without a sample, right from the start', async () => {
  const text = await processRegistry().metrics();
  const declared = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => m[1] ?? '');
  assert.ok(declared.includes('nodejs_gc_duration_seconds'), 'the gc histogram is exported');
  const samples = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  const empty = declared.filter((name) => !samples.some((l) => l.startsWith(name)));
  assert.deepEqual(empty, []);
});
