/**
 * patrol / Host: one server in detail, for the engineer who saw a red tile on the wall. Where
 * the Overview says "a disk is filling", this says which mount, how fast, and which watched
 * directory is growing.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import { MappingType } from '@grafana/grafana-foundation-sdk/dashboard';
import { durationSeconds } from '../config.ts';
import { sel } from '../promql.ts';
import {
  buildDashboard,
  color,
  dashboardLink,
  datasourceVariable,
  instanceVariable,
  jobVariable,
  labelVariable,
  levelTile,
  stateTile,
  steps,
  timeseries,
  type Context,
  type DashboardModel,
  type Row,
} from './panels.ts';
import { NOT_FILLING, filesystem, selectors, targetMatchers } from './queries.ts';

const rows: ((ctx: Context) => Row)[] = [exporterRow, filesystemsRow, directoriesRow];

export function host(ctx: Context): DashboardModel {
  const { config, s } = ctx;
  const h = s.host;
  const q = selectors(config, { mountpoint: false, path: false });
  return buildDashboard(config, {
    uid: ctx.uids.host,
    title: h.title,
    description: h.description,
    time: 'now-24h',
    variables: [
      datasourceVariable(s),
      jobVariable(s),
      // From `up`: a server whose exporter is down is exactly the one someone wants to open.
      instanceVariable(s, {
        multi: false,
      }),
      // From device_error and directory_up, which stay while statfs hangs or a directory is
      // unreadable, when the size families are absent.
      labelVariable(
        'mountpoint',
        s.variables.mountpoint,
        `label_values(patrol_filesystem_device_error${q.fs}, mountpoint)`,
        { multi: true, allValue: '.+' },
      ),
      labelVariable(
        'path',
        s.variables.path,
        `label_values(patrol_directory_up${sel(...targetMatchers)}, path)`,
        { multi: true, allValue: '.+' },
      ),
    ],
    links: [
      dashboardLink(s.links.overview, ctx.uids.overview),
      dashboardLink(s.links.systemd, ctx.uids.systemd),
      dashboardLink(s.links.logs, ctx.uids.logs),
      dashboardLink(s.links.ha, ctx.uids.ha),
    ],
    rows: rows.map((row) => row(ctx)),
  });
}

function exporterRow({ config, s }: Context): Row {
  const p = s.host.panels;
  const v = s.values;
  const t = selectors(config, { mountpoint: false, path: false }).target;
  return {
    title: s.host.rows.exporter,
    panels: [
      stateTile(p.exporterUp, { expr: `up${t}` }, 1, v.up, v.down).height(4),
      levelTile(
        p.version,
        { expr: `patrol_build_info${t}`, legend: '{{version}}' },
        'none',
        steps(color.neutral),
      )
        .textMode(common.BigValueTextMode.Name)
        .height(4),
      stateTile(
        p.configReload,
        { expr: `patrol_config_last_reload_successful${t}` },
        1,
        v.ok,
        v.failed,
      ).height(4),
      stateTile(
        p.collectorStatus,
        { expr: `patrol_collector_success${t}`, legend: '{{collector}}' },
        1,
        v.ok,
        v.failed,
      )
        .span(12)
        .height(4),
      timeseries(p.collectorDuration, 's', {
        expr: `patrol_collector_duration_seconds${t}`,
        legend: '{{collector}}',
      })
        .min(0)
        .span(24)
        .height(7),
    ],
  };
}

function filesystemsRow({ config, s }: Context): Row {
  const p = s.host.panels;
  const v = s.values;
  const fs = filesystem(config, selectors(config, { mountpoint: true, path: false }));
  const { usedWarning, usedCritical } = config.dashboardThresholds;
  const ratio = (text: typeof p.spaceUsed, expr: string) =>
    timeseries(text, 'percentunit', { expr, legend: '{{mountpoint}}' })
      .min(0)
      .max(1)
      .thresholds(steps(color.ok, [usedWarning, color.warn], [usedCritical, color.bad]))
      .thresholdsStyle(
        new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed),
      );
  const t = config.thresholds;
  return {
    title: s.host.rows.filesystems,
    panels: [
      ratio(p.spaceUsed, fs.usedRatio),
      timeseries(p.spaceAvailable, 'bytes', {
        expr: fs.available,
        legend: '{{mountpoint}}',
      }).min(0),
      ratio(p.inodesUsed, fs.inodesUsedRatio),
      // Red within the critical alert's horizon, orange within the warning one.
      levelTile(
        p.timeToFull,
        { expr: fs.timeToFull, legend: '{{mountpoint}}' },
        'dtdurations',
        steps(
          color.bad,
          [durationSeconds(t.predictCriticalHorizon), color.warn],
          [durationSeconds(t.predictWarningHorizon), color.ok],
        ),
      )
        .mappings([
          {
            type: MappingType.ValueToText,
            options: { [String(NOT_FILLING)]: { text: v.notFilling, color: color.ok, index: 0 } },
          },
        ])
        .span(12)
        .height(8),
      stateTile(
        p.readOnly,
        { expr: fs.readOnly, legend: '{{mountpoint}}' },
        0,
        v.writable,
        v.readOnly,
      )
        .span(12)
        .height(5),
      stateTile(p.deviceError, { expr: fs.deviceError, legend: '{{mountpoint}}' }, 0, v.ok, v.error)
        .span(12)
        .height(5),
    ],
  };
}

function directoriesRow({ config, s }: Context): Row {
  const p = s.host.panels;
  const v = s.values;
  const d = selectors(config, { mountpoint: false, path: true }).dir;
  const perPath = { legend: '{{path}}' };
  return {
    title: s.host.rows.directories,
    panels: [
      stateTile(
        p.directoryUp,
        { expr: `patrol_directory_up${d}`, ...perPath },
        1,
        v.ok,
        v.cannotScan,
      )
        .span(12)
        .height(5),
      // Same limit as PatrolDirectoryScanStale.
      levelTile(
        p.lastScanAge,
        { expr: `time() - patrol_directory_last_scan_timestamp_seconds${d}`, ...perPath },
        'dtdurations',
        steps(color.ok, [config.thresholds.directoryScanStaleSeconds, color.bad]),
      )
        .span(12)
        .height(5),
      timeseries(p.sizeBytes, 'bytes', { expr: `patrol_directory_size_bytes${d}`, ...perPath }).min(
        0,
      ),
      timeseries(p.diskUsage, 'bytes', {
        expr: `patrol_directory_disk_usage_bytes${d}`,
        ...perPath,
      }).min(0),
      timeseries(p.files, 'short', { expr: `patrol_directory_files${d}`, ...perPath })
        .decimals(0)
        .min(0),
      timeseries(p.oldestFileAge, 's', {
        expr: `time() - patrol_directory_oldest_file_timestamp_seconds${d}`,
        ...perPath,
      }).min(0),
      timeseries(p.scanErrors, 'short', {
        expr: `sum by (path, reason) (increase(patrol_directory_scan_errors_total${d}[1h]))`,
        legend: '{{path}} {{reason}}',
      })
        .decimals(0)
        .min(0),
      timeseries(p.scanDuration, 's', {
        expr: `patrol_directory_scan_duration_seconds${d}`,
        ...perPath,
      }).min(0),
    ],
  };
}
