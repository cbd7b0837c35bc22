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
  it('runs at most max_in_flight at once and reports those it could not start by the deadline', async () => {
    const { attempt, stats } = fakeAttempt(() => 600);
    const s = new ProbeScheduler(attempt, 4);
    const probes = Array.from({ length: 10 }, (_, i) => probe(`p${i}`));
    const t0 = performance.now();
    const results = await Promise.all(probes.map((p) => s.run(p, t0 + 900)));
    assert.ok(performance.now() - t0 < 1200, 'every result by the deadline');
    assert.equal(stats.most, 4);
    // The first four finish; the next four start at 600 ms and are cut at the 900 ms deadline;
    // the last two never get a slot before it.
    assert.equal(results.filter((r) => r.ok).length, 4);
    assert.ok(results.slice(4).every((r) => !r.ok && r.reason === 'timeout'));
    const notStarted = results.filter((r) => /max_in_flight/.test(r.message ?? ''));
    assert.equal(notStarted.length, 2);
    assert.equal(stats.calls.size, 8);
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
    assert.ok(performance.now() - t0 < 50, 'answered at once');
    assert.match(second.message ?? '', /earlier attempt has not returned/);
    assert.equal(stats.calls.get('dns'), 1);
    await sleep(1500);
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
    await sleep(1100);
    assert.equal(stats.calls.get('slow'), 2, 'probed again after its interval');
    await s.stop();
    await sleep(1100);
    assert.equal(stats.calls.get('slow'), 2, 'nothing runs after stop');
  });
});
