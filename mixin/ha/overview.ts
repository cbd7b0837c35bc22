/** The HA area's row of patrol / Overview. */
import * as common from '@grafana/grafana-foundation-sdk/common';
import { countTile, levelTile, type Context } from '../dashboards/panels.ts';
import type { DashboardPart } from '../dashboards/shared.ts';
import { lagSteps, lagTexts, pairLink, pairsGrid } from './dashboard.ts';
import { haQueries, replicationQueries } from './queries.ts';
import type { HaStrings } from './i18n/en.ts';

/** The context of this area's builders: the shared words and its own. */
type Ctx = Context<HaStrings>;

/**
 * Checklist H1-H6: the hot-standby pairs. One tile per pair, its worst state in a word:
 * SPLIT BRAIN, NO PRIMARY, PEER DOWN or OK (the conditions of the pair alerts, without their
 * wait), so a pair whose exporters are all down is a red word and never an empty space. Below,
 * one tile per pair with the lag of its most lagging dataset (NOT MEASURED in red when a
 * dataset has no standby figure), how many datasets have copies out of sync, and how many links
 * of the pairs' nodes are down or missing.
 */
export function overviewPart(ctx: Ctx): DashboardPart {
  const { config, s } = ctx;
  const p = s.overview.panels;
  const q = haQueries(config, { cluster: false });
  const r = replicationQueries(config, { cluster: false });
  return {
    rows: [
      {
        id: 'ha',
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
            .span(12)
            .height(6),
          // Orange: PatrolReplicationOutOfSync warns.
          countTile(p.datasetsOutOfSync, r.outOfSync, 'warn').span(6).height(6),
          // Red: PatrolHaLinkDown pages.
          countTile(p.haLinksDown, q.linksDown).span(6).height(6),
        ],
      },
    ],
  };
}
