/**
 * Database replication on a real Redis 7 primary and replica, really broken: see scenarios.ts.
 * Needs root (iptables; the servers run as their Debian users) and the Debian packages of the
 * servers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { watchPair } from '../../harness/db-replication.ts';
import { suiteScope } from '../../harness/process.ts';
import { startRedisPair } from '../../harness/replication.ts';
import * as scenario from './scenarios.ts';

describe('Redis 7 primary and replica', () => {
  const scope = suiteScope();
  let pair: Awaited<ReturnType<typeof startRedisPair>>;
  let w: Awaited<ReturnType<typeof watchPair>>;
  before(async () => {
    pair = await startRedisPair(scope);
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
});
