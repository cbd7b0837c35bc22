/** Titles, descriptions and value texts of the dashboards (filled by mixin/dashboards). */
export const dashboards = {
  variables: {
    datasource: 'Data source',
    job: 'Job',
    instance: 'Instance',
    mountpoint: 'Mount point',
    path: 'Directory',
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
  },
  links: {
    overview: 'Overview',
    host: 'Host',
    openHost: 'Open the host dashboard',
  },
  overview: {
    title: 'patrol / Overview',
    description:
      'The wall display: one row per checklist area, every tile green when all is well and red when someone has to act.',
    rows: {
      alerts: 'Alerts',
      exporter: 'Exporter and collectors',
      disks: 'Disks',
    },
    panels: {
      criticalAlerts: {
        title: 'Critical alerts firing',
        description:
          "patrol alerts of severity critical that are firing now. Someone is being paged: open Alertmanager for the details and the runbook. NO RULES: the Prometheus behind this dashboard has not loaded patrol's rule file, so nothing is alerted.",
      },
      warningAlerts: {
        title: 'Warning alerts firing',
        description:
          'patrol alerts of severity warning that are firing now: not urgent, but each needs a look today.',
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
};
