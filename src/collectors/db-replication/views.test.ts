import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseInfo } from '../probes/resp.ts';
import { mysqlReplica, parseLsn, postgresReplica, redisReplication } from './views.ts';

// INFO replication recorded from redis-server 7.0.15 (Debian 12): a primary and its replica,
// then with the replication link dropped both ways by iptables (repl-timeout 5 s), 3 s in
// (the replica still says up) and 9 s in (down).
const info = (name: string) =>
  redisReplication(parseInfo(readFileSync(new URL(`testdata/${name}`, import.meta.url), 'utf8')));

describe('Redis INFO replication', () => {
  it("a primary's connected replicas and offset", () => {
    const r = info('redis-primary.txt');
    assert.equal(r.role, 'master');
    assert.deepEqual(r.primary, { connectedReplicas: 1, position: 107n });
    assert.equal(r.replica.configured, false);
  });

  it('a healthy replica: link up, its offset, last I/O as its own lag', () => {
    const r = info('redis-replica-up.txt').replica;
    assert.equal(r.configured, true);
    assert.equal(r.linkUp, true);
    assert.equal(r.position, 107n);
    assert.equal(r.serverLagSeconds, 0);
    assert.equal(r.downForSeconds, undefined);
  });

  it('partitioned before repl-timeout: still up, last I/O climbing', () => {
    const r = info('redis-replica-partitioned-before-timeout.txt').replica;
    assert.equal(r.linkUp, true);
    assert.equal(r.serverLagSeconds, 4);
    assert.equal(r.lastIoSeconds, 4);
  });

  it('partitioned after repl-timeout: down, and for how long by its own count', () => {
    const r = info('redis-replica-partitioned.txt').replica;
    assert.equal(r.linkUp, false);
    assert.equal(r.configured, true);
    assert.equal(r.serverLagSeconds, undefined);
    assert.equal(r.downForSeconds, 4);
    assert.equal(r.lastIoSeconds, undefined);
  });

  it('a replica that never connected since REPLICAOF: down, no count of its own', () => {
    const r = redisReplication(
      parseInfo('role:slave\nmaster_link_status:down\nmaster_link_down_since_seconds:-1\n'),
    ).replica;
    assert.equal(r.linkUp, false);
    assert.equal(r.downForSeconds, undefined);
  });
});

describe('PostgreSQL', () => {
  it('parses WAL locations as byte positions', () => {
    assert.equal(parseLsn('0/3000060'), 0x3000060n);
    assert.equal(parseLsn('16/B374D848'), (0x16n << 32n) + 0xb374d848n);
    assert.equal(parseLsn(null), undefined);
    assert.equal(parseLsn('garbage'), undefined);
  });

  it('a streaming standby is up; without a WAL receiver it is down, replay age its down time', () => {
    const up = postgresReplica({
      recovery: true,
      receiver: 'streaming',
      replay_lsn: '0/3000060',
      replay_age: 0.4,
    });
    assert.deepEqual(
      [up.configured, up.linkUp, up.position, up.serverLagSeconds, up.downForSeconds],
      [true, true, 0x3000060n, 0.4, undefined],
    );
    const down = postgresReplica({
      recovery: true,
      receiver: null,
      replay_lsn: '0/3000060',
      replay_age: 12.5,
    });
    assert.deepEqual([down.linkUp, down.downForSeconds], [false, 12.5]);
    const promoted = postgresReplica({
      recovery: false,
      receiver: null,
      replay_lsn: null,
      replay_age: null,
    });
    assert.deepEqual([promoted.configured, promoted.linkUp], [false, false]);
  });
});

describe('MySQL / MariaDB SHOW REPLICA STATUS', () => {
  // The columns that matter, as MariaDB 10.11 and MySQL 8.0.22+ name them.
  const mariadb = (io: string, sql: string, behind: number | null, ioErr = 0, sqlErr = 0) => ({
    Slave_IO_Running: io,
    Slave_SQL_Running: sql,
    Seconds_Behind_Master: behind,
    Last_IO_Errno: ioErr,
    Last_SQL_Errno: sqlErr,
  });

  it('both threads running: up, Seconds_Behind_Master its lag', () => {
    const r = mysqlReplica(mariadb('Yes', 'Yes', 3));
    assert.deepEqual([r.configured, r.linkUp, r.serverLagSeconds], [true, true, 3]);
    assert.deepEqual(r.threads, { io: 'running', sql: 'running', ioErrno: 0, sqlErrno: 0 });
  });

  it('IO thread connecting after a partition: down, NULL lag ignored, error 2003 kept', () => {
    const r = mysqlReplica(mariadb('Connecting', 'Yes', null, 2003));
    assert.deepEqual([r.linkUp, r.serverLagSeconds], [false, undefined]);
    assert.deepEqual(r.threads, { io: 'connecting', sql: 'running', ioErrno: 2003, sqlErrno: 0 });
  });

  it('SQL thread stopped on a duplicate key: down, error 1062', () => {
    const r = mysqlReplica(mariadb('Yes', 'No', null, 0, 1062));
    assert.equal(r.linkUp, false);
    assert.equal(r.threads?.sql, 'stopped');
    assert.equal(r.threads?.sqlErrno, 1062);
  });

  it("MySQL 8's column names", () => {
    const r = mysqlReplica({
      Replica_IO_Running: 'Yes',
      Replica_SQL_Running: 'Yes',
      Seconds_Behind_Source: 7,
      Last_IO_Errno: 0,
      Last_SQL_Errno: 0,
    });
    assert.deepEqual([r.linkUp, r.serverLagSeconds], [true, 7]);
  });

  it('no status row: replication not configured', () => {
    const r = mysqlReplica(undefined);
    assert.deepEqual([r.configured, r.linkUp], [false, false]);
  });
});
