/**
 * The PromQL both dashboards share. Selectors come from the dashboard variables, never from
 * fixed hosts, and filesystem queries carry the alerts' filesystem selectors so that a tile and
 * the alert about the same mount look at the same series.
 */
import type { MixinConfig } from '../config.ts';
import { haConditions } from '../alerts/ha.ts';
import { replicationConditions } from '../alerts/replication.ts';
import { ERROR_LEVELS } from '../alerts/logs.ts';
import { sel } from '../promql.ts';

/** The scrape targets the viewer picked; every selector of both dashboards starts with these. */
export const targetMatchers = ['job=~"$job"', 'instance=~"$instance"'];

export interface Selectors {
  /** The scrape targets picked by $job and $instance. */
  target: string;
  /** Their filesystems, as the alerts select them (plus $mountpoint where the dashboard has it). */
  fs: string;
  /** Their watched directories (plus $path where the dashboard has it). */
  dir: string;
  fsMatchers: string[];
}

export function selectors(
  c: MixinConfig,
  variables: { mountpoint: boolean; path: boolean },
): Selectors {
  const fsMatchers = [
    ...targetMatchers,
    c.fsSelector,
    c.fsMountpointSelector,
    variables.mountpoint ? 'mountpoint=~"$mountpoint"' : '',
  ].filter((m) => m.trim() !== '');
  return {
    target: sel(...targetMatchers),
    fs: sel(...fsMatchers),
    dir: sel(...targetMatchers, variables.path ? 'path=~"$path"' : ''),
    fsMatchers,
  };
}

/**
 * Filesystem expressions. Space and inode figures keep only writable filesystems, as the alerts
 * do: a squashfs snap or an ISO is 100% full by design and would paint the wall red forever.
 * A filesystem that turns read-only leaves these panels and shows up on the read-only ones.
 */
export function filesystem(c: MixinConfig, s: Selectors) {
  const fs = s.fs;
  const writable = `patrol_filesystem_readonly${fs} == 0`;
  const avail = `patrol_filesystem_avail_bytes${fs}`;
  return {
    writable,
    // size > 0 and files > 0 keep pseudo filesystems out instead of showing NaN.
    usedRatio: `(1 - ${avail} / (patrol_filesystem_size_bytes${fs} > 0)) and ${writable}`,
    inodesUsedRatio: `(1 - patrol_filesystem_files_free${fs} / (patrol_filesystem_files${fs} > 0)) and ${writable}`,
    available: `${avail} and ${writable}`,
    /** 0/1 per filesystem, leaving out those read-only by design (config.readOnlyExpectedSelector). */
    readOnly: `patrol_filesystem_readonly${fs} unless patrol_filesystem_readonly${sel(...s.fsMatchers, c.readOnlyExpectedSelector)}`,
    deviceError: `patrol_filesystem_device_error${fs}`,
    /**
     * Seconds until full at the rate of the alerts' prediction window; 0 when it is full already
     * (the rate then reads 0 or NaN). A filesystem that is not filling gets -1 (mapped to "Not
     * filling") instead of vanishing, so every mount keeps a tile and a healthy host does not
     * look like a broken panel; no data at all means nothing is measured, and says so.
     */
    timeToFull: `((${avail} == 0) or (${avail} / -deriv(${avail}[${c.thresholds.predictWindow}]) > 0) or (${avail} * 0 - 1)) and ${writable}`,
  };
}

/** The sentinel `timeToFull` uses for "not filling". */
export const NOT_FILLING = -1;

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
 * While a host's systemd is unreachable or its exporter down, its unit series are gone; the
 * grid then shows the required units it reported within this window, marked as not measured,
 * rather than dropping the cells. (A dashboard constant: the alerts do not need it.)
 */
