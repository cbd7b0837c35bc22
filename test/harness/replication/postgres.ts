import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../http.ts';
import { PG_BIN, ids, initPostgres, ownedDir, psql, ready, type Server } from '../middleware.ts';
import { ManagedProcess, run, type Scope } from '../process.ts';
import { notYet, waitFor } from '../wait.ts';
import { linkRules, partitioner, requireIptables } from './iptables.ts';
import { childPid, freezer, newPassword, replicaSlot, secretFile } from './processes.ts';
import type { Pair } from './types.ts';

/**
 * The postmaster is this process' own child (not under runuser), so that signals reach it:
 * SIGINT for a fast shutdown (a smart one would wait for every client), SIGSTOP to freeze.
 */
function spawnPostgres(
  name: string,
  dir: string,
  port: number,
  listen: string,
  { uid, gid }: { uid: number; gid: number },
): ManagedProcess {
  return new ManagedProcess(
    name,
    `${PG_BIN}/postgres`,
    [
      '-D',
      join(dir, 'data'),
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      `listen_addresses=${listen}`,
      '-c',
      'fsync=off',
      '-c',
      'wal_level=replica',
      '-c',
      'max_wal_senders=5',
      '-c',
      'hot_standby=on',
      // A cut link is noticed after 10 s (60 s by default) on both ends.
      '-c',
      'wal_sender_timeout=10s',
      '-c',
      'wal_receiver_timeout=10s',
      '-c',
      'wal_receiver_status_interval=1s',
      // After a failed connection the walreceiver retries in 1 s (5 s by default).
      '-c',
      'wal_retrieve_retry_interval=1s',
      // Keeps WAL for a replica that was cut or stopped for a while (no slot to clean up).
      '-c',
      'wal_keep_size=256MB',
    ],
    { uid, gid, cwd: dir },
  );
}

async function pgReady(proc: ManagedProcess, port: number): Promise<void> {
  await ready(
    proc,
    `${proc.name} accepting connections`,
    async () =>
      (await run(`${PG_BIN}/pg_isready`, ['-q', '-h', '127.0.0.1', '-p', String(port)])).code === 0,
  );
}

/** Resolves when `proc` has exited or after `ms`, whichever comes first. */
async function exitedWithin(proc: ManagedProcess, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      proc.exited,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Fast shutdown (SIGINT), then immediate (SIGQUIT), then SIGKILL. */
async function stopPostgres(proc: ManagedProcess): Promise<void> {
  for (const [sig, ms] of [
    ['SIGINT', 20_000],
    ['SIGQUIT', 5_000],
    ['SIGKILL', 5_000],
  ] as const) {
    if (!proc.running) return;
    proc.child.kill(sig);
    await exitedWithin(proc, ms);
  }
}

/**
 * psql's row of pg_stat_wal_receiver ({} without one), values as psql prints them: read as CSV,
 * where an unquoted empty field is NULL and "" an empty string.
 */
async function walReceiver(server: Server, password: string): Promise<Record<string, string>> {
  const r = await run(
    'psql',
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(server.port),
      '-U',
      'postgres',
      '--csv',
      '-c',
      'SELECT * FROM pg_stat_wal_receiver',
    ],
    { timeoutMs: 30_000, env: { PGPASSWORD: password } },
  );
  if (r.code !== 0) throw new Error(`psql pg_stat_wal_receiver: ${r.stderr}`);
  const [header, row] = parseCsv(r.stdout);
  const out: Record<string, string> = {};
  if (header === undefined || row === undefined) return out;
  header.forEach((k, i) => {
    const v = row[i];
    if (k !== null && v !== undefined && v !== null) out[k] = v;
  });
  return out;
}

/** RFC 4180 records; an unquoted empty field is null. */
function parseCsv(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let i = 0;
  while (i < text.length) {
    let field: string | null;
    if (text[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quoted CSV field');
        v += text.slice(i, q);
        i = q + 1;
        if (text[i] !== '"') break;
        v += '"';
        i++;
      }
      field = v;
    } else {
      let end = i;
      while (end < text.length && text[end] !== ',' && text[end] !== '\n') end++;
      field = end === i ? null : text.slice(i, end);
      i = end;
    }
    row.push(field);
    if (text[i] === ',') {
      i++;
    } else {
      rows.push(row);
      row = [];
      i++; // the newline
    }
  }
  return rows;
}

