/** The exporter's row of patrol / Host: is it scraped, which version, its collectors. */
import * as common from '@grafana/grafana-foundation-sdk/common';
import {
  color,
  levelTile,
  stateTile,
  steps,
  timeseries,
  type Context,
} from '../dashboards/panels.ts';
import { target } from '../dashboards/queries.ts';
import type { DashboardPart, RowPart } from '../dashboards/shared.ts';
import type { ExporterStrings } from './i18n/en.ts';

/** The context of this area's builders: the shared words and its own. */
type Ctx = Context<ExporterStrings>;

export function hostPart(ctx: Ctx): DashboardPart {
  return { rows: [exporterRow(ctx)] };
}

function exporterRow({ s }: Ctx): RowPart {
  const p = s.host.panels;
  const v = s.values;
  const t = target;
  return {
    id: 'exporter',
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
