import { z } from 'zod';
import { collectorBase, duration, regex } from '../../config/fields.ts';

// node_exporter's default exclusions (collector/filesystem_linux.go), plus container storage.
export const DEFAULT_MOUNT_POINTS_EXCLUDE =
  '^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+|var/lib/kubelet/.+)($|/)';
export const DEFAULT_FS_TYPES_EXCLUDE =
  '^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$';

export const filesystemConfig = z
  .strictObject({
    ...collectorBase({ enabled: true, timeout: '5s' }),
    mount_points_include: regex('', 'Only mount points matching this regex (empty: all).'),
    mount_points_exclude: regex(
      DEFAULT_MOUNT_POINTS_EXCLUDE,
      'Mount points matching this regex are skipped.',
    ),
    fs_types_include: regex('', 'Only filesystem types matching this regex (empty: all).'),
    fs_types_exclude: regex(
      DEFAULT_FS_TYPES_EXCLUDE,
      'Filesystem types matching this regex are skipped (pseudo filesystems and container overlays).',
    ),
    mount_timeout: duration(
      '3s',
      'How long statfs on one mount may take. A mount that exceeds it reports device_error 1 and is not asked again until its stuck call returns (stale NFS).',
    ),
  })
  .refine((c) => c.mount_timeout < c.timeout, {
    // Otherwise one hung mount fails the whole collector and every mount's series vanish.
    message:
      'must be shorter than collectors.filesystem.timeout, so one hung mount cannot fail the whole collector',
    path: ['mount_timeout'],
  })
  .meta({ description: 'Usage and inodes of every mounted filesystem (checklist C10).' });

export type FilesystemConfig = z.output<typeof filesystemConfig>;
