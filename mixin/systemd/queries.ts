/** The systemd PromQL of the dashboards (the Overview's systemd row and patrol / systemd). */
import { REPORTED_MEMORY, targetMatchers } from '../dashboards/queries.ts';
import { sel } from '../promql.ts';

/**
 * What a systemd unit cell shows, as a number the dashboards map to a word and a colour: one
 * metric per state (the one-hot `state` label) cannot colour a tile, one number can. The load
 * state comes first: a unit systemd does not know is also "inactive", and "missing" is the
 * truth about it.
 */
export const UNIT = {
  /** active, or reloading (which is active, re-reading its configuration). */
  active: 0,
  activating: 1,
  deactivating: 2,
  inactive: 3,
  failed: 4,
  maintenance: 5,
  /** load state not-found: systemd has no such unit. */
  missing: 6,
  masked: 7,
  /** load state bad-setting or error: the unit file is there but cannot be used. */
  badUnitFile: 8,
  /** Not measured: the host's systemd does not answer (or its collector failed). */
  unreachable: 9,
  /** Not measured: Prometheus cannot scrape the host's exporter. */
  exporterDown: 10,
  /** The one cell of a grid when no selected host requires any unit. */
  noRequiredUnits: -1,
} as const;

/** The `state` values (regexes) of patrol_systemd_unit_state behind each code. */
const ACTIVE_STATES: [string, number][] = [
  ['active|reloading', UNIT.active],
  ['activating', UNIT.activating],
  ['deactivating', UNIT.deactivating],
  ['inactive', UNIT.inactive],
  ['failed', UNIT.failed],
  ['maintenance', UNIT.maintenance],
];
/** The `state` values of patrol_systemd_unit_load_state that are not "loaded", and their codes. */
const NOT_LOADED: [string, number][] = [
  ['not-found', UNIT.missing],
  ['masked', UNIT.masked],
  ['bad-setting|error', UNIT.badUnitFile],
];
/** The load state column of a table also says "loaded", with the active code. */
export const LOADED = UNIT.active;

/** The manager's SystemState as a code, in the order of patrol_systemd_system_state's states. */
export const SYSTEM = {
  running: 0,
  initializing: 1,
  starting: 2,
  degraded: 3,
  maintenance: 4,
  stopping: 5,
  offline: 6,
  unknown: 7,
} as const;

/**
 * A timeline or a time-in-state panel lists every selected unit when there are at most this
 * many; with more (the "All" of a host of 200 units), only those that matter: required, failed
 * now, or changed state within the time range.
 */
export const LIST_ALL_UNITS_UP_TO = 20;

const BY_UNIT = 'job, instance, name';

/**
 * systemd expressions. `unit` selects units (the targets, plus $name where the dashboard has
 * it); the host-level ones select by target only.
 */
