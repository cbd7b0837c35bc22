import { durationSeconds, type MixinConfig } from '../config.ts';
import { promql, sel } from '../promql.ts';
import type { AlertSpec, GroupSpec, Severity } from '../alerts/types.ts';
import { lookup } from '../alerts/templates.ts';
import type { HaStrings } from './i18n/en.ts';

/** The alerts whose texts this area's string table has. */
type Alert = keyof HaStrings['alerts'];

/** Where the HA conditions read their series: the alerts pass the mixin's selector, the dashboards their variables. */
export interface HaSeries {
  /** A selector of patrol_ha_* and patrol_replication_* series, with extra matchers (`role="primary"`). */
  ha: (...matchers: string[]) => string;
  /** The selector of the same exporters' `up`. */
  up: string;
}

/**
 * The conditions about a whole pair, shared by the alerts and the dashboards so that a tile and
 * the alert about the same pair agree. Per (job, cluster): the nodes of one pair are scraped by
 * the same job (deploy/prometheus.yml), and a cluster name is only unique within it.
 */
export function haConditions(x: HaSeries, memory: string) {
  const primary = `patrol_ha_role${x.ha('role="primary"')}`;
  return {
    /**
     * More than one node says it is primary (computed across instances: works while the nodes
     * cannot see each other), or a node that is primary gets "primary" from a peer's heartbeat
     * (works when Prometheus scrapes only one of them). Either way one series per cluster.
     */
    splitBrain: promql`
      count by (job, cluster) (${primary} == 1) > 1
      or
      max by (job, cluster) (patrol_ha_split_brain${x.ha()} == 1)`,
    /**
     * Nodes of the pair are scraped (the value: how many) and none says primary, in a pair whose
     * roles were known within `memory` (a pair without role detection is "unknown" forever).
     */
    noPrimary: promql`
      count by (job, cluster) (${primary})
      unless on (job, cluster)
        ${primary} == 1
      and on (job, cluster)
        max_over_time(patrol_ha_role${x.ha('role!="unknown"')}[${memory}]) == 1`,
    /**
     * The nodes whose exporter Prometheus cannot scrape (up 0), by the node name they last
     * reported within `memory`, under the label `peer`: what their peers call them.
     */
    exportersDownAsPeers: promql`
      label_replace(
        max by (job, cluster, node) (
          last_over_time(patrol_ha_role${x.ha()}[${memory}])
          and on (instance, job) (up${x.up} == 0)
        ),
        "peer", "$1", "node", "(.*)"
      )`,
  };
}

/**
 * Why a watched link of a pair is not usable: the value of PatrolHaLinkDown (its description
 * says which) and a code of the dashboards' link cells. A value, not a label: a link going from
 * down to missing (a NIC unbound after it lost its carrier) stays one alert whose `for:` runs on.
 */
export const LINK_DOWN = {
  /** patrol_ha_link_present 0: configured or found, but not in /sys/class/net. */
  missing: 1,
  /** patrol_ha_link_up 0: no carrier, or operstate not up. */
  down: 2,
} as const;

/** The labels of one link of one node. */
export const BY_LINK = 'instance, job, cluster, interface';

/**
 * The conditions about the links of a pair's nodes (collectors.ha.links), shared by the alerts
 * and the dashboards so that a cell and the alert about the same interface agree. Each is per
 * node and interface (BY_LINK), the VIP's per node and vip.
 */
export function linkConditions(x: HaSeries, t: MixinConfig['thresholds']) {
  const rate = (m: string, w: string) => `rate(${m}${x.ha()}[${w}])`;
  const sum = (expr: string) => `sum by (${BY_LINK}) (${expr})`;
  const w = t.haLinkErrorsWindow;
  return {
    /** A watched interface that is missing or down, its value the reason (LINK_DOWN). */
    down: promql`
      (patrol_ha_link_present${x.ha()} == 0) + ${LINK_DOWN.missing}
      or
      (patrol_ha_link_up${x.ha()} == 0) + ${LINK_DOWN.down}`,
    /** Carrier changes within the flap window above the limit; the value is the count. */
    flapping: `increase(patrol_ha_link_carrier_changes_total${x.ha()}[${t.haLinkFlapWindow}]) > ${t.haLinkFlapChanges}`,
    /** Receive plus transmit errors per second over the window. */
    errors: sum(
      `${rate('patrol_ha_link_receive_errors_total', w)} + ${rate('patrol_ha_link_transmit_errors_total', w)}`,
    ),
    /** Receive plus transmit drops per second over the window. */
    drops: sum(
      `${rate('patrol_ha_link_receive_drop_total', w)} + ${rate('patrol_ha_link_transmit_drop_total', w)}`,
    ),
    /**
     * A bond with fewer slaves up than it has (a slave down, or all of them); the value is the
     * slaves up. A bond with no slave at all has no carrier either: PatrolHaLinkDown says it.
     */
    bondDegraded: promql`
      sum by (${BY_LINK}) (patrol_ha_link_bond_slave_up${x.ha()})
        < on (${BY_LINK})
      patrol_ha_link_bond_slaves${x.ha()}`,
    /** Another MAC answers ARP for the VIP this node holds. */
    vipConflict: `max by (instance, job, cluster, vip) (patrol_ha_vip_conflict${x.ha('state="conflict"')} == 1)`,
  };
}

