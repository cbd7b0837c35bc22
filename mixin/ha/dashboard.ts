/**
 * patrol / HA pairs: the hot-standby pairs (checklist H2, H6), for the wall and for the
 * engineer who saw a red pair on the Overview. One row per pair (the row repeats for each value
 * of $cluster): which node is primary, whether the two hear each other, how far apart their
 * clocks are, and whether they failed over lately; below, the same over time.
 *
 * A pair's row is made of sections, each a line of tiles (and the lines over time that
 * explain them): roles, heartbeat (with where its fault lies), the links of each node
 * (dashboard-links.ts), then per mirrored dataset the replication lag and canary (its writing
 * on the primary, its copy on the standby), the divergence of the standby's copy, and the
 * primary's change rate.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import type { ValueMapping } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import type { Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { durationSeconds } from '../config.ts';
import { sel } from '../promql.ts';
import {
  buildDashboard,
  color,
  dataLink,
  datasourceVariable,
  instanceVariable,
  jobVariable,
  labelVariable,
  levelTile,
  stateTile,
  stateTimeline,
  steps,
  timeseries,
  type Context,
  type DashboardModel,
  type Row,
  type Text,
  valueTexts,
} from '../dashboards/panels.ts';
import { targetMatchers } from '../dashboards/queries.ts';
import { joinRows } from '../dashboards/shared.ts';
import { faultTile, linksSection } from './dashboard-links.ts';
import {
  CANARY,
  CANARY_WRITE,
  PAIR,
  REPLICATION,
  ROLE,
  haQueries,
  replicationQueries,
} from './queries.ts';
import type { HaStrings } from './i18n/en.ts';

/** The context of this area's builders: the shared words and its own. */
type Ctx = Context<HaStrings>;
type DashboardStrings = Ctx['s'];

export function haDashboard(ctx: Ctx): DashboardModel {
  const { config, s } = ctx;
  const d = s.ha;
  // Other areas' rows (the database replication groups), below the pairs and their datasets.
  const given = ctx.parts('ha');
  return buildDashboard(config, {
    uid: ctx.uid('ha'),
    title: d.title,
    description: d.description,
    time: 'now-24h',
    variables: [
      datasourceVariable(s),
      jobVariable(s),
      // From `up`, like Host: the node whose exporter is down belongs on this wall too.
      instanceVariable(s, {
        multi: true,
        allValue: '.+',
      }),
      // From the role, which every node of every pair reports. Multi-valued so the pair row
      // repeats, once per pair; "All" starts the wall on every pair.
      labelVariable(
        'cluster',
        s.variables.cluster,
        `label_values(patrol_ha_role${sel(...targetMatchers)}, cluster)`,
        { multi: true, allValue: '.+' },
      ),
      ...given.flatMap((p) => p.variables ?? []),
    ],
    links: [ctx.link('overview'), ctx.link('host')],
    rows: [pairRow(ctx), ...joinRows(given.flatMap((p) => p.rows)), historyRow(ctx)],
  });
}

/** Words and colours of a node's role (queries.ts ROLE). */
export function roleTexts(s: DashboardStrings): ValueMapping[] {
  const h = s.values.ha;
  return valueTexts([
    [ROLE.primary, h.primary, color.ok],
    [ROLE.standby, h.standby, color.neutral],
    [ROLE.unknown, h.unknown, color.warn],
    [ROLE.exporterDown, h.exporterDown, color.bad],
  ]);
}

const roleSteps = () =>
  steps(
    color.ok,
    [ROLE.standby, color.neutral],
    [ROLE.unknown, color.warn],
    [ROLE.exporterDown, color.bad],
  );

/** Words and colours of a pair's state (queries.ts PAIR). */
export function pairTexts(s: DashboardStrings): ValueMapping[] {
  const h = s.values.ha;
  return valueTexts([
    [PAIR.ok, h.ok, color.ok],
    [PAIR.peerDown, h.peerDown, color.bad],
    [PAIR.noPrimary, h.noPrimary, color.bad],
    [PAIR.splitBrain, h.splitBrain, color.bad],
    [PAIR.notMeasured, h.notMeasured, color.bad],
    [PAIR.noPairs, h.noPairs, color.neutral],
  ]);
}

/**
 * One tile per HA pair, its state as a word, green when OK and red otherwise: the Overview's HA
 * row. A click opens this dashboard on the pair.
 */
