/**
 * Routing cases of database replication groups: one patrol (host-db:9872) reads the groups
 * sessions (Redis), platform-mysql (MariaDB) and gas-pg (PostgreSQL); each alert names its
 * server by `group` and `server`. Sources of inhibition are posted first (see
 * ../alertmanager.test.ts); the rest are the targets and bystanders.
 */
import { alert, type Case } from './alerts.ts';

const PATROL = 'host-db:9872';

/** A server of a replication group, as every PatrolDb* alert carries it. */
const server = (group: string, engine: string, name: string, role: 'primary' | 'replica') => ({
  instance: PATROL,
  group,
  engine,
  server: name,
  role,
});

export const DB_SOURCES: Record<string, Case> = {
  // mysql-b's SQL thread stopped on a duplicate key ...
  errorMysqlB: {
    alert: alert('PatrolDbReplicationError', 'critical', {
      ...server('platform-mysql', 'mysql', 'mysql-b', 'replica'),
      thread: 'sql',
    }),
    expect: { receiver: 'pager' },
  },
  // ... and redis-b's link is down.
  brokenRedisB: {
    alert: alert(
      'PatrolDbReplicationBroken',
      'critical',
      server('sessions', 'redis', 'redis-b', 'replica'),
    ),
    expect: { receiver: 'pager' },
  },
};

export const DB_OTHERS: Record<string, Case> = {
  // The error is why mysql-b does not replicate: one page, the one that names the error.
  brokenMysqlB: {
    alert: alert(
      'PatrolDbReplicationBroken',
      'critical',
      server('platform-mysql', 'mysql', 'mysql-b', 'replica'),
    ),
    expect: { inhibitedBy: 'errorMysqlB', receiver: 'pager' },
  },
  // A broken replica falls behind: its lag alerts are held back, the critical one too (the
  // warning is the first rule's: any critical alert of the same server) ...
  lagCriticalRedisB: {
    alert: alert(
      'PatrolDbReplicationLagHigh',
      'critical',
      server('sessions', 'redis', 'redis-b', 'replica'),
    ),
    expect: { inhibitedBy: 'brokenRedisB', receiver: 'pager' },
  },
  // ... not another replica's of the same group (the same notification group).
  lagCriticalRedisC: {
    alert: alert(
      'PatrolDbReplicationLagHigh',
      'critical',
      server('sessions', 'redis', 'redis-c', 'replica'),
    ),
    expect: { receiver: 'pager' },
  },
  // The primary of the broken replica misses it: the same replica seen from the other side ...
  missingRedisA: {
    alert: alert(
      'PatrolDbReplicaMissing',
      'warning',
      server('sessions', 'redis', 'redis-a', 'primary'),
    ),
    expect: { inhibitedBy: 'brokenRedisB', receiver: 'team-chat' },
  },
  // ... another group's primary missing a replica is news (the same notification group).
  missingPgA: {
    alert: alert(
      'PatrolDbReplicaMissing',
      'warning',
      server('gas-pg', 'postgres', 'pg-a', 'primary'),
    ),
    expect: { receiver: 'team-chat' },
  },
  // A critical alert about one server holds back no warning about another server of the same
  // patrol, nor the patrol's own warnings (`group` and `server` are in `same_target`).
  heartbeatStalePgA: {
    alert: alert(
      'PatrolDbHeartbeatStale',
      'warning',
      server('gas-pg', 'postgres', 'pg-a', 'primary'),
    ),
    expect: { receiver: 'team-chat' },
  },
  reloadDb: {
    alert: alert('PatrolConfigReloadFailed', 'warning', { instance: PATROL }),
    expect: { receiver: 'team-chat' },
  },
};