export const REQUIRED_UNITS_MEMORY = '1d';

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
export function systemd(variables: { name: boolean }) {
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
  const remembered = `last_over_time(${required}[${REQUIRED_UNITS_MEMORY}])`;
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

/**
 * What a log source's cell shows: its error and critical entries per minute (0 or more), or,
 * as a negative code the dashboards map to a word and a colour, why there is no such figure.
 * A source never leaves a gap: one without files, or on a host that is not measured, is a cell
 * that says so.
 */
export const LOG = {
  /** A required source follows no file (PatrolLogSourceMissing). */
  noFiles: -1,
  /** A source that is not required (the default syslog) follows no file: fine, but nothing is counted. */
  noFilesOptional: -2,
  /** Not measured: the host's logs collector failed (as last reported). */
  collectorFailed: -3,
  /** Not measured: Prometheus cannot scrape the host's exporter (as last reported). */
  exporterDown: -4,
  /** The one cell of a grid when no selected host has any log source. */
  noSources: -5,
} as const;

/** The silence state of a source with max_silence; sources without one share a single cell. */
export const SILENCE = { written: 0, silent: 1, noMaxSilence: -1 } as const;

const BY_SOURCE = 'job, instance, source';

/** `x * 0 - 1`: a series turned into a code, keeping its labels. */
const asCode = (expr: string, code: number) =>
  `(${expr}) * 0 ${code < 0 ? `- ${-code}` : `+ ${code}`}`;

/**
 * Log source expressions. `source` selects sources (the targets, plus $source where the
 * dashboard has it). The error rate is the alerts' (same levels, same window), so a cell and
 * PatrolLogErrorsHigh agree about a source.
 */
export function logs(c: MixinConfig, variables: { source: boolean }) {
  const t = c.thresholds;
  const matchers = [...targetMatchers, variables.source ? 'source=~"$source"' : ''];
  const source = sel(...matchers);
  const target = sel(...targetMatchers);
  const onSource = `on (${BY_SOURCE})`;
  const lines = (extra: string) => `patrol_log_lines_total${sel(...matchers, extra)}`;
  const errors = lines(ERROR_LEVELS);
  const errorsPerMinute = `sum by (${BY_SOURCE}) (rate(${errors}[${t.logErrorsWindow}])) * 60`;
  /** Every configured source, one series each (format and required aggregated away). */
  const sources = `max by (${BY_SOURCE}) (patrol_log_source_info${source})`;
  const required = `patrol_log_source_info${sel(...matchers, 'required="true"')}`;
  const files = `patrol_log_files${source}`;
  const collectorFailed = `patrol_collector_success${sel(...targetMatchers, 'collector="logs"')} == 0`;
  const remembered = `max by (${BY_SOURCE}) (last_over_time(patrol_log_source_info${source}[${REQUIRED_UNITS_MEMORY}]))`;
  const lag = `patrol_log_lag_bytes${source}`;
  const silence = `time() - patrol_log_last_write_timestamp_seconds${source}`;
  const maxSilence = `patrol_log_max_silence_seconds${source}`;
  /** A per-source figure, or 0 for each source that has no such series yet (counters created on first use). */
  const orZero = (expr: string) => `${expr} or ${onSource} (${sources} * 0)`;

  return {
    errorsPerMinute,
    /** Sources whose errors are above PatrolLogErrorsHigh's limit now (the alert also waits `for`). */
    errorsHigh: `${errorsPerMinute} > ${t.logErrorsPerMinute}`,
    requiredWithoutFiles: `${files} == 0 and ${onSource} ${required}`,
    /** PatrolLogReaderBehind's condition. */
    behind: `${lag} > ${t.logLagBytes} and ${onSource} deriv(${lag}[${t.logLagWindow}]) >= 0`,
    /** PatrolLogSourceSilent's condition. */
    silent: `${silence} > ${onSource} ${maxSilence}`,
    /**
     * One cell per (host, source), coded as LOG: error entries per minute of the sources that
     * follow a file (0 when none counted yet); the sources without a file; those of a host
     * whose logs collector failed or whose exporter is down, as last reported; a host whose
     * collector failed and that reported none, one cell named "logs"; no source anywhere, one
     * neutral cell.
     */
    grid: [
      `(${errorsPerMinute} or ${sources} * 0) and ${onSource} (${files} > 0)`,
      asCode(`max by (${BY_SOURCE}) (${files} == 0) and ${onSource} ${required}`, LOG.noFiles),
      asCode(`max by (${BY_SOURCE}) (${files} == 0)`, LOG.noFilesOptional),
      asCode(`${remembered} and on (job, instance) (${collectorFailed})`, LOG.collectorFailed),
      asCode(`${remembered} and on (job, instance) (up${target} == 0)`, LOG.exporterDown),
      `on (job, instance) ${asCode(`label_replace(max by (job, instance) (${collectorFailed}), "source", "logs", "", "")`, LOG.collectorFailed)}`,
      `on () vector(${LOG.noSources})`,
    ].join(' or '),
    /** Files followed per source; a required source without any is coded LOG.noFiles. */
    files: `${asCode(`max by (${BY_SOURCE}) (${files} == 0) and ${onSource} ${required}`, LOG.noFiles)} or max by (${BY_SOURCE}) (${files})`,
    lag: `max by (${BY_SOURCE}) (${lag})`,
    lastWrite: `max by (${BY_SOURCE}) (${silence})`,
    /** Per source with max_silence: SILENCE.silent or .written; one cell when none has it. */
    silence: `max by (${BY_SOURCE}) (${silence} > bool ${onSource} ${maxSilence}) or on () vector(${SILENCE.noMaxSilence})`,
    errorsByLevel: `sum by (instance, source, level) (rate(${errors}[$__rate_interval])) * 60`,
    entriesByLevel: `sum by (instance, source, level) (rate(${lines('')}[$__rate_interval])) * 60`,
    topRules: `sort_desc(topk(10, sum by (${BY_SOURCE}, rule) (increase(patrol_log_matches_total${source}[$__range])) > 0))`,
    ruleMatches: `sum by (${BY_SOURCE}, rule) (increase(patrol_log_matches_total${source}[$__range]))`,
    ruleLastMatch: `time() - max by (${BY_SOURCE}, rule) (patrol_log_last_match_timestamp_seconds${source})`,
    readRate: `sum by (instance, source) (rate(patrol_log_read_bytes_total${source}[$__rate_interval]))`,
    lagOverTime: `max by (instance, source) (${lag})`,
    rotationsPerHour: `sum by (instance, source) (increase(patrol_log_rotations_total${source}[1h]))`,
    truncationsPerHour: `sum by (instance, source) (increase(patrol_log_truncations_total${source}[1h]))`,
    lostBytes: orZero(
      `sum by (${BY_SOURCE}) (increase(patrol_log_lost_bytes_total${source}[$__range]))`,
    ),
    linesTruncated: orZero(
      `sum by (${BY_SOURCE}) (increase(patrol_log_lines_truncated_total${source}[$__range]))`,
    ),
    readErrors: `sort_desc(sum by (${BY_SOURCE}, reason) (increase(patrol_log_read_errors_total${source}[$__range])) > 0)`,
    /** Per host running the logs collector: failures to load or save the positions file in the time range. */
    positionsErrors: `sum by (job, instance) (increase(patrol_log_positions_errors_total${target}[$__range])) or on (job, instance) (max by (job, instance) (patrol_collector_success${sel(...targetMatchers, 'collector="logs"')}) * 0)`,
  };
}

/**
 * What a node's cell shows: its role as a code the dashboards map to a word and a colour, or
 * that its exporter is not scraped (then with the node name it last reported).
 */
export const ROLE = { primary: 0, standby: 1, unknown: 2, exporterDown: 3 } as const;

/**
 * The state of a whole HA pair, worst last (a pair in several states shows the worst): the
 * conditions of the pair alerts, without their `for:`. No pair anywhere: one neutral cell.
 */
export const PAIR = {
  ok: 0,
  peerDown: 1,
  noPrimary: 2,
  splitBrain: 3,
  /** No node of the pair is scraped now (all its exporters down), as last reported. */
  notMeasured: 4,
  noPairs: -1,
} as const;

const BY_NODE = 'job, instance, cluster, node';
const BY_PAIR = 'job, cluster';

/** The alerts' multi-line expressions on one line, as a dashboard query reads best. */
const oneLine = (expr: string) =>
  expr
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\(\s+/g, '(')
    .replace(/\s+\)/g, ')');

