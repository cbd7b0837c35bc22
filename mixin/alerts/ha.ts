import type { MixinConfig } from '../config.ts';
import { promql, sel } from '../promql.ts';
import type { GroupSpec } from './types.ts';

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
 * The alerts about a whole pair carry job and cluster but no instance: a split brain seen by
 * both nodes is one alert, not two. A peer whose own exporter is down is PatrolExporterDown's
 * news, said on the peer's own instance; PatrolHaPeerDown leaves it out in PromQL, because
 * Alertmanager cannot compare one alert's `instance` with another's `peer` (see
 * deploy/alertmanager.yml for the rest).
 */
export function haGroup(c: MixinConfig): GroupSpec {
  const s = sel(c.selector);
  const t = c.thresholds;
  const cond = haConditions({ ha: (...m) => sel(c.selector, ...m), up: s }, t.haNodeMemory);
  // The name of the node an instance is (patrol_ha_role always carries it), for the messages.
  const node = `group by (instance, job, cluster, node) (patrol_ha_role${s})`;

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
          indent(`patrol_ha_peer_up${s} == 0`, '  '),
          '  unless on (job, cluster, peer)',
          indent(cond.exportersDownAsPeers, '  '),
          ')',
          '* on (instance, job, cluster) group_left (node)',
          `  ${node}`,
        ].join('\n'),
        for: c.for.haPeerDown,
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
    ],
  };
}
