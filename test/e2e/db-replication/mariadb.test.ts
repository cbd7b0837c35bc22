/**
 * Database replication on a real MariaDB 10.11 GTID replication, really broken: see scenarios.ts.
 * Needs root (iptables; the servers run as their Debian users) and the Debian packages of the
 * servers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { watchPair } from '../../harness/db-replication.ts';
import { suiteScope } from '../../harness/process.ts';
import { startMariadbPair } from '../../harness/replication.ts';
import * as scenario from './scenarios.ts';

describe('MariaDB 10.11 GTID replication', () => {
  const scope = suiteScope();
  let pair: Awaited<ReturnType<typeof startMariadbPair>>;
  let w: Awaited<ReturnType<typeof watchPair>>;
  before(async () => {
    pair = await startMariadbPair(scope);
    w = await watchPair(scope, pair);
  });
  after(() => scope.close());

  it('healthy: link, replicas and heartbeat as the servers see them', async () => {
    await scenario.agreesWhenHealthy(w, pair);
  });

  it('an idle primary for a minute: the lag stays within the heartbeat interval', async () => {
    await scenario.idle(w, 60);
  });

  it('a partition of the replication link: the lag follows the truth from the first second', async (t) => {
    const rows = await scenario.partition(t, w, pair, { serverTimeoutSeconds: 10, seconds: 16 });
    t.diagnostic(rows);
    assert.ok(rows.length >= 10);
  });

  it('the primary frozen: it fails, the lag keeps growing', async () => {
    await scenario.frozenPrimary(w, pair);
  });

  it('the replica stopped: success 0, no link or lag series', async () => {
    await scenario.stoppedReplica(w, pair);
  });
  it("the replica's IO thread stopped: link down, thread stopped, lag growing", async () => {
    await scenario.healthy(w);
    await pair.stopIoThread();
    try {
      await sleep(3000);
      const s = await w.scrape();
      assert.equal(s.linkUp(), 0, s.describe());
      assert.equal(s.get('thread_state', 'replica', { thread: 'io', state: 'stopped' }), 1);
      assert.equal(s.get('thread_state', 'replica', { thread: 'sql', state: 'running' }), 1);
      const hb = s.heartbeatLag();
      assert.ok(hb !== undefined && hb >= 2, s.describe());
      // MariaDB says NULL here; patrol says how long since the replica was last current.
      assert.equal((await pair.replicaStatus()).Seconds_Behind_Master, undefined);
      const native = s.nativeLag();
      assert.ok(native !== undefined && native >= 2, s.describe());
    } finally {
      await pair.startIoThread();
    }
    await scenario.healthy(w);
  });

  it('a duplicate key stops the SQL thread: error 1062, as SHOW SLAVE STATUS says', async () => {
    await scenario.healthy(w);
    await pair.breakSqlThread();
    try {
      const s = await w.scrape();
      const status = await pair.replicaStatus();
      assert.equal(status.Last_SQL_Errno, '1062');
      assert.equal(s.get('last_error_code', 'replica', { thread: 'sql' }), 1062, s.describe());
      assert.equal(s.get('last_error_code', 'replica', { thread: 'io' }), 0);
      assert.equal(s.get('thread_state', 'replica', { thread: 'sql', state: 'stopped' }), 1);
      assert.equal(s.linkUp(), 0);
    } finally {
      await pair.repairSqlThread();
    }
    const s = await scenario.healthy(w);
    assert.equal(s.get('last_error_code', 'replica', { thread: 'sql' }), 0, s.describe());
  });
});
