import type { MixinConfig } from '../config.ts';
import type { GroupSpec } from '../alerts/types.ts';
import { lookup } from '../alerts/templates.ts';
import { BY, kubeConditions } from './queries.ts';
import type { KubernetesStrings } from './i18n/en.ts';

/** The alerts whose texts this area's string table has. */
type Alert = keyof KubernetesStrings['alerts'];

/**
 * The cluster as the seed's morning walk sees it (checklist C3-C6, C11-C13), in
 * kubernetes-mixin's spirit: nodes Ready, Deployments' DESIRED = CURRENT = UP-TO-DATE =
 * AVAILABLE, pods READY and not restarting, Services with ready endpoints, calico-node on every
 * node, requests = limits in the business namespace; and whether patrol reads the API at all.
 * One patrol per cluster: `instance` is that patrol, the object is in the other labels
 * (namespace and deployment, pod, node...). The pod alerts carry the pod's `node`, so that
 * deploy/alertmanager.yml can hold them back while that node is not ready.
 */
export function kubernetesGroup(c: MixinConfig): GroupSpec<Alert> {
  const k = kubeConditions(c, [c.selector]);
  const f = c.for;
  const t = c.thresholds;
  /** The value of another series of the alert's object. */
  const figure = (metric: string, by: string) => lookup(metric, by);

  return {
    name: 'patrol-kubernetes',
    rules: [
      {
        // Pages: without the API nothing below is current (deploy/alertmanager.yml holds every
        // other PatrolKube* alert of this patrol back meanwhile).
        alert: 'PatrolKubeApiUnreachable',
        severity: 'critical',
        expr: k.apiUnreachable,
        for: f.kubeApiUnreachable,
        params: { for: f.kubeApiUnreachable },
      },
      {
        alert: 'PatrolKubeWatchStale',
        severity: 'warning',
        expr: k.watchStale,
        for: f.kubeWatchStale,
        params: {
          for: f.kubeWatchStale,
          state: lookup('patrol_kube_resource_state', BY.resource, {
            filter: ' == 1',
            label: 'state',
          }),
        },
      },
      {
        alert: 'PatrolKubeNodeNotReady',
        severity: 'critical',
        expr: k.nodeNotReady,
        for: f.kubeNodeNotReady,
        params: {
          for: f.kubeNodeNotReady,
          status: lookup('patrol_kube_node_status_condition', BY.node, {
            extra: 'condition="Ready"',
            filter: ' == 1',
            label: 'status',
          }),
        },
      },
      {
        // The cordon itself: the node is left out of PatrolKubeNodeNotReady meanwhile.
        alert: 'PatrolKubeNodeUnschedulable',
        severity: 'info',
        expr: k.nodeUnschedulable,
        for: f.kubeNodeUnschedulable,
        params: { for: f.kubeNodeUnschedulable },
      },
      {
        alert: 'PatrolKubeDeploymentReplicasMismatch',
        severity: 'warning',
        expr: k.deploymentMismatch,
        for: f.kubeDeploymentReplicasMismatch,
        params: {
          for: f.kubeDeploymentReplicasMismatch,
          desired: figure('patrol_kube_deployment_spec_replicas', BY.deployment),
          current: figure('patrol_kube_deployment_status_replicas', BY.deployment),
          updated: figure('patrol_kube_deployment_status_replicas_updated', BY.deployment),
        },
      },
      {
        alert: 'PatrolKubeDeploymentRolloutStuck',
        severity: 'warning',
        expr: k.rolloutStuck,
        for: f.kubeDeploymentRolloutStuck,
        params: {
          desired: figure('patrol_kube_deployment_spec_replicas', BY.deployment),
          available: figure('patrol_kube_deployment_status_replicas_available', BY.deployment),
        },
      },
      {
        alert: 'PatrolKubeDeploymentGenerationMismatch',
        severity: 'warning',
        expr: k.generationMismatch,
        for: f.kubeDeploymentGenerationMismatch,
        params: {
          for: f.kubeDeploymentGenerationMismatch,
          generation: figure('patrol_kube_deployment_metadata_generation', BY.deployment),
        },
      },
      {
        alert: 'PatrolKubeStatefulSetReplicasMismatch',
        severity: 'warning',
        expr: k.statefulSetMismatch,
        for: f.kubeStatefulSetReplicasMismatch,
        params: {
          for: f.kubeStatefulSetReplicasMismatch,
          desired: figure('patrol_kube_statefulset_replicas', BY.statefulset),
          current: figure('patrol_kube_statefulset_status_replicas', BY.statefulset),
        },
      },
      {
        alert: 'PatrolKubePodNotReady',
        severity: 'warning',
        expr: k.podNotReady,
        for: f.kubePodNotReady,
        params: {
          for: f.kubePodNotReady,
          phase: lookup('patrol_kube_pod_status_phase', BY.pod, {
            filter: ' == 1',
            label: 'phase',
          }),
        },
      },
      {
        alert: 'PatrolKubePodCrashLooping',
        severity: 'warning',
        expr: k.crashLooping,
        for: f.kubePodCrashLooping,
        params: {
          window: t.kubeRestartsReportWindow,
          lastReason: lookup(
            'patrol_kube_pod_container_status_last_terminated_reason',
            BY.container,
            { label: 'reason' },
          ),
        },
      },
      {
        alert: 'PatrolKubeContainerWaiting',
        severity: 'warning',
        expr: k.containerWaiting,
        for: f.kubeContainerWaiting,
        params: { for: f.kubeContainerWaiting },
      },
      {
        alert: 'PatrolKubeServiceNoReadyEndpoints',
        severity: 'critical',
        expr: k.serviceNoEndpoints,
        for: f.kubeServiceNoReadyEndpoints,
        params: {
          for: f.kubeServiceNoReadyEndpoints,
          notReady: figure('patrol_kube_endpoint_address_not_ready', BY.endpoint),
        },
      },
      {
        alert: 'PatrolKubeDaemonSetNotScheduled',
        severity: 'warning',
        expr: k.daemonSetNotReady,
        for: f.kubeDaemonSetNotScheduled,
        params: {
          for: f.kubeDaemonSetNotScheduled,
          desired: figure('patrol_kube_daemonset_status_desired_number_scheduled', BY.daemonset),
          scheduled: figure('patrol_kube_daemonset_status_current_number_scheduled', BY.daemonset),
        },
      },
      {
        alert: 'PatrolKubeDaemonSetMisScheduled',
        severity: 'warning',
        expr: k.daemonSetMisscheduled,
        for: f.kubeDaemonSetMisScheduled,
        params: { for: f.kubeDaemonSetMisScheduled },
      },
      {
        alert: 'PatrolKubePodNotGuaranteed',
        severity: 'info',
        expr: k.notGuaranteed,
        for: f.kubePodNotGuaranteed,
      },
    ],
  };
}
