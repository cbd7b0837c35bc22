/**
 * The database replication groups' row of patrol / HA pairs, below the pairs and the lag of
 * their mirrored datasets: the databases the pairs protect replicate by themselves (Redis,
 * PostgreSQL streaming, MySQL/MariaDB), and the wall shows both side by side. One line of
 * tiles per role (each replica's state and lag; each primary's replicas and heartbeat), then the
 * lag over time.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import type { ValueMapping } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  color,
  labelVariable,
  levelTile,
  steps,
  timeseries,
  type Context,
  valueTexts,
} from '../dashboards/panels.ts';
import type { DashboardPart } from '../dashboards/shared.ts';
import { BROKEN, DB, dbQueries, replicaCountCodes } from './queries.ts';
import type { DbReplicationStrings } from './i18n/en.ts';

type Ctx = Context<DbReplicationStrings>;
type DashboardStrings = Ctx['s'];

/** Words and colours of a replica's state (queries.ts DB and BROKEN). */
export function replicaTexts(s: DashboardStrings): ValueMapping[] {
  const v = s.values.db;
  return valueTexts([
    [DB.ok, v.ok, color.ok],
    [BROKEN.notAnswering, v.notAnswering, color.bad],
    [BROKEN.notReplicating, v.notReplicating, color.bad],
    [BROKEN.linkDown, v.linkDown, color.bad],
    [DB.noDatabases, v.noDatabases, color.neutral],
  ]);
}

/** A replica's cell: green when it replicates, red otherwise, neutral without databases. */
export const replicaSteps = () => steps(color.neutral, [DB.ok, color.ok], [DB.ok + 1, color.bad]);

/** Lag colours, as the alert's limits: green, orange from the warning, red from the page. */
function lagSteps(t: Ctx['config']['thresholds']) {
  return steps(
    color.neutral,
    [DB.noFigure, color.bad],
    [DB.noDatabases, color.neutral],
    [0, color.ok],
    [t.dbReplicationLagWarningSeconds, color.warn],
    [t.dbReplicationLagCriticalSeconds, color.bad],
  );
}

export function haPart(ctx: Ctx): DashboardPart {
  const { config, s } = ctx;
  const p = s.dbReplication.panels;
  const v = s.values.db;
  const t = config.thresholds;
  const q = dbQueries(config, { group: true });
  const perServer = { legend: '{{group}} {{server}}' };
  const noFigure = (word: string) =>
    [
      [DB.noFigure, word, color.bad],
      [DB.noDatabases, v.noDatabases, color.neutral],
    ] as const;
  // Orange: PatrolDbReplicaMissing warns.
  const counts = valueTexts([
    ...replicaCountCodes().map((r) => [r.code, r.text, r.enough ? color.ok : color.warn] as const),
    ...noFigure(v.notAnswering),
  ]);
  const limits = new common.GraphThresholdsStyleConfigBuilder().mode(
    common.GraphThresholdsStyleMode.Line,
  );
  return {
    variables: [
      labelVariable('group', s.variables.group, q.groups, { multi: true, allValue: '.+' }),
    ],
    rows: [
      {
        id: 'databases',
        title: s.dbReplication.rows.databases,
        panels: [
          levelTile(p.replicas, { expr: q.replicas, ...perServer }, 'none', replicaSteps())
            .mappings(replicaTexts(s))
            .textMode(common.BigValueTextMode.ValueAndName)
            .span(12)
            .height(5),
          levelTile(p.lag, { expr: q.lag, ...perServer }, 's', lagSteps(t))
            .mappings(valueTexts(noFigure(v.notMeasured)))
            .textMode(common.BigValueTextMode.ValueAndName)
            .span(12)
            .height(5),
          levelTile(
            p.primaries,
            { expr: q.primaries, ...perServer },
            'none',
            steps(color.neutral, [DB.noFigure, color.bad], [DB.noDatabases, color.neutral]),
          )
            .mappings(counts)
            .textMode(common.BigValueTextMode.ValueAndName)
            .span(12)
            .height(5),
          levelTile(
            p.heartbeatAge,
            { expr: q.heartbeatAge, ...perServer },
            's',
            steps(
              color.neutral,
              [DB.noFigure, color.bad],
              [DB.noDatabases, color.neutral],
              [0, color.ok],
              [t.dbHeartbeatStaleSeconds, color.warn],
            ),
          )
            .mappings(valueTexts(noFigure(v.notAnswering)))
            .textMode(common.BigValueTextMode.ValueAndName)
            .span(12)
            .height(5),
          timeseries(p.lagOverTime, 's', { expr: q.lagOverTime, ...perServer })
            .min(0)
            .thresholds(
              steps(
                color.ok,
                [t.dbReplicationLagWarningSeconds, color.warn],
                [t.dbReplicationLagCriticalSeconds, color.bad],
              ),
            )
            .thresholdsStyle(limits),
          timeseries(p.lagBytesOverTime, 'bytes', {
            expr: q.lagBytesOverTime,
            ...perServer,
          }).min(0),
        ],
      },
    ],
  };
}
