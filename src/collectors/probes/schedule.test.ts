import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { probesConfig, type ProbeConfig } from './config.ts';
import type { ProbeResult } from './outcome.ts';
import { ProbeScheduler, type Attempt } from './schedule.ts';

const probe = (name: string, extra: object = {}): ProbeConfig =>
  probesConfig.parse({ probes: [{ name, module: 'tcp', target: `${name}:1`, ...extra }] })
    .probes[0] as ProbeConfig;

const ok = (): ProbeResult => ({
  ok: true,
  reason: 'none',
  message: undefined,
  seconds: 0.01,
  phases: new Map(),
  facts: {},
  at: Date.now(),
});

/** An attempt that takes `ms` (honouring its signal unless `deaf`), counting calls and concurrency. */
function fakeAttempt(ms: (p: ProbeConfig) => number, deaf = false) {
  const stats = { calls: new Map<string, number>(), running: 0, most: 0 };
  const attempt: Attempt = async (p, signal) => {
    stats.calls.set(p.name, (stats.calls.get(p.name) ?? 0) + 1);
    stats.running++;
    stats.most = Math.max(stats.most, stats.running);
    try {
      await sleep(ms(p), undefined, deaf ? {} : { signal }).catch(() => undefined);
      return signal.aborted && !deaf ? { ...ok(), ok: false, reason: 'timeout' } : ok();
    } finally {
      stats.running--;
    }
  };
  return { attempt, stats };
}

describe('probe scheduling', () => {
  it('runs at most max_in_flight at once, whoever asks', async () => {
    // Attempts that end only when the test says so: no timing in the assertion.
    const gates: (() => void)[] = [];
    let running = 0;
    let most = 0;
    const s = new ProbeScheduler(async () => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => gates.push(resolve));
      running--;
      return ok();
    }, 4);
    const probes = Array.from({ length: 10 }, (_, i) => probe(`p${i}`));
    const all = Promise.all(probes.map((p) => s.run(p, performance.now() + 60_000)));
    await sleep(20);
    assert.equal(running, 4);
    assert.equal(s.inFlight, 4);
    while (gates.length > 0) {
      gates.shift()?.();
      await sleep(5);
    }
    const results = await all;
    assert.equal(results.filter((r) => r.ok).length, 10);
    assert.equal(most, 4);
    assert.equal(s.inFlight, 0);
  });

  it('reports a probe it could not start before the deadline as a timeout, without running it', async () => {
    let release!: () => void;
    let calls = 0;
    const s = new ProbeScheduler(async (p) => {
      calls++;
      if (p.name === 'busy') await new Promise<void>((resolve) => (release = resolve));
      return ok();
    }, 1);
    const busy = s.run(probe('busy'), performance.now() + 60_000);
    await sleep(10);
    const t0 = performance.now();
    const late = await s.run(probe('late'), performance.now() + 100);
    assert.ok(performance.now() - t0 >= 90, 'waited for a slot until the deadline');
    assert.equal(late.ok, false);
    assert.equal(late.reason, 'timeout');
    assert.match(late.message ?? '', /max_in_flight/);
    assert.equal(calls, 1, 'the late probe never ran');
    release();
    assert.equal((await busy).ok, true);
  });

  it('a second scrape joins the running attempt instead of starting another', async () => {
    const { attempt, stats } = fakeAttempt(() => 100);
    const s = new ProbeScheduler(attempt, 4);
    const p = probe('web');
    const [a, b] = await Promise.all([
      s.run(p, performance.now() + 1000),
      s.run(p, performance.now() + 1000),
    ]);
    assert.equal(a, b);
    assert.equal(stats.calls.get('web'), 1);
  });

  it('an attempt that ignores its deadline is stuck: reported failed at once, not called again until it returns', async () => {
    const { attempt, stats } = fakeAttempt(() => 1500, true);
    const s = new ProbeScheduler(attempt, 4);
    const p = probe('dns', { timeout: '100ms' });
    const first = await s.run(p, performance.now() + 1000);
    assert.equal(first.ok, false);
    assert.equal(first.reason, 'timeout');
    assert.ok(s.isStuck('dns'));
    // The stuck attempt still holds its slot: the bound is on what really runs.
    assert.equal(s.inFlight, 1);
    const t0 = performance.now();
    const second = await s.run(p, performance.now() + 1000);
    assert.ok(performance.now() - t0 < 200, 'answered at once, not after a deadline');
    assert.match(second.message ?? '', /earlier attempt has not returned/);
    assert.equal(stats.calls.get('dns'), 1);
    // Until the deaf attempt returns (1.5 s after it started), the probe stays stuck.
    for (let i = 0; i < 100 && s.isStuck('dns'); i++) await sleep(50);
    assert.equal(s.isStuck('dns'), false);
    assert.equal(s.inFlight, 0);
    assert.equal((await s.run(p, performance.now() + 2000)).reason, 'timeout');
    assert.equal(stats.calls.get('dns'), 2);
    await sleep(1500);
  });

  it('background probes: ready after the first result, scrapes read it while it is fresh', async () => {
    const { attempt, stats } = fakeAttempt(() => 10);
    const s = new ProbeScheduler(attempt, 4);
    const bg = probe('slow', { interval: '1s', timeout: '200ms' });
    const onScrape = probe('fast');
    assert.equal(s.backgroundReady([bg, onScrape]), false);
    s.startBackground([bg, onScrape]);
    await sleep(50);
    assert.equal(s.backgroundReady([bg, onScrape]), true);
    assert.equal(stats.calls.get('slow'), 1);
    assert.equal(stats.calls.get('fast'), undefined);
    await s.forScrape(bg, performance.now() + 1000);
    await s.forScrape(onScrape, performance.now() + 1000);
    assert.equal(stats.calls.get('slow'), 1, 'read from the background result');
    assert.equal(stats.calls.get('fast'), 1, 'probed on the scrape');
    await sleep(1500);
    const after = stats.calls.get('slow') ?? 0;
    assert.ok(after >= 2, 'probed again after its interval');
    await s.stop();
    await sleep(1500);
    assert.equal(stats.calls.get('slow'), after, 'nothing runs after stop');
  });
});
