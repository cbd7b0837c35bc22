/** The filesystem area's part of patrol / Host: the $mountpoint variable and the filesystems row. */
import * as common from '@grafana/grafana-foundation-sdk/common';
import { MappingType } from '@grafana/grafana-foundation-sdk/dashboard';
import { durationSeconds } from '../config.ts';
import {
  color,
  labelVariable,
  levelTile,
  stateTile,
  steps,
  timeseries,
  type Context,
} from '../dashboards/panels.ts';
import type { DashboardPart, RowPart } from '../dashboards/shared.ts';
import { NOT_FILLING, filesystemQueries } from './queries.ts';
import type { FilesystemStrings } from './i18n/en.ts';

/** The context of this area's builders: the shared words and its own. */
type Ctx = Context<FilesystemStrings>;

export function hostPart(ctx: Ctx): DashboardPart {
  const { config, s } = ctx;
  const fs = filesystemQueries(config, { mountpoint: false }).fs;
  return {
    variables: [
      // From device_error, which stays while statfs hangs, when the size families are absent.
      labelVariable(
        'mountpoint',
        s.variables.mountpoint,
        `label_values(patrol_filesystem_device_error${fs}, mountpoint)`,
        { multi: true, allValue: '.+' },
      ),
    ],
    rows: [filesystemsRow(ctx)],
  };
}

function filesystemsRow({ config, s }: Ctx): RowPart {
  const p = s.host.panels;
  const v = s.values;
  const fs = filesystemQueries(config, { mountpoint: true });
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
    id: 'filesystems',
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
