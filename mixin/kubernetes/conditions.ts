/**
 * The conditions of the Kubernetes alerts (kubeConditions), which the dashboards' counts and
 * cells (queries.ts) reuse so that a red tile and its alert agree, and the labels that name each
 * kind of object (BY).
 */
import type { MixinConfig } from '../config.ts';
import { sel } from '../promql.ts';

/** The labels that name one object of each kind, with the patrol (one per cluster) it is from. */
export const BY = {
  target: 'job, instance',
  node: 'job, instance, node',
  deployment: 'job, instance, namespace, deployment',
  statefulset: 'job, instance, namespace, statefulset',
  daemonset: 'job, instance, namespace, daemonset',
  pod: 'job, instance, namespace, pod',
  container: 'job, instance, namespace, pod, container',
  endpoint: 'job, instance, namespace, endpoint',
  service: 'job, instance, namespace, service',
  resource: 'job, instance, resource',
} as const;

const indent = (expr: string) =>
  expr
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');

/**
 * The conditions of the Kubernetes alerts, without their `for:`. `target` selects the patrol
 * (the alerts: the mixin's selector; the dashboards: $job and $instance), `scope` the
 * namespaced objects on top (the dashboards' $namespace). Each condition's value is the figure
 * its alert's description names, its labels the object's (plus `node` on the pod conditions).
 */
