/** The directory area's part of patrol / Host: the $path variable and the watched directories row. */
import {
  color,
  labelVariable,
  levelTile,
  stateTile,
  steps,
  timeseries,
  type Context,
} from '../dashboards/panels.ts';
import { target } from '../dashboards/queries.ts';
import type { DashboardPart, RowPart } from '../dashboards/shared.ts';
import { directorySelector } from './queries.ts';
import type { DirectoryStrings } from './i18n/en.ts';

/** The context of this area's builders: the shared words and its own. */
type Ctx = Context<DirectoryStrings>;

export function hostPart(ctx: Ctx): DashboardPart {
  return {
    variables: [
      // From directory_up, which stays while a directory is unreadable, when the size families
      // are absent.
      labelVariable(
        'path',
        ctx.s.variables.path,
        `label_values(patrol_directory_up${target}, path)`,
        { multi: true, allValue: '.+' },
      ),
    ],
    rows: [directoriesRow(ctx)],
  };
}

function directoriesRow({ config, s }: Ctx): RowPart {
  const p = s.host.panels;
  const v = s.values;
  const d = directorySelector({ path: true });
  const perPath = { legend: '{{path}}' };
  return {
    id: 'directories',
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
