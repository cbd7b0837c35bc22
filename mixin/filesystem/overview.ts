/**
 * The filesystem area's part of patrol / Overview: it opens the disks row, which the directory
 * area joins with its counts; the fullest mounts come below every count.
 */
import { color, countTile, levelTile, steps, type Context } from '../dashboards/panels.ts';
import { hostLink, type DashboardPart } from '../dashboards/shared.ts';
import { filesystemQueries } from './queries.ts';
import type { FilesystemStrings } from './i18n/en.ts';

/** The context of this area's builders: the shared words and its own. */
type Ctx = Context<FilesystemStrings>;

export function overviewPart(ctx: Ctx): DashboardPart {
  const { config, s } = ctx;
  const p = s.overview.panels;
  const fs = filesystemQueries(config, { mountpoint: false });
  const { usedWarning, usedCritical } = config.dashboardThresholds;
  const used = () => steps(color.ok, [usedWarning, color.warn], [usedCritical, color.bad]);
  return {
    rows: [
      {
        id: 'disks',
        title: s.overview.rows.disks,
        panels: [
          levelTile(p.fullestFilesystem, { expr: `max(${fs.usedRatio})` }, 'percentunit', used()),
          levelTile(p.inodesUsed, { expr: `max(${fs.inodesUsedRatio})` }, 'percentunit', used()),
          countTile(p.readOnly, `(${fs.readOnly}) == 1`),
          countTile(p.deviceErrors, `${fs.deviceError} == 1`),
        ],
        below: [
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
      },
    ],
  };
}
