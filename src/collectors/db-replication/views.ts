import type { ThreadState } from './metrics.ts';

/**
 * What one read of one server saw, in the engine-neutral shape the assessment works on. The
 * engine modules (redis.ts, postgres.ts, mysql.ts) fill it from the server's own views; the
 * parsing from those views is here, pure, tested on recorded answers.
 */
export interface ServerView {
  /** Local wall clock (Unix seconds) at the middle of the round trip that read the server's clock. */
  readonly localAt: number;
  /** The server's clock at that moment, Unix seconds. */
  readonly serverTime: number;
  /** The heartbeat found on this server: the primary's clock when it was written. */
  readonly heartbeat: number | undefined;
  /** Read as a primary. */
  readonly primary?: PrimaryView;
  /** Read as a replica. */
  readonly replica?: ReplicaView;
}

export interface PrimaryView {
  readonly connectedReplicas: number;
  /** Where the replication stream is (Redis master_repl_offset, PostgreSQL's current WAL LSN). */
  readonly position: bigint | undefined;
}

export interface ReplicaView {
  readonly configured: boolean;
  readonly linkUp: boolean;
  /** How much of the stream it has applied, comparable with PrimaryView.position. */
  readonly position: bigint | undefined;
  /** The server's own lag while the link is up (see each engine). */
  readonly serverLagSeconds: number | undefined;
  /** The server's own count of how long the link has been down, when it keeps one. */
  readonly downForSeconds: number | undefined;
  readonly threads?: MysqlThreads;
  /** Redis master_last_io_seconds_ago, while the link is up. */
  readonly lastIoSeconds?: number;
}

export interface MysqlThreads {
  readonly io: ThreadState;
  readonly sql: ThreadState;
  readonly ioErrno: number;
  readonly sqlErrno: number;
}

/** A finite number from a server's text, or undefined. */
export function num(text: unknown): number | undefined {
  if (text === null || text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

// --- Redis: INFO replication ---

export interface RedisReplication {
  readonly role: string | undefined;
  readonly primary: PrimaryView;
  readonly replica: ReplicaView;
}

/**
 * INFO replication's fields as both roles' views. On a replica: the link is up while
 * master_link_status is up (Redis keeps it so until repl-timeout after the primary goes
 * silent, while master_last_io_seconds_ago climbs); once down, master_last_io_seconds_ago is -1
 * and master_link_down_since_seconds counts (-1 when it never connected since the last
 * REPLICAOF).
 */
export function redisReplication(info: ReadonlyMap<string, string>): RedisReplication {
  const role = info.get('role');
  const linkUp = role === 'slave' && info.get('master_link_status') === 'up';
  const lastIo = num(info.get('master_last_io_seconds_ago'));
  const downSince = num(info.get('master_link_down_since_seconds'));
  const replicaOffset = num(info.get('slave_repl_offset'));
  const primaryOffset = num(info.get('master_repl_offset'));
  return {
    role,
    primary: {
      connectedReplicas: num(info.get('connected_slaves')) ?? 0,
      position: primaryOffset === undefined ? undefined : BigInt(primaryOffset),
    },
    replica: {
      configured: role === 'slave',
      linkUp,
      position: replicaOffset === undefined ? undefined : BigInt(replicaOffset),
      serverLagSeconds: linkUp && lastIo !== undefined && lastIo >= 0 ? lastIo : undefined,
      downForSeconds: !linkUp && downSince !== undefined && downSince >= 0 ? downSince : undefined,
      ...(linkUp && lastIo !== undefined && lastIo >= 0 ? { lastIoSeconds: lastIo } : {}),
    },
  };
}

/** Redis TIME's reply (seconds, microseconds) as Unix seconds. */
export function redisTime(seconds: string, micros: string): number {
  return Number(seconds) + Number(micros) / 1e6;
}

// --- PostgreSQL ---

/** A WAL location `16/B374D848` as a byte position. */
export function parseLsn(text: string | null | undefined): bigint | undefined {
  if (text === null || text === undefined) return undefined;
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text);
  if (m === null) return undefined;
  return (BigInt(`0x${m[1] as string}`) << 32n) + BigInt(`0x${m[2] as string}`);
}

export interface PostgresReplicaRow {
  readonly recovery: boolean;
  /** pg_stat_wal_receiver.status; null when there is no WAL receiver. */
  readonly receiver: string | null;
  readonly replay_lsn: string | null;
  /** Seconds since the last replayed transaction (clock_timestamp() - pg_last_xact_replay_timestamp()). */
  readonly replay_age: number | null;
}

/**
 * A standby's view: replicating while in recovery; the link up while its WAL receiver streams
 * (the row disappears after wal_receiver_timeout, 60 s by default). The server's own lag is the
 * age of the last replayed transaction, which on an idle healthy pair reads the idle time: the
 * assessment counts it only when the replica is behind the primary's current LSN.
 */
export function postgresReplica(row: PostgresReplicaRow): ReplicaView {
  const linkUp = row.recovery && row.receiver === 'streaming';
  const age = num(row.replay_age);
  return {
    configured: row.recovery,
    linkUp,
    position: parseLsn(row.replay_lsn),
    serverLagSeconds: age === undefined ? undefined : Math.max(0, age),
    downForSeconds: !linkUp && age !== undefined ? Math.max(0, age) : undefined,
  };
}

// --- MySQL / MariaDB: SHOW REPLICA STATUS ---

/** One column of SHOW REPLICA STATUS by its MySQL 8.0.22+ name or the older one MariaDB keeps. */
function column(row: Readonly<Record<string, unknown>>, modern: string, old: string): unknown {
  return row[modern] ?? row[old];
}

export function threadState(text: unknown): ThreadState {
  if (text === 'Yes') return 'running';
  if (text === 'Connecting') return 'connecting';
  return 'stopped';
}

/**
 * A replica's status row (undefined: no replication configured). Seconds_Behind_Master is the
 * server's lag only while both threads run: it reads 0 in the first seconds of a partition
 * (the IO thread has not noticed) and NULL once a thread stops, which the assessment replaces
 * with the time since the link was last seen up.
 */
export function mysqlReplica(row: Readonly<Record<string, unknown>> | undefined): ReplicaView {
  if (row === undefined) {
    return {
      configured: false,
      linkUp: false,
      position: undefined,
      serverLagSeconds: undefined,
      downForSeconds: undefined,
    };
  }
  const threads: MysqlThreads = {
    io: threadState(column(row, 'Replica_IO_Running', 'Slave_IO_Running')),
    sql: threadState(column(row, 'Replica_SQL_Running', 'Slave_SQL_Running')),
    ioErrno: num(row.Last_IO_Errno) ?? 0,
    sqlErrno: num(row.Last_SQL_Errno) ?? 0,
  };
  const linkUp = threads.io === 'running' && threads.sql === 'running';
  const behind = num(column(row, 'Seconds_Behind_Source', 'Seconds_Behind_Master'));
  return {
    configured: true,
    linkUp,
    position: undefined,
    serverLagSeconds: linkUp ? behind : undefined,
    downForSeconds: undefined,
    threads,
  };
}
