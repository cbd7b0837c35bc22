// Self-test of the replicated pairs (./replication.ts): the ground-truth lag is small while
// replicating, grows while the link alone is cut (both servers still answering on 127.0.0.1 with
// the exporter's credentials), and falls again after heal; freeze, replica restart and the
// MariaDB thread faults do what they say; nothing is left behind. Needs root.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { mariadb } from './middleware.ts';
import { run, suiteScope, type Scope } from './process.ts';
import {
  startMariadbPair,
  startPostgresPair,
  startRedisPair,
  startTruth,
  type Engine,
  type MariadbPair,
  type Pair,
  type Truth,
} from './replication.ts';

/** Whether the server at `target` answers a query within `timeoutMs`, as the exporter's user. */
async function answers(pair: Pair, target: string, timeoutMs = 3_000): Promise<boolean> {
  const port = target.split(':')[1] ?? '';
  const password = (await readFile(pair.passwordFile, 'utf8')).trim();
  const [cmd, args, env]: [string, string[], Record<string, string>] =
    pair.engine === 'redis'
      ? [
          'redis-cli',
          ['-h', '127.0.0.1', '-p', port, '--no-auth-warning', '-a', password, 'PING'],
          {},
        ]
      : pair.engine === 'postgres'
        ? [
            'psql',
            ['-h', '127.0.0.1', '-p', port, '-U', pair.user ?? '', '-Atc', 'SELECT 1'],
            { PGPASSWORD: password, PGCONNECT_TIMEOUT: '2' },
          ]
        : [
            'mariadb',
            [
              '--no-defaults',
              '-h127.0.0.1',
              `-P${port}`,
              `-u${pair.user ?? ''}`,
              `-p${password}`,
              '-N',
              '-e',
              'SELECT 1',
            ],
            {},
          ];
  try {
    const r = await run(cmd, args, { timeoutMs, env });
    return r.code === 0 && /^(PONG|1)$/m.test(r.stdout);
  } catch {
    return false; // killed at the timeout: a frozen server
  }
}

async function lag(truth: Truth): Promise<number> {
  const s = await truth.trueLagSeconds();
  assert.ok(s !== undefined, 'the replica answers the truth reader');
  return s;
}

async function ourRules(): Promise<string[]> {
  const r = await run('iptables', ['-w', '5', '-S']);
  return r.stdout.split('\n').filter((l) => l.includes(`patrol-test-${process.pid}`));
}

/** What replicaStatus() says of a healthy link. */
const UP: Record<Engine, [string, string]> = {
  redis: ['master_link_status', 'up'],
  postgres: ['status', 'streaming'],
  mysql: ['Slave_IO_Running', 'Yes'],
};

/** The scenario every engine goes through; `more` adds engine-specific checks. */
async function scenario(
  start: (scope: Scope) => Promise<Pair>,
  diagnostic: (msg: string) => void,
  more?: (pair: Pair, truth: Truth) => Promise<void>,
): Promise<void> {
  const scope = suiteScope();
  let pair: Pair | undefined;
  try {
    const t0 = performance.now();
    pair = await start(scope);
    diagnostic(`${pair.engine} pair replicating after ${Math.round(performance.now() - t0)} ms`);
    const status = await pair.replicaStatus();
    const [key, up] = UP[pair.engine];
    assert.equal(status[key], up, JSON.stringify(status));
    const truth = await startTruth(pair, scope);
    assert.ok((await lag(truth)) < 1.5, 'small lag while replicating');

    await pair.partition();
    assert.equal((await ourRules()).length, 2, 'both directions of the link are cut');
    await sleep(4_000);
    assert.ok((await lag(truth)) > 3, 'the lag grows while the link is cut');
    assert.ok(await answers(pair, pair.primaryTarget), 'the primary still answers on 127.0.0.1');
    assert.ok(await answers(pair, pair.replicaTarget), 'the replica still answers on 127.0.0.1');
    await pair.replicaStatus();
    const t1 = performance.now();
    await pair.heal();
    assert.deepEqual(await ourRules(), [], 'heal deletes its rules');
    await pair.waitReplicating();
    diagnostic(`${pair.engine} caught up ${Math.round(performance.now() - t1)} ms after heal`);
    assert.ok((await lag(truth)) < 1.5, 'small lag again after heal');

    await pair.freezePrimary();
    assert.equal(await answers(pair, pair.primaryTarget, 1_500), false, 'a frozen primary');
    await pair.thawPrimary();
    await pair.waitReplicating();
    assert.ok((await lag(truth)) < 1.5, 'small lag again after thaw');

    await pair.stopReplica();
    assert.equal(await answers(pair, pair.replicaTarget), false, 'a stopped replica');
    assert.equal(await truth.trueLagSeconds(), undefined, 'no truth from a stopped replica');
    await pair.startReplica();
    await pair.waitReplicating();
    assert.ok((await lag(truth)) < 1.5, 'small lag again after the replica restarted');

    await more?.(pair, truth);
    // A partition left in place is healed by the scope.
    await pair.partition();
  } finally {
    await scope.close();
  }
  assert.deepEqual(await ourRules(), [], 'no iptables rule left');
  assert.equal(pair.primary.proc.running, false, 'primary stopped');
  assert.equal(pair.replica.proc.running, false, 'replica stopped');
  assert.equal(existsSync(pair.primary.dir), false, 'primary dir removed');
  assert.equal(existsSync(pair.replica.dir), false, 'replica dir removed');
  const left = await run('pgrep', ['-f', `${pair.primary.dir}|${pair.replica.dir}`]);
  assert.equal(left.stdout, '', 'no process of the pair left');
}