/** Indents every line of a multi-line expression to sit inside another one. */
export const indent = (expr: string, by: string) =>
  expr
    .split('\n')
    .map((l) => by + l)
    .join('\n');

/**
 * Hot-standby pairs (checklist H2, H6: two servers running mirror software in the style of
 * RoseMirrorHA, a heartbeat between them, a virtual IP on the primary). One problem, one alert:
 *   a node gets no heartbeat from its peer                -> PatrolHaPeerDown (per node and peer)
 *   more than one node of a pair is primary               -> PatrolHaSplitBrain (per pair)
 *   no node of a pair is primary                          -> PatrolHaNoPrimary (per pair)
 *   a node's role changed (failover, switchover)          -> PatrolHaFailover (per node)
 *   the nodes' clocks disagree                            -> PatrolHaClockSkew (per pair)
 *   a link carrying a peer, the VIP or configured is down -> PatrolHaLinkDown (per node, interface)
 *   a link's carrier keeps changing                       -> PatrolHaLinkFlapping (idem)
 *   a link's errors or drops keep rising                  -> PatrolHaLinkErrors (idem, and kind)
 *   a bond has a slave down                               -> PatrolHaBondDegraded (idem)
 *   another machine answers ARP for the VIP this node has -> PatrolHaVipConflict (per node, vip)
 * PatrolHaPeerDown's description says where the fault lies (patrol_ha_peer_fault) and it
 * carries the interface towards the peer, so that PatrolHaLinkDown of that interface holds it
 * back.
 * The alerts about a whole pair carry job and cluster but no instance: a split brain seen by
 * both nodes is one alert, not two. A peer whose own exporter is down is PatrolExporterDown's
 * news, said on the peer's own instance; PatrolHaPeerDown leaves it out in PromQL, because
 * Alertmanager cannot compare one alert's `instance` with another's `peer` (see
 * deploy/alertmanager.yml for the rest).
 */
