/**
 * patrol / Logs: the log sources of one server or many, for the engineer who saw an orange or
 * red log cell on the wall (checklist C8, C9). Where the Overview says "nginx-error on node-7
 * logs 40 errors a minute", this says since when, at which level, which rules match, and
 * whether patrol still keeps up with the files.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import type { ValueMapping } from '@grafana/grafana-foundation-sdk/dashboard';
import { sel } from '../promql.ts';
import {
  barGauge,
  buildDashboard,
  color,
  dataLink,
  datasourceVariable,
  instanceVariable,
  jobVariable,
  labelVariable,
  levelTile,
  steps,
  table,
  timeseries,
  type Context,
  type DashboardModel,
  type Row,
  type Text,
  valueTexts,
} from '../dashboards/panels.ts';
import { targetMatchers } from '../dashboards/queries.ts';
import { LOG, SILENCE, logQueries } from './queries.ts';
import type { LogsStrings } from './i18n/en.ts';

/** The context of this area's builders: the shared words and its own. */
type Ctx = Context<LogsStrings>;
type DashboardStrings = Ctx['s'];

const rows: ((ctx: Ctx) => Row)[] = [nowRow, errorsRow, rulesRow, readingRow];

export function logsDashboard(ctx: Ctx): DashboardModel {
  const { config, s } = ctx;
  const d = s.logs;
  return buildDashboard(config, {
    uid: ctx.uid('logs'),
    title: d.title,
    description: d.description,
    time: 'now-24h',
    variables: [
      datasourceVariable(s),
      jobVariable(s),
      // From `up`, like Host: a server whose exporter is down is one to open. "All" is useful
      // here (a few sources per server), and regex-valued so that new servers show up.
      instanceVariable(s, {
        multi: true,
        allValue: '.+',
      }),
      // From source_info, which every configured source has, with or without files.
      labelVariable(
        'source',
        s.variables.source,
        `label_values(patrol_log_source_info${sel(...targetMatchers)}, source)`,
        { multi: true, allValue: '.+' },
      ),
    ],
    links: ctx.links('logs'),
    rows: rows.map((row) => row(ctx)),
  });
}

/** Words and colours of a log cell's codes (queries.ts LOG). */
export function logTexts(s: DashboardStrings): ValueMapping[] {
  const l = s.values.log;
  return valueTexts([
    [LOG.noFiles, l.noFiles, color.bad],
    [LOG.noFilesOptional, l.noFilesOptional, color.idle],
    [LOG.collectorFailed, l.collectorFailed, color.bad],
    [LOG.exporterDown, l.exporterDown, color.bad],
    [LOG.noSources, l.noSources, color.neutral],
  ]);
}

/**
 * One tile per (server, log source): its error entries per minute, green below the limit of
 * PatrolLogErrorsHigh and orange from it (the alert warns), or a word where there is no
 * figure. The wall display's logs grid, and this dashboard's first tile. A click opens this
 * dashboard on the source.
 */
export function logErrorsGrid(ctx: Ctx, text: Text, expr: string) {
  return levelTile(
    text,
    { expr, legend: '{{instance}} {{source}}' },
    'none',
    steps(color.neutral, [0, color.ok], [ctx.config.thresholds.logErrorsPerMinute, color.warn]),
  )
    .decimals(1)
    .mappings(logTexts(ctx.s))
    .textMode(common.BigValueTextMode.ValueAndName)
    .dataLinks([
      dataLink(
        ctx.s.links.openLogs,
        `/d/${ctx.uid('logs')}?var-datasource=\${datasource}&var-job=\${__field.labels.job}&var-instance=\${__field.labels.instance}&var-source=\${__field.labels.source}&\${__url_time_range}`,
      ),
    ]);
}

