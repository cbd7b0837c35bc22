/**
 * The database replication area's row of patrol / Overview (checklist H7: the protected
 * databases' own replication): four counts, green at 0. A click opens patrol / HA pairs, whose
 * Databases row shows each server.
 */
import { countTile, dataLink, type Context } from '../dashboards/panels.ts';
import type { DashboardPart } from '../dashboards/shared.ts';
import { dbQueries } from './queries.ts';
import type { DbReplicationStrings } from './i18n/en.ts';

type Ctx = Context<DbReplicationStrings>;

export function overviewPart(ctx: Ctx): DashboardPart {
  const { config, s } = ctx;
  const p = s.overview.panels;
  const q = dbQueries(config, { group: false });
  const open = [
    dataLink(
      s.links.openDatabases,
      `/d/${ctx.uid('ha')}?var-datasource=\${datasource}&\${__url_time_range}`,
    ),
  ];
  return {
    rows: [
      {
        id: 'databases',
        title: s.overview.rows.databases,
        panels: [
          countTile(p.dbBroken, q.broken).dataLinks(open).span(6),
          countTile(p.dbLagging, q.lagging, 'warn').dataLinks(open).span(6),
          countTile(p.dbReplicasMissing, q.missing, 'warn').dataLinks(open).span(6),
          countTile(p.dbHeartbeatStale, q.heartbeatStale, 'warn').dataLinks(open).span(6),
        ],
      },
    ],
  };
}
