/**
 * Two nodes of a pair on loopback, each with its heartbeat served over real HTTP by the same
 * RouteTable the exporter's listener uses.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../../core/logger.ts';
import { RouteTable } from '../../core/routes.ts';
import { haConfig } from './config.ts';
import { createHaCollector, type HaCollector } from './index.ts';
import { listen, scrape } from './test-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'patrol-ha-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});
const logger = createLogger({ level: 'error', format: 'logfmt', write: () => {} });

interface Node {
  readonly collector: HaCollector;
  readonly server: { url: string; close: () => Promise<void> };
}

/** Two nodes a and b, each the other's peer; `b` options override (clock, secret, role). */
async function pair(
  opts: {
    a?: Record<string, unknown>;
    b?: Record<string, unknown>;
    bNow?: () => number;
  } = {},
): Promise<{ a: Node; b: Node; cleanup: () => Promise<void> }> {
  const ra = new RouteTable();
  const rb = new RouteTable();
  const sa = await listen(ra);
  const sb = await listen(rb);
  const base = { enabled: true, cluster: 'c1', interval: '200ms', timeout: '150ms' };
  const a = createHaCollector(
    haConfig.parse({ ...base, node: 'a', peers: [{ name: 'b', url: sb.url }], ...opts.a }),
    { logger, routes: ra },
  );
  const b = createHaCollector(
    haConfig.parse({ ...base, node: 'b', peers: [{ name: 'a', url: sa.url }], ...opts.b }),
    { logger, routes: rb },
    opts.bNow === undefined ? {} : { now: opts.bNow },
  );
  await a.start();
  await b.start();
  return {
    a: { collector: a, server: sa },
    b: { collector: b, server: sb },
    cleanup: async () => {
      await a.stop();
      await b.stop();
      await sa.close();
      await sb.close();
    },
  };
}

