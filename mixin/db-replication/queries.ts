/** The database replication PromQL of the dashboards (the Overview's row and patrol / HA pairs'). */
import type { MixinConfig } from '../config.ts';
import { asCode, targetMatchers } from '../dashboards/queries.ts';
import { sel } from '../promql.ts';
import { BROKEN, dbConditions } from './alerts.ts';

/**
 * What a database server's cell shows besides a figure (0 or more): a replica's state is
 * `ok` or the reason it is broken (BROKEN); a server without a figure says why.
 */
export const DB = {
  /** A replica that replicates. */
  ok: 0,
  /** The server does not answer patrol: it has no figure now. */
  noFigure: -2,
  /** No replication group among the selected servers: one neutral cell. */
  noDatabases: -1,
} as const;

export { BROKEN };

/**
 * A primary's replicas, connected and expected, as one number (connected * REPLICAS_BASE +
 * expected) that the tile maps back to the text "1/2": Grafana cannot join two series into one
 * text.
 */
export const REPLICAS_BASE = 100;
/** The texts are written out for up to this many replicas (beyond: a number). */
export const REPLICAS_MAX = 10;

/** Every "connected/expected" text of the primaries' tile, with its code. */
export function replicaCountCodes(): { code: number; text: string; enough: boolean }[] {
  const out: { code: number; text: string; enough: boolean }[] = [];
  for (let expected = 0; expected <= REPLICAS_MAX; expected++)
    for (let connected = 0; connected <= REPLICAS_MAX; connected++)
      out.push({
        code: connected * REPLICAS_BASE + expected,
        text: `${connected}/${expected}`,
        enough: connected >= expected,
      });
  return out;
}

/** Texts that are the same in every language: the "connected/expected" fractions. */
export const LITERAL_TEXTS: ReadonlySet<string> = new Set(replicaCountCodes().map((r) => r.text));

/** The alerts' multi-line expressions on one line, as a dashboard query reads best. */
const oneLine = (expr: string) =>
  expr
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\(\s+/g, '(')
    .replace(/\s+\)/g, ')');

/**
 * Database replication expressions. `group` selects replication groups by $group where the
 * dashboard has it. The conditions are the alerts' own (alerts.ts), so a cell and the alert
 * about the same server agree; a server without a figure shows a code (DB), never a gap.
 */
export function dbQueries(c: MixinConfig, variables: { group: boolean }) {
  const t = c.thresholds;
  const pick = (...m: string[]) =>
    sel(...targetMatchers, variables.group ? 'group=~"$group"' : '', ...m);
  const cond = dbConditions(pick, t);
  const lag = oneLine(cond.lag);
  const broken = oneLine(cond.broken);
  const notAnswering = (role: string) =>
    asCode(`patrol_db_replication_success${pick(`role="${role}"`)} == 0`, DB.noFigure);
  const none = `on () vector(${DB.noDatabases})`;
  const primary = pick('role="primary"');

  return {
    /** The replication groups, for the $group variable. */
    groups: `label_values(patrol_db_replication_success${sel(...targetMatchers)}, group)`,
    /** PatrolDbReplicationBroken's condition: the Overview counts it. */
    broken,
    /** Replicas above the warning limit of PatrolDbReplicationLagHigh. */
    lagging: `(${lag}) > ${t.dbReplicationLagWarningSeconds}`,
    missing: cond.missing,
    heartbeatStale: cond.heartbeatStale,
    /** One cell per replica: DB.ok, or the reason it is broken (BROKEN); NO DATABASES when none. */
    replicas: [
      broken,
      asCode(`patrol_db_replication_success${pick('role="replica"')}`, DB.ok),
      none,
    ].join(' or '),
    /** One cell per replica: its lag in seconds, or NOT ANSWERING. */
    lag: [lag, notAnswering('replica'), none].join(' or '),
    /** One cell per primary: connected * REPLICAS_BASE + expected, or NOT ANSWERING. */
    primaries: [
      `patrol_db_replication_connected_replicas${primary} * ${REPLICAS_BASE} + patrol_db_replication_expected_replicas${primary}`,
      notAnswering('primary'),
      none,
    ].join(' or '),
    /** One cell per primary: the age of its own heartbeat, or NOT ANSWERING. */
    heartbeatAge: [
      `patrol_db_replication_heartbeat_age_seconds${primary}`,
      notAnswering('primary'),
      none,
    ].join(' or '),
    lagOverTime: lag,
    lagBytesOverTime: `patrol_db_replication_lag_bytes${pick()}`,
  };
}