/**
 * A primary listening on 127.0.0.1 and 127.0.0.3, and a standby made by pg_basebackup -R whose
 * primary_conninfo points at 127.0.0.3. The superuser postgres has a password (scram-sha-256),
 * for every address in 127.0.0.0/8, replication included.
 */
export async function startPostgresPair(scope: Scope): Promise<Pair> {
  await requireIptables();
  const password = newPassword();
  const passwordFile = await secretFile(scope, password);
  const primaryDir = await ownedDir(scope, 'patrol-pg-primary-', 'postgres');
  const replicaDir = await ownedDir(scope, 'patrol-pg-replica-', 'postgres');
  const data = await initPostgres(primaryDir, password);
  await appendFile(
    join(data, 'pg_hba.conf'),
    'host all all 127.0.0.0/8 scram-sha-256\nhost replication all 127.0.0.0/8 scram-sha-256\n',
  );
  const primaryPort = await freePort();
  const replicaPort = await freePort();
  const postgresUser = await ids('postgres');
  const primaryProc = spawnPostgres(
    'pg-primary',
    primaryDir,
    primaryPort,
    '127.0.0.1,127.0.0.3',
    postgresUser,
  );
  scope.after(() => stopPostgres(primaryProc));
  await pgReady(primaryProc, primaryPort);
  const primary: Server = { proc: primaryProc, port: primaryPort, dir: primaryDir };
  const backup = await run(
    'runuser',
    [
      '-u',
      'postgres',
      '--',
      `${PG_BIN}/pg_basebackup`,
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-D',
      join(replicaDir, 'data'),
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
      '--no-sync',
    ],
    { timeoutMs: 120_000, env: { PGPASSWORD: password } },
  );
  if (backup.code !== 0) throw new Error(`pg_basebackup: ${backup.stdout}${backup.stderr}`);
  // -R wrote a primary_conninfo for 127.0.0.1; this later line wins: the link goes to 127.0.0.3.
  await appendFile(
    join(replicaDir, 'data', 'postgresql.auto.conf'),
    `primary_conninfo = 'user=postgres password=${password} host=127.0.0.3 port=${primaryPort} application_name=replica1 connect_timeout=2'\n`,
  );
  const startStandby = () =>
    spawnPostgres('pg-replica', replicaDir, replicaPort, '127.0.0.1', postgresUser);
  const replica = replicaSlot(
    scope,
    { proc: startStandby(), port: replicaPort, dir: replicaDir },
    stopPostgres,
  );
  await pgReady(replica.get().proc, replicaPort);
  const link = partitioner(scope, linkRules('127.0.0.3', 'server', primaryPort));
  // Backends, walsenders and background workers are children of the postmaster, each in a
  // process group of its own: all of them, or a connected client would still be answered.
  const frozen = freezer(scope, () => childPid(primaryProc), true);
  const sql = (server: Server, text: string) => psql(server, password, text);
  const pair: Pair = {
    engine: 'postgres',
    primary,
    get replica() {
      return replica.get();
    },
    primaryTarget: `127.0.0.1:${primaryPort}`,
    replicaTarget: `127.0.0.1:${replicaPort}`,
    user: 'postgres',
    passwordFile,
    password,
    partition: link.partition,
    heal: link.heal,
    freezePrimary: frozen.freeze,
    thawPrimary: frozen.thaw,
    async stopReplica() {
      await stopPostgres(replica.get().proc);
    },
    async startReplica() {
      if (replica.get().proc.running) return;
      replica.set(startStandby());
      await pgReady(replica.get().proc, replicaPort);
    },
    replicaStatus: () => walReceiver(replica.get(), password),
    async waitReplicating(timeoutMs = 30_000) {
      const target = await sql(primary, 'SELECT pg_current_wal_lsn()');
      await waitFor(
        `postgres standby streaming and replayed up to ${target}`,
        async () => {
          const seen = await sql(
            replica.get(),
            `SELECT coalesce((SELECT status FROM pg_stat_wal_receiver), 'no walreceiver') || ' ' || pg_last_wal_replay_lsn() || ' ' || (pg_last_wal_replay_lsn() >= '${target}'::pg_lsn)`,
          );
          return /^streaming \S+ true$/.test(seen) ? true : notYet(seen);
        },
        { timeoutMs, context: () => replica.get().proc.describe() },
      );
    },
  };
  await pair.waitReplicating();
  return pair;
}
