/** Pure parsing and selection of mounts from /proc/self/mountinfo (proc(5)). */
import { fromRootfs, type HostPaths } from '../../core/host-paths.ts';

export interface Mount {
  readonly mountId: number;
  /** major:minor of the filesystem; equal for bind mounts of the same filesystem. */
  readonly deviceNumber: string;
  /** The directory of the filesystem that is mounted here; "/" unless this is a bind mount of a subtree. */
  readonly root: string;
  readonly mountpoint: string;
  readonly fstype: string;
  readonly device: string;
  /** The filesystem (superblock) is read-only. */
  readonly readonly: boolean;
}

/** mountinfo escapes space, tab, newline and backslash as octal (\040 ...). */
export function unescapeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Parses mountinfo text; malformed lines are returned in `bad` rather than thrown. */
export function parseMountInfo(text: string): { mounts: Mount[]; bad: string[] } {
  const mounts: Mount[] = [];
  const bad: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const fields = line.split(' ');
    const sep = fields.indexOf('-', 6);
    const [id, , devno, root, mountpoint, mountOpts] = fields;
    const [fstype, source, superOpts] = sep === -1 ? [] : fields.slice(sep + 1);
    if (
      id === undefined ||
      devno === undefined ||
      root === undefined ||
      mountpoint === undefined ||
      mountOpts === undefined ||
      fstype === undefined ||
      source === undefined ||
      !/^\d+:\d+$/.test(devno)
    ) {
      bad.push(line);
      continue;
    }
    // Read-only from the superblock options, not the per-mount ones: a sandboxed service
    // (systemd ProtectSystem=strict, a container) sees every mount remounted ro in its own
    // namespace, while the filesystem itself is writable. A superblock goes ro when the
    // kernel remounts it after errors (errors=remount-ro), which is what the alert is for.
    const superblock = new Set((superOpts ?? '').split(','));
    mounts.push({
      mountId: Number(id),
      deviceNumber: devno,
      root: unescapeOctal(root),
      mountpoint: unescapeOctal(mountpoint),
      fstype,
      device: unescapeOctal(source),
      readonly: superblock.has('ro'),
    });
  }
  return { mounts, bad };
}

/**
 * The host's mounts as patrol sees them under `rootfs` (in a container started with the host's
 * root mounted there, e.g. docker -v /:/host/root:ro,rslave), with mount points as the host
 * sees them: `rootfs` itself is "/". Mounts outside `rootfs` (the container's own root, /proc,
 * /etc/hosts...) are not the host's and are dropped. With rootfs "/" the table as it is.
 */
export function hostMounts(mounts: readonly Mount[], paths: HostPaths): Mount[] {
  if (paths.rootfs === '/') return [...mounts];
  return mounts.flatMap((m) => {
    const mountpoint = fromRootfs(paths, m.mountpoint);
    return mountpoint === undefined ? [] : [{ ...m, mountpoint }];
  });
}

export interface MountFilter {
  mountPointsInclude: RegExp | undefined;
  mountPointsExclude: RegExp | undefined;
  fsTypesInclude: RegExp | undefined;
  fsTypesExclude: RegExp | undefined;
}

export function compileFilter(cfg: {
  mount_points_include: string;
  mount_points_exclude: string;
  fs_types_include: string;
  fs_types_exclude: string;
}): MountFilter {
  const re = (src: string) => (src === '' ? undefined : new RegExp(src, 'u'));
  return {
    mountPointsInclude: re(cfg.mount_points_include),
    mountPointsExclude: re(cfg.mount_points_exclude),
    fsTypesInclude: re(cfg.fs_types_include),
    fsTypesExclude: re(cfg.fs_types_exclude),
  };
}

function accepted(m: Mount, f: MountFilter): boolean {
  if (f.mountPointsInclude && !f.mountPointsInclude.test(m.mountpoint)) return false;
  if (f.mountPointsExclude?.test(m.mountpoint)) return false;
  if (f.fsTypesInclude && !f.fsTypesInclude.test(m.fstype)) return false;
  if (f.fsTypesExclude?.test(m.fstype)) return false;
  return true;
}

/**
 * The mounts to measure: filtered, one per mount point (the last mount on a path hides the
 * ones under it) and one per filesystem, so a bind mount does not count the same space twice.
 * Of several mounts of one filesystem the one showing its whole root wins, then the shortest path.
 */
export function selectMounts(mounts: readonly Mount[], filter: MountFilter): Mount[] {
  const byMountpoint = new Map<string, Mount>();
  for (const m of mounts) {
    if (!accepted(m, filter)) continue;
    byMountpoint.delete(m.mountpoint); // keep insertion order of the visible mount
    byMountpoint.set(m.mountpoint, m);
  }
  const byDevice = new Map<string, Mount>();
  for (const m of byMountpoint.values()) {
    const seen = byDevice.get(m.deviceNumber);
    if (seen === undefined || better(m, seen)) byDevice.set(m.deviceNumber, m);
  }
  const chosen = new Set(byDevice.values());
  return [...byMountpoint.values()].filter((m) => chosen.has(m));
}

function better(a: Mount, b: Mount): boolean {
  if ((a.root === '/') !== (b.root === '/')) return a.root === '/';
  return a.mountpoint.length < b.mountpoint.length;
}
