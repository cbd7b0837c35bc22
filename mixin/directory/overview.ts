/** The directory area's part of patrol / Overview: its counts in the disks row. */
import { countTile, type Context } from '../dashboards/panels.ts';
import type { DashboardPart } from '../dashboards/shared.ts';
import { directorySelector } from './queries.ts';
import type { DirectoryStrings } from './i18n/en.ts';

/** The context of this area's builders: the shared words and its own. */
type Ctx = Context<DirectoryStrings>;

export function overviewPart({ config, s }: Ctx): DashboardPart {
  const p = s.overview.panels;
  const dir = directorySelector({ path: false });
  return {
    rows: [
      {
        // The filesystem area opens (and names) the row.
        id: 'disks',
        panels: [
          countTile(p.directoriesDown, `patrol_directory_up${dir} == 0`),
          // Same limit as PatrolDirectoryScanStale; stale figures are a warning, not an outage.
          // ... and, like the alert, not counting those already counted as not scannable.
          countTile(
            p.directoriesStale,
            `time() - patrol_directory_last_scan_timestamp_seconds${dir} > ${config.thresholds.directoryScanStaleSeconds} unless on (instance, job, path) patrol_directory_up${dir} == 0`,
            'warn',
          ),
        ],
      },
    ],
  };
}
