import { family } from '../../core/metrics.ts';

const labels = ['device', 'mountpoint', 'fstype'] as const;

// Names and labels mirror node_exporter's node_filesystem_* so PromQL habits carry over.
export const filesystemFamilies = {
  size: family({
    name: 'patrol_filesystem_size_bytes',
    help: 'Filesystem size in bytes.',
    type: 'gauge',
    labels,
  }),
  free: family({
    name: 'patrol_filesystem_free_bytes',
    help: 'Filesystem free space in bytes, including space reserved for root.',
    type: 'gauge',
    labels,
  }),
  avail: family({
    name: 'patrol_filesystem_avail_bytes',
    help: 'Filesystem space available to non-root users in bytes.',
    type: 'gauge',
    labels,
  }),
  files: family({
    name: 'patrol_filesystem_files',
    help: 'Filesystem total inodes.',
    type: 'gauge',
    labels,
  }),
  filesFree: family({
    name: 'patrol_filesystem_files_free',
    help: 'Filesystem free inodes.',
    type: 'gauge',
    labels,
  }),
  readonly: family({
    name: 'patrol_filesystem_readonly',
    help: 'Whether the filesystem itself (its superblock) is read-only (1) or not (0); a read-only bind or sandbox view of a writable filesystem counts as writable.',
    type: 'gauge',
    labels,
  }),
  deviceError: family({
    name: 'patrol_filesystem_device_error',
    help: 'Whether statfs on this mount failed or timed out (1) on this scrape; size metrics are absent while it is 1.',
    type: 'gauge',
    labels,
  }),
} as const;
