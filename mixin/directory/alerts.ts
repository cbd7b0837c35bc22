import { durationSeconds, type MixinConfig } from '../config.ts';
import { promql, sel } from '../promql.ts';
import type { AlertSpec, GroupSpec, Severity } from '../alerts/types.ts';
import type { DirectoryStrings } from './i18n/en.ts';

/** The alerts whose texts this area's string table has. */
type Alert = keyof DirectoryStrings['alerts'];

export function directoryGroup(c: MixinConfig): GroupSpec<Alert> {
  const s = sel(c.selector);
  const t = c.thresholds;

  // The directory's own growth, not its filesystem's: on a shared /data the filesystem trend
  // mixes many writers, while the log directory (the seed's tomcat_access case) is the one to
  // clean. Joined through patrol_directory_filesystem_info to the space its filesystem has left.
  const filling = (severity: Severity, horizon: string): AlertSpec<Alert> => ({
    alert: 'PatrolDirectoryFillingFilesystem',
    severity,
    expr: promql`
      (
        (
          predict_linear(patrol_directory_disk_usage_bytes${s}[${t.predictWindow}], ${durationSeconds(horizon)})
        -
          patrol_directory_disk_usage_bytes${s}
        ) > 0
      )
      * on (instance, job, path) group_left (device, mountpoint)
        patrol_directory_filesystem_info${s}
      > on (instance, job, mountpoint) group_left ()
        patrol_filesystem_avail_bytes${s}`,
    for: c.for.directoryFillingFilesystem,
    params: { horizon, window: t.predictWindow },
  });

  return {
    name: 'patrol-directory',
    rules: [
      filling('warning', t.predictWarningHorizon),
      filling('critical', t.predictCriticalHorizon),
      {
        alert: 'PatrolDirectoryScanFailing',
        severity: 'warning',
        expr: `patrol_directory_up${s} == 0`,
        for: c.for.directoryScanFailing,
      },
      {
        // A path that cannot be scanned at all is PatrolDirectoryScanFailing; this is the one
        // whose scans keep running past their interval (or keep being cut) while it is there.
        alert: 'PatrolDirectoryScanStale',
        severity: 'warning',
        expr: promql`
          (time() - patrol_directory_last_scan_timestamp_seconds${s}) > ${t.directoryScanStaleSeconds}
          unless on (instance, job, path)
          patrol_directory_up${s} == 0`,
        for: c.for.directoryScanStale,
      },
      {
        // Files vanishing mid-scan is log rotation doing its job; the rest means undercounting.
        // A root that cannot be scanned at all counts here too, but is PatrolDirectoryScanFailing.
        alert: 'PatrolDirectoryScanErrors',
        severity: 'info',
        expr: promql`
          increase(patrol_directory_scan_errors_total${sel(c.selector, 'reason!="vanished"')}[${t.directoryScanErrorsWindow}]) > 0
          unless on (instance, job, path)
          patrol_directory_up${s} == 0`,
        for: c.for.directoryScanErrors,
        params: { window: t.directoryScanErrorsWindow },
      },
    ],
  };
}