export function pairsGrid(ctx: Ctx, text: Text, expr: string) {
  return levelTile(
    text,
    { expr, legend: '{{cluster}}' },
    'none',
    steps(color.neutral, [PAIR.ok, color.ok], [PAIR.ok + 1, color.bad]),
  )
    .mappings(pairTexts(ctx.s))
    .textMode(common.BigValueTextMode.ValueAndName)
    .dataLinks([pairLink(ctx)]);
}

/** A click on a pair's tile (job and cluster labels) opens this dashboard on the pair. */
export function pairLink(ctx: Ctx) {
  return dataLink(
    ctx.s.links.openHa,
    `/d/${ctx.uid('ha')}?var-datasource=\${datasource}&var-job=\${__field.labels.job}&var-cluster=\${__field.labels.cluster}&\${__url_time_range}`,
  );
}

/** A line of tiles of the pair row. */
type Section = (ctx: Ctx) => Builder<Panel>[];

/** Who is primary, is it one and only one, and did it change lately. */
const rolesSection: Section = ({ config, s }) => {
  const p = s.ha.panels;
  const v = s.values;
  const q = haQueries(config, { cluster: true });
  return [
    levelTile(p.roles, { expr: q.roles, legend: '{{node}}' }, 'none', roleSteps())
      .mappings(roleTexts(s))
      .textMode(common.BigValueTextMode.ValueAndName)
      .span(10)
      .height(5),
    stateTile(p.splitBrain, { expr: q.splitBrain }, 0, v.ok, v.ha.splitBrain).span(7).height(5),
    // Orange: a failover is worth a look (PatrolHaFailover warns), not an outage by itself.
    levelTile(p.failovers, { expr: q.failovers }, 'none', steps(color.ok, [1, color.warn]))
      .decimals(0)
      .span(7)
      .height(5),
  ];
};

/** The heartbeat each way: up, round trip, clock offset, last answer. */
const heartbeatSection: Section = (ctx) => {
  const { config, s } = ctx;
  const p = s.ha.panels;
  const v = s.values;
  const q = haQueries(config, { cluster: true });
  const skew = config.thresholds.haClockSkewSeconds;
  const perPeer = { legend: '{{node}} → {{peer}}' };
  return [
    stateTile(p.heartbeat, { expr: q.heartbeat, ...perPeer }, 1, v.up, v.down)
      .textMode(common.BigValueTextMode.ValueAndName)
      .span(5)
      .height(5),
    // Beside the heartbeat: where its fault lies, in the words of PatrolHaPeerDown.
    faultTile(ctx).span(7).height(5),
    levelTile(p.rtt, { expr: q.rtt, ...perPeer }, 's', steps(color.neutral))
      .textMode(common.BigValueTextMode.ValueAndName)
      .span(4)
      .height(5),
    // Either sign: orange below -limit and from +limit.
    levelTile(
      p.clockOffset,
      { expr: q.clockOffset, ...perPeer },
      's',
      steps(color.warn, [-skew, color.ok], [skew, color.warn]),
    )
      .textMode(common.BigValueTextMode.ValueAndName)
      .span(4)
      .height(5),
    levelTile(p.lastSeen, { expr: q.lastSeen, ...perPeer }, 's', steps(color.neutral))
      .textMode(common.BigValueTextMode.ValueAndName)
      .span(4)
      .height(5),
  ];
};

/** Words for the codes of a replication tile without a figure (queries.ts REPLICATION). */
function replicationTexts(s: DashboardStrings, missing: number, missingColour: string) {
  const r = s.values.replication;
  const words: Record<number, string> = {
    [REPLICATION.notMeasured]: r.notMeasured,
    [REPLICATION.notCompared]: r.notCompared,
  };
  return [
    [missing, words[missing] ?? r.notMeasured, missingColour],
    [REPLICATION.noDatasets, r.noDatasets, color.neutral],
  ] as const;
}

/**
 * Lag tile colours, as the alerts' limits: green, orange from the warning, red from the page;
 * red also for NOT MEASURED, neutral for NO DATASETS.
 */
export function lagSteps(s: {
  replicationLagWarningSeconds: number;
  replicationLagCriticalSeconds: number;
}) {
  return steps(
    color.neutral,
    [REPLICATION.notMeasured, color.bad],
    [0, color.ok],
    [s.replicationLagWarningSeconds, color.warn],
    [s.replicationLagCriticalSeconds, color.bad],
  );
}

