/**
 * The Kubernetes PromQL: the conditions of the alerts (kubeConditions), which the dashboards'
 * counts and cells reuse so that a red tile and its alert agree, and the dashboards' own
 * expressions (kubeQueries).
 *
 * The conditions (and BY) are in conditions.ts, the codes of the cells and table rows in
 * codes.ts; this module has the dashboards' expressions and re-exports the other two, so the
 * area's modules import all of it from here.
 */
import type { MixinConfig } from '../config.ts';
import { targetMatchers } from '../dashboards/queries.ts';
import { sel } from '../promql.ts';
import { DEPLOYMENT, NODE, POD, READY_BASE, RESOURCE, SERVICE } from './codes.ts';
import { BY, kubeConditions } from './conditions.ts';

export { BY, kubeConditions } from './conditions.ts';
export {
  DEPLOYMENT,
  LITERAL_TEXTS,
  NODE,
  POD,
  POD_STATUS_WORDS,
  READY_BASE,
  READY_MAX_CONTAINERS,
  RESOURCE,
  SERVICE,
  readyCodes,
} from './codes.ts';

// --- The dashboards -----------------------------------------------------------------------------

/** `(x) * 0 + code`: a series turned into a code, keeping its labels (dashboards' cells). */
const code = (expr: string, c: number) => `(${expr}) * 0 + ${c}`;

/**
 * Coded branches joined with `or`, the highest (worst) code first. `or` keeps the left side's
 * series and drops a right-side series with the same labels, so of two branches about the same
 * object with the same labels (a Running pod, and a Running pod that is not ready) the worse one
 * must come first; branches with other labels (a waiting container's) are all kept, and the
 * `max by` around them picks the worst.
 */
const worstFirst = (branches: readonly (readonly [string, number])[]) =>
  [...branches]
    .sort((a, b) => b[1] - a[1])
    .map(([expr, c]) => code(expr, c))
    .join(' or ');

/** The waiting reasons kubectl prints as a pod's STATUS, and their codes. */
const WAITING: [string, number][] = [
  ['ContainerCreating', POD.containerCreating],
  ['PodInitializing', POD.podInitializing],
  ['CreateContainerConfigError', POD.createContainerConfigError],
  ['CreateContainerError', POD.createContainerError],
  ['InvalidImageName', POD.invalidImageName],
  ['ErrImagePull', POD.errImagePull],
  ['ImagePullBackOff', POD.imagePullBackOff],
  ['CrashLoopBackOff', POD.crashLoopBackOff],
];