export function kubeConditions(
  c: MixinConfig,
  target: readonly string[],
  scope: readonly string[] = [],
) {
  const t = c.thresholds;
  /** Cluster-scoped series (nodes, patrol's own) and namespaced ones. */
  const cs = (...m: string[]) => sel(...target, ...m);
  const ns = (...m: string[]) => sel(...target, ...scope, ...m);
  const on = (by: string) => `on (${by})`;
  const progressing = (series: string, by: string) =>
    `unless ${on(by)}\nchanges(${series}[${t.kubeRolloutProgressWindow}]) > 0`;
  /** The node of a pod, as a label of the pod's condition: the pod alerts' way to a node. */
  const withNode = (expr: string) =>
    `(\n${indent(expr)}\n)\n* ${on(BY.pod)} group_left (node)\npatrol_kube_pod_info${ns()}`;

  const d = (name: string) => `patrol_kube_deployment_${name}${ns()}`;
  const spec = d('spec_replicas');
  const available = d('status_replicas_available');
  /**
   * The seed's rule, DESIRED = CURRENT = UP-TO-DATE = AVAILABLE, broken. A paused rollout keeps
   * old and new pods side by side on purpose: for it only AVAILABLE counts.
   */
  const deploymentDiffers = [
    available,
    `and ${on(BY.deployment)}`,
    `(`,
    `  ${spec} != ${available}`,
    `  or`,
    `  (`,
    `    (${spec} != ${d('status_replicas_updated')} or ${spec} != ${d('status_replicas')})`,
    `    unless ${on(BY.deployment)}`,
    `    ${d('spec_paused')} == 1`,
    `  )`,
    `)`,
  ].join('\n');

  const sts = (name: string) => `patrol_kube_statefulset_${name}${ns()}`;
  const ds = (name: string) => `patrol_kube_daemonset_${name}${ns()}`;
  const phase = (p: string) => `patrol_kube_pod_status_phase${ns(`phase=~"${p}"`)}`;
  const waiting = (m: string) => `patrol_kube_pod_container_status_waiting_reason${ns(m)}`;
  const restarts = `patrol_kube_pod_container_status_restarts_total${ns()}`;
  const apiUp = `patrol_kube_api_up${cs()}`;

  return {
    /**
     * The API does not answer patrol (or refuses its credentials), or the collector that should
     * say so fails as a whole (no credentials at all: its series are dropped). Both carry
     * collector="kubernetes", so one alert whichever it is, and the generic inhibition pairs it
     * with PatrolCollectorFailing of that collector only.
     */
    apiUnreachable: [
      `label_replace(${apiUp} == 0, "collector", "kubernetes", "", "")`,
      `or`,
      `(`,
      `  patrol_collector_success${cs('collector="kubernetes"')}`,
      `  unless ${on(BY.target)}`,
      `  ${apiUp}`,
      `)`,
    ].join('\n'),
    /**
     * A resource patrol cannot read: not synced while the API answers (its list or watch keeps
     * failing), or refused (RBAC) or not served at all, whatever the API's state.
     */
    watchStale: [
      `(`,
      `  patrol_kube_resource_synced${cs()} == 0`,
      `  and ${on(BY.target)}`,
      `  ${apiUp} == 1`,
      `)`,
      `or`,
      `patrol_kube_resource_available${cs()} == 0`,
    ].join('\n'),
    /**
     * Ready false or unknown, whichever (one alert while a kubelet goes from one to the other).
     * A cordoned node is left out, as kubernetes-mixin does: it is being maintained, and
     * PatrolKubeNodeUnschedulable says it is cordoned.
     */
    nodeNotReady: [
      `max by (${BY.node}) (patrol_kube_node_status_condition${cs('condition="Ready"', 'status!="true"')}) == 1`,
      `unless ${on(BY.node)}`,
      `patrol_kube_node_spec_unschedulable${cs()} == 1`,
    ].join('\n'),
    nodeUnschedulable: `patrol_kube_node_spec_unschedulable${cs()} == 1`,
    /** Per Deployment, its AVAILABLE, while the four counts differ and have stopped moving. */
    deploymentDiffers,
    deploymentMismatch: `${deploymentDiffers}\n${progressing(d('status_replicas_updated'), BY.deployment)}`,
    /** Per Deployment, its UP-TO-DATE, while its rollout is past its progress deadline. */
    rolloutStuck: [
      d('status_replicas_updated'),
      `and ${on(BY.deployment)}`,
      `patrol_kube_deployment_status_condition${ns('condition="Progressing"', 'status="false"', 'reason="ProgressDeadlineExceeded"')} == 1`,
    ].join('\n'),
    /** Per Deployment, the generation its controller has acted on, while behind its spec's. */
    generationMismatch: `${d('status_observed_generation')} < ${d('metadata_generation')}`,
    /**
     * Per StatefulSet, its ready replicas, while they or its pods differ from what it asks for.
     * Not the up-to-date count: with updateStrategy OnDelete (or a partition) old pods stay by
     * design until someone deletes them.
     */
    statefulSetMismatch: [
      sts('status_replicas_ready'),
      `and ${on(BY.statefulset)}`,
      `(`,
      `  ${sts('replicas')} != ${sts('status_replicas_ready')}`,
      `  or`,
      `  ${sts('replicas')} != ${sts('status_replicas')}`,
      `)`,
      progressing(sts('status_replicas_updated'), BY.statefulset),
    ].join('\n'),
    /**
     * Per pod: Pending or Unknown, or not Ready; not a finished pod (Succeeded, Failed) nor a
     * Job's (a batch pod comes and goes).
     */
    podNotReady: withNode(
      [
        `max by (${BY.pod}) (`,
        `  ${phase('Pending|Unknown')} == 1`,
        `  or`,
        `  (patrol_kube_pod_status_ready${ns('condition="true"')} == 0) + 1`,
        `)`,
        `unless ${on(BY.pod)}`,
        `${phase('Succeeded|Failed')} == 1`,
        `unless ${on(BY.pod)}`,
        `patrol_kube_pod_workload_info${ns('workload_kind="Job"')}`,
      ].join('\n'),
    ),
    /**
     * Per container, its restarts within the report window, while it restarted within the
     * crash-loop window or waited in CrashLoopBackOff then (between two restarts it waits).
     */
    crashLooping: withNode(
      [
        `round(increase(${restarts}[${t.kubeRestartsReportWindow}]))`,
        `and ${on(BY.container)}`,
        `(`,
        `  increase(${restarts}[${t.kubeCrashLoopWindow}]) > 0`,
        `  or`,
        `  max_over_time(${waiting('reason="CrashLoopBackOff"')}[${t.kubeCrashLoopWindow}]) == 1`,
        `)`,
      ].join('\n'),
    ),
    /**
     * Per container waiting for any other reason than CrashLoopBackOff (PatrolKubePodCrashLooping's).
     * A failing image pull alternates between ErrImagePull (a try) and ImagePullBackOff (the
     * wait before the next): both are ImagePullBackOff here, else each switch would start the
     * alert's `for:` again and it would never fire.
     */
    containerWaiting: withNode(
      [
        `label_replace(`,
        `  ${waiting('reason!="CrashLoopBackOff"')},`,
        `  "reason", "ImagePullBackOff", "reason", "ErrImagePull"`,
        `)`,
      ].join('\n'),
    ),
    /** Per Service that selects pods, its ready addresses (0) while it has none. */
    serviceNoEndpoints: [
      `patrol_kube_endpoint_address_available${ns(c.kubeServiceSelector)} == 0`,
      `and ${on(BY.endpoint)}`,
      `label_join(patrol_kube_service_spec_selector_present${ns()} == 1, "endpoint", "", "service")`,
    ].join('\n'),
    /**
     * Per DaemonSet, the nodes that should run one of its pods and have no ready one: not
     * scheduled (desired - current), or scheduled and not ready. numberReady counts a subset of
     * currentNumberScheduled, so desired - ready covers both.
     */
    daemonSetNotReady: [
      `${ds('status_desired_number_scheduled')} - ${ds('status_number_ready')} > 0`,
      progressing(ds('status_updated_number_scheduled'), BY.daemonset),
    ].join('\n'),
    daemonSetMisscheduled: `${ds('status_number_misscheduled')} > 0`,
    /**
     * Per workload and container (a Deployment's pods are replaced at every rollout, the rule
     * is its template's), the pods whose requests are not set or differ from the limits; not
     * finished pods.
     */
    notGuaranteed: [
      `count by (${BY.target}, namespace, workload_kind, workload, container) (`,
      `  (`,
      `    patrol_kube_pod_container_requests_equal_limits${ns(c.kubeGuaranteedSelector)} == 0`,
      `    unless ${on(BY.pod)}`,
      `    ${phase('Succeeded|Failed')} == 1`,
      `  )`,
      `  * ${on(BY.pod)} group_left (workload_kind, workload)`,
      `  patrol_kube_pod_workload_info${ns()}`,
      `)`,
    ].join('\n'),
  };
}
