import { family, info } from '../../core/metrics.ts';

/**
 * Levels a counted line can have: a fixed set whatever the format, so `level` never grows.
 * critical: emerg/alert/crit (klog F, Java FATAL; syslog keywords such as "fatal" and "panic"
 * are error: a keyword says less than a level); error; warning; info: notice and info;
 * debug: debug, verbose and trace; other: no level could be told (garbage, an unknown shape).
 */
export const LEVELS = ['critical', 'error', 'warning', 'info', 'debug', 'other'] as const;
export type Level = (typeof LEVELS)[number];

/** Why a file could not be followed or read (patrol_log_read_errors_total's `reason`). */
export const READ_ERROR_REASONS = ['permission', 'not_a_file', 'io', 'too_many_files'] as const;
export type ReadErrorReason = (typeof READ_ERROR_REASONS)[number];

// Every series is labelled by the configured source, never by file name: daily files
// (tomcat_access.2021-04-27.log) must not add series day after day.
export const logFamilies = {
  sourceInfo: info({
    name: 'patrol_log_source_info',
    help: 'One series per configured log source: its format and whether files are required (required="true": no file to follow is an alert).',
    labels: ['source', 'format', 'required'],
  }),
  lines: family({
    name: 'patrol_log_lines_total',
    help: 'Log entries read, by level. A multi-line entry (a stack trace, a RabbitMQ message repeated on several lines, a legacy =ERROR REPORT==== block) counts once, under the level of its first line.',
    type: 'counter',
    labels: ['source', 'level'],
  }),
  matches: family({
    name: 'patrol_log_matches_total',
    help: 'Log entries matching each configured rule. A rule\'s allow-listed named captures are added as labels, at most its max_values distinct values each (the rest as "other").',
    type: 'counter',
    labels: ['source', 'rule'],
  }),
  lastMatch: family({
    name: 'patrol_log_last_match_timestamp_seconds',
    help: 'When the exporter last read an entry matching the rule (Unix seconds); absent until the first match since start.',
    type: 'gauge',
    labels: ['source', 'rule'],
  }),
  readBytes: family({
    name: 'patrol_log_read_bytes_total',
    help: 'Bytes read from the source’s files.',
    type: 'counter',
    labels: ['source'],
  }),
  lag: family({
    name: 'patrol_log_lag_bytes',
    help: 'Bytes written to the source’s files but not read yet, as of the last poll.',
    type: 'gauge',
    labels: ['source'],
  }),
  rotations: family({
    name: 'patrol_log_rotations_total',
    help: 'Files of the source replaced under the same name (renamed or deleted, then created again); each old file was read to its end first.',
    type: 'counter',
    labels: ['source'],
  }),
  truncations: family({
    name: 'patrol_log_truncations_total',
    help: 'Files of the source truncated in place (copytruncate), reading started again at offset 0.',
    type: 'counter',
    labels: ['source'],
  }),
  lostBytes: family({
    name: 'patrol_log_lost_bytes_total',
    help: 'Bytes seen in a file before it was truncated that could not be read, neither before the truncation nor from the copy logrotate left (copytruncate’s window). A lower bound: bytes written and truncated between two polls are not seen at all.',
    type: 'counter',
    labels: ['source'],
  }),
  files: family({
    name: 'patrol_log_files',
    help: 'Files followed now (including rotated files still being read to their end); for a journal source, 1 while journalctl follows the journal.',
    type: 'gauge',
    labels: ['source'],
  }),
  lastWrite: family({
    name: 'patrol_log_last_write_timestamp_seconds',
    help: 'Latest modification time of the files followed (Unix seconds); absent while none is.',
    type: 'gauge',
    labels: ['source'],
  }),
  maxSilence: family({
    name: 'patrol_log_max_silence_seconds',
    help: 'The source’s configured max_silence: it is expected to be written to at least this often. Absent when not set.',
    type: 'gauge',
    labels: ['source'],
  }),
  readErrors: family({
    name: 'patrol_log_read_errors_total',
    help: 'Problems that kept a file from being followed or read, by reason: permission, not_a_file (a directory or device where a file was expected), io, too_many_files (max_files reached). Each is logged once per file and reason.',
    type: 'counter',
    labels: ['source', 'reason'],
  }),
  linesTruncated: family({
    name: 'patrol_log_lines_truncated_total',
    help: 'Lines longer than max_line_bytes: classified by their first max_line_bytes, the rest skipped.',
    type: 'counter',
    labels: ['source'],
  }),
  positionsErrors: family({
    name: 'patrol_log_positions_errors_total',
    help: 'Failures to load (unreadable or corrupt: moved aside, reading started afresh) or save the positions file; while saves fail, a restart may count lines again.',
    type: 'counter',
    labels: ['operation'],
  }),
} as const;
