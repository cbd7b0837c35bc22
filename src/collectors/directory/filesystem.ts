/**
 * Which filesystem holds a watched directory, named the way the filesystem collector names it
 * (its `device` and `mountpoint` labels), so that PromQL can join a directory's growth to the
 * free space left on its filesystem. Pure: the caller stat()s the directory and reads
 * /proc/self/mountinfo once per scan cycle.
 */
import { selectMounts, type Mount, type MountFilter } from '../filesystem/mounts.ts';

/** The labels of patrol_filesystem_* for one filesystem. */
export interface FilesystemLabels {
  readonly device: string;
  readonly mountpoint: string;
}

/** The mount table prepared once per cycle and asked once per directory. */
export interface MountIndex {
  /** Per device number (major:minor), the one mount the filesystem collector reports. */
  readonly chosen: ReadonlyMap<string, Mount>;
  /** Every device number in mountinfo, including filesystems whose every mount is hidden. */
  readonly known: ReadonlySet<string>;
  /** The top mount on each mount point. */
  readonly visible: readonly Mount[];
}

const ACCEPT_ALL: MountFilter = {
  mountPointsInclude: undefined,
  mountPointsExclude: undefined,
  fsTypesInclude: undefined,
  fsTypesExclude: undefined,
};

/**
 * Chooses per filesystem the mount selectMounts() chooses, with every mount accepted: the
 * directory collector does not know the filesystem collector's filters. Where those exclude the
 * chosen mount (an overlay, a mount point under /var/lib/docker/...), the filesystem collector
 * reports that filesystem under another bind mount or not at all, and the join finds nothing.
 */
export function indexMounts(mounts: readonly Mount[]): MountIndex {
  const chosen = new Map(selectMounts(mounts, ACCEPT_ALL).map((m) => [m.deviceNumber, m]));
  const visible = [...new Map(mounts.map((m) => [m.mountpoint, m])).values()];
  return { chosen, known: new Set(mounts.map((m) => m.deviceNumber)), visible };
}

/**
 * The filesystem holding a directory, from its st_dev as major:minor and its path with symlinks
 * resolved; undefined when no mount the filesystem collector could report holds it.
 */
export function filesystemOf(
  deviceNumber: string,
  realPath: string,
  index: MountIndex,
): FilesystemLabels | undefined {
  let mount = index.chosen.get(deviceNumber);
  // A btrfs subvolume reports an anonymous st_dev of its own (0:NN) that mountinfo never
  // lists: mountinfo shows the major:minor of the whole filesystem. Then the mount whose
  // mount point is the longest prefix of the path holds it, and the filesystem collector
  // reports that filesystem under the mount it chose for its device number.
  if (mount === undefined && !index.known.has(deviceNumber)) {
    const holder = longestPrefixMount(realPath, index.visible);
    if (holder !== undefined) mount = index.chosen.get(holder.deviceNumber);
  }
  // A number mountinfo lists but whose every mount is hidden under a later one (a directory
  // opened before the mount over it): no prefix fallback, it would name the hiding filesystem.
  return mount === undefined ? undefined : { device: mount.device, mountpoint: mount.mountpoint };
}

function longestPrefixMount(path: string, mounts: readonly Mount[]): Mount | undefined {
  let best: Mount | undefined;
  for (const m of mounts) {
    if (!isUnder(path, m.mountpoint)) continue;
    if (best === undefined || m.mountpoint.length > best.mountpoint.length) best = m;
  }
  return best;
}

function isUnder(path: string, mountpoint: string): boolean {
  if (mountpoint === '/') return path.startsWith('/');
  return path === mountpoint || path.startsWith(`${mountpoint}/`);
}

/**
 * st_dev (Node's `stats.dev` with `{ bigint: true }`; a number loses bits above 2^53) as
 * mountinfo's major:minor, with glibc's masks (sys/sysmacros.h): minor in bits 0-7 and 20-43,
 * major in bits 8-19 and 44-63. Masking before shifting keeps the high major bits out of the
 * minor, which `(dev >> 12) & ~0xff` on 64 bits would let in.
 */
export function deviceNumber(dev: bigint): string {
  const major = ((dev & 0xfff00n) >> 8n) | ((dev & 0xfffff00000000000n) >> 32n);
  const minor = (dev & 0xffn) | ((dev & 0xffffff00000n) >> 12n);
  return `${major}:${minor}`;
}
