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
  /**
   * The pods that must follow the ops rule "a pod's minimum and maximum memory must be equal,
   * and its minimum and maximum CPU too" (requests = limits for both, the Guaranteed QoS
   * class): PatrolKubePodNotGuaranteed and the dashboards' list of pods that break it. Matchers
   * on patrol_kube_pod_container_requests_equal_limits (namespace, pod, container).
   */
  kubeGuaranteedSelector: string;
  /**
   * The Services PatrolKubeServiceNoReadyEndpoints watches, as matchers on
   * patrol_kube_endpoint_address_available (namespace, endpoint: the Service's name). Every
   * Service by default; leave out one whose pods are scaled to 0 on purpose with
   * `endpoint!="its-name"`.
   */
  kubeServiceSelector: string;
  /**
   * The pod network's DaemonSet, one pod per node, that the dashboards show on its own (matchers
   * on patrol_kube_daemonset_*: namespace, daemonset): calico-node in kube-system, the seed's
   * network (kube-flannel-ds for flannel). Its alerts are the DaemonSet alerts of every
   * DaemonSet.
   */
  kubeNetworkDaemonSetSelector: string;
  /**
   * The pod network's pods listed on patrol / Kubernetes (matchers on patrol_kube_pod_*: namespace,
   * pod): the seed's `kubectl get pod -n kube-system | grep calico`, calico-kube-controllers
   * included.
   */
  kubeNetworkPodSelector: string;
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
     * A link of an HA pair whose carrier changed more than `haLinkFlapChanges` times within
     * `haLinkFlapWindow` is flapping (PatrolHaLinkFlapping). Each down and each up is one
     * change: 4 is more than two outages.
     */
    haLinkFlapWindow: string;
    haLinkFlapChanges: number;
    /**
     * PatrolHaLinkErrors: receive plus transmit errors per second (a bad cable, port or NIC:
     * a healthy link has none), or receive plus transmit drops per second (a flood the host
     * cannot keep up with, full rings), averaged over `haLinkErrorsWindow`.
     */
    haLinkErrorsWindow: string;
    haLinkErrorsPerSecond: number;
    haLinkDropsPerSecond: number;
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
    /**
     * A Deployment, StatefulSet or DaemonSet whose up-to-date count changed within this window
     * is still rolling out (kubernetes-mixin's `changes(...updated[10m]) == 0`): its replica
     * alerts wait until it stops moving. Longer than one batch of a rolling update (a new pod
     * started and ready), so a slow but progressing rollout of many replicas never fires them.
     */
    kubeRolloutProgressWindow: string;
    /**
     * A container that restarted within this window, or was seen waiting in CrashLoopBackOff in
     * it, is crash looping (PatrolKubePodCrashLooping, with for.kubePodCrashLooping). Keep it at
     * least the kubelet's longest back-off (5m): between two restarts the container is in
     * CrashLoopBackOff, so the condition holds without gaps.
     */
    kubeCrashLoopWindow: string;
    /** The restarts PatrolKubePodCrashLooping's description counts: those within this window. */
    kubeRestartsReportWindow: string;
    /**
     * Days before a probed server's certificate expires (the earliest in its chain) at which
     * PatrolProbeCertificateExpiring warns, and at which it turns critical.
     */
    probeCertExpiryWarningDays: number;
    probeCertExpiryCriticalDays: number;
    /** Restarts of a container within containerRestartsWindow that make it "restarting". */
    containerRestartsCount: number;
    containerRestartsWindow: string;
    /**
     * Replication lag (seconds) of a database replica above which PatrolDbReplicationLagHigh
     * warns / pages; the dashboards turn orange and red at the same figures. The lag is the
     * heartbeat's where the replica has one, unless its primary's heartbeat is stale (above
     * `dbHeartbeatStaleSeconds`), else the server's own figure.
     */
    dbReplicationLagWarningSeconds: number;
    dbReplicationLagCriticalSeconds: number;
    /**
     * Age (seconds) of the heartbeat on a database primary above which its writer is dead
     * (PatrolDbHeartbeatStale), and its replicas' heartbeat lag is no longer taken as their
     * replication lag. Well above the heartbeat interval (collectors.db_replication, 1 s).
     */
    dbHeartbeatStaleSeconds: number;
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
    haLinkDown: string;
    haLinkFlapping: string;
    haLinkErrors: string;
    haBondDegraded: string;
    haVipConflict: string;
    replicationLagHigh: string;
    replicationStalled: string;
    replicationOutOfSync: string;
    replicationCompareFailing: string;
    replicationStandbySpaceLow: string;
    replicationCanaryUnwritable: string;
    kubeApiUnreachable: string;
    kubeWatchStale: string;
    kubeNodeNotReady: string;
    kubeNodeUnschedulable: string;
    kubeDeploymentReplicasMismatch: string;
    kubeDeploymentRolloutStuck: string;
    kubeDeploymentGenerationMismatch: string;
    kubeStatefulSetReplicasMismatch: string;
    kubePodNotReady: string;
    kubePodCrashLooping: string;
    kubeContainerWaiting: string;
    kubeServiceNoReadyEndpoints: string;
    kubeDaemonSetNotScheduled: string;
    kubeDaemonSetMisScheduled: string;
    kubePodNotGuaranteed: string;
    probeFailed: string;
    probeSlow: string;
    probeCertExpiring: string;
    probeRabbitmqAlarm: string;
    containerEngineUnreachable: string;
    containerNotRunning: string;
    containerRequiredMissing: string;
    containerUnhealthy: string;
    containerRestarting: string;
    dbReplicationBroken: string;
    dbReplicationLagHigh: string;
    dbReplicaMissing: string;
    dbHeartbeatStale: string;
    dbReplicationError: string;
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
  /**
   * The daily check (the seed's 09:00 walk): patrol / Kubernetes counts each pod's restarts
   * since the last time the clock read `hour`:00, so the column answers "did RESTARTS go up
   * since this morning?" at any time of day. `utcOffsetHours` is the control room's time zone
   * (China Standard Time: 8); PromQL's clock is UTC and knows no daylight saving time.
   */
  morningCheck: {
    hour: number;
    utcOffsetHours: number;
  };
}

