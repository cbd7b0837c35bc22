/**
 * How the Alertmanager routing test (../alertmanager.test.ts) writes its cases: an alert as
 * Prometheus would send it with patrol's rules, and where deploy/alertmanager.yml must deliver it
 * (or which other case's alert must hold it back).
 */
import type { PostableAlert } from '../../../harness/alertmanager.ts';

export type Receivers = 'pager' | 'team-chat' | 'tickets';

export interface Case {
  alert: PostableAlert;
  /** The receiver it is delivered to, or the case whose alert inhibits it. */
  expect: { receiver: Receivers } | { inhibitedBy: string; receiver: Receivers };
}

export function alert(
  alertname: string,
  severity: 'critical' | 'warning' | 'info',
  labels: Record<string, string>,
): PostableAlert {
  return {
    labels: { alertname, severity, job: 'patrol', instance: 'host-a:9872', ...labels },
    annotations: {
      summary: `${alertname} test`,
      description: 'posted by test/e2e/deploy/alertmanager.test.ts',
    },
  };
}

/**
 * An alert about a whole HA pair, as PatrolHaSplitBrain, PatrolHaNoPrimary and
 * PatrolHaClockSkew carry it: job and cluster, no instance.
 */
export function pairAlert(
  alertname: string,
  severity: 'critical' | 'warning',
  cluster: string,
  labels: Record<string, string> = {},
): PostableAlert {
  return {
    labels: { alertname, severity, job: 'patrol', cluster, ...labels },
    annotations: {
      summary: `${alertname} test`,
      description: 'posted by test/e2e/deploy/alertmanager.test.ts',
    },
  };
}

/** A node of an HA pair, as PatrolHaPeerDown and PatrolHaFailover carry it. */
export const haNode = (instance: string, cluster: string, node: string) => ({
  instance,
  cluster,
  node,
});

/** A dataset on a standby node, as the PatrolReplication* alerts carry it. */
export const replica = (instance: string, cluster: string, node: string, dataset: string) => ({
  ...haNode(instance, cluster, node),
  dataset,
});

export const fs = (mountpoint: string) => ({
  device: `/dev/sd-${mountpoint}`,
  fstype: 'ext4',
  mountpoint,
});

/** A systemd unit's labels as PatrolSystemdUnitFailed carries them (no type for non-services). */
export const unit = (name: string, type?: string) => ({
  name,
  ...(type === undefined ? {} : { type }),
  state: 'failed',
});
