/**
 * Replication lag measured end to end: a primary and a standby (two HA collectors, heartbeats
 * over real HTTP on loopback), and a mirror process between their directories that ships every
 * change exactly D later (test/harness/delay-mirror.ts). The standby's clock runs 3 s ahead.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { haConfig } from '../../src/collectors/ha/config.ts';
import { createHaCollector, type HaCollector } from '../../src/collectors/ha/index.ts';
import { listen, scrape } from '../../src/collectors/ha/test-fixtures.ts';
import { createLogger } from '../../src/core/logger.ts';
import { RouteTable } from '../../src/core/routes.ts';
import { ManagedProcess } from '../harness/process.ts';
import { tempDir } from '../harness/tmp.ts';

const MIRROR = new URL('../harness/delay-mirror.ts', import.meta.url).pathname;
const logger = createLogger({ level: 'error', format: 'logfmt', write: () => {} });

async function serve(routes: RouteTable, t: { after: (fn: () => Promise<void>) => void }) {
  const server = await listen(routes);
  t.after(server.close);
  return server.url;
}

async function value(c: HaCollector, name: string, labels: Record<string, string> = {}) {
  return (await scrape(c)).get(name, labels);
}

describe('replication lag through a mirror with a known delay', () => {
  it('measures the delay within the bound, corrects a skewed clock, and grows when the mirror stops', async (t) => {
    const root = await tempDir(t, 'patrol-ha-repl-');
    const primaryDir = join(root, 'primary');
    const standbyDir = join(root, 'standby');
    mkdirSync(primaryDir);
    mkdirSync(standbyDir);
    const D = 2000;
    const CANARY_MS = 1000;
    const SKEW = 3000;
    const mirror = new ManagedProcess('delay-mirror', process.execPath, [
      MIRROR,
      primaryDir,
      standbyDir,
      String(D),
    ]);
    t.after(() => mirror.kill());

    const ra = new RouteTable();
    const rb = new RouteTable();
    const ua = await serve(ra, t);
    const ub = await serve(rb, t);
    const common = { enabled: true, cluster: 'pair', interval: '200ms', timeout: '150ms' };
    const dataset = (path: string) => [
      { name: 'data', path, canary: { interval: `${CANARY_MS}ms` }, compare: { enabled: false } },
    ];
    const a = createHaCollector(
      haConfig.parse({
        ...common,
        node: 'a',
        peers: [{ name: 'b', url: ub }],
        role: { source: 'static', value: 'primary' },
        datasets: dataset(primaryDir),
      }),
      { logger, routes: ra },
    );
    const b = createHaCollector(
      haConfig.parse({
        ...common,
        node: 'b',
        peers: [{ name: 'a', url: ua }],
        role: { source: 'static', value: 'standby' },
        datasets: dataset(standbyDir),
      }),
      { logger, routes: rb },
      { now: () => Date.now() + SKEW },
    );
    t.after(() => a.stop());
    t.after(() => b.stop());
    await a.start();
    await b.start();

    // Before the first canary arrives the lag counts from when the standby started looking.
    const early = await value(b, 'patrol_replication_lag_seconds', { dataset: 'data' });
    assert.ok(early !== undefined && early < 0.5, `early lag ${early}`);

    await sleep(D + 2000);
    const offset = (await value(b, 'patrol_ha_peer_clock_offset_seconds', { peer: 'a' })) ?? NaN;
    assert.ok(Math.abs(offset + SKEW / 1000) < 0.05, `offset ${offset}`);
    const bound = CANARY_MS / 1000 + 0.5;
    const lags: number[] = [];
    for (let i = 0; i < 10; i++) {
      lags.push((await value(b, 'patrol_replication_lag_seconds', { dataset: 'data' })) ?? NaN);
      await sleep(450);
    }
    t.diagnostic(`lags with D=${D} ms: ${lags.map((l) => l.toFixed(3)).join(' ')}`);
    for (const lag of lags) assert.ok(Math.abs(lag - D / 1000) <= bound, `lag ${lag}`);
    assert.ok(
      ((await value(b, 'patrol_replication_canary_sequence', { dataset: 'data' })) ?? 0) > 5,
    );
    // The primary writes; it has no lag of its own.
    assert.equal(await value(a, 'patrol_replication_lag_seconds', { dataset: 'data' }), undefined);

    // The mirror stops: the copy stands still and the lag grows a second per second.
    await mirror.kill();
    await sleep(D); // what was in flight in the killed mirror is gone; let the last copy age
    const seqStopped = await value(b, 'patrol_replication_canary_sequence', { dataset: 'data' });
    const before = (await value(b, 'patrol_replication_lag_seconds', { dataset: 'data' })) ?? NaN;
    await sleep(2000);
    const after = (await value(b, 'patrol_replication_lag_seconds', { dataset: 'data' })) ?? NaN;
    assert.ok(Math.abs(after - before - 2) < 0.3, `grew ${after - before} s in 2 s`);
    assert.equal(
      await value(b, 'patrol_replication_canary_sequence', { dataset: 'data' }),
      seqStopped,
      'the standby sequence stands still',
    );
    assert.ok(
      ((await value(a, 'patrol_replication_canary_sequence', { dataset: 'data' })) ?? 0) >
        (seqStopped ?? 0),
      'while the primary goes on',
    );
  });
});
