/**
 * Database replication on a real MariaDB 10.11 primary and GTID replica, really broken: see
 * scenarios.ts; and MariaDB's own faults, the IO thread stopped and a duplicate key stopping the
 * SQL thread. Needs root (iptables; the servers run as the user mysql) and Debian's
 * mariadb-server and mariadb-client.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startMariadbPair } from '../../harness/replication.ts';
import * as scenario from './scenarios.ts';

scenario.describePair('MariaDB 10.11 GTID replication', startMariadbPair, (env) => {
  it("the replica's IO thread stopped: link down, thread stopped, lag growing", async () => {
    await scenario.healthy(env().w);
    await env().pair.stopIoThread();
    try {
      await sleep(3000);
      const s = await env().w.scrape();
      assert.equal(s.linkUp(), 0, s.describe());
      assert.equal(s.get('thread_state', 'replica', { thread: 'io', state: 'stopped' }), 1);
      assert.equal(s.get('thread_state', 'replica', { thread: 'sql', state: 'running' }), 1);
      const hb = s.heartbeatLag();
      assert.ok(hb !== undefined && hb >= 2, s.describe());
      // MariaDB says NULL here; patrol says how long since the replica was last current.
      assert.equal((await env().pair.replicaStatus()).Seconds_Behind_Master, undefined);
      const native = s.nativeLag();
      assert.ok(native !== undefined && native >= 2, s.describe());
    } finally {
      await env().pair.startIoThread();
    }
    await scenario.healthy(env().w);
  });

  it('a duplicate key stops the SQL thread: error 1062, as SHOW SLAVE STATUS says', async () => {
    await scenario.healthy(env().w);
    await env().pair.breakSqlThread();
    try {
      const s = await env().w.scrape();
      const status = await env().pair.replicaStatus();
      assert.equal(status.Last_SQL_Errno, '1062');
      assert.equal(s.get('last_error_code', 'replica', { thread: 'sql' }), 1062, s.describe());
      assert.equal(s.get('last_error_code', 'replica', { thread: 'io' }), 0);
      assert.equal(s.get('thread_state', 'replica', { thread: 'sql', state: 'stopped' }), 1);
      assert.equal(s.linkUp(), 0);
    } finally {
      await env().pair.repairSqlThread();
    }
    const s = await scenario.healthy(env().w);
    assert.equal(s.get('last_error_code', 'replica', { thread: 'sql' }), 0, s.describe());
  });
});
