// The redis, postgres and mysql probes against real servers (Debian's redis-server 7,
// PostgreSQL 15, MariaDB 10.11), compared with what redis-cli, psql and the mariadb client say.
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SampleBuffer } from '../../../src/core/metrics.ts';
import {
  mariadb,
  psql,
  redisCli,
  startMariadb,
  startPostgres,
  startRedis,
  type Server,
} from '../../harness/middleware.ts';
import { failureReason, probeOnce, probeValue } from '../../harness/probes.ts';
import { suiteScope } from '../../harness/process.ts';
import { tempDir } from '../../harness/tmp.ts';

describe('probes against real databases', () => {
  const scope = suiteScope();
  let secrets: string;
  const secret = (name: string, text: string) => {
    const path = join(secrets, name);
    writeFileSync(path, `${text}\n`);
    chmodSync(path, 0o600);
    return path;
  };
  let primary: Server;
  let replica: Server;
  let pg: Server;
  let maria: Server;

  before(async () => {
    secrets = await tempDir(scope, 'patrol-secrets-');
    [primary, pg, maria] = await Promise.all([
      startRedis(scope, ['--requirepass', 'r3dis']),
      startPostgres(scope, 'pgs3cret'),
      startMariadb(scope),
    ]);
    replica = await startRedis(scope, [
      '--replicaof',
      '127.0.0.1',
      String(primary.port),
      '--masterauth',
      'r3dis',
    ]);
    await mariadb(maria, "CREATE USER 'probe'@'127.0.0.1' IDENTIFIED BY 'pr0be'");
  });

  after(async () => {
    await scope.close();
  });

  it('redis: AUTH, PING, and the replication role and link as INFO shows them', async () => {
    // Wait for the replica's link, as redis-cli reports it.
    for (let i = 0; i < 100; i++) {
      if (/master_link_status:up/.test(await redisCli(replica.port, ['INFO', 'replication'])))
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const s = await probeOnce([
      {
        name: 'primary',
        module: 'redis',
        target: `127.0.0.1:${primary.port}`,
        password_file: secret('redis', 'r3dis'),
      },
      { name: 'replica', module: 'redis', target: `127.0.0.1:${replica.port}` },
      {
        name: 'wrong',
        module: 'redis',
        target: `127.0.0.1:${primary.port}`,
        password_file: secret('redis-wrong', 'nope'),
      },
      { name: 'no-auth', module: 'redis', target: `127.0.0.1:${primary.port}` },
    ]);
    const primaryInfo = await redisCli(primary.port, ['INFO', 'replication'], 'r3dis');
    const replicaInfo = await redisCli(replica.port, ['INFO', 'replication']);
    assert.equal(probeValue(s, 'success', { probe: 'primary' }), 1);
    assert.equal(probeValue(s, 'redis_role', { probe: 'primary', role: 'master' }), 1);
    assert.equal(
      probeValue(s, 'redis_connected_slaves', { probe: 'primary' }),
      Number(/connected_slaves:(\d+)/.exec(primaryInfo)?.[1]),
    );
    assert.equal(probeValue(s, 'redis_connected_slaves', { probe: 'primary' }), 1);
    assert.equal(probeValue(s, 'redis_role', { probe: 'replica', role: 'slave' }), 1);
    assert.equal(
      probeValue(s, 'redis_master_link_up', { probe: 'replica' }),
      /master_link_status:up/.test(replicaInfo) ? 1 : 0,
    );
    assert.equal(probeValue(s, 'redis_master_link_up', { probe: 'replica' }), 1);
    assert.ok(probeValue(s, 'phase_duration_seconds', { probe: 'primary', phase: 'auth' }) > 0);
    assert.ok(probeValue(s, 'phase_duration_seconds', { probe: 'primary', phase: 'query' }) > 0);
    assert.equal(failureReason(s, 'wrong'), 'auth');
    assert.equal(failureReason(s, 'no-auth'), 'auth', 'PING without AUTH: NOAUTH');
  });

  it('redis: the replica reports its link down when the primary is gone', async () => {
    await primary.proc.terminate();
    let s: SampleBuffer | undefined;
    for (let i = 0; i < 50; i++) {
      s = await probeOnce([
        { name: 'replica', module: 'redis', target: `127.0.0.1:${replica.port}` },
      ]);
      if (s.get('patrol_probe_redis_master_link_up', { probe: 'replica' }) === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(s !== undefined);
    assert.match(await redisCli(replica.port, ['INFO', 'replication']), /master_link_status:down/);
    assert.equal(probeValue(s, 'redis_master_link_up', { probe: 'replica' }), 0);
    assert.equal(probeValue(s, 'success', { probe: 'replica' }), 1, 'the replica itself answers');
    const gone = await probeOnce([
      { name: 'gone', module: 'redis', target: `127.0.0.1:${primary.port}` },
    ]);
    assert.equal(failureReason(gone, 'gone'), 'refused');
  });

  it('postgres: authenticates, reads pg_is_in_recovery() as psql does; a wrong password is auth', async () => {
    const s = await probeOnce([
      {
        name: 'pg',
        module: 'postgres',
        target: `127.0.0.1:${pg.port}`,
        password_file: secret('pg', 'pgs3cret'),
      },
      {
        name: 'pg-wrong',
        module: 'postgres',
        target: `127.0.0.1:${pg.port}`,
        password_file: secret('pg-wrong', 'nope'),
      },
      {
        name: 'pg-nodb',
        module: 'postgres',
        target: `127.0.0.1:${pg.port}`,
        database: 'nosuchdb',
        password_file: secret('pg2', 'pgs3cret'),
      },
    ]);
    assert.equal(probeValue(s, 'success', { probe: 'pg' }), 1);
    const recovery = await psql(pg, 'pgs3cret', 'SELECT pg_is_in_recovery()');
    assert.equal(probeValue(s, 'postgres_in_recovery', { probe: 'pg' }), recovery === 't' ? 1 : 0);
    for (const phase of ['connect', 'auth', 'query']) {
      assert.ok(probeValue(s, 'phase_duration_seconds', { probe: 'pg', phase }) > 0, phase);
    }
    assert.equal(probeValue(s, 'success', { probe: 'pg-wrong' }), 0);
    assert.equal(failureReason(s, 'pg-wrong'), 'auth');
    assert.equal(probeValue(s, 'success', { probe: 'pg-nodb' }), 0);
    assert.equal(s.get('patrol_probe_postgres_in_recovery', { probe: 'pg-wrong' }), undefined);
  });

  it('mysql: MariaDB authenticates the probe user, read_only as the server says; wrong password is auth', async () => {
    const s = await probeOnce([
      {
        name: 'maria',
        module: 'mysql',
        target: `127.0.0.1:${maria.port}`,
        user: 'probe',
        password_file: secret('maria', 'pr0be'),
      },
      {
        name: 'maria-wrong',
        module: 'mysql',
        target: `127.0.0.1:${maria.port}`,
        user: 'probe',
        password_file: secret('maria-wrong', 'nope'),
      },
    ]);
    assert.equal(probeValue(s, 'success', { probe: 'maria' }), 1);
    assert.equal(
      probeValue(s, 'mysql_read_only', { probe: 'maria' }),
      Number(await mariadb(maria, 'SELECT @@read_only')),
    );
    await mariadb(maria, 'SET GLOBAL read_only = 1');
    const ro = await probeOnce([
      {
        name: 'maria',
        module: 'mysql',
        target: `127.0.0.1:${maria.port}`,
        user: 'probe',
        password_file: secret('maria', 'pr0be'),
      },
    ]);
    assert.equal(probeValue(ro, 'mysql_read_only', { probe: 'maria' }), 1);
    assert.equal(failureReason(s, 'maria-wrong'), 'auth');
    assert.ok(probeValue(s, 'phase_duration_seconds', { probe: 'maria', phase: 'auth' }) > 0);
  });

  it('a database that stops mid-probe is a failure, not a hang', async () => {
    // SIGSTOP: the server accepts (the kernel does) and never answers; the probe ends at its deadline.
    maria.proc.signal('SIGSTOP');
    try {
      const t0 = performance.now();
      const s = await probeOnce([
        {
          name: 'stopped',
          module: 'mysql',
          target: `127.0.0.1:${maria.port}`,
          user: 'probe',
          timeout: '500ms',
          password_file: secret('maria', 'pr0be'),
        },
      ]);
      assert.ok(performance.now() - t0 < 3000, 'cut at its deadline, not hung');
      assert.equal(failureReason(s, 'stopped'), 'timeout');
    } finally {
      maria.proc.signal('SIGCONT');
    }
  });
});