export function haGroup(c: MixinConfig): GroupSpec<Alert> {
  const s = sel(c.selector);
  const t = c.thresholds;
  const cond = haConditions({ ha: (...m) => sel(c.selector, ...m), up: s }, t.haNodeMemory);
  // The name of the node an instance is (patrol_ha_role always carries it), for the messages.
  const node = `group by (instance, job, cluster, node) (patrol_ha_role${s})`;
  const links = linkConditions({ ha: (...m) => sel(c.selector, ...m), up: s }, t);
  /** Adds the node name to a per-node condition, for the messages. */
  const onNode = (expr: string) =>
    [
      '(',
      indent(expr, '  '),
      ')',
      '* on (instance, job, cluster) group_left (node)',
      `  ${node}`,
    ].join('\n');
  const peerDown = onNode(
    [
      `patrol_ha_peer_up${s} == 0`,
      '  unless on (job, cluster, peer)',
      indent(cond.exportersDownAsPeers, '  '),
    ].join('\n'),
  );
  // The interface that carries the heartbeat to the peer, a label of its PatrolHaPeerDown so
  // that Alertmanager holds it back under PatrolHaLinkDown of that interface. It stays the same
  // while the link is down (the collector keeps the interface it found); a peer with no known
  // interface keeps its alert without it (the `or`).
  const peerLink = `group by (instance, job, cluster, peer, interface) (patrol_ha_link_info${sel(c.selector, 'role="peer"')})`;
  /** The Go template pipeline that lists a link's patrol_ha_link_info series (what it carries). */
  const linkInfo = `printf \`patrol_ha_link_info{instance=%q, job=%q, cluster=%q, interface=%q}\` $labels.instance $labels.job $labels.cluster $labels.interface | query`;

  return {
    name: 'patrol-ha',
    rules: [
      {
        // patrol_ha_peer_up is 0 once collectors.ha.failure_threshold heartbeats in a row
        // failed (or the peer never answered since start), so a short `for` is enough. Left
        // out: a peer whose own exporter is down (up 0, its node name as last reported), which
        // PatrolExporterDown reports on the peer's instance.
        alert: 'PatrolHaPeerDown',
        severity: 'critical',
        expr: [
          '(',
          indent(peerDown, '  '),
          ')',
          `* on (instance, job, cluster, peer) group_left (interface)`,
          `  ${peerLink}`,
          'or on (instance, job, cluster, peer)',
          indent(peerDown, ''),
        ].join('\n'),
        for: c.for.haPeerDown,
        // Where the fault lies is read into the description (a query in its template), not
        // joined as a label: a location that changes (peer_or_network, then local_link when
        // this node's cable is pulled too) would restart the `for:`.
        params: {
          where: `printf \`patrol_ha_peer_fault{instance=%q, job=%q, cluster=%q, peer=%q} == 1\` $labels.instance $labels.job $labels.cluster $labels.peer | query`,
        },
      },
      {
        alert: 'PatrolHaSplitBrain',
        severity: 'critical',
        expr: cond.splitBrain,
        for: c.for.haSplitBrain,
      },
      {
        // The node that was primary may still be primary while Prometheus cannot scrape it: the
        // description says so, and PatrolExporterDown names that node.
        alert: 'PatrolHaNoPrimary',
        severity: 'critical',
        expr: cond.noPrimary,
        for: c.for.haNoPrimary,
        params: { memory: t.haNodeMemory },
      },
      {
        // Counted by the node whose role changed between primary and standby (both nodes of a
        // pair count a failover); `node` and the `role` it has now come from patrol_ha_role.
        // A counter reset (exporter restart) is not an increase.
        alert: 'PatrolHaFailover',
        severity: 'warning',
        expr: promql`
          (increase(patrol_ha_role_changes_total${s}[${t.haFailoverWindow}]) > 0)
          * on (instance, job, cluster) group_left (node, role)
            (patrol_ha_role${s} == 1)`,
        for: c.for.haFailover,
        params: { window: t.haFailoverWindow },
      },
      {
        // Each node measures its peer's offset (the same skew, with opposite signs): the
        // largest per pair, one alert.
        alert: 'PatrolHaClockSkew',
        severity: 'warning',
        expr: `max by (job, cluster) (abs(patrol_ha_peer_clock_offset_seconds${s})) > ${t.haClockSkewSeconds}`,
        for: c.for.haClockSkew,
        params: { threshold: `${t.haClockSkewSeconds}s` },
      },
      {
        // Pages: the interface carries the heartbeat to a peer, the VIP, or was listed to be
        // watched. Its value says missing or down (LINK_DOWN); what it carries is read from
        // patrol_ha_link_info into the description. Holds back PatrolHaPeerDown of the peers
        // behind it (deploy/alertmanager.yml).
        alert: 'PatrolHaLinkDown',
        severity: 'critical',
        expr: onNode(links.down),
        for: c.for.haLinkDown,
        params: { missing: LINK_DOWN.missing.toFixed(1), linkInfo },
      },
      {
        alert: 'PatrolHaLinkFlapping',
        severity: 'warning',
        expr: onNode(links.flapping),
        for: c.for.haLinkFlapping,
        params: { window: t.haLinkFlapWindow, count: String(t.haLinkFlapChanges), linkInfo },
      },
      {
        // Errors or drops, one alert for each (`kind`): two conditions with their own limits,
        // each stable on its own.
        alert: 'PatrolHaLinkErrors',
        severity: 'warning',
        expr: onNode(
          [
            `label_replace(${links.errors} > ${t.haLinkErrorsPerSecond}, "kind", "errors", "interface", ".*")`,
            'or',
            `label_replace(${links.drops} > ${t.haLinkDropsPerSecond}, "kind", "drops", "interface", ".*")`,
          ].join('\n'),
        ),
        for: c.for.haLinkErrors,
        params: {
          window: t.haLinkErrorsWindow,
          errors: String(t.haLinkErrorsPerSecond),
          drops: String(t.haLinkDropsPerSecond),
          linkInfo,
        },
      },
      {
        alert: 'PatrolHaBondDegraded',
        severity: 'warning',
        expr: onNode(links.bondDegraded),
        for: c.for.haBondDegraded,
        params: {
          slaves: lookup('patrol_ha_link_bond_slaves', BY_LINK),
          downSlaves: `printf \`patrol_ha_link_bond_slave_up{instance=%q, job=%q, cluster=%q, interface=%q} == 0\` $labels.instance $labels.job $labels.cluster $labels.interface | query`,
          linkInfo,
        },
      },
      {
        // `unknown` (the probe cannot run: no CAP_NET_RAW, no arping) raises nothing: the
        // dashboard shows it grey, and the runbook says how to give the privilege.
        alert: 'PatrolHaVipConflict',
        severity: 'critical',
        expr: onNode(links.vipConflict),
        for: c.for.haVipConflict,
        params: {
          macs: `printf \`patrol_ha_vip_conflict_mac_info{instance=%q, job=%q, cluster=%q, vip=%q}\` $labels.instance $labels.job $labels.cluster $labels.vip | query`,
        },
      },
    ],
  };
}

