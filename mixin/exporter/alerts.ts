import type { MixinConfig } from '../config.ts';
import { promql, sel } from '../promql.ts';
import type { GroupSpec } from '../alerts/types.ts';
import type { ExporterStrings } from './i18n/en.ts';

/** The alerts whose texts this area's string table has. */
type Alert = keyof ExporterStrings['alerts'];

/**
 * Exporters up per job. Also the dashboards' sign that this rule file is loaded: without it the
 * alert tiles would read a reassuring 0 on a Prometheus that evaluates no patrol alert at all.
 */
export const EXPORTERS_UP = 'job:patrol_up:sum';

export function exporterGroup(c: MixinConfig): GroupSpec<Alert> {
  const s = sel(c.selector);
  return {
    name: 'patrol-exporter',
    rules: [
      { record: EXPORTERS_UP, expr: `sum by (job) (up${s})` },
      {
        // Blind, not merely degraded: every check of the host is gone with it.
        alert: 'PatrolExporterDown',
        severity: 'critical',
        expr: `up${s} == 0`,
        for: c.for.exporterDown,
      },
      {
        // A collector failing on alternate scrapes never holds `== 0` for the whole `for:`;
        // the 5m minimum catches one that fails at least once in every five minutes.
        alert: 'PatrolCollectorFailing',
        severity: 'warning',
        expr: promql`min_over_time(patrol_collector_success${s}[5m]) == 0`,
        for: c.for.collectorFailing,
      },
      {
        alert: 'PatrolConfigReloadFailed',
        severity: 'warning',
        expr: `patrol_config_last_reload_successful${s} == 0`,
        for: c.for.configReloadFailed,
      },
    ],
  };
}
