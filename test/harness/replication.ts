/**
 * Real replicated pairs (Redis, PostgreSQL, MariaDB) and a ground truth of their replication
 * delay, for end-to-end tests of the replication collector: see replication/types.ts. The modules:
 *   replication/types.ts      Pair, MariadbPair, Truth, Engine (and how the pairs are built)
 *   replication/iptables.ts   cutting and healing the replication link alone
 *   replication/processes.ts  freezing a primary, replacing a replica's process, passwords
 *   replication/redis.ts      startRedisPair()
 *   replication/postgres.ts   startPostgresPair()
 *   replication/mariadb.ts    startMariadbPair(), MARIADB_PATROL_GRANTS
 *   replication/truth.ts      startTruth()
 */
export type { Engine, MariadbPair, Pair, Truth } from './replication/types.ts';
export { MARIADB_PATROL_GRANTS, startMariadbPair } from './replication/mariadb.ts';
export { startPostgresPair } from './replication/postgres.ts';
export { startRedisPair } from './replication/redis.ts';
export { startTruth } from './replication/truth.ts';
