import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CollectFailure, type Collector } from './collector.ts';
import { createLogger } from './logger.ts';
import { family, type MetricSink } from './metrics.ts';
import { CollectorRunner } from './runner.ts';

const up = family({ name: 'patrol_test_up', help: 'test', type: 'gauge', labels: ['thing'] });

function collector(
  name: string,
  collect: (sink: MetricSink) => Promise<void> | void,
  timeoutMs = 200,
): Collector {
  return { name, timeoutMs, collect };
}

const neverSettles = () => new Promise<void>(() => {});

function capture() {
  const lines: string[] = [];
  return {
    lines,
    logger: createLogger({ level: 'debug', format: 'logfmt', write: (l) => lines.push(l) }),
  };
}

describe('CollectorRunner', () => {
  it('reports success and keeps the samples of a healthy collector', async () => {
    const runner = new CollectorRunner(
      [
        collector('ok', (s) => {
          s.add(up, { thing: 'a' }, 1);
        }),
      ],
      capture().logger,
    );
    const out = await runner.collect();
    assert.equal(out.get('patrol_collector_success', { collector: 'ok' }), 1);
    assert.equal(out.get('patrol_test_up', { thing: 'a' }), 1);
    assert.ok((out.get('patrol_collector_duration_seconds', { collector: 'ok' }) ?? -1) >= 0);
  });

  it('a collector that throws fails alone, drops its partial samples and is logged once', async () => {
    const { lines, logger } = capture();
    const runner = new CollectorRunner(
      [
        collector('bad', (s) => {
          s.add(up, { thing: 'partial' }, 1);
          throw new Error('boom', { cause: new Error('EACCES') });
        }),
        collector('ok', (s) => {
          s.add(up, { thing: 'fine' }, 1);
        }),
      ],
      logger,
    );
    for (let i = 0; i < 3; i++) {
      const out = await runner.collect();
      assert.equal(out.get('patrol_collector_success', { collector: 'bad' }), 0);
      assert.equal(out.get('patrol_collector_success', { collector: 'ok' }), 1);
      assert.equal(out.get('patrol_test_up', { thing: 'partial' }), undefined);
      assert.equal(out.get('patrol_test_up', { thing: 'fine' }), 1);
    }
    const failures = lines.filter((l) => l.includes('collector failed'));
    assert.equal(failures.length, 1);
    assert.match(failures[0] ?? '', /collector=bad err="boom: EACCES"/);
  });

  it('cuts a hanging collector at its timeout and does not call it again while it hangs', async () => {
    let calls = 0;
    let release: () => void = () => {};
    const hang = collector(
      'hang',
      () => {
        calls++;
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
      100,
    );
    const runner = new CollectorRunner(
      [
        hang,
        collector('ok', (s) => {
          s.add(up, { thing: 'x' }, 1);
        }),
      ],
      capture().logger,
    );
    const started = performance.now();
    const first = await runner.collect();
    const elapsed = performance.now() - started;
    assert.equal(first.get('patrol_collector_success', { collector: 'hang' }), 0);
    assert.equal(first.get('patrol_collector_success', { collector: 'ok' }), 1);
    assert.ok(elapsed >= 90, `returned before the timeout (${elapsed} ms)`);
    const dur = first.get('patrol_collector_duration_seconds', { collector: 'hang' }) ?? 0;
    assert.ok(dur >= 0.09, `duration ${dur}`);

    const second = await runner.collect();
    assert.equal(second.get('patrol_collector_success', { collector: 'hang' }), 0);
    assert.equal(calls, 1, 'a stuck collector must not be called again');

    release();
    await new Promise((r) => setTimeout(r, 10));
    await runner.collect();
    assert.equal(calls, 2, 'called again once the stuck call returned');
  });

  it('two overlapping scrapes share one call of a collector still within its timeout', async () => {
    let calls = 0;
    const slow = collector(
      'slow',
      async (s) => {
        calls++;
        await new Promise((r) => setTimeout(r, 50));
        s.add(up, { thing: 'x' }, 7);
      },
      1000,
    );
    const { lines, logger } = capture();
    const runner = new CollectorRunner([slow], logger);
    const [a, b] = await Promise.all([runner.collect(), runner.collect()]);
    assert.equal(calls, 1);
    for (const out of [a, b]) {
      assert.equal(out.get('patrol_collector_success', { collector: 'slow' }), 1);
      assert.equal(out.get('patrol_test_up', { thing: 'x' }), 7);
    }
    assert.deepEqual(lines, []);
  });

  it('a slow collector within its timeout succeeds', async () => {
    const runner = new CollectorRunner(
      [
        collector(
          'slow',
          async (s) => {
            await new Promise((r) => setTimeout(r, 50));
            s.add(up, { thing: 's' }, 2);
          },
          1000,
        ),
      ],
      capture().logger,
    );
    const out = await runner.collect();
    assert.equal(out.get('patrol_collector_success', { collector: 'slow' }), 1);
    assert.equal(out.get('patrol_test_up', { thing: 's' }), 2);
  });

  it('exports only what a collector emitted this time (vanished series disappear)', async () => {
    let things = ['a', 'b'];
    const runner = new CollectorRunner(
      [
        collector('c', (s) => {
          for (const t of things) s.add(up, { thing: t }, 1);
        }),
      ],
      capture().logger,
    );
    assert.equal((await runner.collect()).get('patrol_test_up', { thing: 'b' }), 1);
    things = ['a'];
    const out = await runner.collect();
    assert.equal(out.get('patrol_test_up', { thing: 'a' }), 1);
    assert.equal(out.get('patrol_test_up', { thing: 'b' }), undefined);
  });

  it('logs recovery once', async () => {
    const { lines, logger } = capture();
    let fail = true;
    const runner = new CollectorRunner(
      [
        collector('flaky', () => {
          if (fail) throw new Error('down');
        }),
      ],
      logger,
    );
    await runner.collect();
    fail = false;
    await runner.collect();
    await runner.collect();
    assert.equal(lines.filter((l) => l.includes('collector recovered')).length, 1);
  });

  it('never settles the scrape late because of a hanging collector', async () => {
    const runner = new CollectorRunner([collector('hang', neverSettles, 50)], capture().logger);
    const out = await runner.collect();
    assert.equal(out.get('patrol_collector_success', { collector: 'hang' }), 0);
  });

  it('keeps the samples written before a CollectFailure and reports success 0', async () => {
    const { lines, logger } = capture();
    const runner = new CollectorRunner(
      [
        collector('down', (s) => {
          s.add(up, { thing: 'down_up' }, 0);
          throw new CollectFailure('manager unreachable');
        }),
        collector('ok', (s) => {
          s.add(up, { thing: 'fine' }, 1);
        }),
      ],
      logger,
    );
    const out = await runner.collect();
    assert.equal(out.get('patrol_collector_success', { collector: 'down' }), 0);
    assert.equal(out.get('patrol_test_up', { thing: 'down_up' }), 0);
    assert.equal(out.get('patrol_collector_success', { collector: 'ok' }), 1);
    assert.equal(out.get('patrol_test_up', { thing: 'fine' }), 1);
    assert.match(
      lines.find((l) => l.includes('collector failed')) ?? '',
      /collector=down err="manager unreachable"/,
    );
  });

  it('keeps the samples of an async CollectFailure too, but drops those of a plain Error', async () => {
    const runner = new CollectorRunner(
      [
        collector('kept', async (s) => {
          s.add(up, { thing: 'kept' }, 0);
          await new Promise((r) => setTimeout(r, 5));
          s.add(up, { thing: 'kept-later' }, 0);
          throw new CollectFailure('down', { cause: new Error('ECONNREFUSED') });
        }),
        collector('dropped', async (s) => {
          s.add(up, { thing: 'dropped' }, 1);
          await new Promise((r) => setTimeout(r, 5));
          throw new Error('boom');
        }),
      ],
      capture().logger,
    );
    const out = await runner.collect();
    assert.equal(out.get('patrol_collector_success', { collector: 'kept' }), 0);
    assert.equal(out.get('patrol_collector_success', { collector: 'dropped' }), 0);
    assert.equal(out.get('patrol_test_up', { thing: 'kept' }), 0);
    assert.equal(out.get('patrol_test_up', { thing: 'kept-later' }), 0);
    assert.equal(out.get('patrol_test_up', { thing: 'dropped' }), undefined);
  });

  it('drops the samples of a collector that hangs past its timeout and then throws CollectFailure', async () => {
    const { lines, logger } = capture();
    let finished: Promise<void> = Promise.resolve();
    const late: Collector = {
      name: 'late',
      timeoutMs: 50,
      collect: (s, signal) => {
        finished = (async () => {
          s.add(up, { thing: 'before' }, 0);
          await new Promise((r) => setTimeout(r, 150));
          assert.equal(signal.aborted, true, 'the runner aborted the call at its timeout');
          s.add(up, { thing: 'after' }, 0);
        })();
        return finished.then(() => {
          throw new CollectFailure('too late');
        });
      },
    };
    const runner = new CollectorRunner([late], logger);
    const out = await runner.collect();
    assert.equal(out.get('patrol_collector_success', { collector: 'late' }), 0);
    assert.equal(out.get('patrol_test_up', { thing: 'before' }), undefined);
    assert.equal(out.get('patrol_test_up', { thing: 'after' }), undefined);
    assert.match(
      lines.find((l) => l.includes('collector failed')) ?? '',
      /collector=late err="timed out after 50 ms"/,
    );
    await finished;
    await new Promise((r) => setTimeout(r, 10));
    // What it wrote late does not leak into the next scrape either.
    const next = await runner.collect();
    assert.equal(next.get('patrol_test_up', { thing: 'after' }), undefined);
    await finished;
  });

  it('logs a CollectFailure once across scrapes with the same reason, again when it changes', async () => {
    const { lines, logger } = capture();
    let reason = 'systemd unreachable: no D-Bus socket';
    const runner = new CollectorRunner(
      [
        collector('sd', (s) => {
          s.add(up, { thing: 'sd' }, 0);
          throw new CollectFailure(reason);
        }),
      ],
      logger,
    );
    for (let i = 0; i < 3; i++) {
      const out = await runner.collect();
      assert.equal(out.get('patrol_collector_success', { collector: 'sd' }), 0);
      assert.equal(out.get('patrol_test_up', { thing: 'sd' }), 0);
    }
    assert.equal(lines.filter((l) => l.includes('collector failed')).length, 1);
    reason = 'systemd stopped answering';
    await runner.collect();
    await runner.collect();
    const failures = lines.filter((l) => l.includes('collector failed'));
    assert.equal(failures.length, 2);
    assert.match(failures[1] ?? '', /err="systemd stopped answering"/);
  });
});
