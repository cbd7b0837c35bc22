import { family, stateSet } from '../../core/metrics.ts';
import { outcomeFamilies } from '../../core/outcomes.ts';

/**
 * Every series names its replication group, the engine, the server (its configured name) and
 * the role it was configured with: alerts select replicas and primaries by `role` without a
 * join, and a server that changed role by itself (a failover) keeps its series.
 */
const labels = ['group', 'engine', 'server', 'role'] as const;

export const ENGINES = ['redis', 'postgres', 'mysql'] as const;
export type Engine = (typeof ENGINES)[number];

/** MySQL/MariaDB replication threads' states (Slave_IO_Running: Yes, Connecting, No). */
export const THREAD_STATES = ['running', 'connecting', 'stopped'] as const;
export type ThreadState = (typeof THREAD_STATES)[number];

export const dbFamilies = {
  ...outcomeFamilies('db_replication', labels, 'server (connect, read its replication state)'),
  configured: family({
    name: 'patrol_db_replication_configured',
    help: 'On a configured replica: whether it is set up to replicate (1: Redis role slave, PostgreSQL in recovery, a MySQL replica status row) or not (0: promoted, reset). Absent when the server did not answer.',
    type: 'gauge',
    labels,
  }),
  linkUp: family({
    name: 'patrol_db_replication_link_up',
    help: "On a configured replica: whether its replication is running as the server itself sees it (Redis master_link_status up; PostgreSQL's WAL receiver streaming; MySQL IO and SQL threads both running). 0 when the server answers and it is not; absent when the server does not answer (then patrol_db_replication_success is 0). Servers keep it up until their own timeout after a partition: the heartbeat lag is what moves at once.",
    type: 'gauge',
    labels,
  }),
  lag: family({
    name: 'patrol_db_replication_lag_seconds',
    help: 'On a configured replica: how far it is behind its primary. method="heartbeat": age of the newest heartbeat the replica has, measured against the primary\'s clock (written on the primary every heartbeat interval, so a healthy pair reads below that interval and a partition grows it at 1 s/s from its first second). method="native": the server\'s own view (Redis seconds since the last I/O or since the link went down, PostgreSQL time since the last replayed transaction unless caught up with the primary, MySQL Seconds_Behind_Master while both threads run); while the link is down it is the time since patrol last saw the replica current (or the server\'s own count of the link\'s down time, if longer): it grows, never 0. Absent when the replica does not answer.',
    type: 'gauge',
    labels: [...labels, 'method'],
  }),
  lagBytes: family({
    name: 'patrol_db_replication_lag_bytes',
    help: "On a configured replica: bytes of the primary's replication stream it has not applied (Redis master_repl_offset minus slave_repl_offset, PostgreSQL pg_current_wal_lsn() on the primary minus pg_last_wal_replay_lsn() here), read from both in the same scrape. Absent for MySQL and when either does not answer.",
    type: 'gauge',
    labels,
  }),
  connectedReplicas: family({
    name: 'patrol_db_replication_connected_replicas',
    help: 'On a configured primary: replicas connected and streaming as the primary sees them (Redis connected_slaves, PostgreSQL pg_stat_replication rows streaming, MySQL Binlog Dump threads). A vanished replica makes this go down rather than its series go away; compare with patrol_db_replication_expected_replicas.',
    type: 'gauge',
    labels,
  }),
  expectedReplicas: family({
    name: 'patrol_db_replication_expected_replicas',
    help: 'On a configured primary: how many replicas it should have (expected_replicas, default the number of replicas configured).',
    type: 'gauge',
    labels,
  }),
  heartbeatAge: family({
    name: 'patrol_db_replication_heartbeat_age_seconds',
    help: "On a configured primary: age of the heartbeat on the primary itself, by the primary's clock. It stays below the heartbeat interval while the writer works; when it grows, the replicas' heartbeat lag is the writer's fault, not replication's.",
    type: 'gauge',
    labels,
  }),
  heartbeatWrites: family({
    name: 'patrol_db_replication_heartbeat_writes_total',
    help: 'Heartbeat writes patrol attempted on the primary (heartbeat.write: true), by result (ok, error).',
    type: 'counter',
    labels: [...labels, 'result'],
  }),
  thread: stateSet({
    name: 'patrol_db_replication_thread_state',
    help: 'MySQL/MariaDB replica: state of each replication thread (thread io, sql), one-hot: running (Yes), connecting (the IO thread cannot reach the primary), stopped (No).',
    labels: [...labels, 'thread', 'state'],
    stateLabel: 'state',
    states: THREAD_STATES,
  }),
  lastError: family({
    name: 'patrol_db_replication_last_error_code',
    help: "MySQL/MariaDB replica: the replication thread's last error number (Last_IO_Errno, Last_SQL_Errno; 1062 duplicate key, 2003 cannot connect), 0 for none. The text is in the server's own status, never in a label.",
    type: 'gauge',
    labels: [...labels, 'thread'],
  }),
  redisLastIo: family({
    name: 'patrol_db_replication_redis_master_last_io_seconds',
    help: 'Redis replica: seconds since the last interaction with its primary (master_last_io_seconds_ago) while the link is up. It climbs while a partition has not yet reached repl-timeout.',
    type: 'gauge',
    labels,
  }),
};

export const METHODS = ['heartbeat', 'native'] as const;