describe('HA heartbeat between two nodes', () => {
  it('sees the peer, its role, the round trip and a skewed clock from both sides', async () => {
    const skew = 5000;
    const p = await pair({
      a: { role: { source: 'static', value: 'primary' } },
      b: { role: { source: 'static', value: 'standby' } },
      bNow: () => Date.now() + skew,
    });
    try {
      for (let i = 0; i < 3; i++) {
        await p.a.collector.round();
        await p.b.collector.round();
      }
      const a = await scrape(p.a.collector);
      const b = await scrape(p.b.collector);
      assert.equal(a.get('patrol_ha_peer_up', { cluster: 'c1', peer: 'b' }), 1);
      assert.equal(b.get('patrol_ha_peer_up', { cluster: 'c1', peer: 'a' }), 1);
      assert.equal(a.get('patrol_ha_peer_role', { peer: 'b', role: 'standby' }), 1);
      assert.equal(b.get('patrol_ha_peer_role', { peer: 'a', role: 'primary' }), 1);
      assert.equal(a.get('patrol_ha_role', { node: 'a', role: 'primary' }), 1);
      assert.equal(a.get('patrol_ha_split_brain', { cluster: 'c1' }), 0);
      const offA = a.get('patrol_ha_peer_clock_offset_seconds', { peer: 'b' }) ?? NaN;
      const offB = b.get('patrol_ha_peer_clock_offset_seconds', { peer: 'a' }) ?? NaN;
      const rtt = a.get('patrol_ha_peer_rtt_seconds', { peer: 'b' }) ?? NaN;
      // Within half the round trip of the true skew (plus the ms rounding of Date.now()).
      assert.ok(Math.abs(offA - skew / 1000) <= rtt / 2 + 0.002, `a sees ${offA}`);
      assert.ok(Math.abs(offB + skew / 1000) <= 0.05, `b sees ${offB}`);
      assert.ok(rtt >= 0 && rtt < 0.15, `rtt ${rtt}`);
    } finally {
      await p.cleanup();
    }
  });

  it('reports a dead peer down after failure_threshold heartbeats, within interval x threshold + 1 s, and up again', async () => {
    const p = await pair({ a: { failure_threshold: 3 } });
    try {
      await p.a.collector.round();
      assert.equal((await scrape(p.a.collector)).get('patrol_ha_peer_up', { peer: 'b' }), 1);
      await p.b.collector.stop();
      await p.b.server.close();
      const killed = Date.now();
      // The background rounds (every 200 ms) do it on their own.
      let up = 1;
      while (up === 1 && Date.now() - killed < 5000) {
        await sleep(20);
        up = (await scrape(p.a.collector)).get('patrol_ha_peer_up', { peer: 'b' }) ?? -1;
      }
      const took = Date.now() - killed;
      assert.equal(up, 0);
      assert.ok(took <= 200 * 3 + 1000, `down after ${took} ms`);
      const a = await scrape(p.a.collector);
      assert.ok(
        (a.get('patrol_ha_peer_heartbeat_failures_total', { peer: 'b', reason: 'refused' }) ?? 0) >=
          3,
      );
      assert.equal(a.get('patrol_ha_peer_role', { peer: 'b', role: 'unknown' }), 0);

      // b comes back (a new exporter start on the same address).
      const routes = new RouteTable();
      const server = await listen(routes, Number(new URL(p.b.server.url).port));
      const b2 = createHaCollector(
        haConfig.parse({
          enabled: true,
          cluster: 'c1',
          node: 'b',
          peers: [{ name: 'a', url: p.a.server.url }],
        }),
        { logger, routes },
      );
      await b2.start();
      try {
        for (let i = 0; i < 100 && up !== 1; i++) {
          await sleep(50);
          up = (await scrape(p.a.collector)).get('patrol_ha_peer_up', { peer: 'b' }) ?? -1;
        }
        assert.equal(up, 1);
        assert.equal((await scrape(p.a.collector)).get('patrol_ha_peer_restarts_total'), 1);
      } finally {
        await b2.stop();
        await server.close();
      }
    } finally {
      await p.cleanup();
    }
  });

  it('counts role changes, and reports split brain on both sides while both claim primary', async () => {
    const fa = join(dir, 'role-a');
    const fb = join(dir, 'role-b');
    writeFileSync(fa, 'primary\n');
    writeFileSync(fb, 'standby\n');
    const p = await pair({
      a: { role: { source: 'file', path: fa } },
      b: { role: { source: 'file', path: fb } },
    });
    const both = async () => {
      await p.a.collector.round();
      await p.b.collector.round();
      await p.a.collector.round();
      return [await scrape(p.a.collector), await scrape(p.b.collector)] as const;
    };
    try {
      let [a, b] = await both();
      assert.equal(a.get('patrol_ha_split_brain'), 0);
      writeFileSync(fb, 'master\n'); // b takes over while a still says primary
      [a, b] = await both();
      assert.equal(a.get('patrol_ha_split_brain'), 1);
      assert.equal(b.get('patrol_ha_split_brain'), 1);
      assert.equal(b.get('patrol_ha_role_changes_total'), 1);
      writeFileSync(fa, 'slave\n'); // a steps down: failover complete
      [a, b] = await both();
      assert.equal(a.get('patrol_ha_split_brain'), 0);
      assert.equal(b.get('patrol_ha_split_brain'), 0);
      assert.equal(a.get('patrol_ha_role_changes_total'), 1);
      assert.equal(a.get('patrol_ha_role', { node: 'a', role: 'standby' }), 1);
      assert.ok((a.get('patrol_ha_role_last_change_timestamp_seconds') ?? 0) > 1.7e9);
      writeFileSync(fa, 'garbage\n'); // unknown is not a change
      [a] = await both();
      assert.equal(a.get('patrol_ha_role', { node: 'a', role: 'unknown' }), 1);
      assert.equal(a.get('patrol_ha_role_changes_total'), 1);
    } finally {
      await p.cleanup();
    }
  });

  it('with a shared secret, refuses unsigned requests and peers with another secret', async () => {
    const good = join(dir, 'secret');
    const bad = join(dir, 'other-secret');
    writeFileSync(good, 'correct horse battery staple\n', { mode: 0o600 });
    writeFileSync(bad, 'not the same secret at all\n', { mode: 0o600 });
    const p = await pair({ a: { secret_file: good }, b: { secret_file: good } });
    const q = await pair({ a: { secret_file: good }, b: { secret_file: bad } });
    try {
      await p.a.collector.round();
      assert.equal((await scrape(p.a.collector)).get('patrol_ha_peer_up', { peer: 'b' }), 1);
      const res = await fetch(`${p.b.server.url}/ha/heartbeat`);
      assert.equal(res.status, 401);
      assert.equal(await res.text(), 'Unauthorized\n');
      for (let i = 0; i < 3; i++) await q.a.collector.round();
      const a = await scrape(q.a.collector);
      assert.equal(a.get('patrol_ha_peer_up', { peer: 'b' }), 0);
      assert.ok(
        (a.get('patrol_ha_peer_heartbeat_failures_total', { peer: 'b', reason: 'auth' }) ?? 0) >= 3,
      );
    } finally {
      await p.cleanup();
      await q.cleanup();
    }
  });

  it('says another cluster is not its peer', async () => {
    const p = await pair({ b: { cluster: 'c2' } });
    try {
      await p.a.collector.round();
      const a = await scrape(p.a.collector);
      assert.equal(
        a.get('patrol_ha_peer_heartbeat_failures_total', { peer: 'b', reason: 'wrong_cluster' }),
        1,
      );
      assert.equal(a.get('patrol_ha_peer_up', { peer: 'b' }), 0);
    } finally {
      await p.cleanup();
    }
  });
});
