/** The probes area's row of patrol / Overview: the middleware of the morning walk (C7). */
import * as common from '@grafana/grafana-foundation-sdk/common';
import {
  color,
  countTile,
  dataLink,
  levelTile,
  steps,
  type Context,
} from '../dashboards/panels.ts';
import type { DashboardPart } from '../dashboards/shared.ts';
import { probesQueries } from './queries.ts';
import { serviceTexts } from './dashboard.ts';
import type { ProbesStrings } from './i18n/en.ts';

type Ctx = Context<ProbesStrings>;

export function overviewPart(ctx: Ctx): DashboardPart {
  const { config, s } = ctx;
  const p = s.overview.panels;
  const q = probesQueries(config, { probe: false });
  return {
    rows: [
      {
        id: 'services',
        title: s.overview.rows.services,
        // Three counts filling the line (the grid below starts on a line of its own).
        panels: [
          countTile(p.probesFailing, q.failing).span(8),
          countTile(p.certificatesExpiring, q.certExpiring, 'warn').span(8),
          levelTile(
            p.slowest,
            { expr: q.slowest },
            's',
            steps(color.ok, [1, color.warn], [5, color.bad]),
          ).span(8),
        ],
        below: [servicesGrid(ctx, p.services, q.successByProbe).span(24).height(6)],
      },
    ],
  };
}

/** One tile per probe, UP or DOWN on green or red; a click opens patrol / Services on it. */
export function servicesGrid(ctx: Ctx, text: { title: string; description: string }, expr: string) {
  return levelTile(text, { expr, legend: '{{probe}}' }, 'none', steps(color.bad, [1, color.ok]))
    .mappings(serviceTexts(ctx.s))
    .textMode(common.BigValueTextMode.ValueAndName)
    .dataLinks([
      dataLink(
        ctx.s.links.probes,
        `/d/${ctx.uid('probes')}?var-datasource=\${datasource}&var-probe=\${__field.labels.probe}&\${__url_time_range}`,
      ),
    ]);
}
