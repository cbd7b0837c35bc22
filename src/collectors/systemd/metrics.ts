import { family, info, stateSet } from '../../core/metrics.ts';
import { ACTIVE_STATES, LOAD_STATES, SYSTEM_STATES } from './units.ts';

// Names and labels mirror node_exporter's node_systemd_* (collector/systemd_linux.go) so PromQL
// habits carry over: `name` is the unit name, `type` the service Type= ("" for other units).
export const systemdFamilies = {
  up: family({
    name: 'patrol_systemd_up',
    help: 'Whether the systemd manager answered over D-Bus (1) or is unreachable, not on the bus or not answering (0); unit series are absent while it is 0.',
    type: 'gauge',
    labels: [],
  }),
  versionInfo: info({
    name: 'patrol_systemd_version_info',
    help: 'The version of the systemd manager, as its Version property says.',
    labels: ['version'],
  }),
  systemState: stateSet({
    name: 'patrol_systemd_system_state',
    help: "The manager's overall state (SystemState, what `systemctl is-system-running` prints), one series per possible state, 1 for the current one.",
    labels: ['state'],
    stateLabel: 'state',
    states: SYSTEM_STATES,
  }),
  units: family({
    name: 'patrol_systemd_units',
    help: 'Units the manager has loaded, by active state, whatever include/exclude say.',
    type: 'gauge',
    labels: ['state'],
  }),
  unitState: stateSet({
    name: 'patrol_systemd_unit_state',
    help: "The unit's active state (ActiveState), one series per possible state, 1 for the current one.",
    labels: ['name', 'type', 'state'],
    stateLabel: 'state',
    states: ACTIVE_STATES,
  }),
  loadState: stateSet({
    name: 'patrol_systemd_unit_load_state',
    help: 'The load state (LoadState) of each required unit, one series per possible state, 1 for the current one; not-found means systemd has no such unit. Other units are reported only while loaded.',
    labels: ['name', 'state'],
    stateLabel: 'state',
    states: LOAD_STATES,
  }),
  requiredInfo: info({
    name: 'patrol_systemd_unit_required_info',
    help: 'Present (1) for each unit the configuration requires (collectors.systemd.units and presets); for alternatives, the one chosen.',
    labels: ['name'],
  }),
  serviceRunning: family({
    name: 'patrol_systemd_service_running',
    help: "Whether the service's main process runs (1: sub-state running, or reloading) or not (0: exited, dead, auto-restart, failed, starting, stopping).",
    type: 'gauge',
    labels: ['name'],
  }),
  restarts: family({
    name: 'patrol_systemd_service_restarts_total',
    help: 'Automatic restarts of the service counted by systemd (NRestarts); systemd starts it again from 0 when it reloads the unit afresh, which rate() and increase() treat as a counter reset.',
    type: 'counter',
    labels: ['name'],
  }),
  stateChange: family({
    name: 'patrol_systemd_unit_state_change_timestamp_seconds',
    help: 'When the unit last changed its active state (StateChangeTimestamp); 0 if never.',
    type: 'gauge',
    labels: ['name'],
  }),
  activeEnter: family({
    name: 'patrol_systemd_unit_active_enter_timestamp_seconds',
    help: 'When the unit last became active (ActiveEnterTimestamp); 0 if never.',
    type: 'gauge',
    labels: ['name'],
  }),
  corrections: family({
    name: 'patrol_systemd_cache_corrections_total',
    help: "Units whose state kept from the manager's signals differed from a periodic full read (should stay 0; see resync_interval).",
    type: 'counter',
    labels: [],
  }),
} as const;
