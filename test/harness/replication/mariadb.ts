import { join } from 'node:path';
import { mariadb, ready, startMariadb, type Server } from '../middleware.ts';
import { run, type Scope } from '../process.ts';
import { notYet, waitFor } from '../wait.ts';
import { linkRules, partitioner, requireIptables } from './iptables.ts';
import { childPid, freezer, newPassword, replicaSlot, respawn, secretFile } from './processes.ts';
import type { MariadbPair } from './types.ts';

/** SHOW SLAVE STATUS as the mariadb client prints it (batch mode: escaped, NULL as NULL). */
async function showSlaveStatus(server: Server): Promise<Record<string, string>> {
  const r = await run(
    'mariadb',
    [
      '--no-defaults',
      `--socket=${join(server.dir, 'sock')}`,
      '-uroot',
      '-B',
      '-e',
      'SHOW SLAVE STATUS',
    ],
    { timeoutMs: 30_000 },
  );
  if (r.code !== 0) throw new Error(`mariadb SHOW SLAVE STATUS: ${r.stderr}`);
  const [header, values] = r.stdout.split('\n');
  if (header === undefined || values === undefined || values === '') return {};
  const unescape = (s: string) =>
    s.replace(/\\([\\nt0])/g, (_, c: string) => ({ n: '\n', t: '\t', '0': '\0' })[c] ?? c);
  const keys = header.split('\t');
  const vals = values.split('\t');
  const out: Record<string, string> = {};
  keys.forEach((k, i) => {
    const v = vals[i];
    if (v !== undefined && v !== 'NULL') out[k] = unescape(v);
  });
  return out;
}

/**
 * Grants of the exporter's user 'patrol'@'127.0.0.1', created on the primary before the replica
 * starts, so that it replicates. MariaDB 10.11 split the old privileges: SHOW SLAVE STATUS
 * needs SLAVE MONITOR (REPLICATION CLIENT is now BINLOG MONITOR, for SHOW MASTER STATUS / SHOW
 * BINARY LOGS), and seeing the replication user's Binlog Dump threads in PROCESSLIST needs
 * PROCESS. ALL ON patrol.* covers CREATE DATABASE IF NOT EXISTS patrol and its heartbeat table.
 */
export const MARIADB_PATROL_GRANTS = [
  'GRANT REPLICATION CLIENT, PROCESS, SLAVE MONITOR ON *.*',
  'GRANT ALL ON patrol.*',
] as const;

/**
 * A primary (server-id 1, binlog ROW, listening on 127.0.0.1 and 127.0.0.4) and a GTID replica
 * (server-id 2, read-only, slave_net_timeout 10 s) replicating over 127.0.0.4 with a heartbeat
 * every second and a reconnect every second. The exporter's user is 'patrol'@'127.0.0.1' (see
 * MARIADB_PATROL_GRANTS); root reaches both over their sockets (`mariadb(server, sql)`).
 */
