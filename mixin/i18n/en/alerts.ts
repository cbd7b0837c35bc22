import type { AlertText } from '../types.ts';

/**
 * summary: one line, no values (it groups well). description: the values that matter, as
 * Prometheus alert templates ({{ $labels.x }}, {{ $value }}); a translation must keep the
 * same templates (checked at generation).
 */
export const alerts = {
  PatrolExporterDown: {
    summary: 'patrol exporter is down: the inspection checklist of this host is not measured.',
    description:
      'Prometheus cannot scrape patrol at {{ $labels.instance }} (job {{ $labels.job }}). None of the checks of this host are measured until it is back.',
  },
  PatrolCollectorFailing: {
    summary: 'A patrol collector keeps failing.',
    description:
      'Collector {{ $labels.collector }} of patrol at {{ $labels.instance }} keeps failing or timing out (at least once in every 5 minutes); its metrics are missing or stale. The exporter log says why.',
  },
  PatrolConfigReloadFailed: {
    summary: 'patrol could not load its new configuration.',
    description:
      'The last configuration reload of patrol at {{ $labels.instance }} failed; it keeps running with the previous configuration. Run patrol with `--check-config` and the same `--config.file` to see the error.',
  },
  PatrolFilesystemSpaceFillingUp: {
    summary: 'Filesystem is predicted to run out of space soon.',
    description:
      'Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}, {{ $labels.fstype }}) on {{ $labels.instance }} has only {{ $value | humanizePercentage }} space left and at its rate of the last %window% it fills up within %horizon%.',
  },
  PatrolFilesystemAlmostOutOfSpace: {
    summary: 'Filesystem has almost no space left.',
    description:
      'Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}, {{ $labels.fstype }}) on {{ $labels.instance }} has only {{ $value | humanizePercentage }} space left.',
  },
  PatrolFilesystemFilesFillingUp: {
    summary: 'Filesystem is predicted to run out of inodes soon.',
    description:
      'Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}, {{ $labels.fstype }}) on {{ $labels.instance }} has only {{ $value | humanizePercentage }} inodes left and at their rate of use of the last %window% they run out within %horizon%.',
  },
  PatrolFilesystemAlmostOutOfFiles: {
    summary: 'Filesystem has almost no inodes left.',
    description:
      'Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}, {{ $labels.fstype }}) on {{ $labels.instance }} has only {{ $value | humanizePercentage }} inodes left; creating files will fail even with space free.',
  },
  PatrolFilesystemReadOnly: {
    summary: 'Filesystem has become read-only.',
    description:
      'Filesystem {{ $labels.mountpoint }} ({{ $labels.device }}, {{ $labels.fstype }}) on {{ $labels.instance }} is read-only at the superblock: every write to it fails. The kernel usually does this after I/O errors (errors=remount-ro).',
  },
  PatrolFilesystemDeviceError: {
    summary: 'Filesystem cannot be measured: statfs fails or hangs.',
    description:
      'statfs on {{ $labels.mountpoint }} ({{ $labels.device }}, {{ $labels.fstype }}) on {{ $labels.instance }} fails or does not answer in time; its size metrics are missing. A hung network mount or a failing disk is the usual cause.',
  },
  PatrolDirectoryFillingFilesystem: {
    summary: 'A watched directory is growing faster than its filesystem has space for.',
    description:
      'Directory {{ $labels.path }} on {{ $labels.instance }} is predicted to grow by {{ $value | humanize1024 }}B within %horizon% (at its rate of the last %window%), more than is left on {{ $labels.mountpoint }} ({{ $labels.device }}).',
  },
  PatrolDirectoryScanFailing: {
    summary: 'A watched directory cannot be scanned.',
    description:
      'patrol at {{ $labels.instance }} cannot scan {{ $labels.path }}: it is missing, unreadable or not a directory. Its size, file count and file ages are not measured.',
  },
  PatrolDirectoryScanStale: {
    summary: 'The measurements of a watched directory are out of date.',
    description:
      'The last completed scan of {{ $labels.path }} on {{ $labels.instance }} ended {{ $value | humanizeDuration }} ago; the directory is too large for its interval and I/O budget, or scans keep getting cut.',
  },
  PatrolDirectoryScanErrors: {
    summary: 'Entries under a watched directory are skipped while scanning.',
    description:
      'patrol at {{ $labels.instance }} keeps skipping entries under {{ $labels.path }} ({{ $labels.reason }}): {{ $value | humanize }} skips in the last %window%, each scan counting the same entry again. Its size and file count are too low by what it could not read.',
  },
  PatrolSystemdUnreachable: {
    summary: 'patrol cannot reach the systemd manager: no unit of this host is watched.',
    description:
      'patrol at {{ $labels.instance }} cannot talk to systemd over D-Bus (collectors.systemd.bus): the bus socket is missing or refuses patrol, or systemd does not answer in time. No unit of this host is watched until it is back; the exporter log says why.',
  },
  PatrolSystemdUnitFailed: {
    summary: 'A systemd unit has failed.',
    description:
      'Unit {{ $labels.name }} on {{ $labels.instance }} has failed: its process exited with an error, was killed or timed out, or it was restarted too often and systemd gave up. Critical for a unit the configuration requires, a warning for any other. `systemctl status {{ $labels.name }}` and its journal say why.',
  },
  PatrolSystemdRequiredUnitInactive: {
    summary: 'A required systemd unit is not active.',
    description:
      'Required unit {{ $labels.name }} on {{ $labels.instance }} is {{ $labels.state }} instead of active: it was stopped, never started, or is stuck starting or stopping. Whatever depends on it on this host is not served.',
  },
  PatrolSystemdRequiredUnitMissing: {
    summary: 'A required systemd unit is missing or cannot be loaded.',
    description:
      'Required unit {{ $labels.name }} on {{ $labels.instance }} has load state {{ $labels.state }}: not-found means systemd has no such unit (not installed, or misspelt in collectors.systemd.units), masked that it was masked, bad-setting or error that its unit file is broken. It cannot run.',
  },
  PatrolSystemdServiceRestarting: {
    summary: 'A systemd service keeps restarting.',
    description:
      'Service {{ $labels.name }} on {{ $labels.instance }} was restarted automatically by systemd {{ $value | humanize }} times in the last %window%: its process keeps crashing or exiting, and Restart= keeps bringing it back.',
  },
  PatrolSystemdSystemDegraded: {
    summary: 'systemd reports the system as degraded.',
    description:
      'systemd on {{ $labels.instance }} reports the system as degraded: at least one unit has failed. `systemctl --failed` lists them, including units patrol does not report.',
  },
  PatrolLogErrorsHigh: {
    summary: 'A log source keeps writing many error entries.',
    description:
      'Log source {{ $labels.source }} on {{ $labels.instance }} had {{ $value | humanize }} error and critical entries per minute over the last %window%, more than the limit of %threshold% a minute, and it goes on. Its files (collectors.logs.sources) say what fails: look at their latest error lines.',
  },
  PatrolLogErrorsSpike: {
    summary: 'A log source is writing error entries far more often than usual.',
    description:
      'Log source {{ $labels.source }} on {{ $labels.instance }} had {{ $value | humanize }} error and critical entries per minute over the last %window%, more than %factor% times its average over the last %baseline%. Something changed: read its files from the moment the rate rose.',
  },
  PatrolLogSourceMissing: {
    summary: 'A required log source has no file to follow: its errors are not counted.',
    description:
      'patrol at {{ $labels.instance }} follows no file of log source {{ $labels.source }}, which is required: none of its paths or globs matches a file, or patrol cannot open them (patrol_log_read_errors_total says why: permission, not_a_file, too_many_files). Errors written to that log are not counted.',
  },
  PatrolLogReaderBehind: {
    summary: 'patrol is falling behind reading a log source.',
    description:
      'patrol at {{ $labels.instance }} has {{ $value | humanize1024 }}B of log source {{ $labels.source }} written but not read yet, and this backlog has not shrunk over the last %window%: the files are written faster than patrol reads them, or its reading is stuck. The error counts of the source lag behind its files.',
  },
  PatrolLogSourceSilent: {
    summary: 'A log source that should be written to regularly has gone silent.',
    description:
      'No file of log source {{ $labels.source }} on {{ $labels.instance }} has been written to for {{ $value | humanizeDuration }}, longer than its max_silence: the program writing it may have stopped, hung, or be logging somewhere else.',
  },
  PatrolHaPeerDown: {
    summary: 'A node of an HA pair gets no heartbeat from its peer.',
    description:
      'Node {{ $labels.node }} ({{ $labels.instance }}) of HA cluster {{ $labels.cluster }} gets no answer to its heartbeats from its peer {{ $labels.peer }} (collectors.ha.failure_threshold failures in a row): the peer host is down or hung, or the network between the two is cut. The mirror between them is probably stopped too, and the mirror software may fail over. patrol_ha_peer_heartbeat_failures_total says why (timeout, refused, unreachable, auth ...).',
  },
  PatrolHaSplitBrain: {
    summary: 'Split brain: more than one node of an HA pair is primary.',
    description:
      'More than one node of HA cluster {{ $labels.cluster }} (job {{ $labels.job }}) says it is primary: both may hold the virtual IP and take writes, and their copies of the data drift apart with every write. Seen in the roles Prometheus scrapes from the nodes, or by a primary node that hears "primary" in its peer\'s heartbeat.',
  },
  PatrolHaNoPrimary: {
    summary: 'No node of an HA pair is primary: the service it carries is not served.',
    description:
      'No node of HA cluster {{ $labels.cluster }} (job {{ $labels.job }}) that Prometheus scrapes ({{ $value }} of them) says it is primary (standby or unknown), although the roles of this pair were known within the last %memory%: the failover did not happen or failed, or role detection fails. A node of the pair that Prometheus cannot scrape (PatrolExporterDown) may still be primary.',
  },
  PatrolHaFailover: {
    summary: 'A node of an HA pair changed role: check that the failover was wanted.',
    description:
      'Node {{ $labels.node }} ({{ $labels.instance }}) of HA cluster {{ $labels.cluster }} changed between primary and standby within the last %window% and is {{ $labels.role }} now. If nobody switched over on purpose, the mirror software failed over by itself: find out why it gave up the old primary, and whether the new one had all the data.',
  },
  PatrolHaClockSkew: {
    summary: 'The clocks of the nodes of an HA pair disagree.',
    description:
      "The clocks of the nodes of HA cluster {{ $labels.cluster }} (job {{ $labels.job }}) differ by {{ $value | humanizeDuration }}, more than %threshold%, as measured over their heartbeat: NTP or chrony does not keep at least one of them on time. The replication lag figure, and the timestamps of the two nodes' logs against each other, are off by as much.",
  },
  PatrolReplicationLagHigh: {
    summary:
      "The standby's copy of a mirrored dataset is far behind the primary and not catching up.",
    description:
      'The copy of dataset {{ $labels.dataset }} on standby {{ $labels.node }} ({{ $labels.instance }}) of HA cluster {{ $labels.cluster }} is {{ $value | humanizeDuration }} behind the primary, more than %threshold%, and at its trend of the last %window% it will not have caught up %horizon% from now: the mirror ships slower than the primary writes (its throttle, a busy link, a large file ahead in its queue). A failover now loses what the primary wrote in that time.',
  },
  PatrolReplicationStalled: {
    summary: 'The mirror of a dataset to the standby has stalled: its canary does not move.',
    description:
      "The copy of the canary of dataset {{ $labels.dataset }} on standby {{ $labels.node }} ({{ $labels.instance }}) of HA cluster {{ $labels.cluster }} has not changed for %window% or more, or never arrived: the copy is {{ $value | humanizeDuration }} behind and falls a second further behind every second. The mirror ships nothing: its process is stopped or hung, the link between the nodes is cut, the standby cannot write, or the primary's patrol cannot write the canary (patrol_replication_canary_errors_total). A failover now loses everything written since.",
  },
  PatrolReplicationOutOfSync: {
    summary: 'Files of a mirrored dataset differ between the primary and the standby.',
    description:
      '{{ $value }} files of dataset {{ $labels.dataset }} differ between the primary and standby {{ $labels.node }} ({{ $labels.instance }}) of HA cluster {{ $labels.cluster }} (size or modification time), or are missing on the standby, in two compares in a row and for %duration% now: not changes still on their way, but files the mirror skipped or could not write. patrol_replication_out_of_sync_bytes says how much it still has to ship.',
  },
  PatrolReplicationCompareFailing: {
    summary: 'The standby does not compare its copy of a dataset with the primary any more.',
    description:
      "Standby {{ $labels.node }} ({{ $labels.instance }}) of HA cluster {{ $labels.cluster }} has completed no compare of dataset {{ $labels.dataset }} with the primary's manifest for more than %stale%, or never has and its compares fail: the divergence figures of that dataset are out of date or missing. patrol_replication_compare_errors_total says why: local (walking its own copy fails), peer (the primary's manifest cannot be fetched or is refused), no_primary (no peer that answers says it is primary).",
  },
  PatrolReplicationStandbySpaceLow: {
    summary: "The filesystem of the standby's copy of a dataset is almost full.",
    description:
      'The filesystem holding dataset {{ $labels.dataset }} on standby {{ $labels.node }} ({{ $labels.instance }}) of HA cluster {{ $labels.cluster }} has only {{ $value | humanizePercentage }} space left, less than %threshold%. Once it is full the mirror cannot write, and the copy stops following the primary.',
  },
} satisfies Record<string, AlertText>;
