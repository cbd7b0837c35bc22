/**
 * The filesystem area's words in English, the source language: this table's shape is the type of its
 * translations (zh-CN.ts). With the shared table (mixin/i18n/) and the other areas' it makes the
 * one string table that the rule files and dashboards read.
 */
import type { AreaStrings } from '../../area.ts';

export const en = {
  alerts: {
    PatrolFilesystemSpaceFillingUp: {
      summary: 'Filesystem is predicted to run out of space soon.',
      description:
        'Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}, {{ $labels.fstype }}) on {{ $labels.instance }} has only {{ $value | humanizePercentage }} space left and at its rate of the last %window% it fills up within %horizon%.',
    },
    PatrolFilesystemAlmostOutOfSpace: {
      summary: 'Filesystem has almost no space left.',
      description:
        'Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}, {{ $labels.fstype }}) on {{ $labels.instance }} has only {{ $value | humanizePercentage }} space left.',
    },
    PatrolFilesystemFilesFillingUp: {
      summary: 'Filesystem is predicted to run out of inodes soon.',
      description:
        'Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}, {{ $labels.fstype }}) on {{ $labels.instance }} has only {{ $value | humanizePercentage }} inodes left and at their rate of use of the last %window% they run out within %horizon%.',
    },
    PatrolFilesystemAlmostOutOfFiles: {
      summary: 'Filesystem has almost no inodes left.',
      description:
        'Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}, {{ $labels.fstype }}) on {{ $labels.instance }} has only {{ $value | humanizePercentage }} inodes left; creating files will fail even with space free.',
    },
    PatrolFilesystemReadOnly: {
      summary: 'Filesystem has become read-only.',
      description:
        'Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}, {{ $labels.fstype }}) on {{ $labels.instance }} is read-only at the superblock: every write to it fails. The kernel usually does this after I/O errors (errors=remount-ro).',
    },
    PatrolFilesystemDeviceError: {
      summary: 'Filesystem cannot be measured: statfs fails or hangs.',
      description:
        'statfs on {{ $labels.mountpoint }} ({{ $labels.device }}, {{ $labels.fstype }}) on {{ $labels.instance }} fails or does not answer in time; its size metrics are missing. A hung network mount or a failing disk is the usual cause.',
    },
  },
  dashboards: {
    variables: {
      mountpoint: 'Mount point',
    },
    /** Texts that replace 0/1 values on the tiles: one word, readable across the room. */
    values: {
      writable: 'WRITABLE',
      readOnly: 'READ-ONLY',
      notFilling: 'Not filling',
    },
    overview: {
      rows: {
        disks: 'Disks',
      },
      panels: {
        fullestFilesystem: {
          title: 'Fullest filesystem',
          description:
            'Space used on the fullest writable filesystem. The per-mount tiles below show which one.',
        },
        inodesUsed: {
          title: 'Most inodes used',
          description:
            'Inodes used on the writable filesystem that has the fewest left. At 100% no file can be created, however much space is free.',
        },
        readOnly: {
          title: 'Read-only filesystems',
          description:
            'Filesystems that became read-only (usually remounted after I/O errors), not counting those read-only by design. Every write to them fails.',
        },
        deviceErrors: {
          title: 'Filesystems not measurable',
          description:
            'Mounts whose statfs call failed or hung on the last scrape: often a stuck network mount or a failing disk.',
        },
        filesystemUsed: {
          title: 'Fullest filesystems',
          description:
            'Space used on the 24 fullest writable filesystems. Red from 95 % used, where PatrolFilesystemAlmostOutOfSpace warns; orange from 85 %.',
        },
      },
    },
    host: {
      rows: {
        filesystems: 'Filesystems',
      },
      panels: {
        spaceUsed: {
          title: 'Space used',
          description:
            'Share of each writable filesystem in use (space reserved for root counts as used).',
        },
        spaceAvailable: {
          title: 'Space available',
          description: 'Space available to non-root users on each writable filesystem.',
        },
        inodesUsed: {
          title: 'Inodes used',
          description: 'Share of the inodes of each writable filesystem in use.',
        },
        timeToFull: {
          title: 'Time until full',
          description:
            'When each writable filesystem runs out of space at the rate it has been filling over the prediction window of the alerts. Red and orange follow the critical and warning horizons.',
        },
        readOnly: {
          title: 'Read-only',
          description:
            'READ-ONLY: the filesystem itself became read-only (usually after I/O errors); filesystems read-only by design are not shown.',
        },
        deviceError: {
          title: 'statfs',
          description:
            'ERROR: statfs on the mount failed or hung on the last scrape, so its size is not measured (a stuck network mount or a failing disk).',
        },
      },
    },
  },
} satisfies AreaStrings;

export type FilesystemStrings = typeof en;