export async function startMariadbPair(scope: Scope): Promise<MariadbPair> {
  await requireIptables();
  const password = newPassword();
  const replPassword = newPassword();
  const passwordFile = await secretFile(scope, password);
  const common = ['--log-bin=mariadb-bin', '--binlog-format=ROW'];
  // The two mariadb-install-db runs (~8 s each) go concurrently.
  const [primary, first] = await Promise.all([
    startMariadb(scope, [
      ...common,
      '--server-id=1',
      // MariaDB 10.11 accepts a list; the replication link alone uses 127.0.0.4.
      '--bind-address=127.0.0.1,127.0.0.4',
    ]),
    startMariadb(scope, [
      ...common,
      '--server-id=2',
      '--relay-log=relay-bin',
      '--log-slave-updates',
      '--read-only',
      '--slave-net-timeout=10',
    ]),
  ]);
  const replica = replicaSlot(scope, first, async (proc) => {
    await proc.terminate();
  });
  const user = `'patrol'@'127.0.0.1'`;
  await mariadb(
    primary,
    [
      `CREATE USER 'repl'@'127.0.0.%' IDENTIFIED BY '${replPassword}'`,
      `GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.%'`,
      `CREATE USER ${user} IDENTIFIED BY '${password}'`,
      ...MARIADB_PATROL_GRANTS.map((g) => `${g} TO ${user}`),
      'CREATE DATABASE patrol_test',
      'CREATE TABLE patrol_test.conflict (id INT PRIMARY KEY)',
      '',
    ].join(';\n'),
  );
  await mariadb(
    first,
    `CHANGE MASTER TO MASTER_HOST='127.0.0.4', MASTER_PORT=${primary.port}, MASTER_USER='repl', MASTER_PASSWORD='${replPassword}', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1, MASTER_HEARTBEAT_PERIOD=1; START SLAVE`,
  );
  const link = partitioner(scope, linkRules('127.0.0.4', 'server', primary.port));
  const frozen = freezer(scope, () => childPid(primary.proc), false);
  const status = () => showSlaveStatus(replica.get());
  const waitStatus = (what: string, ok: (s: Record<string, string>) => boolean) =>
    waitFor(
      what,
      async () => {
        const s = await status();
        return ok(s)
          ? true
          : notYet(
              `IO=${s.Slave_IO_Running} SQL=${s.Slave_SQL_Running} ${s.Last_IO_Error ?? ''} ${s.Last_SQL_Error ?? ''}`,
            );
      },
      { timeoutMs: 30_000 },
    );
  let conflicts = 0;
  let conflict: number | undefined;
  const pair: MariadbPair = {
    engine: 'mysql',
    primary,
    get replica() {
      return replica.get();
    },
    primaryTarget: `127.0.0.1:${primary.port}`,
    replicaTarget: `127.0.0.1:${first.port}`,
    user: 'patrol',
    passwordFile,
    password,
    partition: link.partition,
    heal: link.heal,
    freezePrimary: frozen.freeze,
    thawPrimary: frozen.thaw,
    async stopReplica() {
      await replica.get().proc.terminate();
    },
    async startReplica() {
      if (replica.get().proc.running) return;
      const proc = respawn(replica.get().proc);
      replica.set(proc);
      await ready(proc, 'mariadb replica answering', async () => {
        try {
          return (await mariadb(replica.get(), 'SELECT 1')) === '1';
        } catch {
          return false;
        }
      });
    },
    replicaStatus: status,
    async waitReplicating(timeoutMs = 30_000) {
      const pos = await mariadb(primary, 'SELECT @@gtid_binlog_pos');
      await waitFor(
        `mariadb replica threads running and at GTID ${pos}`,
        async () => {
          const s = await status();
          const at = await mariadb(replica.get(), `SELECT MASTER_GTID_WAIT('${pos}', 0)`);
          return s.Slave_IO_Running === 'Yes' && s.Slave_SQL_Running === 'Yes' && at === '0'
            ? true
            : notYet(
                `IO=${s.Slave_IO_Running} SQL=${s.Slave_SQL_Running} Gtid_IO_Pos=${s.Gtid_IO_Pos} ${s.Last_IO_Error ?? ''}`,
              );
        },
        { timeoutMs, context: () => replica.get().proc.describe() },
      );
    },
    async stopIoThread() {
      await mariadb(replica.get(), 'STOP SLAVE IO_THREAD');
      await waitStatus('Slave_IO_Running No', (s) => s.Slave_IO_Running === 'No');
    },
    async startIoThread() {
      await mariadb(replica.get(), 'START SLAVE IO_THREAD');
      await waitStatus('Slave_IO_Running Yes', (s) => s.Slave_IO_Running === 'Yes');
    },
    async breakSqlThread() {
      const id = ++conflicts;
      await mariadb(
        replica.get(),
        `SET SESSION sql_log_bin=0; INSERT INTO patrol_test.conflict VALUES (${id})`,
      );
      conflict = id;
      await mariadb(primary, `INSERT INTO patrol_test.conflict VALUES (${id})`);
      await waitStatus('Slave_SQL_Running No', (s) => s.Slave_SQL_Running === 'No');
    },
    async repairSqlThread() {
      if (conflict !== undefined)
        await mariadb(
          replica.get(),
          `SET SESSION sql_log_bin=0; DELETE FROM patrol_test.conflict WHERE id = ${conflict}`,
        );
      conflict = undefined;
      await mariadb(replica.get(), 'START SLAVE SQL_THREAD');
      await waitStatus('Slave_SQL_Running Yes', (s) => s.Slave_SQL_Running === 'Yes');
    },
  };
  await pair.waitReplicating();
  return pair;
}
