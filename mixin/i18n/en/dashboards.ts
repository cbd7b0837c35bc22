/** Titles, descriptions and value texts of the dashboards (filled by mixin/dashboards). */
export const dashboards = {
  variables: {
    datasource: 'Data source',
    job: 'Job',
    instance: 'Instance',
    mountpoint: 'Mount point',
    path: 'Directory',
    name: 'Unit',
    source: 'Log source',
    cluster: 'HA cluster',
  },
  /** Texts that replace 0/1 values on the tiles: one word, readable across the room. */
  values: {
    up: 'UP',
    down: 'DOWN',
    ok: 'OK',
    failed: 'FAILED',
    writable: 'WRITABLE',
    readOnly: 'READ-ONLY',
    error: 'ERROR',
    cannotScan: 'CANNOT SCAN',
    notFilling: 'Not filling',
    rulesNotLoaded: 'NO RULES',
    reachable: 'REACHABLE',
    unreachable: 'UNREACHABLE',
    noRestarts: 'No restarts',
    /** A systemd unit: its active state, or why it has none (missing, not measured). */
    unit: {
      active: 'ACTIVE',
      activating: 'ACTIVATING',
      deactivating: 'DEACTIVATING',
      inactive: 'INACTIVE',
      failed: 'FAILED',
      maintenance: 'MAINTENANCE',
      missing: 'MISSING',
      masked: 'MASKED',
      badUnitFile: 'BAD UNIT FILE',
      unreachable: 'NO SYSTEMD',
      exporterDown: 'EXPORTER DOWN',
      noRequiredUnits: 'NO REQUIRED UNITS',
      loaded: 'LOADED',
      required: 'REQUIRED',
      running: 'RUNNING',
      notRunning: 'NOT RUNNING',
    },
    /** A log source: why it has no error figure, and whether it was written to in time. */
    log: {
      noFiles: 'NO FILES',
      noFilesOptional: 'NO FILES (OPTIONAL)',
      collectorFailed: 'COLLECTOR FAILED',
      exporterDown: 'EXPORTER DOWN',
      noSources: 'NO LOG SOURCES',
      written: 'WRITTEN',
      silent: 'SILENT',
      noMaxSilence: 'NO MAX_SILENCE SET',
      noMatches: 'No rule matched in the time range',
      noReadErrors: 'No read errors in the time range',
    },
    /** A node of a hot-standby pair, and the state of a whole pair. */
    ha: {
      primary: 'PRIMARY',
      standby: 'STANDBY',
      unknown: 'UNKNOWN',
      exporterDown: 'EXPORTER DOWN',
      ok: 'OK',
      splitBrain: 'SPLIT BRAIN',
      noPrimary: 'NO PRIMARY',
      peerDown: 'PEER DOWN',
      notMeasured: 'EXPORTERS DOWN',
      noPairs: 'NO HA PAIRS',
    },
    /** A dataset mirrored from the primary to the standby: why a figure is missing, its canary. */
    replication: {
      notMeasured: 'NOT MEASURED',
      noDatasets: 'NO DATASETS',
      notCompared: 'NOT COMPARED',
      advancing: 'ADVANCING',
      waiting: 'WAITING',
      stalled: 'STALLED',
      neverArrived: 'NO CANARY',
    },
    /** The systemd manager's overall state (systemctl is-system-running). */
    system: {
      running: 'RUNNING',
      initializing: 'INITIALIZING',
      starting: 'STARTING',
      degraded: 'DEGRADED',
      maintenance: 'MAINTENANCE',
      stopping: 'STOPPING',
      offline: 'OFFLINE',
      unknown: 'UNKNOWN',
    },
  },
  links: {
    overview: 'Overview',
    host: 'Host',
    openHost: 'Open the host dashboard',
    systemd: 'systemd',
    openSystemd: 'Open the systemd dashboard on this unit',
    logs: 'Logs',
    openLogs: 'Open the logs dashboard on this source',
    ha: 'HA pairs',
    openHa: 'Open the HA pairs dashboard on this cluster',
  },
  overview: {
    title: 'patrol / Overview',
    description:
      'The wall display: one row per checklist area, every tile green when all is well and red when someone has to act.',
    rows: {
      alerts: 'Alerts',
      exporter: 'Exporter and collectors',
      disks: 'Disks',
      systemd: 'systemd units',
      logs: 'Logs',
      ha: 'HA pairs',
    },
    panels: {
      criticalAlerts: {
        title: 'Critical alerts firing',
        description:
          "patrol alerts of severity critical that are firing now, those about a whole HA pair of the selected servers included. Someone is being paged: open Alertmanager for the details and the runbook. NO RULES: the Prometheus behind this dashboard has not loaded patrol's rule file, so nothing is alerted.",
      },
      warningAlerts: {
        title: 'Warning alerts firing',
        description:
          'patrol alerts of severity warning that are firing now (HA pair alerts included): not urgent, but each needs a look today.',
      },
      exportersDown: {
        title: 'Exporters down',
        description:
          'patrol exporters that Prometheus cannot scrape. Nothing on those servers is measured until they are back.',
      },
      collectorsFailing: {
        title: 'Collectors failing',
        description:
          'Collectors (per server) that failed or timed out on the last scrape; their metrics are missing or stale. The patrol log says why.',
      },
      configReloadFailed: {
        title: 'Config reload failed',
        description:
          'Exporters whose last configuration load failed; they still run on the previous configuration. Run patrol with --check-config to see why.',
      },
      exportersWatched: {
        title: 'Exporters watched',
        description:
          'patrol exporters Prometheus scrapes (up or down). Red at 0: nothing is being watched.',
      },
      exporterUp: {
        title: 'Exporter per server',
        description:
          'Whether Prometheus can scrape patrol on each server. Click a tile for that host.',
      },
      collectorStatus: {
        title: 'Collectors',
        description:
          'Each collector across the selected servers: FAILED when it failed or timed out on any of them.',
      },
      fullestFilesystem: {
        title: 'Fullest filesystem',
        description:
          'Space used on the fullest writable filesystem. The per-mount tiles below show which one.',
      },
      inodesUsed: {
        title: 'Most inodes used',
        description:
          'Inodes used on the writable filesystem that has the fewest left. At 100% no file can be created, however much space is free.',
      },
      readOnly: {
        title: 'Read-only filesystems',
        description:
          'Filesystems that became read-only (usually remounted after I/O errors), not counting those read-only by design. Every write to them fails.',
      },
      deviceErrors: {
        title: 'Filesystems not measurable',
        description:
          'Mounts whose statfs call failed or hung on the last scrape: often a stuck network mount or a failing disk.',
      },
      directoriesDown: {
        title: 'Directories not scannable',
        description:
          'Watched directories that are missing, unreadable or not a directory; their size and file counts are not measured.',
      },
      directoriesStale: {
        title: 'Directory scans stale',
        description:
          'Watched directories whose last completed scan is older than the staleness limit of the alerts: the figures shown for them are old.',
      },
      filesystemUsed: {
        title: 'Fullest filesystems',
        description:
          'Space used on the 24 fullest writable filesystems. Red from 95 % used, where PatrolFilesystemAlmostOutOfSpace warns; orange from 85 %.',
      },
      systemdUnreachable: {
        title: 'systemd unreachable',
        description:
          'Servers whose systemd manager does not answer over D-Bus, or whose systemd collector failed: none of their units is measured. Their required units read NO SYSTEMD below.',
      },
      unitsFailed: {
        title: 'Failed units',
        description:
          'Units in the failed state on the selected servers, required or not: their process crashed, exited with an error or was killed. systemctl status <unit> and journalctl -u <unit> say why. Orange: a failed required unit is also red on the next tile.',
      },
      requiredNotActive: {
        title: 'Required units not active',
        description:
          'Units the configuration requires (collectors.systemd.units and presets) that exist but are not active: failed, stopped, or still starting or stopping.',
      },
      requiredMissing: {
        title: 'Required units missing',
        description:
          'Required units that systemd does not know (not installed, or a misspelt name), that are masked, or whose unit file is broken.',
      },
      servicesRestarting: {
        title: 'Services restarting',
        description:
          'Services that systemd restarted automatically within the restart window of the alerts: the process keeps dying. Orange at one restart; the alert fires after several.',
      },
      systemsNotRunning: {
        title: 'systemd not running',
        description:
          'Servers whose systemd manager is not in the running state: degraded (some unit failed), starting, stopping or in maintenance (rescue mode). What systemctl is-system-running prints.',
      },
      requiredUnits: {
        title: 'Required units per server',
        description:
          'Every required unit on every server: green when active, red otherwise (FAILED, INACTIVE, MISSING ...). NO SYSTEMD and EXPORTER DOWN: the unit is not measured now, shown as last required. Click a unit for its history.',
      },
      logErrorsHigh: {
        title: 'Log sources with many errors',
        description:
          'Log sources whose error and critical entries per minute, averaged as PatrolLogErrorsHigh does, are above its limit now. Orange: the alert waits a while longer before it warns.',
      },
      logSourcesWithoutFiles: {
        title: 'Required logs without files',
        description:
          'Required log sources that follow no file: their paths match nothing, or patrol cannot open the files (permission, a directory where a file was expected). Their errors are not counted.',
      },
      logReadersBehind: {
        title: 'Log readers behind',
        description:
          'Log sources with a backlog of unread bytes above the limit of PatrolLogReaderBehind that is not shrinking: their error counts lag behind the files.',
      },
      logSourcesSilent: {
        title: 'Silent log sources',
        description:
          'Log sources configured with max_silence whose files have not been written to for longer than that: the program writing them may have stopped or hung.',
      },
      logErrors: {
        title: 'Log errors per minute, per server and source',
        description:
          'Error and critical entries per minute of every log source on every server, averaged as the alerts do: green below the limit of PatrolLogErrorsHigh, orange above. NO FILES: a required source follows no file (red); NO FILES (OPTIONAL): a source that is not required has none (grey). COLLECTOR FAILED and EXPORTER DOWN: not measured now, shown as last configured. Click a source for its details.',
      },
      haPairs: {
        title: 'State of each HA pair',
        description:
          'Each hot-standby pair (collectors.ha.cluster), worst first: SPLIT BRAIN (more than one node primary), NO PRIMARY (no node scraped is primary, in a pair whose roles are known), PEER DOWN (a node gets no heartbeat from its peer), else OK. EXPORTERS DOWN: no node of the pair is scraped now. The conditions of the HA alerts, without their wait. Click a pair for its dashboard.',
      },
      replicationLag: {
        title: 'Replication lag, worst dataset of each HA pair',
        description:
          "How far the standby's copy of each pair's most lagging dataset is behind the primary (canary age): green, orange from the limit of PatrolReplicationLagHigh's warning, red from its page. It grows by a second per second while a mirror stands still. NOT MEASURED (red): a dataset of the pair that no standby reports now (standby exporter down, or no node standby). Click a pair for its dashboard.",
      },
      datasetsOutOfSync: {
        title: 'Datasets out of sync',
        description:
          'Datasets whose standby copy has files that differ from the primary or are missing, as its last two compares found them (PatrolReplicationOutOfSync without its wait). Orange from one.',
      },
    },
  },
  host: {
    title: 'patrol / Host',
    description:
      'One server in detail: its exporter, the space and inodes of each filesystem with the time until it is full, and the watched directories.',
    rows: {
      exporter: 'Exporter',
      filesystems: 'Filesystems',
      directories: 'Watched directories',
    },
    panels: {
      exporterUp: {
        title: 'Exporter',
        description: 'Whether Prometheus can scrape patrol on this server.',
      },
      version: {
        title: 'Version',
        description: 'The patrol version running on this server.',
      },
      configReload: {
        title: 'Last config reload',
        description:
          'FAILED: the last configuration load failed and patrol still runs on the previous one. Run patrol with --check-config to see why.',
      },
      collectorStatus: {
        title: 'Collectors',
        description: 'Whether each collector succeeded on the last scrape.',
      },
      collectorDuration: {
        title: 'Collector duration',
        description: 'How long each collector took per scrape, cut at its timeout.',
      },
      spaceUsed: {
        title: 'Space used',
        description:
          'Share of each writable filesystem in use (space reserved for root counts as used).',
      },
      spaceAvailable: {
        title: 'Space available',
        description: 'Space available to non-root users on each writable filesystem.',
      },
      inodesUsed: {
        title: 'Inodes used',
        description: 'Share of the inodes of each writable filesystem in use.',
      },
      timeToFull: {
        title: 'Time until full',
        description:
          'When each writable filesystem runs out of space at the rate it has been filling over the prediction window of the alerts. Red and orange follow the critical and warning horizons.',
      },
      readOnly: {
        title: 'Read-only',
        description:
          'READ-ONLY: the filesystem itself became read-only (usually after I/O errors); filesystems read-only by design are not shown.',
      },
      deviceError: {
        title: 'statfs',
        description:
          'ERROR: statfs on the mount failed or hung on the last scrape, so its size is not measured (a stuck network mount or a failing disk).',
      },
      directoryUp: {
        title: 'Directory status',
        description:
          'CANNOT SCAN: the directory is missing, unreadable or not a directory, and its figures are not measured.',
      },
      lastScanAge: {
        title: 'Last completed scan',
        description:
          'Time since the last completed scan of each directory; red once older than the staleness limit of the alerts.',
      },
      sizeBytes: {
        title: 'Directory size',
        description:
          'Sum of the sizes of the regular files under each directory (hard links counted once).',
      },
      diskUsage: {
        title: 'Disk usage',
        description: 'Disk space allocated to everything under each directory, what du -s reports.',
      },
      files: {
        title: 'Files',
        description: 'Number of regular files under each directory.',
      },
      oldestFileAge: {
        title: 'Oldest file age',
        description:
          'Age of the oldest file under each directory. A saw-tooth means old logs are cleaned up; a line that only rises means nothing deletes them.',
      },
      scanErrors: {
        title: 'Entries skipped (1h)',
        description:
          'Entries skipped while scanning in the last hour, by reason (permission, vanished, loop, other); the size and file counts miss what could not be read.',
      },
      scanDuration: {
        title: 'Scan duration',
        description:
          'How long the last completed scan of each directory took, including pauses for the I/O budget.',
      },
    },
  },
  systemd: {
    title: 'patrol / systemd',
    description:
      'systemd units in detail: the manager of each server, its required units, the state of each unit over time, what is not active and which services restart.',
    rows: {
      manager: 'systemd manager',
      required: 'Required units',
      units: 'Units',
    },
    /** Columns of the table of units that are not active. */
    columns: {
      host: 'Server',
      unit: 'Unit',
      activeState: 'Active state',
      loadState: 'Load state',
      required: 'Required',
      mainProcess: 'Main process',
      inState: 'In this state for',
      sinceActive: 'Last active, ago',
    },
    panels: {
      reachable: {
        title: 'systemd',
        description:
          'Whether patrol reaches the systemd manager over D-Bus. UNREACHABLE: no unit is measured; the patrol log says why (no bus socket, permission, timeout).',
      },
      systemState: {
        title: 'System state',
        description:
          'What systemctl is-system-running prints. DEGRADED: at least one unit failed; MAINTENANCE: rescue or emergency mode.',
      },
      version: {
        title: 'systemd version',
        description: 'The version of the systemd manager.',
      },
      unitsFailed: {
        title: 'Failed units',
        description: 'Units in the failed state among those selected.',
      },
      requiredNotActive: {
        title: 'Required units not active',
        description:
          'Required units among those selected that are not active, missing ones included.',
      },
      corrections: {
        title: 'State corrections',
        description:
          "Units whose state, kept from systemd's signals, differed from a periodic full read in the time range. Should stay 0; otherwise unit states may lag until the next full read.",
      },
      unitsByState: {
        title: 'Units by state',
        description:
          'Units the manager has loaded, by active state, whatever include and exclude say.',
      },
      requiredUnits: {
        title: 'Required units',
        description:
          'Each required unit now: green when active, red otherwise. NO SYSTEMD and EXPORTER DOWN: not measured now, shown as last required.',
      },
      timeline: {
        title: 'Unit states',
        description:
          'The active state of each unit over the time range. Shown: the required units, the failed ones and those that changed state in the range; every selected unit when at most 20 are selected. Gaps: not measured.',
      },
      notActive: {
        title: 'Units not active',
        description:
          'Every selected unit that is not active now, worst first, with its load state, whether it is required, whether its main process runs (services), how long it has been in this state and when it was last active. Inactive is normal for a unit that runs and exits (oneshot services, timers between runs).',
      },
      timeInState: {
        title: 'Time in current state',
        description:
          'How long each unit has been in its current state (required units, failed ones, or every selected one when at most 20 are). Orange when it changed within the restart window of the alerts.',
      },
      restarts: {
        title: 'Restarts in the time range',
        description:
          'Automatic restarts of each service in the time range (systemd NRestarts), most first. A service that restarts over and over crashes over and over: see journalctl -u <unit>.',
      },
    },
  },
  ha: {
    title: 'patrol / HA pairs',
    description:
      "Hot-standby pairs (checklist H1-H6: two servers, mirror software between them, a heartbeat and a virtual IP): one row per pair with the role of each node, the heartbeat each way, its round trip and clock offset, the failovers of the last day, and for each mirrored dataset the standby's lag, its canary, the divergence of its copy and the primary's change rate; below, heartbeats and roles over time.",
    rows: {
      pair: 'HA pair $cluster',
      history: 'Heartbeats and roles over time',
    },
    /** Legends of the series that are not told apart by a label. */
    legends: {
      outOfSync: 'out of sync',
      missing: 'missing',
      extra: 'extra',
    },
    panels: {
      roles: {
        title: 'Role of each node',
        description:
          'What each node says it is (collectors.ha.role: virtual IP, file, command or static): PRIMARY green, STANDBY blue, UNKNOWN orange (no role detection configured, or it fails). EXPORTER DOWN: Prometheus cannot scrape the node, shown with the name it last reported; it may still be primary.',
      },
      splitBrain: {
        title: 'Split brain',
        description:
          'SPLIT BRAIN: more than one node of the pair says it is primary (both may take writes and the copies drift apart), counted across the nodes or seen by a primary node in its peer heartbeat. PatrolHaSplitBrain pages when it lasts.',
      },
      failovers: {
        title: 'Failovers (24 h)',
        description:
          'Role changes between primary and standby in the last 24 hours, as the node that changed most counted them (a failover or a switchover changes each node once). Orange from one: check it was wanted.',
      },
      heartbeat: {
        title: 'Heartbeat',
        description:
          'Whether each node gets answers to its heartbeats from each peer (node → peer): DOWN after collectors.ha.failure_threshold failures in a row, or when the peer never answered since this node started. Both directions DOWN: the link is cut or the peer is gone; one: a firewall, a route or the secret.',
      },
      rtt: {
        title: 'Round trip',
        description:
          'Round trip of the last heartbeat that was answered, node → peer, less the time the peer took to answer. A LAN answers in about a millisecond; near collectors.ha.timeout, heartbeats start to fail.',
      },
      clockOffset: {
        title: 'Clock offset',
        description:
          "The peer's clock minus the node's, estimated from the heartbeat as NTP does (error at most half the round trip). Orange beyond the limit of PatrolHaClockSkew, either way: the replication lag figure is off by as much.",
      },
      lastSeen: {
        title: 'Last heartbeat, ago',
        description:
          'Time since each node last got an answer from each peer. A few heartbeat intervals at most while the peer is up; while it is down, how long it has been gone.',
      },
      rolesOverTime: {
        title: 'Roles over time',
        description:
          'The role of each node over the time range, in the colours of the tiles above: a failover is a change of colour on both rows at the same time, a split brain two green rows. Gaps: the exporter did not report.',
      },
      rttOverTime: {
        title: 'Round trip over time',
        description:
          'Round trip of the heartbeat, node → peer. A rising line is a busy or congested link, on which the mirror slows down too.',
      },
      clockOffsetOverTime: {
        title: 'Clock offset over time',
        description:
          "The peer's clock minus the node's. A line that walks away and jumps back is a clock that NTP or chrony steps instead of keeping it on time; the lines at the limit of PatrolHaClockSkew.",
      },
      failuresByReason: {
        title: 'Failed heartbeats per minute, by reason',
        description:
          'timeout (no answer in collectors.ha.timeout), refused (nothing listens: the peer exporter is down), unreachable (no route, reset), auth (the secrets differ), http_status, bad_response (not a patrol heartbeat), wrong_cluster (the peer is configured for another cluster).',
      },
      lag: {
        title: 'Replication lag',
        description:
          "How far the standby's copy of each dataset is behind the primary: the age of the canary the primary writes into it, on the primary's clock (corrected by the measured clock offset). Green, orange from the limit of PatrolReplicationLagHigh's warning, red from its page. It grows by a second per second while the mirror stands still, and counts from the standby's start while no canary has arrived. NOT MEASURED (red): no node is standby now, or its exporter is down.",
      },
      canary: {
        title: 'Canary on the standby',
        description:
          "Whether the standby's copy of the canary moves: ADVANCING (it changed within the stall window), WAITING (none arrived yet since the standby started looking, for less than that window), STALLED (it stopped moving: PatrolReplicationStalled's condition), NO CANARY (none ever arrived for longer than the window: the mirror does not ship the dataset, or not the way the canary is written).",
      },
      standbySpace: {
        title: "Space left under the standby's copy",
        description:
          "Space left on the filesystem that holds each dataset's copy on the standby. Orange below the limit of PatrolReplicationStandbySpaceLow: once it is full, the mirror cannot write.",
      },
      lagOverTime: {
        title: 'Replication lag over time',
        description:
          'The lag of each dataset on the standby (node dataset). A sawtooth up to the canary interval above the mirror delay is healthy; a line rising at 45 degrees is a mirror that ships nothing; a plateau is a mirror that ships but slower than the primary writes.',
      },
      canaryOverTime: {
        title: 'Canary sequence, primary and standby copy',
        description:
          "The canary's sequence number: the primary's last written and the standby's copy. The copy's line follows the primary's a mirror delay behind; a flat copy line under a rising primary line is a stalled mirror. Both restart from 1 when the primary's exporter restarts.",
      },
      filesOff: {
        title: 'Files out of sync or missing',
        description:
          'Files of each dataset that differ between the primary and the standby (size or modification time, or size only with compare mode size) or are missing on the standby, confirmed in two compares in a row: changes still being shipped are not counted. Orange from one. NOT COMPARED: no compare completed yet (the first is running, compare is off, or it fails).',
      },
      bytesToShip: {
        title: 'Bytes still to ship',
        description:
          "The primary's size of the files out of sync and missing on the standby: what the mirror still has to copy for the two to agree.",
      },
      extraFiles: {
        title: 'Extra files on the standby',
        description:
          'Files only on the standby: left behind by a mirror that does not delete (rsync without --delete), or written on the standby by something else. Orange from one; a failover would serve them.',
      },
      lastCompare: {
        title: 'Last compare, ago',
        description:
          "Time since the standby last completed a compare of its copy with the primary's manifest: about the compare interval (collectors.ha.datasets[].compare.interval). Orange from the limit of PatrolReplicationCompareFailing: the divergence figures are out of date; patrol_replication_compare_errors_total says why.",
      },
      divergenceOverTime: {
        title: 'Divergence over time',
        description:
          'Files out of sync, missing and extra on the standby, per dataset, as each compare found them.',
      },
      bytesToShipOverTime: {
        title: 'Bytes still to ship over time',
        description:
          "The primary's size of the files out of sync and missing on the standby. Going down: the mirror catches up; staying up: it skips them.",
      },
      changeRate: {
        title: 'Change rate on the primary',
        description:
          "Bytes of files modified on the primary per second (sizes of the files its walks found changed): what the mirror must ship. Compare it with the mirror's throttle: a change rate above it for long makes the lag grow.",
      },
      datasetSize: {
        title: 'Dataset size on each node',
        description:
          "Bytes of each dataset on each node, as of its last walk: the primary's and the standby's copy side by side. A gap that stays is data the mirror did not copy (or extra files on the standby).",
      },
      peerRestarts: {
        title: 'Peer exporter restarts (time range)',
        description:
          "Times each node saw its peer's patrol restart (a new start id in its heartbeat). Orange from one: a restart also resets the peer's own counters, role changes included.",
      },
    },
  },
  logs: {
    title: 'patrol / Logs',
    description:
      'Log sources in detail (checklist C8, C9: /var/log/messages, the nginx, RabbitMQ and Redis logs): error entries per source and level, the rules that match, and how well patrol keeps up with the files through rotation and truncation.',
    rows: {
      now: 'Sources now',
      errors: 'Entries per minute',
      rules: 'Rules',
      reading: 'Reading the files',
    },
    /** Columns of the table of rules. */
    columns: {
      host: 'Server',
      source: 'Source',
      rule: 'Rule',
      matches: 'Matches in the time range',
      lastMatch: 'Last match, ago',
    },
    panels: {
      errorsNow: {
        title: 'Errors per minute',
        description:
          'Error and critical entries per minute of each source, averaged over the window of the alerts: green below the limit of PatrolLogErrorsHigh, orange above. NO FILES: a required source follows no file; COLLECTOR FAILED and EXPORTER DOWN: not measured now.',
      },
      files: {
        title: 'Files followed',
        description:
          'Files each source follows now, rotated files still being read to their end included. NO FILES (red): a required source has none, PatrolLogSourceMissing; grey: a source that is not required has none. The read errors below say why a file could not be opened.',
      },
      lag: {
        title: 'Unread backlog',
        description:
          'Bytes written to the files of each source but not read yet. Orange above the limit of PatrolLogReaderBehind; a backlog that shrinks is patrol catching up (after a restart or a burst).',
      },
      lastWrite: {
        title: 'Last write, ago',
        description:
          'Time since the newest file of each source was last modified. A source with no file to follow has none.',
      },
      silence: {
        title: 'Written within max_silence',
        description:
          'For each source configured with max_silence: WRITTEN when its files were modified within it, SILENT when not (PatrolLogSourceSilent). Sources without max_silence may stay quiet as long as they like.',
      },
      errorsByLevel: {
        title: 'Error and critical entries per minute',
        description:
          'Error and critical entries per minute of each source, by level. A multi-line entry (a stack trace, a RabbitMQ message) counts once.',
      },
      entriesByLevel: {
        title: 'Entries per minute by level',
        description:
          'Entries per minute of each source, by level: critical, error, warning, info, debug, and other when no level could be told.',
      },
      topRules: {
        title: 'Top rules by matches',
        description:
          'The ten rules (collectors.logs.sources[].rules) with the most matching entries in the time range.',
      },
      rules: {
        title: 'Rules',
        description:
          'Every rule with its matches in the time range and the time since its last match (empty: no match since patrol started).',
      },
      readRate: {
        title: 'Bytes read per second',
        description: 'How fast patrol reads the files of each source.',
      },
      lagOverTime: {
        title: 'Unread backlog over time',
        description:
          'Bytes written but not read yet, per source. Spikes that fall back are bursts read down; a line that keeps rising is a reader that cannot keep up.',
      },
      rotations: {
        title: 'Rotations per hour',
        description:
          'Files replaced under the same name (logrotate renaming and creating, or deleting and recreating). patrol reads the old file to its end first: nothing is lost.',
      },
      truncations: {
        title: 'Truncations per hour',
        description:
          'Files truncated in place (logrotate copytruncate); patrol starts again at their beginning. Lines written between the copy and the truncation can be lost: see Bytes lost.',
      },
      lostBytes: {
        title: 'Bytes lost (time range)',
        description:
          'Bytes that could not be read because a file was truncated before patrol got to them (copytruncate). A lower bound. Orange from one byte: prefer rename rotation (create) over copytruncate.',
      },
      linesTruncated: {
        title: 'Over-long lines (time range)',
        description:
          'Lines longer than collectors.logs.max_line_bytes: classified by their beginning, the rest skipped.',
      },
      positionsErrors: {
        title: 'Positions file errors (time range)',
        description:
          'Failures to load or save the file where patrol keeps its read positions. While saves fail, a restart may count lines again.',
      },
      readErrors: {
        title: 'Read errors by reason (time range)',
        description:
          'Problems that kept files from being followed, by source and reason: permission (patrol may not read the file), not_a_file (a directory or device where a file was expected), io, too_many_files (collectors.logs.max_files reached).',
      },
    },
  },
};
