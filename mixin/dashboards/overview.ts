/**
 * patrol / Overview: the wall display of the control room. One row per checklist area; every
 * tile is green when all is well and red when someone must act, readable across the room.
 * A new area (systemd, logs, Kubernetes, HA pairs, middleware) is one more function in `rows`.
 */
import {
  buildDashboard,
  color,
  countTile,
  dashboardLink,
  dataLink,
  datasourceVariable,
  instanceVariable,
  jobVariable,
  levelTile,
  stateTile,
  steps,
  type Context,
  type DashboardModel,
  type Row,
  type Text,
} from './panels.ts';
import * as common from '@grafana/grafana-foundation-sdk/common';
import { MappingType } from '@grafana/grafana-foundation-sdk/dashboard';
import { EXPORTERS_UP } from '../alerts/index.ts';
import { sel } from '../promql.ts';
import { lagSteps, lagTexts, pairLink, pairsGrid } from './ha.ts';
import { logErrorsGrid } from './logs.ts';
import {
  filesystem,
  ha,
  logs,
  replication,
  selectors,
  systemd,
  targetMatchers,
} from './queries.ts';
import { requiredUnitsGrid } from './systemd.ts';

const rows: ((ctx: Context) => Row)[] = [
  alertsRow,
  exporterRow,
  disksRow,
  systemdRow,
  logsRow,
  haRow,
];

export function overview(ctx: Context): DashboardModel {
  const { s } = ctx;
  const o = s.overview;
  return buildDashboard(ctx.config, {
    uid: ctx.uids.overview,
    title: o.title,
    description: o.description,
    time: 'now-6h',
    variables: [
      datasourceVariable(s),
      // Several patrol jobs (hosts, Kubernetes) can share one wall; "All" is then the list of
      // those jobs, never `.+`, which would pull in every other exporter's `up`.
      jobVariable(s, true),
      // From `up` rather than patrol_build_info: a dead exporter has no build info, and it must
      // not drop out of the list at the moment it matters.
      instanceVariable(s, {
        multi: true,
        allValue: '.+',
      }),
    ],
    links: [
      dashboardLink(s.links.host, ctx.uids.host),
      dashboardLink(s.links.systemd, ctx.uids.systemd),
      dashboardLink(s.links.logs, ctx.uids.logs),
      dashboardLink(s.links.ha, ctx.uids.ha),
    ],
    rows: rows.map((row) => row(ctx)),
  });
}

/** A click on a server's tile opens the Host dashboard on that server. */
function hostLink(ctx: Context) {
  return dataLink(
    ctx.s.links.openHost,
    `/d/${ctx.uids.host}?var-datasource=\${datasource}&var-job=\${__field.labels.job}&var-instance=\${__field.labels.instance}&\${__url_time_range}`,
  );
}

function alertsRow({ s }: Context): Row {
  const p = s.overview.panels;
  // patrol's alerts keep the job and instance labels of the series they fire on; those about a
  // whole HA pair have no instance (one split brain is one alert, not one per node) and count
  // when a selected server is a node of that pair.
  const alerts = (severity: string, ...m: string[]) =>
    `ALERTS${sel('alertstate="firing"', `severity="${severity}"`, ...m)}`;
  const firing = (severity: string) =>
    `${alerts(severity, ...targetMatchers)} or (${alerts(severity, 'job=~"$job"', 'instance=""')} and on (job, cluster) patrol_ha_role${sel(...targetMatchers)})`;
  // A Prometheus without patrol's rule file has no ALERTS to count: show that (-1, "NO RULES"),
  // not a green 0. Its recording rule is the sign the file is loaded.
  const noRules = `absent(${EXPORTERS_UP}${sel('job=~"$job"')})`;
  const alertTile = (text: Text, severity: string, colour: 'bad' | 'warn') =>
    levelTile(
      text,
      {
        expr: `(count(${firing(severity)}) or vector(0)) unless on () ${noRules} or on () (-1 * ${noRules})`,
      },
      'none',
      steps(color.ok, [1, color[colour]]),
    )
      .decimals(0)
      .mappings([
        {
          type: MappingType.ValueToText,
          options: { '-1': { text: s.values.rulesNotLoaded, color: color.bad, index: 0 } },
        },
      ]);
  return {
    title: s.overview.rows.alerts,
    panels: [
      alertTile(p.criticalAlerts, 'critical', 'bad').span(12),
      alertTile(p.warningAlerts, 'warning', 'warn').span(12),
    ],
  };
}

function exporterRow(ctx: Context): Row {
  const { config, s } = ctx;
  const p = s.overview.panels;
  const v = s.values;
  const t = selectors(config, { mountpoint: false, path: false }).target;
  return {
    title: s.overview.rows.exporter,
    panels: [
      countTile(p.exportersDown, `up${t} == 0`).span(6),
      countTile(p.collectorsFailing, `patrol_collector_success${t} == 0`).span(6),
      countTile(p.configReloadFailed, `patrol_config_last_reload_successful${t} == 0`).span(6),
      // Red at 0: a wall that watches nothing must not look healthy.
      levelTile(
        p.exportersWatched,
        { expr: `count(up${t}) or vector(0)` },
        'none',
        steps(color.bad, [1, color.neutral]),
      )
        .decimals(0)
        .span(6),
      stateTile(p.exporterUp, { expr: `up${t}`, legend: '{{instance}}' }, 1, v.up, v.down)
        .dataLinks([hostLink(ctx)])
        .span(12)
        .height(6),
      // Worst case over the selected servers: a collector failing anywhere turns its tile red.
      stateTile(
        p.collectorStatus,
        { expr: `min by (collector) (patrol_collector_success${t})`, legend: '{{collector}}' },
        1,
        v.ok,
        v.failed,
      )
        .span(12)
        .height(6),
    ],
  };
}

