/** The logs area's row of patrol / Overview. */
import { countTile, type Context } from '../dashboards/panels.ts';
import type { DashboardPart } from '../dashboards/shared.ts';
import { logErrorsGrid } from './dashboard.ts';
import { logQueries } from './queries.ts';
import type { LogsStrings } from './i18n/en.ts';

/** The context of this area's builders: the shared words and its own. */
type Ctx = Context<LogsStrings>;

/**
 * Checklist C8 and C9: error lines in /var/log/messages and the nginx, RabbitMQ and Redis logs.
 * The counts say how many sources are in trouble; the grid below says which, one tile per
 * server and source with its error entries per minute, so a source without files or on a host
 * that is not measured is a word on a coloured tile and never an empty space.
 */
export function overviewPart(ctx: Ctx): DashboardPart {
  const { config, s } = ctx;
  const p = s.overview.panels;
  const q = logQueries(config, { source: false });
  return {
    rows: [
      {
        id: 'logs',
        title: s.overview.rows.logs,
        panels: [
          // Orange: the conditions of the log alerts, which are warnings, without their `for:`.
          countTile(p.logErrorsHigh, q.errorsHigh, 'warn').span(6),
          // Red: patrol is blind to that log; the grid shows NO FILES in red too.
          countTile(p.logSourcesWithoutFiles, q.requiredWithoutFiles).span(6),
          countTile(p.logReadersBehind, q.behind, 'warn').span(6),
          countTile(p.logSourcesSilent, q.silent, 'warn').span(6),
        ],
        below: [logErrorsGrid(ctx, p.logErrors, q.grid).span(24).height(10)],
      },
    ],
  };
}