export const defaultConfig: MixinConfig = {
  selector: 'job="patrol"',
  fsSelector: 'fstype!=""',
  fsMountpointSelector: 'mountpoint!=""',
  readOnlyExpectedSelector: 'fstype=~"squashfs|iso9660|udf|erofs|cramfs"',
  // The seed's business namespace (`kubectl get po -n product`).
  kubeGuaranteedSelector: 'namespace="product"',
  // Every Service (every one has a namespace).
  kubeServiceSelector: 'namespace!=""',
  kubeNetworkDaemonSetSelector: 'namespace="kube-system", daemonset="calico-node"',
  kubeNetworkPodSelector: 'namespace="kube-system", pod=~"calico-.*"',
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
    // Ten minutes: a cable re-plugged once is two changes; more than two outages is a flap.
    haLinkFlapWindow: '10m',
    haLinkFlapChanges: 4,
    // One error every ten seconds, sustained over ten minutes, is a physical fault; drops are
    // counted by healthy hosts too (frames for unknown protocols), so their limit is higher.
    haLinkErrorsWindow: '10m',
    haLinkErrorsPerSecond: 0.1,
    haLinkDropsPerSecond: 10,
    // A minute: a healthy mirror (lsyncd ships after its `delay`, 15 s by default) stays well
    // below it; five minutes of writes that a failover would lose is worth a page.
    replicationLagWarningSeconds: 60,
    replicationLagCriticalSeconds: 300,
    replicationLagTrendWindow: '5m',
    replicationLagTrendHorizon: '2m',
    replicationStallWindow: '3m',
    replicationCompareStale: '3m',
    replicationStandbySpaceAvailable: 0.1,
    kubeRolloutProgressWindow: '10m',
    kubeCrashLoopWindow: '5m',
    kubeRestartsReportWindow: '1h',
    // Two weeks leaves time to order a certificate; three days is a page.
    probeCertExpiryWarningDays: 14,
    probeCertExpiryCriticalDays: 3,
    // Three restarts in 15 minutes: a crash loop under --restart always, not one redeploy.
    containerRestartsCount: 3,
    containerRestartsWindow: '15m',
    // Half a minute: a healthy replica reads below the heartbeat interval (1 s) plus a second or
    // two; five minutes of writes that a failover would lose is worth a page (as for the mirror).
    dbReplicationLagWarningSeconds: 30,
    dbReplicationLagCriticalSeconds: 300,
    // Thirty missed heartbeats at the default interval (1 s): not a slow write, a dead writer.
    dbHeartbeatStaleSeconds: 30,
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
    // Two scrapes at 30 s: a link pulled out pages within a minute and a half, a re-plug does not.
    haLinkDown: '1m',
    // Short: haLinkFlapWindow is the real wait.
    haLinkFlapping: '1m',
    // On top of haLinkErrorsWindow: errors that go on, not one burst.
    haLinkErrors: '5m',
    // A slave re-plugged, or the bonding driver's own miimon/updelay, takes seconds.
    haBondDegraded: '2m',
    // Two ARP probes: another machine answering for the VIP is not a glitch.
    haVipConflict: '1m',
    // On top of the trend condition, which already asks for a lag that is not coming down.
    replicationLagHigh: '2m',
    // Short: thresholds.replicationStallWindow is the real wait.
    replicationStalled: '1m',
    // Long: a copy that differs for a quarter of an hour is not a change still being shipped
    // (the standby counts a file only when two compares in a row find it different).
    replicationOutOfSync: '15m',
    replicationCompareFailing: '5m',
    replicationStandbySpaceLow: '15m',
    // The primary's last canary write failed at every evaluation for this long (it writes one
    // every canary.interval, 5 s): not a passing hiccup. A sandbox that forbids it stays.
    replicationCanaryUnwritable: '2m',
    // Short enough to page before the morning walk would find it; the API check runs every
    // 15 s, so five minutes is twenty failed checks, not one slow answer.
    kubeApiUnreachable: '5m',
    // A relist of a large resource after an expired watch takes seconds; ten minutes not synced
    // is a watch that keeps failing (or RBAC that forbids it, which does not heal by waiting).
    kubeWatchStale: '10m',
    // The node controller already waits its grace period (40 s) before it marks a silent node
    // Unknown; a kubelet restart takes well under five minutes.
    kubeNodeNotReady: '5m',
    // A drain and a reboot take less than an hour; a node left cordoned for longer is forgotten.
    kubeNodeUnschedulable: '1h',
    // On top of thresholds.kubeRolloutProgressWindow: the counts have also stopped moving.
    kubeDeploymentReplicasMismatch: '10m',
    // Short: the Deployment's progressDeadlineSeconds (600 s by default) is the real wait.
    kubeDeploymentRolloutStuck: '1m',
    // The deployment controller picks up a change within seconds; ten minutes behind is a
    // kube-controller-manager that does not run (or is not leader anywhere).
    kubeDeploymentGenerationMismatch: '10m',
    // As for Deployments, on top of thresholds.kubeRolloutProgressWindow.
    kubeStatefulSetReplicasMismatch: '10m',
    // kubernetes-mixin's: long enough for an image pull and a slow Java start (readiness).
    kubePodNotReady: '15m',
    // Three back-offs at the kubelet's longest (5m): one restart (an OOM kill once) is not a loop.
    kubePodCrashLooping: '15m',
    // ContainerCreating and a first image pull take seconds to minutes; a quarter of an hour is
    // stuck (a missing image or Secret, a CNI that does not answer).
    kubeContainerWaiting: '15m',
    // Every request to the Service fails meanwhile (the seed's white screen): page soon, but
    // not for a rollout that replaces the only pod.
    kubeServiceNoReadyEndpoints: '5m',
    // kubernetes-mixin's; on top of thresholds.kubeRolloutProgressWindow, so a rolling update of
    // calico-node across many nodes (one node after the other) does not fire it.
    kubeDaemonSetNotScheduled: '10m',
    // A node relabelled or tainted: the controller removes the pod within a minute or two.
    kubeDaemonSetMisScheduled: '15m',
    // A ticket, not a page: the rule is checked when a workload is deployed.
    kubePodNotGuaranteed: '15m',
    // Short (the "critical after a short for:"): two failed scrapes at 30 s, so one lost
    // packet does not page, a service that is down does within a minute and a half.
    probeFailed: '1m',
    // Slowness that lasts, not one slow answer.
    probeSlow: '5m',
    // Expiry moves by the day; the wait only rides out a scrape that missed the certificate.
    probeCertExpiring: '10m',
    // RabbitMQ blocks every publisher while an alarm lasts: a page at once.
    probeRabbitmqAlarm: '1m',
    // A daemon restart (an upgrade) takes a minute or two.
    containerEngineUnreachable: '5m',
    // Long enough for a redeploy by the installer (stop, remove, create, start).
    containerNotRunning: '2m',
    containerRequiredMissing: '2m',
    // Docker marks a container unhealthy after its retries already: a short wait on top.
    containerUnhealthy: '2m',
    containerRestarting: '5m',
    // Two scrapes at 30 s: a replica whose replication stopped, or that does not answer, pages
    // within a minute and a half; one lost scrape does not. A restart of the primary (MySQL's IO
    // thread reconnects every MASTER_CONNECT_RETRY) that takes longer than this is worth a page.
    dbReplicationBroken: '1m',
    // Rides out one large transaction being applied (the native figure jumps while it is);
    // the critical limit already means minutes behind.
    dbReplicationLagHigh: '2m',
    // Longer than a replica's reconnection after a restart of either side.
    dbReplicaMissing: '2m',
    dbHeartbeatStale: '1m',
    // The thread has stopped on the error (the server clears it when the thread starts again).
    dbReplicationError: '1m',
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
  morningCheck: { hour: 9, utcOffsetHours: 8 },
};

/** A Prometheus duration in seconds, for thresholds that PromQL needs as numbers. */
export function durationSeconds(d: string): number {
  const m = /^(\d+)(ms|s|m|h|d|w)$/.exec(d);
  if (m === null) throw new Error(`not a single-unit Prometheus duration: ${d}`);
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2] as 'ms'];
  return Number(m[1]) * unit;
}
