/** The systemd area's row of patrol / Overview. */
import { countTile, type Context } from '../dashboards/panels.ts';
import type { DashboardPart } from '../dashboards/shared.ts';
import { requiredUnitsGrid } from './dashboard.ts';
import { systemdQueries } from './queries.ts';
import type { SystemdStrings } from './i18n/en.ts';

/** The context of this area's builders: the shared words and its own. */
type Ctx = Context<SystemdStrings>;

/**
 * Checklist C1 and C2: the required units (kube-apiserver, kubelet, docker, ...) of every
 * server. The counts say how many are wrong; the grid below says which, one tile per server
 * and unit, so a missing or unreachable one is a red tile and never an empty space.
 */
export function overviewPart(ctx: Ctx): DashboardPart {
  const { config, s } = ctx;
  const p = s.overview.panels;
  const q = systemdQueries({ name: false });
  return {
    rows: [
      {
        id: 'systemd',
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
        ],
        below: [requiredUnitsGrid(ctx, p.requiredUnits, q.requiredGrid).span(24).height(10)],
      },
    ],
  };
}
