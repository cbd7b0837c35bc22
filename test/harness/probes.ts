import assert from 'node:assert/strict';
import { silentLogger } from '../../src/core/logger.ts';
import { SampleBuffer } from '../../src/core/metrics.ts';
import { probesConfig } from '../../src/collectors/probes/config.ts';
import { createProbesCollector } from '../../src/collectors/probes/index.ts';

/** Runs the probes collector once over these probes (and other keys of its section). */
export async function probeOnce(probes: object[], extra: object = {}): Promise<SampleBuffer> {
  const c = createProbesCollector(probesConfig.parse({ probes, ...extra }), {
    logger: silentLogger,
  });
  await c.start?.();
  const sink = new SampleBuffer();
  try {
    await c.collect(sink, new AbortController().signal);
  } finally {
    await c.stop?.();
  }
  return sink;
}

/** The value of `patrol_probe_<name>` with these labels; fails the test when there is none. */
export function probeValue(s: SampleBuffer, name: string, labels: Record<string, string>): number {
  const v = s.get(`patrol_probe_${name}`, labels);
  assert.notEqual(v, undefined, `no patrol_probe_${name} ${JSON.stringify(labels)}`);
  return v as number;
}

/** The one failure reason that is 1 for this probe (the one-hot holds exactly one). */
export function failureReason(s: SampleBuffer, probe: string): string {
  for (const [fam, samples] of s.families) {
    if (fam.name !== 'patrol_probe_failure_reason') continue;
    const on = samples.filter((x) => x.labels.probe === probe && x.value === 1);
    assert.equal(on.length, 1, `exactly one reason for ${probe}`);
    return on[0]?.labels.reason ?? '';
  }
  return assert.fail('no failure reasons');
}