/** The dashboards' expressions: $job, $instance and (for namespaced objects) $namespace. */
export function kubeQueries(c: MixinConfig) {
  const scope = ['namespace=~"$namespace"'];
  const cond = kubeConditions(c, targetMatchers, scope);
  /** The Overview has no $namespace: its counts are the alerts' conditions over the cluster. */
  const cluster = kubeConditions(c, targetMatchers);
  const cs = (...m: string[]) => sel(...targetMatchers, ...m);
  const ns = (...m: string[]) => sel(...targetMatchers, ...scope, ...m);
  const d = (name: string) => `patrol_kube_deployment_${name}${ns()}`;
  const onDeployment = `on (${BY.deployment})`;
  const apiUp = `patrol_kube_api_up${cs()}`;

  /**
   * The pods table's columns: the pods in $namespace, or (`only`: matchers on the pod) the
   * network's wherever $namespace points.
   */
  function podColumns(only?: string) {
    const pods = (...m: string[]) =>
      only === undefined
        ? sel(...targetMatchers, ...scope, ...m)
        : sel(...targetMatchers, only, ...m);
    const column = (expr: string) =>
      `max by (${BY.pod}) (${expr}) * on (${BY.pod}) group_left (node) patrol_kube_pod_info${pods()}`;
    const ready = `patrol_kube_pod_container_status_ready${pods()}`;
    const restarts = `patrol_kube_pod_container_status_restarts_total${pods()}`;
    const phase = (p: string) => `patrol_kube_pod_status_phase${pods(`phase="${p}"`)} == 1`;
    const waiting = (m: string) => `patrol_kube_pod_container_status_waiting_reason${pods(m)}`;
    const { hour, utcOffsetHours } = c.morningCheck;
    const offset = utcOffsetHours * 3600;
    const at = hour * 3600;
    /**
     * Restarts since the last `hour`:00 (the morning walk). Not `increase(...[$__range])`: it
     * extrapolates, and counts nothing for a pod that was not there at the start of the range.
     * Nor a panel time range from `now/d+9h`: Grafana's panel "relative time" only takes
     * `now-<n><unit>` and its own quick ranges, and a dashboard range starting at 09:00 today is
     * inverted (from after to) before 09:00. So: each container's counter at the one step of a
     * 5-minute subquery over the last day that falls on `hour`:00 local time (steps are aligned
     * to multiples of 5m, so exactly one does), subtracted from the counter now. A pod created
     * since has no such sample: all its restarts count. Never negative (a StatefulSet pod
     * recreated under the same name starts again from 0).
     */
    const atMorning = `last_over_time((${restarts} and on () (vector((time() + ${offset}) % 86400) >= ${at} < ${at + 300}))[1d:5m])`;
    const statuses = worstFirst([
      [phase('Running'), POD.running],
      [phase('Succeeded'), POD.completed],
      [
        `${phase('Running')} and on (${BY.pod}) patrol_kube_pod_status_ready${pods('condition="true"')} == 0`,
        POD.runningNotReady,
      ],
      [phase('Pending'), POD.pending],
      [phase('Unknown'), POD.unknown],
      [phase('Failed'), POD.failed],
      [waiting(`reason!~"${WAITING.map(([r]) => r).join('|')}"`), POD.waiting],
      ...WAITING.map(([r, n]) => [waiting(`reason="${r}"`), n] as const),
    ]);
    return {
      /** READY as ready * READY_BASE + containers. */
      ready: column(
        `sum by (${BY.pod}) (${ready}) * ${READY_BASE} + count by (${BY.pod}) (${ready})`,
      ),
      status: column(statuses),
      restarts: column(`sum by (${BY.pod}) (${restarts})`),
      restartsToday: column(
        `sum by (${BY.pod}) (clamp_min(${restarts} - (${atMorning} or ${restarts} * 0), 0))`,
      ),
    };
  }

  const deploymentState = worstFirst([
    [d('spec_replicas'), DEPLOYMENT.ok],
    [`${d('spec_paused')} == 1`, DEPLOYMENT.paused],
    [cond.deploymentDiffers, DEPLOYMENT.updating],
    [cond.deploymentMismatch, DEPLOYMENT.mismatch],
    [cond.rolloutStuck, DEPLOYMENT.stuck],
  ]);

  /**
   * Endpoint series under the Service's name, to line up with the Service's own (label_join
   * with one source label copies it).
   */
  const asService = (expr: string) =>
    `max by (${BY.service}) (label_join(${expr}, "service", "", "endpoint"))`;
  const selects = `patrol_kube_service_spec_selector_present${ns()}`;

  const network = sel(...targetMatchers, c.kubeNetworkDaemonSetSelector);
  const networkDs = (name: string) => `patrol_kube_daemonset_${name}${network}`;

  /** The Ready condition of the nodes with this status (`!true`: false or unknown). */
  const ready = (status: string) =>
    `patrol_kube_node_status_condition${cs('condition="Ready"', status.startsWith('!') ? `status!="${status.slice(1)}"` : `status="${status}"`)}`;
  const cordoned = `patrol_kube_node_spec_unschedulable${cs()} == 1`;
  const resourceState = (state: string) =>
    `patrol_kube_resource_state${cs(`state="${state}"`)} == 1`;

  return {
    cond,
    cluster,
    /** Per patrol: 1 the API answers, 0 it does not or the collector fails as a whole. */
    apiUp: `${apiUp} or on (${BY.target}) (patrol_collector_success${cs('collector="kubernetes"')} unless on (${BY.target}) ${apiUp}) * 0`,
    resourcesNotSynced: `patrol_kube_resource_synced${cs()} == 0`,
    /** One cell per node, coded as NODE; one neutral cell when there is none. */
    nodes: `max by (${BY.node}) (${worstFirst([
      [`${ready('true')} == 1`, NODE.ready],
      [`${ready('true')} == 1 and on (${BY.node}) ${cordoned}`, NODE.cordoned],
      [`${ready('!true')} == 1 and on (${BY.node}) ${cordoned}`, NODE.notReadyCordoned],
      [`${ready('false')} == 1 unless on (${BY.node}) ${cordoned}`, NODE.notReady],
      [`${ready('unknown')} == 1 unless on (${BY.node}) ${cordoned}`, NODE.unknown],
    ])}) or on () vector(${NODE.noNodes})`,
    deployments: {
      desired: `max by (${BY.deployment}) (${d('spec_replicas')})`,
      current: `max by (${BY.deployment}) (${d('status_replicas')})`,
      upToDate: `max by (${BY.deployment}) (${d('status_replicas_updated')})`,
      available: `max by (${BY.deployment}) (${d('status_replicas_available')})`,
      state: `max by (${BY.deployment}) (${deploymentState})`,
    },
    onDeployment,
    pods: podColumns(),
    networkPods: podColumns(c.kubeNetworkPodSelector),
    services: {
      ready: asService(`patrol_kube_endpoint_address_available${ns()}`),
      notReady: asService(`patrol_kube_endpoint_address_not_ready${ns()}`),
      state: `max by (${BY.service}) (${worstFirst([
        [selects, SERVICE.ok],
        [`${selects} == 0`, SERVICE.noSelector],
        [`label_join(${cond.serviceNoEndpoints}, "service", "", "endpoint")`, SERVICE.noEndpoints],
      ])})`,
    },
    network: {
      desired: `max by (${BY.daemonset}) (${networkDs('status_desired_number_scheduled')})`,
      ready: `max by (${BY.daemonset}) (${networkDs('status_number_ready')})`,
      /** Nodes without a ready pod of the network: 0 when there is no such DaemonSet. */
      missing: `sum(${networkDs('status_desired_number_scheduled')} - ${networkDs('status_number_ready')}) or vector(0)`,
    },
    /** The containers breaking the ops rule (in $namespace and kubeGuaranteedSelector). */
    notGuaranteed: (() => {
      const breaking = `patrol_kube_pod_container_requests_equal_limits${ns(c.kubeGuaranteedSelector)} == 0`;
      const byContainer = `${BY.container}, workload_kind, workload`;
      const column = (expr: string) =>
        `max by (${byContainer}) ((${expr}) * on (${BY.pod}) group_left (workload_kind, workload) patrol_kube_pod_workload_info${ns()}) and on (${BY.container}) (${breaking})`;
      const res = (f: string, r: string) =>
        column(
          `max by (${BY.container}) (patrol_kube_pod_container_resource_${f}${ns(`resource="${r}"`)})`,
        );
      return {
        breaking,
        cpuRequest: res('requests', 'cpu'),
        cpuLimit: res('limits', 'cpu'),
        memoryRequest: res('requests', 'memory'),
        memoryLimit: res('limits', 'memory'),
        /** Every breaking container has a row, even with no request and no limit at all. */
        rule: column(breaking),
      };
    })(),
    /** One cell per resource patrol watches, coded as RESOURCE. */
    resources: `max by (${BY.resource}) (${worstFirst([
      [`patrol_kube_resource_synced${cs()} == 1`, RESOURCE.synced],
      [`patrol_kube_resource_synced${cs()} == 0`, RESOURCE.notSynced],
      [resourceState('failing'), RESOURCE.failing],
      [resourceState('forbidden'), RESOURCE.forbidden],
      [resourceState('not_served'), RESOURCE.notServed],
    ])})`,
    failures: `sum by (${BY.target}, resource, reason) (rate(patrol_kube_api_failures_total${cs()}[$__rate_interval])) > 0`,
    relists: `sum by (${BY.target}, resource) (increase(patrol_kube_relists_total${cs('reason!="start"')}[$__rate_interval]))`,
    watchRestarts: `sum by (${BY.target}, resource, reason) (increase(patrol_kube_watch_restarts_total${cs()}[$__rate_interval]))`,
    /** Seconds since the last event of each resource. */
    lastEvent: `time() - max by (${BY.resource}) (patrol_kube_watch_last_event_timestamp_seconds${cs()})`,
  };
}
