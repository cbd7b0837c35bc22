import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { createLogger } from './logger.ts';
import { backoffDelay, Supervisor, WatchdogTimeout, type LoopContext } from './supervisor.ts';

function capture() {
  const lines: string[] = [];
  return {
    lines,
    logger: createLogger({ level: 'debug', format: 'logfmt', write: (l) => lines.push(l) }),
  };
}

/** Resolves when `cond` holds, polling every 5 ms; fails after `ms`. */
async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}

/** Settles when `signal` is aborted, also when it already is. */
function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    signal.addEventListener('abort', () => {
      resolve();
    });
  });
}

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap, spread by the jitter', () => {
    const b = { initialMs: 100, maxMs: 1000, jitter: 0.2 };
    assert.equal(
      backoffDelay(b, 0, () => 0.5),
      100,
    );
    assert.equal(
      backoffDelay(b, 3, () => 0.5),
      800,
    );
    assert.equal(
      backoffDelay(b, 4, () => 0.5),
      1000,
      'capped',
    );
    assert.equal(
      backoffDelay(b, 50, () => 0.5),
      1000,
      'no overflow for a long outage',
    );
    assert.equal(
      backoffDelay(b, 0, () => 0),
      80,
    );
    assert.ok(Math.abs(backoffDelay(b, 0, () => 1) - 120) < 1e-9);
  });
});

describe('Supervisor', () => {
  it('runs a loop that throws again with growing delays, and logs the failure once', async () => {
    const { lines, logger } = capture();
    const starts: number[] = [];
    const s = new Supervisor({
      name: 'thrower',
      logger,
      backoff: { initialMs: 20, maxMs: 80, jitter: 0 },
      run: () => {
        starts.push(performance.now());
        return Promise.reject(new Error('connection refused'));
      },
    });
    s.start();
    await until(() => starts.length >= 5);
    await s.stop();
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] ?? 0));
    // 20, 40, 80, 80 ms: timers fire late, never early.
    for (const [i, want] of [20, 40, 80, 80].entries()) {
      assert.ok((gaps[i] ?? 0) >= want - 2, `gap ${i} ${gaps[i]} >= ${want}`);
    }
    assert.equal(s.lastError, 'connection refused');
    const failures = lines.filter((l) => l.includes('thrower ended'));
    assert.equal(failures.length, 1, 'the same reason is logged once');
    assert.match(failures[0] ?? '', /reason="connection refused"/);
  });

  it('starts the backoff over once a run reports itself healthy, and logs the recovery', async () => {
    const { lines, logger } = capture();
    let n = 0;
    const s = new Supervisor({
      name: 'flaky',
      logger,
      backoff: { initialMs: 10, maxMs: 10_000, jitter: 0 },
      run: async (ctx) => {
        n++;
        if (n === 4) {
          ctx.healthy();
          await aborted(ctx.signal);
          return;
        }
        throw new Error(`failure ${n}`);
      },
    });
    s.start();
    await until(() => n === 4);
    assert.equal(s.lastError, undefined, 'healthy clears the last error');
    assert.ok(lines.some((l) => l.includes('flaky is running again')));
    await s.stop();
    assert.equal(s.runs, 4);
  });

  it('aborts a run gone silent past the watchdog, and starts another', async () => {
    const { logger } = capture();
    const reasons: unknown[] = [];
    let runs = 0;
    const s = new Supervisor({
      name: 'watch',
      logger,
      watchdogMs: 60,
      backoff: { initialMs: 1, maxMs: 1, jitter: 0 },
      onEnd: (err) => reasons.push(err),
      run: async (ctx: LoopContext) => {
        runs++;
        // Beats for a while, then goes silent (a watch that hangs), honouring the abort.
        for (let i = 0; i < 3; i++) {
          await sleep(30);
          ctx.beat();
        }
        await aborted(ctx.signal);
      },
    });
    const t0 = performance.now();
    s.start();
    await until(() => runs >= 2);
    const elapsed = performance.now() - t0;
    await s.stop();
    assert.ok(reasons[0] instanceof WatchdogTimeout, String(reasons[0]));
    // Three beats kept it alive for 90 ms; the watchdog fired 60 ms after the last.
    assert.ok(elapsed >= 140, `replaced after ${elapsed} ms`);
  });

  it('replaces a run that hangs and ignores its abort, and says it left it behind', async () => {
    const { lines, logger } = capture();
    let runs = 0;
    const s = new Supervisor({
      name: 'hang',
      logger,
      watchdogMs: 30,
      abandonAfterMs: 20,
      stopTimeoutMs: 100,
      backoff: { initialMs: 1, maxMs: 1, jitter: 0 },
      run: () => {
        runs++;
        return new Promise<void>(() => {}); // never settles, whatever happens
      },
    });
    s.start();
    await until(() => runs >= 3);
    assert.ok(lines.some((l) => l.includes('left behind')));
    const t = performance.now();
    await s.stop();
    // stop() waits for the hung run only up to its own timeout.
    const waited = performance.now() - t;
    assert.ok(waited >= 95 && waited < 1000, `stop waited ${waited} ms`);
  });

  it('stop() during the backoff wait returns at once and starts nothing more', async () => {
    const { logger } = capture();
    let runs = 0;
    const s = new Supervisor({
      name: 'slow-retry',
      logger,
      backoff: { initialMs: 60_000, maxMs: 60_000, jitter: 0 },
      run: () => {
        runs++;
        return Promise.reject(new Error('down'));
      },
    });
    s.start();
    await until(() => runs === 1);
    await sleep(10);
    const t = performance.now();
    await s.stop();
    assert.ok(performance.now() - t < 100, 'not held by the 60 s backoff');
    await sleep(30);
    assert.equal(runs, 1);
  });

  it('stop() aborts the current run and waits for it to finish', async () => {
    const { logger } = capture();
    let cleanedUp = false;
    const s = new Supervisor({
      name: 'worker',
      logger,
      run: async (ctx) => {
        await aborted(ctx.signal);
        await sleep(40); // e.g. saving positions before the thread exits
        cleanedUp = true;
      },
    });
    s.start();
    await sleep(10);
    await s.stop();
    assert.equal(cleanedUp, true);
    assert.equal(s.runs, 1);
  });
});
