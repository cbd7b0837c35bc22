import type { MixinConfig } from '../config.ts';
import { promql, sel } from '../promql.ts';
import type { AlertSpec, GroupSpec, Severity } from '../alerts/types.ts';
import { lookup } from '../alerts/templates.ts';
import type { DbReplicationStrings } from './i18n/en.ts';

/** The alerts whose texts this area's string table has. */
type Alert = keyof DbReplicationStrings['alerts'];

/** The labels that name one database server as one patrol reads it. */
export const SERVER = 'instance, job, group, engine, server, role';

/** The labels a replica and its primary share: the replication group, as one patrol reads it. */
export const GROUP = 'instance, job, group';

/**
 * Why a replica's replication is not running, worst first: the value of PatrolDbReplicationBroken
 * (its description says which) and the code of the dashboards' replica cells. A value, not a
 * label: a replica going from "link down" to "does not answer" stays one alert whose `for:`
 * keeps running.
 */
export const BROKEN = {
  /** patrol_db_replication_success 0: down, refusing, timing out; its replication state unknown. */
  notAnswering: 1,
  /** patrol_db_replication_configured 0: promoted to a primary, or its replication reset. */
  notReplicating: 2,
  /** patrol_db_replication_link_up 0: set up to replicate, but not replicating. */
  linkDown: 3,
} as const;

/**
 * The conditions of the database replication groups, shared by the alerts (on the mixin's
 * selector) and the dashboards (on their variables) so that a cell and the alert about the same
 * server agree. `pick(...matchers)` is the selector of the db_replication series.
 */
export function dbConditions(
  pick: (...matchers: string[]) => string,
  t: MixinConfig['thresholds'],
) {
  const replica = pick('role="replica"');
  const primary = pick('role="primary"');
  const heartbeatAge = `patrol_db_replication_heartbeat_age_seconds${primary}`;
  return {
    /**
     * A replica whose replication is not running, its value the reason (BROKEN). A replica that
     * does not answer has no link_up, configured or lag series: its success of 0 says it.
     */
    broken: promql`
      (patrol_db_replication_success${replica} == 0) + ${BROKEN.notAnswering}
      or
      (patrol_db_replication_configured${replica} == 0) + ${BROKEN.notReplicating}
      or
      (patrol_db_replication_link_up${replica} == 0) + ${BROKEN.linkDown}`,
    /**
     * Per replica, how far it is behind: the heartbeat's lag (the truth) where the replica has
     * one, unless its primary's own heartbeat is stale, else the server's own figure. A stale
     * heartbeat on the primary (its writer is dead) makes its replicas' heartbeat lag the age of
     * the last heartbeat written, not replication lag. A primary patrol cannot read has no
     * heartbeat age: its replicas' heartbeat lag keeps counting (nothing new reaches them,
     * whatever the reason), so the group does not fall silent.
     */
    lag: promql`
      max without (method) (
        patrol_db_replication_lag_seconds${pick('method="heartbeat"')}
        unless on (${GROUP})
          ${heartbeatAge} > ${t.dbHeartbeatStaleSeconds}
      )
      or
      max without (method) (patrol_db_replication_lag_seconds${pick('method="native"')})`,
    /** A primary with fewer replicas connected than expected; the value is those connected. */
    missing: `patrol_db_replication_connected_replicas${primary} < patrol_db_replication_expected_replicas${primary}`,
    /** A primary whose heartbeat is older than the limit: its writer is dead. */
    heartbeatStale: `${heartbeatAge} > ${t.dbHeartbeatStaleSeconds}`,
    /** A MySQL/MariaDB replica thread's last error, the error number as the value. */
    error: `patrol_db_replication_last_error_code${pick()} != 0`,
  };
}

/** Indents every line of a multi-line expression to sit inside another one. */
const indent = (expr: string, by: string) =>
  expr
    .split('\n')
    .map((l) => by + l)
    .join('\n');

/**
 * Database replication (checklist H7: the protected applications' own replication, Redis,
 * PostgreSQL, MySQL/MariaDB), per replication group: one primary and its replicas, read by one
 * patrol. One problem, one alert:
 *   a replica does not replicate (or does not answer)   -> PatrolDbReplicationBroken (replica)
 *   a replica is far behind                              -> PatrolDbReplicationLagHigh (replica)
 *   a MySQL/MariaDB replication thread stopped on error  -> PatrolDbReplicationError (replica, thread)
 *   a primary has fewer replicas than expected           -> PatrolDbReplicaMissing (primary)
 *   the heartbeat on a primary is not written            -> PatrolDbHeartbeatStale (primary)
 * Every alert carries the server's labels (group, engine, server, role). What follows from
 * another is held back in Alertmanager (deploy/alertmanager.yml): the error holds back the
 * broken replica and its lag, the broken replica its lag and its primary's missing replica.
 */
export function dbReplicationGroup(c: MixinConfig): GroupSpec<Alert> {
  const t = c.thresholds;
  const cond = dbConditions((...m) => sel(c.selector, ...m), t);

  const lagHigh = (severity: Severity, threshold: number): AlertSpec<Alert> => ({
    alert: 'PatrolDbReplicationLagHigh',
    severity,
    expr: ['(', indent(cond.lag, '  '), `) > ${threshold}`].join('\n'),
    for: c.for.dbReplicationLagHigh,
    params: { threshold: `${threshold}s` },
  });

  return {
    name: 'patrol-db-replication',
    rules: [
      {
        // Pages: the replica no longer follows its primary (or nobody can tell), and a failover
        // to it now loses what was written since.
        alert: 'PatrolDbReplicationBroken',
        severity: 'critical',
        expr: cond.broken,
        for: c.for.dbReplicationBroken,
        // The reason's codes, as Go template numbers (its `eq` does not compare 1 with 1.0).
        params: {
          notAnswering: BROKEN.notAnswering.toFixed(1),
          notReplicating: BROKEN.notReplicating.toFixed(1),
        },
      },
      lagHigh('warning', t.dbReplicationLagWarningSeconds),
      lagHigh('critical', t.dbReplicationLagCriticalSeconds),
      {
        // Warning: the primary serves, and each replica patrol reads pages on its own
        // (PatrolDbReplicationBroken); this is the primary's side, which also sees replicas that
        // patrol does not read.
        alert: 'PatrolDbReplicaMissing',
        severity: 'warning',
        expr: cond.missing,
        for: c.for.dbReplicaMissing,
        params: {
          expected: lookup(
            'patrol_db_replication_expected_replicas',
            'instance, job, group, server',
          ),
        },
      },
      {
        alert: 'PatrolDbHeartbeatStale',
        severity: 'warning',
        expr: cond.heartbeatStale,
        for: c.for.dbHeartbeatStale,
        params: { threshold: `${t.dbHeartbeatStaleSeconds}s` },
      },
      {
        alert: 'PatrolDbReplicationError',
        severity: 'critical',
        expr: cond.error,
        for: c.for.dbReplicationError,
      },
    ],
  };
}