function nowRow(ctx: Ctx): Row {
  const { config, s } = ctx;
  const p = s.logs.panels;
  const l = s.values.log;
  const q = logQueries(config, { source: true });
  const perSource = { legend: '{{instance}} {{source}}' };
  return {
    title: s.logs.rows.now,
    panels: [
      logErrorsGrid(ctx, p.errorsNow, q.grid).span(12).height(6),
      levelTile(
        p.files,
        { expr: q.files, ...perSource },
        'none',
        steps(color.bad, [0, color.idle], [1, color.ok]),
      )
        .decimals(0)
        .mappings(
          valueTexts([
            [LOG.noFiles, l.noFiles, color.bad],
            [0, l.noFilesOptional, color.idle],
          ]),
        )
        .textMode(common.BigValueTextMode.ValueAndName)
        .span(6)
        .height(6),
      levelTile(
        p.lag,
        { expr: q.lag, ...perSource },
        'bytes',
        steps(color.ok, [config.thresholds.logLagBytes, color.warn]),
      )
        .textMode(common.BigValueTextMode.ValueAndName)
        .span(6)
        .height(6),
      levelTile(
        p.lastWrite,
        { expr: q.lastWrite, ...perSource },
        'dtdurations',
        steps(color.neutral),
      )
        .textMode(common.BigValueTextMode.ValueAndName)
        .span(12)
        .height(5),
      levelTile(
        p.silence,
        { expr: q.silence, ...perSource },
        'none',
        steps(color.neutral, [SILENCE.written, color.ok], [SILENCE.silent, color.warn]),
      )
        .mappings(
          valueTexts([
            [SILENCE.written, l.written, color.ok],
            [SILENCE.silent, l.silent, color.warn],
            [SILENCE.noMaxSilence, l.noMaxSilence, color.neutral],
          ]),
        )
        .textMode(common.BigValueTextMode.ValueAndName)
        .span(12)
        .height(5),
    ],
  };
}

function errorsRow({ config, s }: Ctx): Row {
  const p = s.logs.panels;
  const q = logQueries(config, { source: true });
  const perLevel = { legend: '{{instance}} {{source}} {{level}}' };
  return {
    title: s.logs.rows.errors,
    panels: [
      timeseries(p.errorsByLevel, 'none', { expr: q.errorsByLevel, ...perLevel }).min(0),
      timeseries(p.entriesByLevel, 'none', { expr: q.entriesByLevel, ...perLevel }).min(0),
    ],
  };
}

function rulesRow({ config, s }: Ctx): Row {
  const p = s.logs.panels;
  const c = s.logs.columns;
  const q = logQueries(config, { source: true });
  return {
    title: s.logs.rows.rules,
    panels: [
      barGauge(p.topRules, { expr: q.topRules, legend: '{{instance}} {{source}} {{rule}}' }, 'none')
        .decimals(0)
        .thresholds(steps(color.neutral))
        .noValue(s.values.log.noMatches),
      table(
        p.rules,
        [{ expr: q.ruleMatches }, { expr: q.ruleLastMatch }],
        [
          { field: 'instance', title: c.host },
          { field: 'source', title: c.source },
          { field: 'rule', title: c.rule },
          { field: 'Value #A', title: c.matches, unit: 'none' },
          { field: 'Value #B', title: c.lastMatch, unit: 'dtdurations' },
        ],
        ['Time', 'job'],
        c.matches,
      )
        .span(12)
        .height(8),
    ],
  };
}

function readingRow({ config, s }: Ctx): Row {
  const p = s.logs.panels;
  const q = logQueries(config, { source: true });
  const perSource = { legend: '{{instance}} {{source}}' };
  const lag = config.thresholds.logLagBytes;
  return {
    title: s.logs.rows.reading,
    panels: [
      timeseries(p.readRate, 'Bps', { expr: q.readRate, ...perSource }).min(0),
      timeseries(p.lagOverTime, 'bytes', { expr: q.lagOverTime, ...perSource })
        .min(0)
        .thresholds(steps(color.ok, [lag, color.warn]))
        .thresholdsStyle(
          new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line),
        ),
      timeseries(p.rotations, 'none', { expr: q.rotationsPerHour, ...perSource })
        .decimals(0)
        .min(0),
      timeseries(p.truncations, 'none', { expr: q.truncationsPerHour, ...perSource })
        .decimals(0)
        .min(0),
      levelTile(
        p.lostBytes,
        { expr: q.lostBytes, ...perSource },
        'bytes',
        steps(color.ok, [1, color.warn]),
      )
        .textMode(common.BigValueTextMode.ValueAndName)
        .span(8),
      levelTile(
        p.linesTruncated,
        { expr: q.linesTruncated, ...perSource },
        'none',
        steps(color.ok, [1, color.warn]),
      )
        .decimals(0)
        .textMode(common.BigValueTextMode.ValueAndName)
        .span(8),
      levelTile(
        p.positionsErrors,
        { expr: q.positionsErrors, legend: '{{instance}}' },
        'none',
        steps(color.ok, [1, color.bad]),
      )
        .decimals(0)
        .textMode(common.BigValueTextMode.ValueAndName)
        .span(8),
      barGauge(
        p.readErrors,
        { expr: q.readErrors, legend: '{{instance}} {{source}} {{reason}}' },
        'none',
      )
        .decimals(0)
        .thresholds(steps(color.warn))
        .noValue(s.values.log.noReadErrors)
        .span(24)
        .height(6),
    ],
  };
}
