import { durationSeconds, type MixinConfig } from '../config.ts';
import { promql, sel } from '../promql.ts';
import type { AlertSpec, GroupSpec, Severity } from '../alerts/types.ts';
import type { FilesystemStrings } from './i18n/en.ts';

/** The alerts whose texts this area's string table has. */
type Alert = keyof FilesystemStrings['alerts'];

export const SPACE_RATIO = 'instance_mountpoint:patrol_filesystem_avail_bytes:ratio';
export const FILES_RATIO = 'instance_mountpoint:patrol_filesystem_files_free:ratio';

/**
 * node-mixin's filesystem alerts (NodeFilesystemSpaceFillingUp & co.) with the same thresholds,
 * written on ratios (0-1) rather than percentages, on recorded ratios, and with read-only
 * filesystems excluded by the superblock flag patrol reports.
 */
export function filesystemGroup(c: MixinConfig): GroupSpec<Alert> {
  const job = sel(c.selector);
  const fs = sel(c.selector, c.fsSelector, c.fsMountpointSelector);
  const t = c.thresholds;
  const window = t.predictWindow;
  const writable = `patrol_filesystem_readonly${fs} == 0`;

  const fillingUp = (
    alert: Alert,
    ratio: string,
    metric: string,
    severity: Severity,
    below: number,
    horizon: string,
    forDuration: string,
  ): AlertSpec<Alert> => ({
    alert,
    severity,
    expr: promql`
      (
        ${ratio}${fs} < ${below}
      and
        predict_linear(${metric}${fs}[${window}], ${durationSeconds(horizon)}) < 0
      and
        ${writable}
      )`,
    for: forDuration,
    params: { horizon, window },
  });

  const almostOut = (
    alert: Alert,
    ratio: string,
    severity: Severity,
    below: number,
    forDuration: string,
  ): AlertSpec<Alert> => ({
    alert,
    severity,
    expr: promql`
      (
        ${ratio}${fs} < ${below}
      and
        ${writable}
      )`,
    for: forDuration,
  });

  return {
    name: 'patrol-filesystem',
    rules: [
      {
        record: SPACE_RATIO,
        // size > 0 keeps empty pseudo filesystems out instead of recording NaN.
        expr: `patrol_filesystem_avail_bytes${job} / (patrol_filesystem_size_bytes${job} > 0)`,
      },
      {
        record: FILES_RATIO,
        expr: `patrol_filesystem_files_free${job} / (patrol_filesystem_files${job} > 0)`,
      },
      fillingUp(
        'PatrolFilesystemSpaceFillingUp',
        SPACE_RATIO,
        'patrol_filesystem_avail_bytes',
        'warning',
        t.spaceFillingUpWarning,
        t.predictWarningHorizon,
        c.for.filesystemFillingUp,
      ),
      fillingUp(
        'PatrolFilesystemSpaceFillingUp',
        SPACE_RATIO,
        'patrol_filesystem_avail_bytes',
        'critical',
        t.spaceFillingUpCritical,
        t.predictCriticalHorizon,
        c.for.filesystemFillingUp,
      ),
      almostOut(
        'PatrolFilesystemAlmostOutOfSpace',
        SPACE_RATIO,
        'warning',
        t.spaceAvailableWarning,
        c.for.filesystemAlmostFull,
      ),
      almostOut(
        'PatrolFilesystemAlmostOutOfSpace',
        SPACE_RATIO,
        'critical',
        t.spaceAvailableCritical,
        c.for.filesystemAlmostFull,
      ),
      fillingUp(
        'PatrolFilesystemFilesFillingUp',
        FILES_RATIO,
        'patrol_filesystem_files_free',
        'warning',
        t.filesFillingUpWarning,
        t.predictWarningHorizon,
        c.for.filesFillingUp,
      ),
      fillingUp(
        'PatrolFilesystemFilesFillingUp',
        FILES_RATIO,
        'patrol_filesystem_files_free',
        'critical',
        t.filesFillingUpCritical,
        t.predictCriticalHorizon,
        c.for.filesFillingUp,
      ),
      almostOut(
        'PatrolFilesystemAlmostOutOfFiles',
        FILES_RATIO,
        'warning',
        t.filesAvailableWarning,
        c.for.filesAlmostOut,
      ),
      almostOut(
        'PatrolFilesystemAlmostOutOfFiles',
        FILES_RATIO,
        'critical',
        t.filesAvailableCritical,
        c.for.filesAlmostOut,
      ),
      {
        // Read-only media are read-only by design; a writable filesystem that turns read-only
        // (errors=remount-ro after I/O errors) makes every write fail: a page, not a ticket.
        alert: 'PatrolFilesystemReadOnly',
        severity: 'critical',
        expr: promql`
          patrol_filesystem_readonly${fs} == 1
          unless
          patrol_filesystem_readonly${sel(c.selector, c.readOnlyExpectedSelector)}`,
        for: c.for.filesystemReadOnly,
      },
      {
        alert: 'PatrolFilesystemDeviceError',
        severity: 'warning',
        expr: `patrol_filesystem_device_error${fs} == 1`,
        for: c.for.filesystemDeviceError,
      },
    ],
  };
}