/** The labels of a dataset's figures on one node: what the replication conditions match on. */
const BY_DATASET = 'instance, job, cluster, dataset';

/**
 * The conditions about the datasets a pair mirrors, shared by the alerts and the dashboards so
 * that a tile and the alert about the same dataset agree. Each is per standby node and dataset
 * (instance, job, cluster, dataset): the lag and the divergence are measured on the standby,
 * against the primary.
 */
export function replicationConditions(x: HaSeries, t: MixinConfig['thresholds']) {
  const lag = `patrol_replication_lag_seconds${x.ha()}`;
  const stall = t.replicationStallWindow;
  const stale = durationSeconds(t.replicationCompareStale);
  const lastCompare = `patrol_replication_last_compare_timestamp_seconds${x.ha()}`;
  return {
    /** The nodes that are standby now, with their node name: the side the figures come from. */
    standby: `(patrol_ha_role${x.ha('role="standby"')} == 1)`,
    /** The nodes that are primary now, with their node name: the side that writes the canary. */
    primary: `(patrol_ha_role${x.ha('role="primary"')} == 1)`,
    /**
     * On the primary: its last write of the dataset's canary failed (the series exists on the
     * primary only, from its first write on). The standby's lag and stall then measure nothing.
     */
    canaryUnwritable: `patrol_replication_canary_write_ok${x.ha()} == 0`,
    /**
     * mysqld-mixin's MySQLReplicationLag: behind by more than `threshold` and not recovering (at
     * its trend, still above 0 a little later). The value is the lag.
     */
    lagHigh: (threshold: number) => promql`
      ${lag} > ${threshold}
      and
      predict_linear(${lag}[${t.replicationLagTrendWindow}], ${durationSeconds(t.replicationLagTrendHorizon)}) > 0`,
    /**
     * The standby's copy of the canary has not changed within the stall window. Also true when
     * no canary ever arrived: the sequence is absent then, while the lag counts from when the
     * standby started looking, so the lag alone says it once it is above the window. The lag
     * condition keeps out a sequence that has only just appeared. The value is the lag.
     */
    stalled: promql`
      ${lag} > ${durationSeconds(stall)}
      unless on (${BY_DATASET})
        changes(patrol_replication_canary_sequence${x.ha()}[${stall}]) > 0`,
    /** Files that differ or are missing on the standby, as its last compares confirmed them. */
    outOfSync: promql`
      (
        patrol_replication_out_of_sync_files${x.ha()}
        + patrol_replication_missing_files${x.ha()}
      ) > 0`,
    /**
     * No compare completed within the stale limit: either one did before (the timestamp ages),
     * or none ever did and compares fail (the timestamp is absent; the errors say it). A
     * standby still on its first compare, or with compare switched off, has neither.
     */
    compareNotDone: promql`
      (
        time() - ${lastCompare} > ${stale}
        or
        sum by (${BY_DATASET}) (increase(patrol_replication_compare_errors_total${x.ha()}[${t.replicationCompareStale}])) > 0
      )
      unless on (${BY_DATASET})
        time() - ${lastCompare} <= ${stale}`,
    /** Space left (ratio 0-1) on the filesystem that holds the dataset's copy. */
    spaceAvailable: `patrol_replication_dataset_filesystem_avail_bytes${x.ha()} / (patrol_replication_dataset_filesystem_size_bytes${x.ha()} > 0)`,
  };
}

