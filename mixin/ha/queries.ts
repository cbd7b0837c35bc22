/** The HA pair and replication PromQL of the dashboards (the Overview's HA row and patrol / HA pairs). */
import type { MixinConfig } from '../config.ts';
import { asCode, targetMatchers } from '../dashboards/queries.ts';
import { sel } from '../promql.ts';
import { LINK_DOWN, haConditions, linkConditions, replicationConditions } from './alerts.ts';

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

/** A link of a node's cell (its state, as PatrolHaLinkDown's value where it is not up). */
export const LINK = {
  up: 0,
  missing: LINK_DOWN.missing,
  down: LINK_DOWN.down,
  /** No link watched by any node of the selected pairs (collectors.ha.links off). */
  noLinks: -1,
} as const;

/** Where the fault between a node and its peer lies (patrol_ha_peer_fault's `where`). */
export const FAULT = {
  none: 0,
  localLink: 1,
  peerOrNetwork: 2,
  peerLink: 3,
  unknown: 4,
  /** No location reported for any peer (collectors.ha.links off). */
  noLinks: -1,
} as const;

/** The VIP duplicate-address check (patrol_ha_vip_conflict's `state`). */
export const VIP = {
  none: 0,
  conflict: 1,
  unknown: 2,
  /** No node of the selected pairs holds a VIP it checks (standby, or no VIP role). */
  notHeld: -1,
} as const;

/** A bond's slave: UP 1, DOWN 0, and no bond watched at all. */
export const BOND_SLAVE = { up: 1, down: 0, noBonds: -1 } as const;

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
 * (alerts.ts), so a cell and the alert about the same pair agree.
 */
export function haQueries(c: MixinConfig, variables: { cluster: boolean }) {
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
    ...linkQueries(c, pick, named),
  };
}

/**
 * The links of the pairs' nodes: the cells share PatrolHaLinkDown's condition (alerts.ts), and
 * every cell shows a word when nothing is watched rather than a gap.
 */
function linkQueries(
  c: MixinConfig,
  pick: (...m: string[]) => string,
  named: (expr: string) => string,
) {
  const cond = linkConditions({ ha: pick, up: sel(...targetMatchers) }, c.thresholds);
  const down = oneLine(cond.down);
  const perLink = 'job, instance, cluster, interface';
  const codes = (metric: string, label: string, by: string, map: Record<string, number>) =>
    `max by (${by}) (${Object.entries(map)
      .map(([value, code]) => asCode(`${metric}${pick(`${label}="${value}"`)} == 1`, code))
      .join(' or ')})`;
  const overRate = (metric: string) => named(`rate(${metric}${pick()}[$__rate_interval])`);
  return {
    /**
     * One cell per node, interface and what it carries (a row of patrol_ha_link_info: an
     * interface carrying a peer and the VIP has two cells), coded as LINK.
     */
    links: `${named(`group by (${perLink}, role, peer) (patrol_ha_link_info${pick()}) * on (${perLink}) group_left () (${down} or ${asCode(`patrol_ha_link_up${pick()} == 1`, LINK.up)})`)} or on () vector(${LINK.noLinks})`,
    /** The links down or missing: PatrolHaLinkDown's condition, without its wait. */
    linksDown: down,
    /** Per node and peer, coded as FAULT. */
    fault: `${named(
      codes('patrol_ha_peer_fault', 'where', 'job, instance, cluster, peer', {
        none: FAULT.none,
        local_link: FAULT.localLink,
        peer_or_network: FAULT.peerOrNetwork,
        peer_link: FAULT.peerLink,
        unknown: FAULT.unknown,
      }),
    )} or on () vector(${FAULT.noLinks})`,
    /** Per node, bond and slave: 1 up, 0 down. */
    bondSlaves: `${named(`patrol_ha_link_bond_slave_up${pick()}`)} or on () vector(${BOND_SLAVE.noBonds})`,
    /** Per node holding a VIP, coded as VIP. */
    vipConflict: `${named(
      codes('patrol_ha_vip_conflict', 'state', 'job, instance, cluster, vip', {
        none: VIP.none,
        conflict: VIP.conflict,
        unknown: VIP.unknown,
      }),
    )} or on () vector(${VIP.notHeld})`,
    carrierChanges: named(
      `increase(patrol_ha_link_carrier_changes_total${pick()}[$__rate_interval])`,
    ),
    receiveErrors: overRate('patrol_ha_link_receive_errors_total'),
    transmitErrors: overRate('patrol_ha_link_transmit_errors_total'),
    receiveDrops: overRate('patrol_ha_link_receive_drop_total'),
    transmitDrops: overRate('patrol_ha_link_transmit_drop_total'),
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

/** Whether the primary wrote its canary of a dataset (patrol_replication_canary_write_ok). */
export const CANARY_WRITE = { written: 1, cannotWrite: 0 } as const;

const BY_DATASET = 'job, cluster, dataset';

/**
 * Replication expressions (the datasets a pair mirrors). `cluster` selects pairs by $cluster
 * where the dashboard has it. Per dataset (job, cluster, dataset), the figures of the node that
 * is standby now; the conditions are the alerts' own (alerts.ts). A dataset the
 * pair mirrors but no standby measures shows a code (REPLICATION), never a gap.
 */
export function replicationQueries(c: MixinConfig, variables: { cluster: boolean }) {
  const t = c.thresholds;
  const pick = (...m: string[]) =>
    sel(...targetMatchers, variables.cluster ? 'cluster=~"$cluster"' : '', ...m);
  const cond = replicationConditions({ ha: pick, up: sel(...targetMatchers) }, t);
  const onStandby = (expr: string) => `(${expr}) and on (job, instance, cluster) ${cond.standby}`;
  const onPrimary = (expr: string) => `(${expr}) and on (job, instance, cluster) ${cond.primary}`;
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
    /**
     * Per dataset: whether the node that is primary now wrote its canary (CANARY_WRITE; 0 is
     * PatrolReplicationCanaryUnwritable's condition, without its wait), or REPLICATION's codes.
     * The worst of two primaries in a split brain.
     */
    canaryWritten: `${per('min', onPrimary(`patrol_replication_canary_write_ok${pick()}`))} or ${noFigure(REPLICATION.notMeasured)}`,
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
