/** The exporter's rows of patrol / Overview: the alerts firing, and the exporters and collectors. */
import { MappingType } from '@grafana/grafana-foundation-sdk/dashboard';
import { target, targetMatchers } from '../dashboards/queries.ts';
import {
  color,
  countTile,
  levelTile,
  stateTile,
  steps,
  type Context,
  type Text,
} from '../dashboards/panels.ts';
import { hostLink, type DashboardPart, type RowPart } from '../dashboards/shared.ts';
import { sel } from '../promql.ts';
import { EXPORTERS_UP } from './alerts.ts';
import type { ExporterStrings } from './i18n/en.ts';

/** The context of this area's builders: the shared words and its own. */
type Ctx = Context<ExporterStrings>;

export function overviewPart(ctx: Ctx): DashboardPart {
  return { rows: [alertsRow(ctx), exporterRow(ctx)] };
}

function alertsRow({ s }: Ctx): RowPart {
  const p = s.overview.panels;
  // patrol's alerts keep the job and instance labels of the series they fire on; those about a
  // whole HA pair have no instance (one split brain is one alert, not one per node) and count
  // when a selected server is a node of that pair.
  const alerts = (severity: string, ...m: string[]) =>
    `ALERTS${sel('alertstate="firing"', `severity="${severity}"`, ...m)}`;
  const firing = (severity: string) =>
    `${alerts(severity, ...targetMatchers)} or (${alerts(severity, 'job=~"$job"', 'instance=""')} and on (job, cluster) patrol_ha_role${sel(...targetMatchers)})`;
  // A Prometheus without patrol's rule file has no ALERTS to count: show that (-1, "NO RULES"),
  // not a green 0. Its recording rule is the sign the file is loaded.
  const noRules = `absent(${EXPORTERS_UP}${sel('job=~"$job"')})`;
  const alertTile = (text: Text, severity: string, colour: 'bad' | 'warn') =>
    levelTile(
      text,
      {
        expr: `(count(${firing(severity)}) or vector(0)) unless on () ${noRules} or on () (-1 * ${noRules})`,
      },
      'none',
      steps(color.ok, [1, color[colour]]),
    )
      .decimals(0)
      .mappings([
        {
          type: MappingType.ValueToText,
          options: { '-1': { text: s.values.rulesNotLoaded, color: color.bad, index: 0 } },
        },
      ]);
  return {
    id: 'alerts',
    title: s.overview.rows.alerts,
    panels: [
      alertTile(p.criticalAlerts, 'critical', 'bad').span(12),
      alertTile(p.warningAlerts, 'warning', 'warn').span(12),
    ],
  };
}

function exporterRow(ctx: Ctx): RowPart {
  const { s } = ctx;
  const p = s.overview.panels;
  const v = s.values;
  const t = target;
  return {
    id: 'exporter',
    title: s.overview.rows.exporter,
    panels: [
      countTile(p.exportersDown, `up${t} == 0`).span(6),
      countTile(p.collectorsFailing, `patrol_collector_success${t} == 0`).span(6),
      countTile(p.configReloadFailed, `patrol_config_last_reload_successful${t} == 0`).span(6),
      // Red at 0: a wall that watches nothing must not look healthy.
      levelTile(
        p.exportersWatched,
        { expr: `count(up${t}) or vector(0)` },
        'none',
        steps(color.bad, [1, color.neutral]),
      )
        .decimals(0)
        .span(6),
    ],
    below: [
      stateTile(p.exporterUp, { expr: `up${t}`, legend: '{{instance}}' }, 1, v.up, v.down)
        .dataLinks([hostLink(ctx)])
        .span(12)
        .height(6),
      // Worst case over the selected servers: a collector failing anywhere turns its tile red.
      stateTile(
        p.collectorStatus,
        { expr: `min by (collector) (patrol_collector_success${t})`, legend: '{{collector}}' },
        1,
        v.ok,
        v.failed,
      )
        .span(12)
        .height(6),
    ],
  };
}
