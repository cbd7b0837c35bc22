import {
  CollectFailure,
  defineCollector,
  type Collector,
  type CollectorContext,
} from '../../core/collector.ts';
import { describeError, errorCode } from '../../core/errors.ts';
import { fromRootfs, HOST_PATHS, inRootfs, procSelf } from '../../core/host-paths.ts';
import { LogOnce } from '../../core/log-once.ts';
import type { MetricSink } from '../../core/metrics.ts';
import { filesystemConfig, type FilesystemConfig } from './config.ts';
import { filesystemFamilies as f } from './metrics.ts';
import { compileFilter, hostMounts, parseMountInfo, selectMounts } from './mounts.ts';
import { processStatfs, readMountInfo, type GuardedStatfs } from './statfs.ts';

export interface FilesystemAdapters {
  readMountInfo: () => Promise<string>;
  statfs: GuardedStatfs;
}

/**
 * Scrape-time collector: reads the mount table and statfs()es each selected mount in parallel.
 * With --path.rootfs (in a container) it measures the host's mounts seen under the rootfs and
 * names them, and filters them, by the host's mount points (hostMounts).
 */
export function createFilesystemCollector(
  cfg: FilesystemConfig,
  ctx: CollectorContext,
  adapters?: FilesystemAdapters,
): Collector {
  const host = ctx.host ?? HOST_PATHS;
  const io = adapters ?? {
    readMountInfo: () => readMountInfo(procSelf(host, 'mountinfo')),
    statfs: processStatfs,
  };
  const filter = compileFilter(cfg);
  const log = ctx.logger.child({ collector: 'filesystem' });
  const guard = io.statfs;
  // The guard knows the path it opened (under rootfs); the log names the host's mount point.
  guard.onRecovered = (opened) => {
    log.info('mount answers statfs again', { mountpoint: fromRootfs(host, opened) ?? opened });
  };
  // Each failing mount is logged once per failure reason, not on every scrape.
  const failing = new LogOnce(log);
  const note = (mountpoint: string, reason: string | undefined) => {
    if (reason === undefined) failing.recover(mountpoint);
    else failing.fail(mountpoint, reason, 'statfs failed', { mountpoint, err: reason });
  };
  let badLinesLogged = false;

  return {
    name: 'filesystem',
    timeoutMs: cfg.timeout,
    async collect(sink: MetricSink) {
      const { mounts, bad } = parseMountInfo(await io.readMountInfo());
      if (bad.length > 0 && !badLinesLogged) {
        badLinesLogged = true;
        log.warn('skipping unparseable mountinfo lines', { count: bad.length, first: bad[0] });
      }
      const seen = hostMounts(mounts, host);
      // Never an empty, healthy answer: a rootfs with no mount at or under it is a missing
      // volume or a typo, and every disk alert would stay silent.
      if (seen.length === 0 && host.rootfs !== '/') {
        throw new CollectFailure(
          `no mount at or under --path.rootfs=${host.rootfs}: is the host's / mounted there?`,
        );
      }
      const selected = selectMounts(seen, filter);
      const present = new Set(selected.map((m) => m.mountpoint));
      failing.retain((mountpoint) => present.has(mountpoint));
      await Promise.all(
        selected.map(async (m) => {
          const labels = { device: m.device, mountpoint: m.mountpoint, fstype: m.fstype };
          const r = await guard.stat(inRootfs(host, m.mountpoint), cfg.mount_timeout);
          sink.add(f.readonly, labels, m.readonly ? 1 : 0);
          if (r.kind !== 'ok') {
            sink.add(f.deviceError, labels, 1);
            note(
              m.mountpoint,
              r.kind === 'error'
                ? (errorCode(r.error) ?? describeError(r.error))
                : `statfs did not return within ${cfg.mount_timeout} ms; skipping this mount until it does`,
            );
            return;
          }
          note(m.mountpoint, undefined);
          sink.add(f.deviceError, labels, 0);
          sink.add(f.size, labels, r.usage.size);
          sink.add(f.free, labels, r.usage.free);
          sink.add(f.avail, labels, r.usage.avail);
          sink.add(f.files, labels, r.usage.files);
          sink.add(f.filesFree, labels, r.usage.filesFree);
        }),
      );
    },
  };
}

const DEFAULTS = filesystemConfig.parse({});

export const filesystemCollector = defineCollector({
  name: 'filesystem',
  config: filesystemConfig,
  families: Object.values(f),
  describe: (cfg) => {
    if (!cfg.enabled) return 'disabled in configuration (collectors.filesystem.enabled: false)';
    const custom = (
      [
        'mount_points_include',
        'mount_points_exclude',
        'fs_types_include',
        'fs_types_exclude',
      ] as const
    )
      .filter((k) => cfg[k] !== DEFAULTS[k])
      .map((k) => `${k} /${cfg[k]}/`);
    return custom.length === 0
      ? 'every mounted filesystem except pseudo filesystems and container storage (default exclusions)'
      : `mounted filesystems selected by ${custom.join(', ')}`;
  },
  create: (cfg, ctx) => createFilesystemCollector(cfg, ctx),
});