/**
 * HA pair expressions. `cluster` selects pairs by $cluster where the dashboard has it (its
 * repeated row then has one pair per copy). The pair conditions are the alerts' own
 * (alerts/ha.ts), so a cell and the alert about the same pair agree.
 */
export function ha(c: MixinConfig, variables: { cluster: boolean }) {
  const memory = c.thresholds.haNodeMemory;
  const pick = (...m: string[]) =>
    sel(...targetMatchers, variables.cluster ? 'cluster=~"$cluster"' : '', ...m);
  const up = sel(...targetMatchers);
  const cond = haConditions({ ha: pick, up }, memory);
  const splitBrain = oneLine(cond.splitBrain);
  const noPrimary = oneLine(cond.noPrimary);
  const role = (r: string) => `max by (${BY_NODE}) (patrol_ha_role${pick(`role="${r}"`)} == 1)`;
  /** Per node, the exporters Prometheus cannot scrape, as last reported. */
  const exporterDown = `max by (${BY_NODE}) (last_over_time(patrol_ha_role${pick()}[${memory}]) and on (job, instance) (up${up} == 0))`;
  /** Adds the `node` label of the reporting exporter to a per-peer series: "node → peer". */
  const named = (expr: string) =>
    `${expr} * on (job, instance, cluster) group_left (node) group by (${BY_NODE}) (patrol_ha_role${pick()})`;

  const known = [
    asCode(role('primary'), ROLE.primary),
    asCode(role('standby'), ROLE.standby),
    asCode(role('unknown'), ROLE.unknown),
  ];

  return {
    /** One cell per node, coded as ROLE: its role, or that its exporter is down. */
    roles: [...known, asCode(exporterDown, ROLE.exporterDown)].join(' or '),
    /**
     * Per node over time, coded as ROLE, without the exporters that are down: a gap says that
     * as well, and a day's look-back at every step of a day's range would be costly.
     */
    rolesOverTime: known.join(' or '),
    /** One cell per pair, coded as PAIR. */
    pairs: [
      asCode(splitBrain, PAIR.splitBrain),
      asCode(noPrimary, PAIR.noPrimary),
      asCode(`max by (${BY_PAIR}) (patrol_ha_peer_up${pick()} == 0)`, PAIR.peerDown),
      asCode(`max by (${BY_PAIR}) (patrol_ha_role${pick()})`, PAIR.ok),
      // Only exporters that are down: a pair whose collector was switched off leaves the wall.
      asCode(`max by (${BY_PAIR}) (${exporterDown})`, PAIR.notMeasured),
      `on () vector(${PAIR.noPairs})`,
    ].join(' or '),
    /** Per pair: 1 in split brain (PatrolHaSplitBrain's condition), else 0. */
    splitBrain: `${asCode(splitBrain, 1)} or ${asCode(`max by (${BY_PAIR}) (patrol_ha_split_brain${pick()})`, 0)}`,
    /** Per pair: role changes in the last 24 hours of the node that changed most. */
    failovers: `round(max by (${BY_PAIR}) (increase(patrol_ha_role_changes_total${pick()}[24h])))`,
    heartbeat: named(`patrol_ha_peer_up${pick()}`),
    rtt: named(`patrol_ha_peer_rtt_seconds${pick()}`),
    clockOffset: named(`patrol_ha_peer_clock_offset_seconds${pick()}`),
    lastSeen: named(`(time() - patrol_ha_peer_last_seen_timestamp_seconds${pick()})`),
    failuresByReason: named(
      `sum by (job, instance, cluster, peer, reason) (rate(patrol_ha_peer_heartbeat_failures_total${pick()}[$__rate_interval])) * 60`,
    ),
    peerRestarts: named(`round(increase(patrol_ha_peer_restarts_total${pick()}[$__range]))`),
  };
}

