import { family, info } from '../../core/metrics.ts';

const path = ['path'] as const;

/** Why an entry (or the root) could not be examined; a fixed set keeps the label bounded. */
export const ERROR_REASONS = ['permission', 'vanished', 'loop', 'other'] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

export const directoryFamilies = {
  up: family({
    name: 'patrol_directory_up',
    help: 'Whether the last scan of this directory completed (1), or its root is missing, unreadable or not a directory (0). Size metrics are absent while it is 0.',
    type: 'gauge',
    labels: path,
  }),
  size: family({
    name: 'patrol_directory_size_bytes',
    help: 'Sum of the apparent sizes (st_size) of the regular files under this directory, hard links counted once, as of the last completed scan.',
    type: 'gauge',
    labels: path,
  }),
  diskUsage: family({
    name: 'patrol_directory_disk_usage_bytes',
    help: 'Disk space allocated to everything under this directory, including the directories themselves (st_blocks * 512, hard links counted once): what `du -s -B1` reports.',
    type: 'gauge',
    labels: path,
  }),
  files: family({
    name: 'patrol_directory_files',
    help: 'Number of regular files under this directory (hard links to one file counted once), as of the last completed scan.',
    type: 'gauge',
    labels: path,
  }),
  oldest: family({
    name: 'patrol_directory_oldest_file_timestamp_seconds',
    help: 'Modification time of the oldest regular file under this directory; absent when it holds no file.',
    type: 'gauge',
    labels: path,
  }),
  newest: family({
    name: 'patrol_directory_newest_file_timestamp_seconds',
    help: 'Modification time of the newest regular file under this directory; absent when it holds no file.',
    type: 'gauge',
    labels: path,
  }),
  lastScan: family({
    name: 'patrol_directory_last_scan_timestamp_seconds',
    help: 'When the last completed scan of this directory ended; stays put while later scans fail or run, so time() minus it shows staleness.',
    type: 'gauge',
    labels: path,
  }),
  scanDuration: family({
    name: 'patrol_directory_scan_duration_seconds',
    help: 'How long the last completed scan of this directory took, including pauses for the I/O budget (max_entries_per_second).',
    type: 'gauge',
    labels: path,
  }),
  scanErrors: family({
    name: 'patrol_directory_scan_errors_total',
    help: 'Entries skipped while scanning this directory, by reason: permission (EACCES/EPERM), vanished (removed during the scan, or the root is missing), loop (a symlinked directory seen before, or ELOOP), other.',
    type: 'counter',
    labels: ['path', 'reason'],
  }),
  filesystem: info({
    name: 'patrol_directory_filesystem_info',
    help: "Always 1: the filesystem holding this directory, under the same device and mountpoint labels as patrol_filesystem_avail_bytes (for a directory reached through a bind mount, the mount that family reports), so `* on (path) group_left (device, mountpoint)` joins the two. Absent when it cannot be told; joins nothing when collectors.filesystem's filters exclude that mount.",
    labels: ['path', 'device', 'mountpoint'],
  }),
} as const;