function disksRow(ctx: Context): Row {
  const { config, s } = ctx;
  const p = s.overview.panels;
  const q = selectors(config, { mountpoint: false, path: false });
  const fs = filesystem(config, q);
  const { usedWarning, usedCritical } = config.dashboardThresholds;
  const used = () => steps(color.ok, [usedWarning, color.warn], [usedCritical, color.bad]);
  return {
    title: s.overview.rows.disks,
    panels: [
      levelTile(p.fullestFilesystem, { expr: `max(${fs.usedRatio})` }, 'percentunit', used()),
      levelTile(p.inodesUsed, { expr: `max(${fs.inodesUsedRatio})` }, 'percentunit', used()),
      countTile(p.readOnly, `(${fs.readOnly}) == 1`),
      countTile(p.deviceErrors, `${fs.deviceError} == 1`),
      countTile(p.directoriesDown, `patrol_directory_up${q.dir} == 0`),
      // Same limit as PatrolDirectoryScanStale; stale figures are a warning, not an outage.
      // ... and, like the alert, not counting those already counted as not scannable.
      countTile(
        p.directoriesStale,
        `time() - patrol_directory_last_scan_timestamp_seconds${q.dir} > ${config.thresholds.directoryScanStaleSeconds} unless on (instance, job, path) patrol_directory_up${q.dir} == 0`,
        'warn',
      ),
      levelTile(
        p.filesystemUsed,
        // The fullest 24: a wall of tens of servers stays readable, and what is shown is what matters.
        { expr: `topk(24, ${fs.usedRatio})`, legend: '{{instance}} {{mountpoint}}' },
        'percentunit',
        used(),
      )
        .dataLinks([hostLink(ctx)])
        .span(24)
        .height(8),
    ],
  };
}

/**
 * Checklist C1 and C2: the required units (kube-apiserver, kubelet, docker, ...) of every
 * server. The counts say how many are wrong; the grid below says which, one tile per server
 * and unit, so a missing or unreachable one is a red tile and never an empty space.
 */
function systemdRow(ctx: Context): Row {
  const { config, s } = ctx;
  const p = s.overview.panels;
  const q = systemd({ name: false });
  return {
    title: s.overview.rows.systemd,
    panels: [
      countTile(p.systemdUnreachable, q.unreachable),
      // Orange, as PatrolSystemdUnitFailed warns for units not required; a failed required unit
      // is red on the next tile (and on the grid), where the alert is critical.
      countTile(p.unitsFailed, q.failed, 'warn'),
      countTile(p.requiredNotActive, q.requiredLoadedNotActive),
      countTile(p.requiredMissing, q.requiredMissing),
      // Orange: one restart is worth a look; the alert waits for systemdRestartsCount of them.
      countTile(
        p.servicesRestarting,
        q.restarting(config.thresholds.systemdRestartsWindow),
        'warn',
      ),
      // Orange: degraded follows from a failed unit, already red on its own tile.
      countTile(p.systemsNotRunning, q.systemNotRunning, 'warn'),
      requiredUnitsGrid(ctx, p.requiredUnits, q.requiredGrid).span(24).height(10),
    ],
  };
}

/**
 * Checklist C8 and C9: error lines in /var/log/messages and the nginx, RabbitMQ and Redis logs.
 * The counts say how many sources are in trouble; the grid below says which, one tile per
 * server and source with its error entries per minute, so a source without files or on a host
 * that is not measured is a word on a coloured tile and never an empty space.
 */
function logsRow(ctx: Context): Row {
  const { config, s } = ctx;
  const p = s.overview.panels;
  const q = logs(config, { source: false });
  return {
    title: s.overview.rows.logs,
    panels: [
      // Orange: the conditions of the log alerts, which are warnings, without their `for:`.
      countTile(p.logErrorsHigh, q.errorsHigh, 'warn').span(6),
      // Red: patrol is blind to that log; the grid shows NO FILES in red too.
      countTile(p.logSourcesWithoutFiles, q.requiredWithoutFiles).span(6),
      countTile(p.logReadersBehind, q.behind, 'warn').span(6),
      countTile(p.logSourcesSilent, q.silent, 'warn').span(6),
      logErrorsGrid(ctx, p.logErrors, q.grid).span(24).height(10),
    ],
  };
}

/**
 * Checklist H1-H6: the hot-standby pairs. One tile per pair, its worst state in a word:
 * SPLIT BRAIN, NO PRIMARY, PEER DOWN or OK (the conditions of the pair alerts, without their
 * wait), so a pair whose exporters are all down is a red word and never an empty space. Below,
 * one tile per pair with the lag of its most lagging dataset (NOT MEASURED in red when a
 * dataset has no standby figure), and how many datasets have copies out of sync.
 */
function haRow(ctx: Context): Row {
  const { config, s } = ctx;
  const p = s.overview.panels;
  const q = ha(config, { cluster: false });
  const r = replication(config, { cluster: false });
  return {
    title: s.overview.rows.ha,
    panels: [
      pairsGrid(ctx, p.haPairs, q.pairs).span(24).height(6),
      levelTile(
        p.replicationLag,
        { expr: r.worstLag, legend: '{{cluster}}' },
        's',
        lagSteps(config.thresholds),
      )
        .mappings(lagTexts(s))
        .textMode(common.BigValueTextMode.ValueAndName)
        .dataLinks([pairLink(ctx)])
        .span(18)
        .height(6),
      // Orange: PatrolReplicationOutOfSync warns.
      countTile(p.datasetsOutOfSync, r.outOfSync, 'warn').span(6).height(6),
    ],
  };
}
