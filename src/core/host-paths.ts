/**
 * Where the host's files are when patrol runs in a container with the host's root mounted
 * inside it (node_exporter's --path.rootfs, --path.procfs, --path.sysfs): a configured path is
 * the host's path, opened under `rootfs`; a path patrol sees under `rootfs` (a mount point) is
 * reported as the host sees it. Pure: no file is touched here. With the defaults every function
 * returns its path unchanged, so patrol on the host behaves as if none of this existed.
 */
import { isAbsolute, posix } from 'node:path';
import { isGlob } from './glob.ts';

export interface HostPaths {
  /** Where the host's root directory is seen: "/" on the host, e.g. /host/root in a container. */
  readonly rootfs: string;
  /** The proc filesystem to read (patrol's own entries through self/). */
  readonly procfs: string;
  /** The sysfs to read (/sys/class/net). */
  readonly sysfs: string;
}

/** Patrol on the host itself. */
export const HOST_PATHS: HostPaths = { rootfs: '/', procfs: '/proc', sysfs: '/sys' };

/**
 * A directory flag's value as used from here on: absolute, normalised, no trailing slash ("/"
 * stays "/"). Throws (a message without the flag's name, the caller adds it) when relative or,
 * for the root, when it holds glob characters: configured globs are expanded under it, and
 * node:fs glob has no way to quote them.
 */
export function normalizeHostDir(value: string, kind: 'rootfs' | 'other' = 'other'): string {
  if (!isAbsolute(value)) throw new Error(`${JSON.stringify(value)} is not an absolute path`);
  const dir = posix.normalize(value).replace(/(.)\/+$/, '$1');
  if (kind === 'rootfs' && isGlob(dir)) {
    throw new Error(
      `${JSON.stringify(value)} contains glob characters (*?[]{} or !(, @(, +(), which configured globs could not be expanded under`,
    );
  }
  return dir;
}

/**
 * The path to open for a host path: `rootfs` joined with it. `..` cannot climb out of `rootfs`
 * (on the host, /.. is /); symbolic links are not resolved, so an absolute link on the host
 * points into patrol's own filesystem (see docs/architecture.md, "Running in a container").
 * A relative path is taken as relative to the host's root. A glob pattern maps the same way.
 */
export function inRootfs(paths: HostPaths, hostPath: string): string {
  if (paths.rootfs === '/') return hostPath;
  const host = posix.resolve('/', hostPath);
  return host === '/' ? paths.rootfs : paths.rootfs + host;
}

/**
 * The host's view of a path seen under `rootfs` (a mount point, a directory's resolved path):
 * `rootfs` itself is the host's "/"; undefined when the path is not under `rootfs` (a mount of
 * the container's own, such as its /proc or its overlay root).
 */
export function fromRootfs(paths: HostPaths, seenPath: string): string | undefined {
  const root = paths.rootfs;
  if (root === '/') return seenPath;
  if (seenPath === root) return '/';
  return seenPath.startsWith(`${root}/`) ? seenPath.slice(root.length) : undefined;
}

/** `<procfs>/self/<rest>`: patrol's own entries (its mount table, its network namespace). */
export function procSelf(paths: HostPaths, rest: string): string {
  return posix.join(paths.procfs, 'self', rest);
}

/** `<sysfs>/<rest>`. */
export function inSysfs(paths: HostPaths, rest: string): string {
  return posix.join(paths.sysfs, rest);
}

/** One line for --check-config and the start-up log when a flag moved a path; else undefined. */
export function describeHostPaths(paths: HostPaths): string | undefined {
  const moved = (['rootfs', 'procfs', 'sysfs'] as const).filter((k) => paths[k] !== HOST_PATHS[k]);
  if (moved.length === 0) return undefined;
  const where = moved.map((k) => `${k} ${paths[k]}`).join(', ');
  return paths.rootfs === '/'
    ? `reading the host through ${where}`
    : `reading the host through ${where}: the mounts, and the directory and log file paths configured, are the host's, opened under ${paths.rootfs}`;
}
