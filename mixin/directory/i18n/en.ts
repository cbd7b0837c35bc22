/**
 * The directory area's words in English, the source language: this table's shape is the type of its
 * translations (zh-CN.ts). With the shared table (mixin/i18n/) and the other areas' it makes the
 * one string table that the rule files and dashboards read.
 */
import type { AreaStrings } from '../../area.ts';

export const en = {
  alerts: {
    PatrolDirectoryFillingFilesystem: {
      summary: 'A watched directory is growing faster than its filesystem has space for.',
      description:
        'Directory {{ $labels.path }} on {{ $labels.instance }} is predicted to grow by {{ $value | humanize1024 }}B within %horizon% (at its rate of the last %window%), more than is left on {{ $labels.mountpoint }} ({{ $labels.device }}).',
    },
    PatrolDirectoryScanFailing: {
      summary: 'A watched directory cannot be scanned.',
      description:
        'patrol at {{ $labels.instance }} cannot scan {{ $labels.path }}: it is missing, unreadable or not a directory. Its size, file count and file ages are not measured.',
    },
    PatrolDirectoryScanStale: {
      summary: 'The measurements of a watched directory are out of date.',
      description:
        'The last completed scan of {{ $labels.path }} on {{ $labels.instance }} ended {{ $value | humanizeDuration }} ago; the directory is too large for its interval and I/O budget, or scans keep getting cut.',
    },
    PatrolDirectoryScanErrors: {
      summary: 'Entries under a watched directory are skipped while scanning.',
      description:
        'patrol at {{ $labels.instance }} keeps skipping entries under {{ $labels.path }} ({{ $labels.reason }}): {{ $value | humanize }} skips in the last %window%, each scan counting the same entry again. Its size and file count are too low by what it could not read.',
    },
  },
  dashboards: {
    variables: {
      path: 'Directory',
    },
    /** Texts that replace 0/1 values on the tiles: one word, readable across the room. */
    values: {
      cannotScan: 'CANNOT SCAN',
    },
    overview: {
      panels: {
        directoriesDown: {
          title: 'Directories not scannable',
          description:
            'Watched directories that are missing, unreadable or not a directory; their size and file counts are not measured.',
        },
        directoriesStale: {
          title: 'Directory scans stale',
          description:
            'Watched directories whose last completed scan is older than the staleness limit of the alerts: the figures shown for them are old.',
        },
      },
    },
    host: {
      rows: {
        directories: 'Watched directories',
      },
      panels: {
        directoryUp: {
          title: 'Directory status',
          description:
            'CANNOT SCAN: the directory is missing, unreadable or not a directory, and its figures are not measured.',
        },
        lastScanAge: {
          title: 'Last completed scan',
          description:
            'Time since the last completed scan of each directory; red once older than the staleness limit of the alerts.',
        },
        sizeBytes: {
          title: 'Directory size',
          description:
            'Sum of the sizes of the regular files under each directory (hard links counted once).',
        },
        diskUsage: {
          title: 'Disk usage',
          description:
            'Disk space allocated to everything under each directory, what du -s reports.',
        },
        files: {
          title: 'Files',
          description: 'Number of regular files under each directory.',
        },
        oldestFileAge: {
          title: 'Oldest file age',
          description:
            'Age of the oldest file under each directory. A saw-tooth means old logs are cleaned up; a line that only rises means nothing deletes them.',
        },
        scanErrors: {
          title: 'Entries skipped (1h)',
          description:
            'Entries skipped while scanning in the last hour, by reason (permission, vanished, loop, other); the size and file counts miss what could not be read.',
        },
        scanDuration: {
          title: 'Scan duration',
          description:
            'How long the last completed scan of each directory took, including pauses for the I/O budget.',
        },
      },
    },
  },
} satisfies AreaStrings;

export type DirectoryStrings = typeof en;
