/**
 * The logs area's words in English, the source language: this table's shape is the type of its
 * translations (zh-CN.ts). With the shared table (mixin/i18n/) and the other areas' it makes the
 * one string table that the rule files and dashboards read.
 */
import type { AreaStrings } from '../../area.ts';

export const en = {
  alerts: {
    PatrolLogErrorsHigh: {
      summary: 'A log source keeps writing many error entries.',
      description:
        'Log source {{ $labels.source }} on {{ $labels.instance }} had {{ $value | humanize }} error and critical entries per minute over the last %window%, more than the limit of %threshold% a minute, and it goes on. Its files (collectors.logs.sources) say what fails: look at their latest error lines.',
    },
    PatrolLogErrorsSpike: {
      summary: 'A log source is writing error entries far more often than usual.',
      description:
        'Log source {{ $labels.source }} on {{ $labels.instance }} had {{ $value | humanize }} error and critical entries per minute over the last %window%, more than %factor% times its average over the last %baseline%. Something changed: read its files from the moment the rate rose.',
    },
    PatrolLogSourceMissing: {
      summary: 'A required log source has no file to follow: its errors are not counted.',
      description:
        'patrol at {{ $labels.instance }} follows no file of log source {{ $labels.source }}, which is required: none of its paths or globs matches a file, or patrol cannot open them (patrol_log_read_errors_total says why: permission, not_a_file, too_many_files). Errors written to that log are not counted.',
    },
    PatrolLogReaderBehind: {
      summary: 'patrol is falling behind reading a log source.',
      description:
        'patrol at {{ $labels.instance }} has {{ $value | humanize1024 }}B of log source {{ $labels.source }} written but not read yet, and this backlog has not shrunk over the last %window%: the files are written faster than patrol reads them, or its reading is stuck. The error counts of the source lag behind its files.',
    },
    PatrolLogSourceSilent: {
      summary: 'A log source that should be written to regularly has gone silent.',
      description:
        'No file of log source {{ $labels.source }} on {{ $labels.instance }} has been written to for {{ $value | humanizeDuration }}, longer than its max_silence: the program writing it may have stopped, hung, or be logging somewhere else.',
    },
  },
  dashboards: {
    variables: {
      source: 'Log source',
    },
    /** Texts that replace 0/1 values on the tiles: one word, readable across the room. */
    values: {
      /** A log source: why it has no error figure, and whether it was written to in time. */
      log: {
        noFiles: 'NO FILES',
        noFilesOptional: 'NO FILES (OPTIONAL)',
        collectorFailed: 'COLLECTOR FAILED',
        exporterDown: 'EXPORTER DOWN',
        noSources: 'NO LOG SOURCES',
        written: 'WRITTEN',
        silent: 'SILENT',
        noMaxSilence: 'NO MAX_SILENCE SET',
        noMatches: 'No rule matched in the time range',
        noReadErrors: 'No read errors in the time range',
      },
    },
    links: {
      logs: 'Logs',
      openLogs: 'Open the logs dashboard on this source',
    },
    overview: {
      rows: {
        logs: 'Logs',
      },
      panels: {
        logErrorsHigh: {
          title: 'Log sources with many errors',
          description:
            'Log sources whose error and critical entries per minute, averaged as PatrolLogErrorsHigh does, are above its limit now. Orange: the alert waits a while longer before it warns.',
        },
        logSourcesWithoutFiles: {
          title: 'Required logs without files',
          description:
            'Required log sources that follow no file: their paths match nothing, or patrol cannot open the files (permission, a directory where a file was expected). Their errors are not counted.',
        },
        logReadersBehind: {
          title: 'Log readers behind',
          description:
            'Log sources with a backlog of unread bytes above the limit of PatrolLogReaderBehind that is not shrinking: their error counts lag behind the files.',
        },
        logSourcesSilent: {
          title: 'Silent log sources',
          description:
            'Log sources configured with max_silence whose files have not been written to for longer than that: the program writing them may have stopped or hung.',
        },
        logErrors: {
          title: 'Log errors per minute, per server and source',
          description:
            'Error and critical entries per minute of every log source on every server, averaged as the alerts do: green below the limit of PatrolLogErrorsHigh, orange above. NO FILES: a required source follows no file (red); NO FILES (OPTIONAL): a source that is not required has none (grey). COLLECTOR FAILED and EXPORTER DOWN: not measured now, shown as last configured. Click a source for its details.',
        },
      },
    },
    logs: {
      title: 'patrol / Logs',
      description:
        'Log sources in detail (checklist C8, C9: /var/log/messages, the nginx, RabbitMQ and Redis logs): error entries per source and level, the rules that match, and how well patrol keeps up with the files through rotation and truncation.',
      rows: {
        now: 'Sources now',
        errors: 'Entries per minute',
        rules: 'Rules',
        reading: 'Reading the files',
      },
      /** Columns of the table of rules. */
      columns: {
        host: 'Server',
        source: 'Source',
        rule: 'Rule',
        matches: 'Matches in the time range',
        lastMatch: 'Last match, ago',
      },
      panels: {
        errorsNow: {
          title: 'Errors per minute',
          description:
            'Error and critical entries per minute of each source, averaged over the window of the alerts: green below the limit of PatrolLogErrorsHigh, orange above. NO FILES: a required source follows no file; COLLECTOR FAILED and EXPORTER DOWN: not measured now.',
        },
        files: {
          title: 'Files followed',
          description:
            'Files each source follows now, rotated files still being read to their end included. NO FILES (red): a required source has none, PatrolLogSourceMissing; grey: a source that is not required has none. The read errors below say why a file could not be opened.',
        },
        lag: {
          title: 'Unread backlog',
          description:
            'Bytes written to the files of each source but not read yet. Orange above the limit of PatrolLogReaderBehind; a backlog that shrinks is patrol catching up (after a restart or a burst).',
        },
        lastWrite: {
          title: 'Last write, ago',
          description:
            'Time since the newest file of each source was last modified. A source with no file to follow has none.',
        },
        silence: {
          title: 'Written within max_silence',
          description:
            'For each source configured with max_silence: WRITTEN when its files were modified within it, SILENT when not (PatrolLogSourceSilent). Sources without max_silence may stay quiet as long as they like.',
        },
        errorsByLevel: {
          title: 'Error and critical entries per minute',
          description:
            'Error and critical entries per minute of each source, by level. A multi-line entry (a stack trace, a RabbitMQ message) counts once.',
        },
        entriesByLevel: {
          title: 'Entries per minute by level',
          description:
            'Entries per minute of each source, by level: critical, error, warning, info, debug, and other when no level could be told.',
        },
        topRules: {
          title: 'Top rules by matches',
          description:
            'The ten rules (collectors.logs.sources[].rules) with the most matching entries in the time range.',
        },
        rules: {
          title: 'Rules',
          description:
            'Every rule with its matches in the time range and the time since its last match (empty: no match since patrol started).',
        },
        readRate: {
          title: 'Bytes read per second',
          description: 'How fast patrol reads the files of each source.',
        },
        lagOverTime: {
          title: 'Unread backlog over time',
          description:
            'Bytes written but not read yet, per source. Spikes that fall back are bursts read down; a line that keeps rising is a reader that cannot keep up.',
        },
        rotations: {
          title: 'Rotations per hour',
          description:
            'Files replaced under the same name (logrotate renaming and creating, or deleting and recreating). patrol reads the old file to its end first: nothing is lost.',
        },
        truncations: {
          title: 'Truncations per hour',
          description:
            'Files truncated in place (logrotate copytruncate); patrol starts again at their beginning. Lines written between the copy and the truncation can be lost: see Bytes lost.',
        },
        lostBytes: {
          title: 'Bytes lost (time range)',
          description:
            'Bytes that could not be read because a file was truncated before patrol got to them (copytruncate). A lower bound. Orange from one byte: prefer rename rotation (create) over copytruncate.',
        },
        linesTruncated: {
          title: 'Over-long lines (time range)',
          description:
            'Lines longer than collectors.logs.max_line_bytes: classified by their beginning, the rest skipped.',
        },
        positionsErrors: {
          title: 'Positions file errors (time range)',
          description:
            'Failures to load or save the file where patrol keeps its read positions. While saves fail, a restart may count lines again.',
        },
        readErrors: {
          title: 'Read errors by reason (time range)',
          description:
            'Problems that kept files from being followed, by source and reason: permission (patrol may not read the file), not_a_file (a directory or device where a file was expected), io, too_many_files (collectors.logs.max_files reached).',
        },
      },
    },
  },
} satisfies AreaStrings;

export type LogsStrings = typeof en;
