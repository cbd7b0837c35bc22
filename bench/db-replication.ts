/**
 * Database replication lag through a partition: patrol's db_replication collector against
 * prometheus-redis-exporter, prometheus-postgres-exporter and prometheus-mysqld-exporter (Debian's
 * packages) on the same real replicated pairs, in the same run, through the same partition; and
 * CPU per scrape of each.
 *
 *   node bench/db-replication.ts [--seconds=40] [--rounds=200] [--healthy-seconds=3]
 *                                [--heal-seconds=30] [--idle-seconds=10] [--warmup=5]
 *
 * Needs root (iptables; PostgreSQL and MariaDB run as their Debian users), redis-server,
 * postgresql-15, mariadb-server, iptables, and the three exporters (REDIS_EXPORTER,
 * POSTGRES_EXPORTER, MYSQLD_EXPORTER override their paths).
 *
 * - The pairs (test/harness/replication.ts, started concurrently): Redis 7 primary + replica,
 *   PostgreSQL 15 primary + streaming standby, MariaDB 10.11 primary + GTID replica. Each server
 *   listens on 127.0.0.1; the replication link alone goes over a second loopback address, so a
 *   partition cuts it with iptables while every exporter still reaches both servers. Their own
 *   timeouts are 10 s (repl-timeout, wal_sender/receiver_timeout, slave_net_timeout). The truth
 *   (startTruth): the local clock written on each primary every 200 ms, its age read on the
 *   replica.
 * - patrol as deployed (`node dist/main.js`, built first) with only the db_replication collector
 *   and one group per pair (test/harness/db-replication.ts groupFor: patrol writes the heartbeat,
 *   every 1 s). A patrol scrape reads the primary and the replica of each group.
 * - The peers, each on the REPLICA (their defaults otherwise): redis_exporter `--redis.addr`
 *   (password in REDIS_PASSWORD), which also gives the primary's view through its multi-target
 *   `/scrape?target=`; postgres_exporter (DATA_SOURCE_NAME) with `--extend.query-path` holding
 *   the `pg_replication` query of Debian's examples/queries.yaml, copied verbatim (0.11.1 has no
 *   lag built in); mysqld_exporter (DATA_SOURCE_NAME) `--collect.slave_status`. The series
 *   compared: redis_master_last_io_seconds_ago and redis_master_link_up (replica),
 *   redis_connected_slave_lag_seconds and redis_connected_slaves (primary); pg_replication_lag;
 *   mysql_slave_status_seconds_behind_master, mysql_slave_status_slave_io_running. Every exporter
 *   must show its lag of a healthy pair first, or the run stops.
 * - The timeline: every second (`healthy-seconds` before the cut, `seconds` of partition, then
 *   after the heal until everything is back, at most `heal-seconds`), the truth, one patrol scrape
 *   and one scrape of each peer, all at once; one line per engine. The three links are cut at
 *   once. Summary per engine over the partition: max |patrol heartbeat lag - truth|, and the
 *   seconds a peer's lag read 0, less, or nothing while the truth was > 2 s.
 * - CPU per scrape, after the heal: `rounds` interleaved sequential rounds, one GET /metrics of
 *   each exporter per round over a keep-alive connection; utime + stime of each process
 *   (/proc/<pid>/stat, checked to be the binary itself through /proc/<pid>/exe) over the rounds,
 *   per scrape, nothing subtracted; its idle CPU per second measured before. patrol's one scrape
 *   covers the three groups: it is compared per group (divided by 3) with each peer's scrape, and
 *   whole with the three peers' scrapes together.
 *
 * Goal: patrol's heartbeat lag within the heartbeat interval plus one scrape (2 s) of the truth at
 * every second of the partition, for all three engines.
 *
 * The code is in bench/db-replication/: main.ts runs the parts in order; exporters.ts starts the
 * exporters and reads their series, timeline.ts the seconds and the summary, cpu.ts the rounds,
 * options.ts the goal and options.
 */
import { main } from './db-replication/main.ts';

await main();
