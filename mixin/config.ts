/**
 * The one configuration of the mixin: selectors, thresholds, durations and where runbooks live.
 * Change a value here (or pass an override to `buildMixin`) and run `npm run generate`; the
 * alerts, recording rules and dashboards all read from this object.
 */
export interface MixinConfig {
  /** Selects patrol's scrape targets; every expression carries it. */
  selector: string;
  /** Which filesystems the filesystem alerts watch (node-mixin's fsSelector). */
  fsSelector: string;
  /** Which mount points the filesystem alerts watch (node-mixin's fsMountpointSelector). */
  fsMountpointSelector: string;
  /**
   * Filesystems that are read-only by design (images, optical media) and must not raise
   * PatrolFilesystemReadOnly.
   */
  readOnlyExpectedSelector: string;
  thresholds: {
    /** Space left (ratio 0-1) below which a filesystem that is still filling is worth a warning / a page. */
    spaceFillingUpWarning: number;
    spaceFillingUpCritical: number;
    /** Space left (ratio) below which a filesystem is almost full whatever its trend. */
    spaceAvailableWarning: number;
    spaceAvailableCritical: number;
    filesFillingUpWarning: number;
    filesFillingUpCritical: number;
    filesAvailableWarning: number;
    filesAvailableCritical: number;
    /** How far ahead predict_linear looks: warning and critical horizons, and the window it fits on. */
    predictWarningHorizon: string;
    predictCriticalHorizon: string;
    predictWindow: string;
    /** A completed directory scan older than this is stale (seconds). */
    directoryScanStaleSeconds: number;
    /**
     * Window in which skipped entries are counted. Every scan counts a skipped entry again, so
     * the window must hold several scans: keep it well above collectors.directory.interval.
     */
    directoryScanErrorsWindow: string;
    /** A service restarted automatically at least `systemdRestartsCount` times within `systemdRestartsWindow` is flapping. */
    systemdRestartsWindow: string;
    systemdRestartsCount: number;
    /**
     * Error and critical log entries per minute of one source, averaged over `logErrorsWindow`,
     * above which PatrolLogErrorsHigh warns (and the Overview's log cells turn orange).
     */
    logErrorsPerMinute: number;
    /**
     * Window of the recent error rate of PatrolLogErrorsHigh, PatrolLogErrorsSpike and the
     * dashboards' "errors per minute now". Keep `for.logErrorsHigh` longer than it: one burst
     * then stays in the window for less time than the alert waits, so only errors that go on
     * raise PatrolLogErrorsHigh (a burst is PatrolLogErrorsSpike's case).
     */
    logErrorsWindow: string;
    /**
     * PatrolLogErrorsSpike: the recent rate (over `logErrorsWindow`) above this many times the
     * source's rate over `logErrorsBaselineWindow`...
     */
    logErrorsSpikeFactor: number;
    logErrorsBaselineWindow: string;
    /**
     * ... and above this many entries per minute, so that a quiet source going from one error an
     * hour to a few raises nothing.
     */
    logErrorsSpikeMinPerMinute: number;
    /** Bytes written but not read yet above which a log source whose backlog is not shrinking over `logLagWindow` is behind. */
    logLagBytes: number;
    logLagWindow: string;
    /**
     * Clock offset between the nodes of an HA pair (seconds, either sign) above which
     * PatrolHaClockSkew warns: the replication lag figure is corrected by a measured offset that
     * is only as good as the clocks behind it.
     */
    haClockSkewSeconds: number;
    /** How long PatrolHaFailover keeps firing after a node's role changed (it resolves by itself). */
    haFailoverWindow: string;
    /**
     * How far back the HA alerts and dashboards look for what a node reported before its
     * exporter went silent: its node name (so that its peer's PatrolHaPeerDown about it is held
     * back while PatrolExporterDown says it better) and whether the pair ever knew its roles
     * (so that a pair without role detection never raises PatrolHaNoPrimary).
     */
    haNodeMemory: string;
    /**
     * Replication lag (seconds) of a dataset above which PatrolReplicationLagHigh warns / pages,
     * when the lag is also not recovering (mysqld-mixin's form: predicted, at its trend over
     * `replicationLagTrendWindow`, to be still above 0 `replicationLagTrendHorizon` from now).
     * The dashboards turn orange and red at the same figures.
     */
    replicationLagWarningSeconds: number;
    replicationLagCriticalSeconds: number;
    replicationLagTrendWindow: string;
    replicationLagTrendHorizon: string;
    /**
     * A standby whose copy of the canary has not changed for this long (and whose lag is above
     * it) is stalled: the mirror ships nothing. Keep it well above the canary interval
     * (collectors.ha.datasets[].canary.interval, 5s) plus the mirror's own batching delay
     * (lsyncd's `delay`, an rsync loop's sleep).
     */
    replicationStallWindow: string;
    /**
     * A standby that has not completed a compare of a dataset for this long is not comparing:
     * three times collectors.ha.datasets[].compare.interval (1m); raise it with that interval.
     */
    replicationCompareStale: string;
    /** Space left (ratio 0-1) on the filesystem of a dataset's copy on the standby below which PatrolReplicationStandbySpaceLow warns. */
    replicationStandbySpaceAvailable: number;
  };
  /** How long each condition must hold before its alert fires (`for:`). */
  for: {
    exporterDown: string;
    collectorFailing: string;
    configReloadFailed: string;
    filesystemFillingUp: string;
    filesystemAlmostFull: string;
    filesFillingUp: string;
    filesAlmostOut: string;
    filesystemReadOnly: string;
    filesystemDeviceError: string;
    directoryFillingFilesystem: string;
    directoryScanFailing: string;
    directoryScanStale: string;
    directoryScanErrors: string;
    systemdUnreachable: string;
    systemdUnitFailed: string;
    systemdRequiredUnitInactive: string;
    systemdRequiredUnitMissing: string;
    systemdServiceRestarting: string;
    systemdSystemDegraded: string;
    logErrorsHigh: string;
    logErrorsSpike: string;
    logSourceMissing: string;
    logReaderBehind: string;
    logSourceSilent: string;
    haPeerDown: string;
    haSplitBrain: string;
    haNoPrimary: string;
    haFailover: string;
    haClockSkew: string;
    replicationLagHigh: string;
    replicationStalled: string;
    replicationOutOfSync: string;
    replicationCompareFailing: string;
    replicationStandbySpaceLow: string;
  };
  /**
   * Where docs/runbooks is served; each alert links to `${runbookUrlBase}/<AlertName>.md`.
   * On an isolated network point it at an internal git server or wiki that hosts this repository.
   */
  runbookUrlBase: string;
  /** Prefix of every dashboard uid (a language suffix is added for translations). */
  dashboardUidPrefix: string;
  /** Dashboard refresh interval on the wall display. */
  refresh: string;
  /** Tags of every generated dashboard. */
  dashboardTags: readonly string[];
  /**
   * Colours of the dashboards' used-space and used-inode panels (ratio 0-1): orange from
   * `usedWarning`, red from `usedCritical`. Earlier than the almost-full alerts (5% and 3% left)
   * on purpose: the wall display shows a filesystem getting full before anyone is paged.
   */
  dashboardThresholds: {
    usedWarning: number;
    usedCritical: number;
  };
}

