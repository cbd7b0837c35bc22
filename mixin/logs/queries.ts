/** The log source PromQL of the dashboards (the Overview's logs row and patrol / Logs). */
import type { MixinConfig } from '../config.ts';
import { REPORTED_MEMORY, asCode, targetMatchers } from '../dashboards/queries.ts';
import { sel } from '../promql.ts';
import { ERROR_LEVELS } from './alerts.ts';

/**
 * What a log source's cell shows: its error and critical entries per minute (0 or more), or,
 * as a negative code the dashboards map to a word and a colour, why there is no such figure.
 * A source never leaves a gap: one without files, or on a host that is not measured, is a cell
 * that says so.
 */
export const LOG = {
  /** A required source follows no file (PatrolLogSourceMissing). */
  noFiles: -1,
  /** A source that is not required (the default syslog) follows no file: fine, but nothing is counted. */
  noFilesOptional: -2,
  /** Not measured: the host's logs collector failed (as last reported). */
  collectorFailed: -3,
  /** Not measured: Prometheus cannot scrape the host's exporter (as last reported). */
  exporterDown: -4,
  /** The one cell of a grid when no selected host has any log source. */
  noSources: -5,
} as const;

/** The silence state of a source with max_silence; sources without one share a single cell. */
export const SILENCE = { written: 0, silent: 1, noMaxSilence: -1 } as const;

const BY_SOURCE = 'job, instance, source';

/**
 * Log source expressions. `source` selects sources (the targets, plus $source where the
 * dashboard has it). The error rate is the alerts' (same levels, same window), so a cell and
 * PatrolLogErrorsHigh agree about a source.
 */
export function logQueries(c: MixinConfig, variables: { source: boolean }) {
  const t = c.thresholds;
  const matchers = [...targetMatchers, variables.source ? 'source=~"$source"' : ''];
  const source = sel(...matchers);
  const target = sel(...targetMatchers);
  const onSource = `on (${BY_SOURCE})`;
  const lines = (extra: string) => `patrol_log_lines_total${sel(...matchers, extra)}`;
  const errors = lines(ERROR_LEVELS);
  const errorsPerMinute = `sum by (${BY_SOURCE}) (rate(${errors}[${t.logErrorsWindow}])) * 60`;
  /** Every configured source, one series each (format and required aggregated away). */
  const sources = `max by (${BY_SOURCE}) (patrol_log_source_info${source})`;
  const required = `patrol_log_source_info${sel(...matchers, 'required="true"')}`;
  const files = `patrol_log_files${source}`;
  const collectorFailed = `patrol_collector_success${sel(...targetMatchers, 'collector="logs"')} == 0`;
  const remembered = `max by (${BY_SOURCE}) (last_over_time(patrol_log_source_info${source}[${REPORTED_MEMORY}]))`;
  const lag = `patrol_log_lag_bytes${source}`;
  const silence = `time() - patrol_log_last_write_timestamp_seconds${source}`;
  const maxSilence = `patrol_log_max_silence_seconds${source}`;
  /** A per-source figure, or 0 for each source that has no such series yet (counters created on first use). */
  const orZero = (expr: string) => `${expr} or ${onSource} (${sources} * 0)`;

  return {
    errorsPerMinute,
    /** Sources whose errors are above PatrolLogErrorsHigh's limit now (the alert also waits `for`). */
    errorsHigh: `${errorsPerMinute} > ${t.logErrorsPerMinute}`,
    requiredWithoutFiles: `${files} == 0 and ${onSource} ${required}`,
    /** PatrolLogReaderBehind's condition. */
    behind: `${lag} > ${t.logLagBytes} and ${onSource} deriv(${lag}[${t.logLagWindow}]) >= 0`,
    /** PatrolLogSourceSilent's condition. */
    silent: `${silence} > ${onSource} ${maxSilence}`,
    /**
     * One cell per (host, source), coded as LOG: error entries per minute of the sources that
     * follow a file (0 when none counted yet); the sources without a file; those of a host
     * whose logs collector failed or whose exporter is down, as last reported; a host whose
     * collector failed and that reported none, one cell named "logs"; no source anywhere, one
     * neutral cell.
     */
    grid: [
      `(${errorsPerMinute} or ${sources} * 0) and ${onSource} (${files} > 0)`,
      asCode(`max by (${BY_SOURCE}) (${files} == 0) and ${onSource} ${required}`, LOG.noFiles),
      asCode(`max by (${BY_SOURCE}) (${files} == 0)`, LOG.noFilesOptional),
      asCode(`${remembered} and on (job, instance) (${collectorFailed})`, LOG.collectorFailed),
      asCode(`${remembered} and on (job, instance) (up${target} == 0)`, LOG.exporterDown),
      `on (job, instance) ${asCode(`label_replace(max by (job, instance) (${collectorFailed}), "source", "logs", "", "")`, LOG.collectorFailed)}`,
      `on () vector(${LOG.noSources})`,
    ].join(' or '),
    /** Files followed per source; a required source without any is coded LOG.noFiles. */
    files: `${asCode(`max by (${BY_SOURCE}) (${files} == 0) and ${onSource} ${required}`, LOG.noFiles)} or max by (${BY_SOURCE}) (${files})`,
    lag: `max by (${BY_SOURCE}) (${lag})`,
    lastWrite: `max by (${BY_SOURCE}) (${silence})`,
    /** Per source with max_silence: SILENCE.silent or .written; one cell when none has it. */
    silence: `max by (${BY_SOURCE}) (${silence} > bool ${onSource} ${maxSilence}) or on () vector(${SILENCE.noMaxSilence})`,
    errorsByLevel: `sum by (instance, source, level) (rate(${errors}[$__rate_interval])) * 60`,
    entriesByLevel: `sum by (instance, source, level) (rate(${lines('')}[$__rate_interval])) * 60`,
    topRules: `sort_desc(topk(10, sum by (${BY_SOURCE}, rule) (increase(patrol_log_matches_total${source}[$__range])) > 0))`,
    ruleMatches: `sum by (${BY_SOURCE}, rule) (increase(patrol_log_matches_total${source}[$__range]))`,
    ruleLastMatch: `time() - max by (${BY_SOURCE}, rule) (patrol_log_last_match_timestamp_seconds${source})`,
    readRate: `sum by (instance, source) (rate(patrol_log_read_bytes_total${source}[$__rate_interval]))`,
    lagOverTime: `max by (instance, source) (${lag})`,
    rotationsPerHour: `sum by (instance, source) (increase(patrol_log_rotations_total${source}[1h]))`,
    truncationsPerHour: `sum by (instance, source) (increase(patrol_log_truncations_total${source}[1h]))`,
    lostBytes: orZero(
      `sum by (${BY_SOURCE}) (increase(patrol_log_lost_bytes_total${source}[$__range]))`,
    ),
    linesTruncated: orZero(
      `sum by (${BY_SOURCE}) (increase(patrol_log_lines_truncated_total${source}[$__range]))`,
    ),
    readErrors: `sort_desc(sum by (${BY_SOURCE}, reason) (increase(patrol_log_read_errors_total${source}[$__range])) > 0)`,
    /** Per host running the logs collector: failures to load or save the positions file in the time range. */
    positionsErrors: `sum by (job, instance) (increase(patrol_log_positions_errors_total${target}[$__range])) or on (job, instance) (max by (job, instance) (patrol_collector_success${sel(...targetMatchers, 'collector="logs"')}) * 0)`,
  };
}