/** Words of a lag tile's codes. */
export function lagTexts(s: DashboardStrings): ValueMapping[] {
  return valueTexts(replicationTexts(s, REPLICATION.notMeasured, color.bad));
}

/**
 * The replication of each dataset the pair mirrors, one tile per dataset: how far the standby
 * is behind, whether the primary could write the canary and whether the standby's copy of it
 * moves, and the space its copy has left; below, lag and canary over time. A dataset no standby
 * (or, for the canary's writing, no primary) measures now is a red word, never a green gap.
 */
const lagSection: Section = ({ config, s }) => {
  const p = s.ha.panels;
  const r = s.values.replication;
  const t = config.thresholds;
  const q = replicationQueries(config, { cluster: true });
  const perDataset = { legend: '{{dataset}}' };
  const perNode = { legend: '{{node}} {{dataset}}' };
  const lagLine = new common.GraphThresholdsStyleConfigBuilder().mode(
    common.GraphThresholdsStyleMode.Line,
  );
  return [
    levelTile(p.lag, { expr: q.lag, ...perDataset }, 's', lagSteps(t))
      .mappings(lagTexts(s))
      .textMode(common.BigValueTextMode.ValueAndName)
      .span(6)
      .height(5),
    // Beside the lag: a primary that cannot write the canary makes the lag grow as if the
    // mirror had stopped (PatrolReplicationCanaryUnwritable).
    levelTile(
      p.canaryWritten,
      { expr: q.canaryWritten, ...perDataset },
      'none',
      steps(color.neutral, [REPLICATION.notMeasured, color.bad], [CANARY_WRITE.written, color.ok]),
    )
      .mappings(
        valueTexts([
          [CANARY_WRITE.written, r.written, color.ok],
          [CANARY_WRITE.cannotWrite, r.cannotWrite, color.bad],
          ...replicationTexts(s, REPLICATION.notMeasured, color.bad),
        ]),
      )
      .textMode(common.BigValueTextMode.ValueAndName)
      .span(6)
      .height(5),
    levelTile(
      p.canary,
      { expr: q.canary, ...perDataset },
      'none',
      steps(
        color.neutral,
        [REPLICATION.notMeasured, color.bad],
        [CANARY.advancing, color.ok],
        [CANARY.waiting, color.neutral],
        [CANARY.stalled, color.bad],
      ),
    )
      .mappings(
        valueTexts([
          [CANARY.advancing, r.advancing, color.ok],
          [CANARY.waiting, r.waiting, color.neutral],
          [CANARY.stalled, r.stalled, color.bad],
          [CANARY.neverArrived, r.neverArrived, color.bad],
          ...replicationTexts(s, REPLICATION.notMeasured, color.bad),
        ]),
      )
      .textMode(common.BigValueTextMode.ValueAndName)
      .span(6)
      .height(5),
    // Orange below the limit of PatrolReplicationStandbySpaceLow, which warns.
    levelTile(
      p.standbySpace,
      { expr: q.standbySpace, ...perDataset },
      'percentunit',
      steps(
        color.neutral,
        [REPLICATION.notMeasured, color.bad],
        [0, color.warn],
        [t.replicationStandbySpaceAvailable, color.ok],
      ),
    )
      .mappings(valueTexts(replicationTexts(s, REPLICATION.notMeasured, color.bad)))
      .textMode(common.BigValueTextMode.ValueAndName)
      .span(6)
      .height(5),
    timeseries(p.lagOverTime, 's', { expr: q.lagOverTime, ...perNode })
      .min(0)
      .thresholds(
        steps(
          color.ok,
          [t.replicationLagWarningSeconds, color.warn],
          [t.replicationLagCriticalSeconds, color.bad],
        ),
      )
      .thresholdsStyle(lagLine),
    timeseries(p.canaryOverTime, 'none', { expr: q.canaryOverTime, ...perNode }).decimals(0),
  ];
};

/**
 * How the standby's copy differs from the primary's, as its compares find it: files out of
 * sync or missing, the bytes still to ship, extra files, and how old the last compare is.
 */