export const defaultConfig: MixinConfig = {
  selector: 'job="patrol"',
  fsSelector: 'fstype!=""',
  fsMountpointSelector: 'mountpoint!=""',
  readOnlyExpectedSelector: 'fstype=~"squashfs|iso9660|udf|erofs|cramfs"',
  thresholds: {
    spaceFillingUpWarning: 0.4,
    spaceFillingUpCritical: 0.2,
    spaceAvailableWarning: 0.05,
    spaceAvailableCritical: 0.03,
    filesFillingUpWarning: 0.4,
    filesFillingUpCritical: 0.2,
    filesAvailableWarning: 0.05,
    filesAvailableCritical: 0.03,
    predictWarningHorizon: '24h',
    predictCriticalHorizon: '4h',
    predictWindow: '6h',
    directoryScanStaleSeconds: 3600,
    directoryScanErrorsWindow: '1h',
    systemdRestartsWindow: '15m',
    systemdRestartsCount: 3,
    logErrorsPerMinute: 10,
    logErrorsWindow: '10m',
    logErrorsSpikeFactor: 10,
    logErrorsBaselineWindow: '1d',
    // 0.6 a minute is 0.01 a second: a source going from 0.001 to 0.01 errors a second stays quiet.
    logErrorsSpikeMinPerMinute: 1,
    logLagBytes: 64 * 1024 * 1024,
    logLagWindow: '10m',
    haClockSkewSeconds: 1,
    haFailoverWindow: '30m',
    haNodeMemory: '1d',
    // A minute: a healthy mirror (lsyncd ships after its `delay`, 15 s by default) stays well
    // below it; five minutes of writes that a failover would lose is worth a page.
    replicationLagWarningSeconds: 60,
    replicationLagCriticalSeconds: 300,
    replicationLagTrendWindow: '5m',
    replicationLagTrendHorizon: '2m',
    replicationStallWindow: '3m',
    replicationCompareStale: '3m',
    replicationStandbySpaceAvailable: 0.1,
  },
  for: {
    exporterDown: '5m',
    collectorFailing: '15m',
    configReloadFailed: '10m',
    filesystemFillingUp: '1h',
    filesystemAlmostFull: '30m',
    filesFillingUp: '1h',
    filesAlmostOut: '1h',
    filesystemReadOnly: '5m',
    filesystemDeviceError: '15m',
    directoryFillingFilesystem: '1h',
    directoryScanFailing: '15m',
    directoryScanStale: '15m',
    directoryScanErrors: '1h',
    systemdUnreachable: '5m',
    systemdUnitFailed: '5m',
    systemdRequiredUnitInactive: '5m',
    systemdRequiredUnitMissing: '5m',
    systemdServiceRestarting: '5m',
    systemdSystemDegraded: '15m',
    // Longer than thresholds.logErrorsWindow on purpose (see there).
    logErrorsHigh: '15m',
    logErrorsSpike: '5m',
    // Long enough for a redeploy that recreates the log directory, or a rotation without create.
    logSourceMissing: '10m',
    logReaderBehind: '15m',
    // On top of the source's own max_silence, which is the real limit.
    logSourceSilent: '5m',
    // Short: the collector already waits collectors.ha.failure_threshold heartbeats in a row
    // (15 s by default) before it reports a peer down.
    haPeerDown: '1m',
    // Longer than the moment of a switchover in which the new primary has taken over and the
    // old one has not noticed yet (one role detection interval on each side).
    haSplitBrain: '1m',
    // Time for the mirror software to notice the primary is gone and promote the standby.
    haNoPrimary: '3m',
    // At once: a failover is news as soon as it happened; haFailoverWindow says for how long.
    haFailover: '0s',
    // NTP or chrony slews a clock back within minutes; one that stays off is not disciplined.
    haClockSkew: '10m',
    // On top of the trend condition, which already asks for a lag that is not coming down.
    replicationLagHigh: '2m',
    // Short: thresholds.replicationStallWindow is the real wait.
    replicationStalled: '1m',
    // Long: a copy that differs for a quarter of an hour is not a change still being shipped
    // (the standby counts a file only when two compares in a row find it different).
    replicationOutOfSync: '15m',
    replicationCompareFailing: '5m',
    replicationStandbySpaceLow: '15m',
  },
  runbookUrlBase: 'https://git.example.com/ops/patrol/blob/main/docs/runbooks',
  dashboardUidPrefix: 'patrol',
  refresh: '30s',
  dashboardTags: ['patrol'],
  dashboardThresholds: {
    // Red where PatrolFilesystemAlmostOutOfSpace warns (5 % left): red means someone must act.
    usedWarning: 0.85,
    usedCritical: 0.95,
  },
};

/** A Prometheus duration in seconds, for thresholds that PromQL needs as numbers. */
export function durationSeconds(d: string): number {
  const m = /^(\d+)(ms|s|m|h|d|w)$/.exec(d);
  if (m === null) throw new Error(`not a single-unit Prometheus duration: ${d}`);
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2] as 'ms'];
  return Number(m[1]) * unit;
}