/**
 * What a replication tile shows when it has no figure: the codes the dashboards map to words.
 * Figures themselves are 0 or more (seconds, files, bytes, ratios).
 */
export const REPLICATION = {
  /**
   * A dataset the pair mirrors (as its nodes reported it within the memory) that no standby
   * reports now: the standby's exporter is down, or no node is standby (split brain, no primary).
   */
  notMeasured: -1,
  /** No pair of the selected servers mirrors any dataset: one neutral cell. */
  noDatasets: -2,
  /** No compare of the dataset has completed on the standby (the first is running, or compare is off or fails). */
  notCompared: -3,
} as const;

/** The state of the standby's copy of a dataset's canary (the same tile maps REPLICATION's codes). */
export const CANARY = {
  /** It changed within the stall window. */
  advancing: 0,
  /** None arrived yet, for less than the stall window. */
  waiting: 1,
  /** PatrolReplicationStalled's condition, with a canary that did arrive once. */
  stalled: 2,
  /** PatrolReplicationStalled's condition, with no canary ever. */
  neverArrived: 3,
} as const;

const BY_DATASET = 'job, cluster, dataset';

/**
 * Replication expressions (the datasets a pair mirrors). `cluster` selects pairs by $cluster
 * where the dashboard has it. Per dataset (job, cluster, dataset), the figures of the node that
 * is standby now; the conditions are the alerts' own (alerts/replication.ts). A dataset the
 * pair mirrors but no standby measures shows a code (REPLICATION), never a gap.
 */