const divergenceSection: Section = ({ config, s }) => {
  const p = s.ha.panels;
  const l = s.ha.legends;
  const q = replicationQueries(config, { cluster: true });
  const perDataset = { legend: '{{dataset}}' };
  const notCompared = valueTexts(replicationTexts(s, REPLICATION.notCompared, color.neutral));
  // Orange from one: PatrolReplicationOutOfSync warns (after its wait); NOT COMPARED neutral.
  const count = () => steps(color.neutral, [0, color.ok], [1, color.warn]);
  const stale = durationSeconds(config.thresholds.replicationCompareStale);
  return [
    levelTile(p.filesOff, { expr: q.filesOff, ...perDataset }, 'none', count())
      .mappings(notCompared)
      .decimals(0)
      .textMode(common.BigValueTextMode.ValueAndName)
      .span(6)
      .height(5),
    levelTile(p.bytesToShip, { expr: q.bytesToShip, ...perDataset }, 'bytes', count())
      .mappings(notCompared)
      .textMode(common.BigValueTextMode.ValueAndName)
      .span(6)
      .height(5),
    levelTile(p.extraFiles, { expr: q.extraFiles, ...perDataset }, 'none', count())
      .mappings(notCompared)
      .decimals(0)
      .textMode(common.BigValueTextMode.ValueAndName)
      .span(6)
      .height(5),
    levelTile(
      p.lastCompare,
      { expr: q.lastCompareAge, ...perDataset },
      's',
      steps(color.neutral, [0, color.ok], [stale, color.warn]),
    )
      .mappings(notCompared)
      .textMode(common.BigValueTextMode.ValueAndName)
      .span(6)
      .height(5),
    timeseries(
      p.divergenceOverTime,
      'none',
      { expr: q.outOfSyncOverTime, legend: `{{dataset}} ${l.outOfSync}` },
      { expr: q.missingOverTime, legend: `{{dataset}} ${l.missing}` },
      { expr: q.extraOverTime, legend: `{{dataset}} ${l.extra}` },
    )
      .min(0)
      .decimals(0),
    timeseries(p.bytesToShipOverTime, 'bytes', {
      expr: q.bytesToShipOverTime,
      legend: '{{node}} {{dataset}}',
    }).min(0),
  ];
};

/**
 * What the mirror must ship (the primary's change rate, against the mirror's throttle) next to
 * the size of each node's copy.
 */
const changeSection: Section = ({ config, s }) => {
  const p = s.ha.panels;
  const q = replicationQueries(config, { cluster: true });
  return [
    timeseries(p.changeRate, 'binBps', {
      expr: q.changeRate('$__rate_interval'),
      legend: '{{dataset}}',
    }).min(0),
    timeseries(p.datasetSize, 'bytes', {
      expr: q.datasetBytes,
      legend: '{{node}} {{dataset}}',
    }).min(0),
  ];
};

/** The sections of a pair's row, top to bottom. */
const sections: Section[] = [
  rolesSection,
  heartbeatSection,
  linksSection,
  lagSection,
  divergenceSection,
  changeSection,
];

function pairRow(ctx: Ctx): Row {
  return {
    title: ctx.s.ha.rows.pair,
    repeat: 'cluster',
    panels: sections.flatMap((section) => section(ctx)),
  };
}

function historyRow({ config, s }: Ctx): Row {
  const p = s.ha.panels;
  const q = haQueries(config, { cluster: true });
  const skew = config.thresholds.haClockSkewSeconds;
  const perPeer = { legend: '{{cluster}} {{node}} → {{peer}}' };
  return {
    title: s.ha.rows.history,
    panels: [
      stateTimeline(
        p.rolesOverTime,
        { expr: q.rolesOverTime, legend: '{{cluster}} {{node}}' },
        roleTexts(s),
        roleSteps(),
      ).height(8),
      timeseries(p.rttOverTime, 's', { expr: q.rtt, ...perPeer }).min(0),
      timeseries(p.clockOffsetOverTime, 's', { expr: q.clockOffset, ...perPeer })
        .thresholds(steps(color.warn, [-skew, color.ok], [skew, color.warn]))
        .thresholdsStyle(
          new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line),
        ),
      timeseries(p.failuresByReason, 'none', {
        expr: q.failuresByReason,
        legend: '{{cluster}} {{node}} → {{peer}} {{reason}}',
      }).min(0),
      levelTile(
        p.peerRestarts,
        { expr: q.peerRestarts, ...perPeer },
        'none',
        steps(color.ok, [1, color.warn]),
      )
        .decimals(0)
        .textMode(common.BigValueTextMode.ValueAndName)
        .span(12)
        .height(8),
    ],
  };
}
