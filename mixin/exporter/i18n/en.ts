/**
 * The exporter area's words in English, the source language: this table's shape is the type of its
 * translations (zh-CN.ts). With the shared table (mixin/i18n/) and the other areas' it makes the
 * one string table that the rule files and dashboards read.
 */
import type { AreaStrings } from '../../area.ts';

export const en = {
  alerts: {
    PatrolExporterDown: {
      summary: 'patrol exporter is down: the inspection checklist of this host is not measured.',
      description:
        'Prometheus cannot scrape patrol at {{ $labels.instance }} (job {{ $labels.job }}). None of the checks of this host are measured until it is back.',
    },
    PatrolCollectorFailing: {
      summary: 'A patrol collector keeps failing.',
      description:
        'Collector {{ $labels.collector }} of patrol at {{ $labels.instance }} keeps failing or timing out (at least once in every 5 minutes); its metrics are missing or stale. The exporter log says why.',
    },
    PatrolConfigReloadFailed: {
      summary: 'patrol could not load its new configuration.',
      description:
        'The last configuration reload of patrol at {{ $labels.instance }} failed; it keeps running with the previous configuration. Run patrol with `--check-config` and the same `--config.file` to see the error.',
    },
  },
  dashboards: {
    /** Texts that replace 0/1 values on the tiles: one word, readable across the room. */
    values: {
      rulesNotLoaded: 'NO RULES',
    },
    overview: {
      rows: {
        alerts: 'Alerts',
        exporter: 'Exporter and collectors',
      },
      panels: {
        criticalAlerts: {
          title: 'Critical alerts firing',
          description:
            "patrol alerts of severity critical that are firing now, those about a whole HA pair of the selected servers included. Someone is being paged: open Alertmanager for the details and the runbook. NO RULES: the Prometheus behind this dashboard has not loaded patrol's rule file, so nothing is alerted.",
        },
        warningAlerts: {
          title: 'Warning alerts firing',
          description:
            'patrol alerts of severity warning that are firing now (HA pair alerts included): not urgent, but each needs a look today.',
        },
        exportersDown: {
          title: 'Exporters down',
          description:
            'patrol exporters that Prometheus cannot scrape. Nothing on those servers is measured until they are back.',
        },
        collectorsFailing: {
          title: 'Collectors failing',
          description:
            'Collectors (per server) that failed or timed out on the last scrape; their metrics are missing or stale. The patrol log says why.',
        },
        configReloadFailed: {
          title: 'Config reload failed',
          description:
            'Exporters whose last configuration load failed; they still run on the previous configuration. Run patrol with --check-config to see why.',
        },
        exportersWatched: {
          title: 'Exporters watched',
          description:
            'patrol exporters Prometheus scrapes (up or down). Red at 0: nothing is being watched.',
        },
        exporterUp: {
          title: 'Exporter per server',
          description:
            'Whether Prometheus can scrape patrol on each server. Click a tile for that host.',
        },
        collectorStatus: {
          title: 'Collectors',
          description:
            'Each collector across the selected servers: FAILED when it failed or timed out on any of them.',
        },
      },
    },
    host: {
      rows: {
        exporter: 'Exporter',
      },
      panels: {
        exporterUp: {
          title: 'Exporter',
          description: 'Whether Prometheus can scrape patrol on this server.',
        },
        version: {
          title: 'Version',
          description: 'The patrol version running on this server.',
        },
        configReload: {
          title: 'Last config reload',
          description:
            'FAILED: the last configuration load failed and patrol still runs on the previous one. Run patrol with --check-config to see why.',
        },
        collectorStatus: {
          title: 'Collectors',
          description: 'Whether each collector succeeded on the last scrape.',
        },
        collectorDuration: {
          title: 'Collector duration',
          description: 'How long each collector took per scrape, cut at its timeout.',
        },
      },
    },
  },
} satisfies AreaStrings;

export type ExporterStrings = typeof en;