describe('replicated pairs', { timeout: 120_000 }, () => {
  it('redis', async (t) => {
    await scenario(startRedisPair, (m) => {
      t.diagnostic(m);
    });
  });

  it('postgres', async (t) => {
    await scenario(startPostgresPair, (m) => {
      t.diagnostic(m);
    });
  });

  it('mariadb: grants, IO and SQL thread faults', async (t) => {
    await scenario(
      startMariadbPair,
      (m) => {
        t.diagnostic(m);
      },
      async (p, truth) => {
        const pair = p as MariadbPair;
        // The exporter's user does what the collector needs, on the server it needs it on.
        const password = pair.password;
        const asPatrol = async (target: string, sql: string) => {
          const r = await run('mariadb', [
            '--no-defaults',
            '-h127.0.0.1',
            `-P${target.split(':')[1] ?? ''}`,
            '-upatrol',
            `-p${password}`,
            '-N',
            '-B',
            '-e',
            sql,
          ]);
          assert.equal(r.code, 0, `${sql}: ${r.stderr}`);
          return r.stdout.trim();
        };
        assert.match(await asPatrol(pair.replicaTarget, 'SHOW SLAVE STATUS'), /127\.0\.0\.4/);
        assert.match(await asPatrol(pair.replicaTarget, 'SHOW REPLICA STATUS'), /127\.0\.0\.4/);
        assert.equal(
          await asPatrol(
            pair.primaryTarget,
            "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND = 'Binlog Dump'",
          ),
          '1',
        );
        await asPatrol(
          pair.primaryTarget,
          'CREATE DATABASE IF NOT EXISTS patrol; CREATE TABLE IF NOT EXISTS patrol.heartbeat (id INT PRIMARY KEY, ts BIGINT); REPLACE INTO patrol.heartbeat VALUES (1, 1)',
        );

        await pair.stopIoThread();
        assert.equal((await pair.replicaStatus()).Slave_IO_Running, 'No');
        await pair.startIoThread();

        await pair.breakSqlThread();
        const broken = await pair.replicaStatus();
        assert.equal(broken.Slave_SQL_Running, 'No');
        assert.equal(broken.Last_SQL_Errno, '1062');
        assert.equal(broken.Seconds_Behind_Master, undefined, 'NULL is an absent key');
        await sleep(2_000);
        assert.ok((await lag(truth)) > 1.5, 'the lag grows while the SQL thread is stopped');
        await pair.repairSqlThread();
        await pair.waitReplicating();
        assert.ok((await lag(truth)) < 1.5, 'small lag again after the repair');
        assert.equal(
          await mariadb(pair.replica, 'SELECT COUNT(*) FROM patrol.heartbeat'),
          '1',
          "the exporter's heartbeat replicated",
        );
      },
    );
  });
});
