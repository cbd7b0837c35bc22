/**
 * The filesystem PromQL of the dashboards. Filesystem queries carry the alerts' filesystem
 * selectors so that a tile and the alert about the same mount look at the same series.
 */
import type { MixinConfig } from '../config.ts';
import { targetMatchers } from '../dashboards/queries.ts';
import { sel } from '../promql.ts';

/**
 * Filesystem expressions. Space and inode figures keep only writable filesystems, as the alerts
 * do: a squashfs snap or an ISO is 100% full by design and would paint the wall red forever.
 * A filesystem that turns read-only leaves these panels and shows up on the read-only ones.
 */
export function filesystemQueries(c: MixinConfig, variables: { mountpoint: boolean }) {
  // The targets' filesystems as the alerts select them, plus $mountpoint where the dashboard has it.
  const fsMatchers = [
    ...targetMatchers,
    c.fsSelector,
    c.fsMountpointSelector,
    variables.mountpoint ? 'mountpoint=~"$mountpoint"' : '',
  ].filter((m) => m.trim() !== '');
  const fs = sel(...fsMatchers);
  const writable = `patrol_filesystem_readonly${fs} == 0`;
  const avail = `patrol_filesystem_avail_bytes${fs}`;
  return {
    /** The filesystems, as the alerts select them. */
    fs,
    writable,
    // size > 0 and files > 0 keep pseudo filesystems out instead of showing NaN.
    usedRatio: `(1 - ${avail} / (patrol_filesystem_size_bytes${fs} > 0)) and ${writable}`,
    inodesUsedRatio: `(1 - patrol_filesystem_files_free${fs} / (patrol_filesystem_files${fs} > 0)) and ${writable}`,
    available: `${avail} and ${writable}`,
    /** 0/1 per filesystem, leaving out those read-only by design (config.readOnlyExpectedSelector). */
    readOnly: `patrol_filesystem_readonly${fs} unless patrol_filesystem_readonly${sel(...fsMatchers, c.readOnlyExpectedSelector)}`,
    deviceError: `patrol_filesystem_device_error${fs}`,
    /**
     * Seconds until full at the rate of the alerts' prediction window; 0 when it is full already
     * (the rate then reads 0 or NaN). A filesystem that is not filling gets -1 (mapped to "Not
     * filling") instead of vanishing, so every mount keeps a tile and a healthy host does not
     * look like a broken panel; no data at all means nothing is measured, and says so.
     */
    timeToFull: `((${avail} == 0) or (${avail} / -deriv(${avail}[${c.thresholds.predictWindow}]) > 0) or (${avail} * 0 - 1)) and ${writable}`,
  };
}

/** The sentinel `timeToFull` uses for "not filling". */
export const NOT_FILLING = -1;
