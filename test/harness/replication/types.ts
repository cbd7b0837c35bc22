import type { Server } from '../middleware.ts';

/*
 * Real replicated pairs (Redis 7 primary + replica, PostgreSQL 15 primary + streaming standby,
 * MariaDB 10.11 primary + GTID replica) for end-to-end tests of the replication collector, and a
 * ground truth of their replication delay. The shapes of ../shared/recipes/middleware/*-up.sh.
 *
 *   startRedisPair(scope), startPostgresPair(scope)  -> Pair
 *   startMariadbPair(scope)                          -> MariadbPair (Pair + IO/SQL thread faults)
 *   startTruth(pair, scope)                          -> Truth (trueLagSeconds(), stop())
 *
 * Both servers of a pair listen on 127.0.0.1 (free ports, temp dirs, all removed when `scope`
 * ends), where the test and the exporter reach them. The replication link alone uses a second
 * loopback address (Redis: the replica's source 127.0.0.2; PostgreSQL: the primary's 127.0.0.3;
 * MariaDB: the primary's 127.0.0.4), so `partition()` can cut it with iptables while both
 * servers keep answering on 127.0.0.1. Each rule carries `-m comment --comment
 * patrol-test-<pid>`; `heal()`, the end of `scope` and the exit of the test process delete
 * exactly the rules this process added.
 *
 * Timeouts are short so a cut shows within seconds: Redis repl-timeout, PostgreSQL
 * wal_sender/receiver_timeout and MariaDB slave_net_timeout are all 10 s. Measured: the data
 * stops at once, but each replica still calls its link up until then (Redis
 * master_link_status:up for ~11 s, PostgreSQL pg_stat_wal_receiver 'streaming' for 10 s, then
 * no row; MariaDB Slave_IO_Running Yes and Seconds_Behind_Master 0 for 10 s, then
 * Connecting/NULL). After heal a short cut resumes on the same TCP connection after its
 * retransmission backoff (2-3 s after a 4 s cut); a longer one reconnects in ~0.5-1 s.
 *
 * `pair.replica` is a getter: `stopReplica()` + `startReplica()` replace its process (same
 * command line, so the same port, directory and data). Needs root (iptables; PostgreSQL and
 * MariaDB run as their Debian users postgres and mysql).
 */

export type Engine = 'redis' | 'postgres' | 'mysql';

export interface Pair {
  readonly engine: Engine;
  readonly primary: Server;
  /** The replica's current server (a new process after stopReplica/startReplica). */
  readonly replica: Server;
  /** host:port the exporter connects to (127.0.0.1). */
  readonly primaryTarget: string;
  readonly replicaTarget: string;
  /**
   * The exporter's user (redis: undefined, the default user; postgres: the superuser postgres;
   * mysql: 'patrol'@'127.0.0.1', see startMariadbPair) and its password, in a 0600 file (with a
   * trailing newline) at an absolute path, and as text for the test's own clients.
   */
  readonly user: string | undefined;
  readonly passwordFile: string;
  readonly password: string;
  /** Drops the replication link only (both directions); a no-op if already cut. */
  partition(): Promise<void>;
  /** Deletes the rules partition() added; a no-op if there are none. */
  heal(): Promise<void>;
  /**
   * SIGSTOP of the primary (for PostgreSQL the postmaster and every child of it: backends,
   * walsenders, background processes), so it accepts TCP connections but never answers.
   */
  freezePrimary(): Promise<void>;
  /** SIGCONT of exactly what freezePrimary stopped. Also done when `scope` ends. */
  thawPrimary(): Promise<void>;
  /** Stops the replica server (cleanly; it stays stopped). */
  stopReplica(): Promise<void>;
  /**
   * Starts the replica again on the same port and data (a no-op while it runs); resolves when
   * it answers.
   */
  startReplica(): Promise<void>;
  /**
   * The replica's own view, as its real client prints it, for comparing with the exporter:
   * redis-cli INFO replication (`master_link_status`, `slave_repl_offset`, ...); psql's row of
   * pg_stat_wal_receiver (`status`, `flushed_lsn`, ...; {} when it has none, after
   * wal_receiver_timeout); mariadb's SHOW SLAVE STATUS (`Slave_IO_Running`,
   * `Seconds_Behind_Master`, ...). A SQL NULL is an absent key.
   */
  replicaStatus(): Promise<Record<string, string>>;
  /**
   * Waits until the replica's link is up (Redis master_link_status:up / PostgreSQL streaming /
   * MariaDB both threads Yes) and it has what the primary had when the wait began (Redis
   * offset, PostgreSQL replay LSN, MariaDB GTID).
   */
  waitReplicating(timeoutMs?: number): Promise<void>;
}

export interface MariadbPair extends Pair {
  /** STOP SLAVE IO_THREAD; resolves when Slave_IO_Running is No. */
  stopIoThread(): Promise<void>;
  /** START SLAVE IO_THREAD; resolves when Slave_IO_Running is Yes. */
  startIoThread(): Promise<void>;
  /**
   * A duplicate-key error in the replica's SQL thread: a row inserted on the replica with
   * sql_log_bin=0, then the same key on the primary. Resolves when Slave_SQL_Running is No
   * (Last_SQL_Errno 1062).
   */
  breakSqlThread(): Promise<void>;
  /** Deletes the conflicting row on the replica and START SLAVE SQL_THREAD; resolves at Yes. */
  repairSqlThread(): Promise<void>;
}

/** Ground truth of the replication delay (see startTruth). */
export interface Truth {
  /**
   * Date.now() minus the newest written_at the replica has, in seconds; undefined if the
   * replica did not answer within `timeoutMs`.
   */
  trueLagSeconds(timeoutMs?: number): Promise<number | undefined>;
  stop(): Promise<void>;
}
