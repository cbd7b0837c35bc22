import type { MixinConfig } from '../config.ts';
import { promql, sel } from '../promql.ts';
import type { GroupSpec } from '../alerts/types.ts';
import type { LogsStrings } from './i18n/en.ts';

/** The alerts whose texts this area's string table has. */
type Alert = keyof LogsStrings['alerts'];

/** Levels whose entries count as errors (the `level` label of patrol_log_lines_total). */
export const ERROR_LEVELS = 'level=~"critical|error"';

/**
 * Log sources (checklist C8, C9: /var/log/messages, the nginx, RabbitMQ and Redis logs "have no
 * errors"). Every alert is per source (instance, job, source); one problem, one alert:
 *   error entries at a high rate that goes on              -> PatrolLogErrorsHigh
 *   error entries far above the source's usual rate         -> PatrolLogErrorsSpike
 *   a required source follows no file                       -> PatrolLogSourceMissing
 *   a backlog of unread bytes that does not shrink          -> PatrolLogReaderBehind
 *   no write for longer than the source's max_silence       -> PatrolLogSourceSilent
 * A source that errs steadily and far above its usual rate is both high and a spike;
 * deploy/alertmanager.yml holds the spike back while the high-rate alert fires, and the
 * silence of a source that has no file while PatrolLogSourceMissing fires.
 */
export function logsGroup(c: MixinConfig): GroupSpec<Alert> {
  const s = sel(c.selector);
  const t = c.thresholds;
  const by = 'instance, job, source';
  const errorsPerMinute = (window: string) =>
    `sum by (${by}) (rate(patrol_log_lines_total${sel(c.selector, ERROR_LEVELS)}[${window}])) * 60`;

  return {
    name: 'patrol-logs',
    rules: [
      {
        // Critical and error entries together: a source that logs FATAL instead of ERROR is no
        // healthier. The window averages bursts; `for` longer than the window keeps one burst
        // from firing it (see config.ts).
        alert: 'PatrolLogErrorsHigh',
        severity: 'warning',
        expr: `${errorsPerMinute(t.logErrorsWindow)} > ${t.logErrorsPerMinute}`,
        for: c.for.logErrorsHigh,
        params: { window: t.logErrorsWindow, threshold: String(t.logErrorsPerMinute) },
      },
      {
        // Far above the baseline, and above a floor. A source without a baseline is left out:
        // for one watched for less than the baseline window, rate() over that window divides the
        // few minutes it has by the whole window, so any error at all would look like a spike.
        // The source must have been watched (patrol_log_source_info, which every configured
        // source has from the start, errors or not) at the start of the baseline window; a
        // source that has been there all along and had no error until now has a baseline of 0,
        // and its first burst above the floor is a spike.
        alert: 'PatrolLogErrorsSpike',
        severity: 'warning',
        expr: promql`
          (
            ${errorsPerMinute(t.logErrorsWindow)}
            > ${t.logErrorsSpikeMinPerMinute}
          )
          > on (${by})
            ${t.logErrorsSpikeFactor} * ${errorsPerMinute(t.logErrorsBaselineWindow)}
          and on (${by})
            max_over_time(patrol_log_source_info${s}[${t.logErrorsWindow}] offset ${t.logErrorsBaselineWindow})`,
        for: c.for.logErrorsSpike,
        params: {
          window: t.logErrorsWindow,
          factor: String(t.logErrorsSpikeFactor),
          baseline: t.logErrorsBaselineWindow,
        },
      },
      {
        // Sources configured by the user are required unless they say otherwise; the default
        // syslog source is not (a host may only have the journal).
        alert: 'PatrolLogSourceMissing',
        severity: 'warning',
        expr: promql`
          patrol_log_files${s} == 0
          and on (${by})
          patrol_log_source_info${sel(c.selector, 'required="true"')}`,
        for: c.for.logSourceMissing,
      },
      {
        // A backlog that shrinks is patrol catching up (after a restart, a burst); one that
        // stays or grows means it reads slower than the files are written, or is stuck.
        alert: 'PatrolLogReaderBehind',
        severity: 'warning',
        expr: promql`
          patrol_log_lag_bytes${s} > ${t.logLagBytes}
          and on (${by})
          deriv(patrol_log_lag_bytes${s}[${t.logLagWindow}]) >= 0`,
        for: c.for.logReaderBehind,
        params: { window: t.logLagWindow },
      },
      {
        // Only sources with max_silence have patrol_log_max_silence_seconds. A source with no
        // file to follow has no last write (PatrolLogSourceMissing's case when required).
        alert: 'PatrolLogSourceSilent',
        severity: 'warning',
        expr: promql`
          time() - patrol_log_last_write_timestamp_seconds${s}
          > on (${by})
          patrol_log_max_silence_seconds${s}`,
        for: c.for.logSourceSilent,
      },
    ],
  };
}
