import { durationSeconds, type MixinConfig } from '../config.ts';
import { promql, sel } from '../promql.ts';
import { indent, type HaSeries } from './ha.ts';
import type { AlertSpec, GroupSpec, Severity } from './types.ts';

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
 * Every alert is joined to the node's role (standby now) and carries its node name. What
 * follows from a problem of the pair itself (a lost peer, no primary, split brain) is held
 * back in Alertmanager (deploy/alertmanager.yml).
 */
export function replicationGroup(c: MixinConfig): GroupSpec {
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

  const lagHigh = (severity: Severity, threshold: number): AlertSpec => ({
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
    ],
  };
}
