/**
 * The systemd area's words in English, the source language: this table's shape is the type of its
 * translations (zh-CN.ts). With the shared table (mixin/i18n/) and the other areas' it makes the
 * one string table that the rule files and dashboards read.
 */
import type { AreaStrings } from '../../area.ts';

export const en = {
  alerts: {
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
  },
  dashboards: {
    variables: {
      name: 'Unit',
    },
    /** Texts that replace 0/1 values on the tiles: one word, readable across the room. */
    values: {
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
      systemd: 'systemd',
      openSystemd: 'Open the systemd dashboard on this unit',
    },
    overview: {
      rows: {
        systemd: 'systemd units',
      },
      panels: {
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
  },
} satisfies AreaStrings;

export type SystemdStrings = typeof en;