export function systemdQueries(variables: { name: boolean }) {
  const target = sel(...targetMatchers);
  const unitMatchers = [...targetMatchers, variables.name ? 'name=~"$name"' : ''];
  const unit = sel(...unitMatchers);
  const withState = (op: string, state: string) => sel(...unitMatchers, `state${op}"${state}"`);
  const unitState = (op: string, state: string) =>
    `patrol_systemd_unit_state${withState(op, state)}`;
  const loadState = (op: string, state: string) =>
    `patrol_systemd_unit_load_state${withState(op, state)}`;
  const code = (expr: string, c: number) => `max by (${BY_UNIT}) (${expr} == 1) * ${c}`;
  const required = `patrol_systemd_unit_required_info${unit}`;
  const stateChange = `patrol_systemd_unit_state_change_timestamp_seconds${unit}`;

  /** Per unit: its active state (code), whatever its load state. */
  const activeCode = ACTIVE_STATES.map(([s, c]) => code(unitState('=~', s), c)).join(' or ');
  const notLoadedCode = NOT_LOADED.map(([s, c]) => code(loadState('=~', s), c)).join(' or ');
  /** Per unit: missing, masked or a bad unit file if so, else its active state. */
  const unitCode = `${notLoadedCode} or ${activeCode}`;
  // Only required units carry load state series; any other unit is reported only while loaded.
  const loadCode = `${notLoadedCode} or ${code(loadState('=', 'loaded'), LOADED)} or max by (${BY_UNIT}) (patrol_systemd_unit_state${unit}) * 0 + ${LOADED}`;

  /** Per host: systemd not measured although the exporter answers. */
  const unreachable = `(patrol_systemd_up${target} == 0) or on (job, instance) (patrol_collector_success${sel(...targetMatchers, 'collector="systemd"')} == 0)`;
  const remembered = `last_over_time(${required}[${REPORTED_MEMORY}])`;
  const notActive = `${unitState('!~', 'active|reloading')} == 1`;
  const notLoaded = `${loadState('!=', 'loaded')} == 1`;
  const onUnit = `on (${BY_UNIT})`;

  return {
    unreachable,
    failed: `${unitState('=', 'failed')} == 1`,
    /** Required units that are there (loaded or not) but not active: missing ones included. */
    requiredNotActive: `${notActive} and ${onUnit} ${required}`,
    /** Required units that are loaded but not active (the missing ones are counted apart). */
    requiredLoadedNotActive: `${notActive} and ${onUnit} ${required} unless ${onUnit} (${notLoaded})`,
    requiredMissing: `${notLoaded} and ${onUnit} ${required}`,
    restarting: (window: string) =>
      `increase(patrol_systemd_service_restarts_total${unit}[${window}]) > 0`,
    restartsInRange: `sort_desc(increase(patrol_systemd_service_restarts_total${unit}[$__range]) > 0)`,
    systemNotRunning: `patrol_systemd_system_state${sel(...targetMatchers, 'state!="running"')} == 1`,
    /** Per host: 1 reachable, 0 not (systemd does not answer, or the collector failed). */
    up: `patrol_systemd_up${target} or on (job, instance) (patrol_collector_success${sel(...targetMatchers, 'collector="systemd"')} == 0)`,
    systemState: (Object.entries(SYSTEM) as [string, number][])
      .map(
        ([s, c]) =>
          `max by (job, instance) (patrol_systemd_system_state${sel(...targetMatchers, `state="${s}"`)} == 1) * ${c}`,
      )
      .join(' or '),
    version: `patrol_systemd_version_info${target}`,
    units: `patrol_systemd_units${target}`,
    corrections: `sum(increase(patrol_systemd_cache_corrections_total${target}[$__range])) or vector(0)`,
    /**
     * One cell per (host, required unit), coded as UNIT; the required units of a host whose
     * systemd is unreachable or whose exporter is down (as last reported) marked so; a host
     * whose systemd is unreachable and that reported none, one cell named "systemd"; nothing
     * required anywhere, one neutral cell rather than an empty (or red) panel.
     */
    requiredGrid: [
      `(${unitCode}) and ${onUnit} ${required}`,
      `(${remembered} and on (job, instance) (${unreachable})) * 0 + ${UNIT.unreachable}`,
      `(${remembered} and on (job, instance) (up${target} == 0)) * 0 + ${UNIT.exporterDown}`,
      `on (job, instance) label_replace(max by (job, instance) (${unreachable}), "name", "systemd", "", "") * 0 + ${UNIT.unreachable}`,
      `on () vector(${UNIT.noRequiredUnits})`,
    ].join(' or '),
    /**
     * Units worth a row: required ones, failed now, changed state within the time range
     * (step-invariant through `@ start()`/`@ end()`, and cheap: two samples per unit), or all
     * of them when few are selected.
     */
    shown: [
      required,
      `(${unitState('=', 'failed')} @ end() == 1)`,
      `(${stateChange} @ end() != ${stateChange} @ start())`,
      `(${stateChange} and on () (count(${stateChange} @ end()) <= ${LIST_ALL_UNITS_UP_TO}))`,
    ].join(' or '),
    unitCode,
    /** Time in the current state (seconds), for units that ever changed state. */
    timeInState: `time() - (${stateChange} > 0)`,
    /** Time since the unit was last active (seconds), for units that ever were. */
    sinceActive: `time() - (patrol_systemd_unit_active_enter_timestamp_seconds${unit} > 0)`,
    /** Per unit not active now (1): the rows of the "not active" table. */
    notActive,
    activeCode,
    loadCode,
    required,
    running: `patrol_systemd_service_running${unit}`,
    onUnit,
    byUnit: BY_UNIT,
  };
}
