import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIssues } from '../../config/load.ts';
import { configSchema } from '../index.ts';
import { dbReplicationConfig } from './config.ts';

const problems = (section: unknown): string => {
  const r = configSchema.safeParse({ collectors: { db_replication: section } });
  assert.equal(r.success, false, 'expected a configuration error');
  return formatIssues(r.error.issues, configSchema).join('\n');
};

const base = {
  name: 'orders',
  engine: 'postgres',
  primary: { target: '127.0.0.1:5432' },
  replicas: [{ name: 'b', target: '127.0.0.2:5432' }],
};

describe('db_replication config', () => {
  it('has no groups by default, and fills a group in', () => {
    assert.deepEqual(dbReplicationConfig.parse({}).groups, []);
    const g = dbReplicationConfig.parse({ groups: [{ ...base, heartbeat: { write: true } }] })
      .groups[0];
    assert.equal(g?.timeout, 3000);
    assert.equal(g?.heartbeat?.interval, 1000);
    assert.equal(g?.heartbeat?.write, true);
    assert.equal(g?.tls, false);
  });

  it('names the field of each mistake', () => {
    const out = problems({
      timeout: '5s',
      groups: [
        { ...base, engine: 'oracle' },
        { ...base, name: 'm', engine: 'mysql' },
        { ...base, name: 'r', engine: 'redis', heartbeat: { table: 'hb' } },
        { ...base, name: 'p', replicas: [{ target: '127.0.0.1:5432' }] },
        { ...base, name: 'q', heartbeat: { query: 'SELECT 1', write: true } },
        { ...base, name: 't', heartbeat: { table: 'x; DROP TABLE y' } },
        { ...base, name: 'e', replicas: [] },
      ],
    });
    for (const line of [
      'collectors.db_replication.groups[0].engine',
      'collectors.db_replication.groups[1].user: mysql needs a user',
      'collectors.db_replication.groups[2].heartbeat.table: not for redis (use key)',
      'collectors.db_replication.groups[3].replicas[0]: server "127.0.0.1:5432" appears twice',
      'collectors.db_replication.groups[4].heartbeat.query: a heartbeat query is read-only',
      'collectors.db_replication.groups[5].heartbeat.table: a table name',
      'collectors.db_replication.groups[6].replicas',
    ]) {
      assert.ok(out.includes(line), `${line}\nin:\n${out}`);
    }
  });

  it('checks the groups against each other and the collector once each group is valid', () => {
    const out = problems({
      timeout: '5s',
      groups: [
        { ...base, timeout: '6s' },
        { ...base, name: 'orders' },
      ],
    });
    for (const line of [
      'collectors.db_replication.groups[0].timeout: must be shorter than collectors.db_replication.timeout',
      'collectors.db_replication.groups[1].name: group name "orders" is used twice',
    ]) {
      assert.ok(out.includes(line), `${line}\nin:\n${out}`);
    }
  });
});