/**
 * File-mirror replication of the datasets of hot-standby pairs (checklist H1, H3, H6: software
 * in the style of RoseMirrorHA copies directories from the primary to the standby; patrol's
 * canary measures the lag end to end and the standby compares its copy with the primary's
 * manifest). One problem, one alert, each per standby node and dataset:
 *   the copy is far behind and not catching up           -> PatrolReplicationLagHigh
 *   the copy's canary does not move (or never arrived)   -> PatrolReplicationStalled
 *   files differ or are missing on the standby for long  -> PatrolReplicationOutOfSync
 *   the standby no longer compares (or never could)      -> PatrolReplicationCompareFailing
 *   the standby's copy is running out of space           -> PatrolReplicationStandbySpaceLow
 * and one per primary node and dataset:
 *   the primary's patrol cannot write the canary          -> PatrolReplicationCanaryUnwritable
 * Every alert is joined to the node's role (standby now, or primary for the canary's writer)
 * and carries its node name. What
 * follows from a problem of the pair itself (a lost peer, no primary, split brain) is held
 * back in Alertmanager (deploy/alertmanager.yml).
 */
export function replicationGroup(c: MixinConfig): GroupSpec<Alert> {
  const t = c.thresholds;
  const cond = replicationConditions(
    { ha: (...m) => sel(c.selector, ...m), up: sel(c.selector) },
    t,
  );
  /** The condition on the nodes that are standby now, with their node name. */
  const onStandby = (expr: string) =>
    [
      '(',
      indent(expr, '  '),
      ')',
      '* on (instance, job, cluster) group_left (node)',
      `  ${cond.standby}`,
    ].join('\n');
  /** The condition on the node that is primary now, with its node name. */
  const onPrimary = (expr: string) =>
    [
      '(',
      indent(expr, '  '),
      ')',
      '* on (instance, job, cluster) group_left (node)',
      `  ${cond.primary}`,
    ].join('\n');

  const lagHigh = (severity: Severity, threshold: number): AlertSpec<Alert> => ({
    alert: 'PatrolReplicationLagHigh',
    severity,
    expr: onStandby(cond.lagHigh(threshold)),
    for: c.for.replicationLagHigh,
    params: {
      threshold: `${threshold}s`,
      window: t.replicationLagTrendWindow,
      horizon: t.replicationLagTrendHorizon,
    },
  });

  return {
    name: 'patrol-replication',
    rules: [
      lagHigh('warning', t.replicationLagWarningSeconds),
      lagHigh('critical', t.replicationLagCriticalSeconds),
      {
        // Critical: the standby no longer follows the primary, and a failover now loses
        // everything written since. Holds back PatrolReplicationLagHigh of the same dataset.
        alert: 'PatrolReplicationStalled',
        severity: 'critical',
        expr: onStandby(cond.stalled),
        for: c.for.replicationStalled,
        params: { window: t.replicationStallWindow },
      },
      {
        alert: 'PatrolReplicationOutOfSync',
        severity: 'warning',
        expr: onStandby(cond.outOfSync),
        for: c.for.replicationOutOfSync,
        params: { duration: c.for.replicationOutOfSync },
      },
      {
        alert: 'PatrolReplicationCompareFailing',
        severity: 'warning',
        expr: onStandby(cond.compareNotDone),
        for: c.for.replicationCompareFailing,
        params: { stale: t.replicationCompareStale },
      },
      {
        // Only the standby: its copy grows with the primary's data, and nothing but the mirror
        // writes there, so nobody looks until the mirror fails for want of space. The
        // primary's disks are the filesystem alerts' business.
        alert: 'PatrolReplicationStandbySpaceLow',
        severity: 'warning',
        expr: onStandby(`${cond.spaceAvailable} < ${t.replicationStandbySpaceAvailable}`),
        for: c.for.replicationStandbySpaceLow,
        params: { threshold: `${Math.round(t.replicationStandbySpaceAvailable * 100)}%` },
      },
      {
        // On the primary: it cannot write the canary into the dataset (the unit's sandbox
        // without ReadWritePaths= for it: EROFS; permissions: EACCES/EPERM; a full or read-only
        // filesystem). Its collector still succeeds, and the standby's lag grows as if the
        // mirror had stopped. Critical: while it lasts, PatrolReplicationStalled and
        // PatrolReplicationLagHigh of the dataset cannot tell a stopped mirror from it, and
        // Alertmanager holds them back under this alert (deploy/alertmanager.yml).
        alert: 'PatrolReplicationCanaryUnwritable',
        severity: 'critical',
        expr: onPrimary(cond.canaryUnwritable),
        for: c.for.replicationCanaryUnwritable,
        params: { duration: c.for.replicationCanaryUnwritable },
      },
    ],
  };
}