export function replication(c: MixinConfig, variables: { cluster: boolean }) {
  const t = c.thresholds;
  const pick = (...m: string[]) =>
    sel(...targetMatchers, variables.cluster ? 'cluster=~"$cluster"' : '', ...m);
  const cond = replicationConditions({ ha: pick, up: sel(...targetMatchers) }, t);
  const onStandby = (expr: string) => `(${expr}) and on (job, instance, cluster) ${cond.standby}`;
  const per = (agg: string, expr: string) => `${agg} by (${BY_DATASET}) (${expr})`;
  /** Adds the `node` label of the reporting exporter: "node dataset". */
  const named = (expr: string) =>
    `${expr} * on (job, instance, cluster) group_left (node) group by (${BY_NODE}) (patrol_ha_role${pick()})`;
  /**
   * The datasets of the selected pairs, as their nodes reported them within the memory (the
   * canary error counters exist for every dataset on every node, whatever its role).
   */
  const datasets = `group by (${BY_DATASET}) (last_over_time(patrol_replication_canary_errors_total${pick()}[${t.haNodeMemory}]))`;
  const lag = per('max', `patrol_replication_lag_seconds${pick()}`);
  const stalled = per('max', oneLine(cond.stalled));
  /** The standby's copy's sequence (the lag only exists on a standby). */
  const copySeq = per(
    'max',
    `patrol_replication_canary_sequence${pick()} and on (job, instance, cluster, dataset) patrol_replication_lag_seconds${pick()}`,
  );
  const noFigure = (code: number) =>
    `${asCode(datasets, code)} or on () vector(${REPLICATION.noDatasets})`;
  const standbyFigure = (agg: string, expr: string) => per(agg, onStandby(expr));
  const filesOff = `patrol_replication_out_of_sync_files${pick()} + patrol_replication_missing_files${pick()}`;

  return {
    /** Per dataset: the standby's lag in seconds, or REPLICATION's codes. */
    lag: `${lag} or ${noFigure(REPLICATION.notMeasured)}`,
    /**
     * Per pair: the worst lag of its datasets, or NOT MEASURED when one of them has no
     * standby figure (that is worse than any figure).
     */
    worstLag: [
      asCode(
        `max by (job, cluster) (${datasets} unless on (${BY_DATASET}) ${lag})`,
        REPLICATION.notMeasured,
      ),
      `max by (job, cluster) (patrol_replication_lag_seconds${pick()})`,
      `on () vector(${REPLICATION.noDatasets})`,
    ].join(' or '),
    /** Per dataset: the state of the standby's copy of the canary (CANARY), or REPLICATION's codes. */
    canary: [
      asCode(`${stalled} and on (${BY_DATASET}) ${copySeq}`, CANARY.stalled),
      asCode(stalled, CANARY.neverArrived),
      asCode(`${lag} unless on (${BY_DATASET}) ${copySeq}`, CANARY.waiting),
      asCode(lag, CANARY.advancing),
      noFigure(REPLICATION.notMeasured),
    ].join(' or '),
    /** Per dataset: space left (ratio) under the standby's copy. */
    standbySpace: `${standbyFigure('min', cond.spaceAvailable)} or ${noFigure(REPLICATION.notMeasured)}`,
    /** Per dataset: files out of sync or missing on the standby, as its last compare found them. */
    filesOff: `${standbyFigure('sum', filesOff)} or ${noFigure(REPLICATION.notCompared)}`,
    bytesToShip: `${standbyFigure('sum', `patrol_replication_out_of_sync_bytes${pick()}`)} or ${noFigure(REPLICATION.notCompared)}`,
    extraFiles: `${standbyFigure('sum', `patrol_replication_extra_files${pick()}`)} or ${noFigure(REPLICATION.notCompared)}`,
    lastCompareAge: `${standbyFigure('min', `time() - patrol_replication_last_compare_timestamp_seconds${pick()}`)} or ${noFigure(REPLICATION.notCompared)}`,
    /** The datasets out of sync: PatrolReplicationOutOfSync's condition, without its wait. */
    outOfSync: onStandby(oneLine(cond.outOfSync)),
    /** Per dataset, on the node that is primary: bytes of files changed per second. */
    changeRate: (window: string) =>
      per('sum', `rate(patrol_replication_dataset_changed_bytes_total${pick()}[${window}])`),
    lagOverTime: named(`patrol_replication_lag_seconds${pick()}`),
    canaryOverTime: named(`patrol_replication_canary_sequence${pick()}`),
    outOfSyncOverTime: named(`patrol_replication_out_of_sync_files${pick()}`),
    missingOverTime: named(`patrol_replication_missing_files${pick()}`),
    extraOverTime: named(`patrol_replication_extra_files${pick()}`),
    bytesToShipOverTime: named(`patrol_replication_out_of_sync_bytes${pick()}`),
    datasetBytes: named(`patrol_replication_dataset_bytes${pick()}`),
  };
}
