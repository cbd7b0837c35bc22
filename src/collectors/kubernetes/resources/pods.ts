/**
 * Pods (checklist C5, C12, C13): `kubectl get po` READY n/n, STATUS and RESTARTS as metrics,
 * the ops rule that a container's requests equal its limits, and the workload owning each pod.
 * Families mirror kube-state-metrics' kube_pod_* under patrol_kube_ (no uid label).
 */
import {
  addInfo,
  addStateSet,
  family,
  info,
  stateSet,
  type MetricSink,
} from '../../../core/metrics.ts';
import {
  arr,
  bool,
  conditionStatus,
  CONDITION_STATUSES,
  meta,
  num,
  obj,
  str,
  type Owner,
} from '../json.ts';
import { parseQuantity } from '../quantity.ts';

export const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;
export const QOS_CLASSES = ['BestEffort', 'Burstable', 'Guaranteed'] as const;

export interface ContainerState {
  readonly name: string;
  readonly ready: boolean;
  readonly restarts: number;
  /** Why it waits (CrashLoopBackOff, ImagePullBackOff...), while it does. */
  readonly waiting: string | undefined;
  /** Why it last ended (OOMKilled, Error, Completed...), once it has. */
  readonly lastTerminated: string | undefined;
  readonly requests: Resources;
  readonly limits: Resources;
}

export interface Resources {
  /** Cores. */
  readonly cpu: number | undefined;
  /** Bytes. */
  readonly memory: number | undefined;
}

export interface PodState {
  readonly namespace: string;
  readonly name: string;
  readonly node: string;
  readonly phase: string;
  /** The Ready condition: true, false, unknown (absent: unknown, as KSM). */
  readonly ready: 'true' | 'false' | 'unknown';
  readonly qos: string;
  readonly owners: readonly Owner[];
  readonly containers: readonly ContainerState[];
}

const L = ['namespace', 'pod'] as const;
const C = ['namespace', 'pod', 'container'] as const;

export const podFamilies = {
  info: info({
    name: 'patrol_kube_pod_info',
    help: 'Always 1: the node a pod runs on (empty while unscheduled).',
    labels: [...L, 'node'],
  }),
  phase: stateSet({
    name: 'patrol_kube_pod_status_phase',
    help: "The pod's phase (kubectl get po's STATUS, coarser): one series per phase, 1 for the current one.",
    labels: [...L, 'phase'],
    stateLabel: 'phase',
    states: POD_PHASES,
  }),
  ready: stateSet({
    name: 'patrol_kube_pod_status_ready',
    help: 'Whether the pod is ready to serve requests (its Ready condition): condition true, false or unknown, 1 for the current one.',
    labels: [...L, 'condition'],
    stateLabel: 'condition',
    states: CONDITION_STATUSES,
  }),
  qos: stateSet({
    name: 'patrol_kube_pod_status_qos_class',
    help: "The pod's quality of service class (Guaranteed when every container's requests equal its limits for CPU and memory), 1 for the current one.",
    labels: [...L, 'qos_class'],
    stateLabel: 'qos_class',
    states: QOS_CLASSES,
  }),
  owner: family({
    name: 'patrol_kube_pod_owner',
    help: "Always 1, one series per owner reference of the pod (a Deployment's pods are owned by its ReplicaSet).",
    type: 'gauge',
    labels: [...L, 'owner_kind', 'owner_name', 'owner_is_controller'],
  }),
  workload: info({
    name: 'patrol_kube_pod_workload_info',
    help: 'Always 1: the workload that owns the pod in the end, resolved through its ReplicaSet (Deployment, StatefulSet, DaemonSet, Job...; the pod itself when nothing owns it), for counting ready pods per workload (C13).',
    labels: [...L, 'workload_kind', 'workload'],
  }),
  containerReady: family({
    name: 'patrol_kube_pod_container_status_ready',
    help: "Whether the container's readiness check succeeded (1) or not (0): kubectl's READY n/n counts these.",
    type: 'gauge',
    labels: C,
  }),
  restarts: family({
    name: 'patrol_kube_pod_container_status_restarts_total',
    help: "The container's restarts as the kubelet counts them (kubectl's RESTARTS).",
    type: 'counter',
    labels: C,
  }),
  waiting: family({
    name: 'patrol_kube_pod_container_status_waiting_reason',
    help: 'Present (1) while the container waits, with the reason (CrashLoopBackOff, ImagePullBackOff, ErrImagePull, ContainerCreating, CreateContainerConfigError...).',
    type: 'gauge',
    labels: [...C, 'reason'],
  }),
  lastTerminated: family({
    name: 'patrol_kube_pod_container_status_last_terminated_reason',
    help: 'Present (1) once the container has ended before, with the reason of its last end (OOMKilled, Error, Completed...).',
    type: 'gauge',
    labels: [...C, 'reason'],
  }),
  requests: family({
    name: 'patrol_kube_pod_container_resource_requests',
    help: "The container's requests (kubectl's minimum): cpu in cores, memory in bytes; absent where none is set.",
    type: 'gauge',
    labels: [...C, 'node', 'resource', 'unit'],
  }),
  limits: family({
    name: 'patrol_kube_pod_container_resource_limits',
    help: "The container's limits (kubectl's maximum): cpu in cores, memory in bytes; absent where none is set.",
    type: 'gauge',
    labels: [...C, 'node', 'resource', 'unit'],
  }),
  requestsEqualLimits: family({
    name: 'patrol_kube_pod_container_requests_equal_limits',
    help: "The platform's rule that a pod's minimum and maximum memory and CPU are equal: 1 when the container's requests are set and equal its limits for both CPU and memory, else 0.",
    type: 'gauge',
    labels: C,
  }),
} as const;

function resources(v: unknown): Resources {
  const r = obj(v);
  return { cpu: parseQuantity(r?.cpu), memory: parseQuantity(r?.memory) };
}

/** What the metrics need of a pod, and nothing else (its spec and status are dropped). */
export function transformPod(raw: unknown): PodState | undefined {
  const m = meta(raw);
  const o = obj(raw);
  if (m === undefined || o === undefined) return undefined;
  const spec = obj(o.spec);
  const status = obj(o.status);
  const statuses = new Map<string, ReturnType<typeof obj>>();
  for (const cs of arr(status?.containerStatuses)) {
    const name = str(obj(cs)?.name);
    if (name !== undefined) statuses.set(name, obj(cs));
  }
  const containers: ContainerState[] = [];
  for (const c of arr(spec?.containers)) {
    const name = str(obj(c)?.name);
    if (name === undefined) continue;
    const res = obj(obj(c)?.resources);
    const cs = statuses.get(name);
    containers.push({
      name,
      ready: bool(cs?.ready) ?? false,
      restarts: num(cs?.restartCount) ?? 0,
      waiting: str(obj(obj(cs?.state)?.waiting)?.reason),
      lastTerminated: str(obj(obj(cs?.lastState)?.terminated)?.reason),
      requests: resources(res?.requests),
      limits: resources(res?.limits),
    });
  }
  const readyCondition = arr(status?.conditions)
    .map(obj)
    .find((c) => c?.type === 'Ready');
  return {
    namespace: m.namespace,
    name: m.name,
    node: str(spec?.nodeName) ?? '',
    phase: str(status?.phase) ?? 'Unknown',
    ready: conditionStatus(readyCondition?.status),
    qos: str(status?.qosClass) ?? qosOf(containers),
    owners: m.owners,
    containers,
  };
}

/** The QoS class as the API server computes it, for servers that leave status.qosClass empty. */
export function qosOf(containers: readonly ContainerState[]): string {
  const any = (f: (c: ContainerState) => boolean) => containers.some(f);
  if (
    !any(
      (c) =>
        c.requests.cpu !== undefined ||
        c.requests.memory !== undefined ||
        c.limits.cpu !== undefined ||
        c.limits.memory !== undefined,
    )
  )
    return 'BestEffort';
  const guaranteed = containers.every(
    (c) =>
      c.limits.cpu !== undefined &&
      c.limits.memory !== undefined &&
      (c.requests.cpu ?? c.limits.cpu) === c.limits.cpu &&
      (c.requests.memory ?? c.limits.memory) === c.limits.memory,
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Whether requests are set and equal limits for both CPU and memory (the platform's rule). */
export function requestsEqualLimits(c: ContainerState): boolean {
  const { requests: r, limits: l } = c;
  return r.cpu !== undefined && r.memory !== undefined && r.cpu === l.cpu && r.memory === l.memory;
}

/** Resolves an owner (ReplicaSet name) to its own controller, when one is known. */
export type OwnerOf = (namespace: string, kind: string, name: string) => Owner | undefined;

/** The workload a pod belongs to in the end: its controller, through a ReplicaSet's owner. */
export function workloadOf(p: PodState, ownerOf: OwnerOf): { kind: string; name: string } {
  const controller = p.owners.find((o) => o.controller) ?? p.owners[0];
  if (controller === undefined) return { kind: 'Pod', name: p.name };
  if (controller.kind === 'ReplicaSet') {
    const up = ownerOf(p.namespace, controller.kind, controller.name);
    if (up !== undefined) return { kind: up.kind, name: up.name };
  }
  return { kind: controller.kind, name: controller.name };
}

/** Every series of a pod, its workload resolved through `ownerOf`. */
export function emitPod(sink: MetricSink, p: PodState, ownerOf: OwnerOf): void {
  emitPodObject(sink, p);
  emitPodWorkload(sink, p, ownerOf);
}

/** The workload a pod belongs to (it depends on its ReplicaSet: written at each scrape). */
export function emitPodWorkload(sink: MetricSink, p: PodState, ownerOf: OwnerOf): void {
  const w = workloadOf(p, ownerOf);
  addInfo(sink, podFamilies.workload, {
    namespace: p.namespace,
    pod: p.name,
    workload_kind: w.kind,
    workload: w.name,
  });
}

/** The series that depend on the pod alone (rendered once each time the pod changes). */
export function emitPodObject(sink: MetricSink, p: PodState): void {
  const f = podFamilies;
  const pod = { namespace: p.namespace, pod: p.name };
  addInfo(sink, f.info, { ...pod, node: p.node });
  addStateSet(sink, f.phase, pod, p.phase);
  addStateSet(sink, f.ready, pod, p.ready);
  addStateSet(sink, f.qos, pod, p.qos);
  for (const o of p.owners) {
    sink.add(
      f.owner,
      { ...pod, owner_kind: o.kind, owner_name: o.name, owner_is_controller: String(o.controller) },
      1,
    );
  }
  for (const c of p.containers) {
    const labels = { ...pod, container: c.name };
    sink.add(f.containerReady, labels, c.ready ? 1 : 0);
    sink.add(f.restarts, labels, c.restarts);
    if (c.waiting !== undefined) sink.add(f.waiting, { ...labels, reason: c.waiting }, 1);
    if (c.lastTerminated !== undefined) {
      sink.add(f.lastTerminated, { ...labels, reason: c.lastTerminated }, 1);
    }
    const node = p.node;
    for (const [fam, r] of [
      [f.requests, c.requests],
      [f.limits, c.limits],
    ] as const) {
      if (r.cpu !== undefined)
        sink.add(fam, { ...labels, node, resource: 'cpu', unit: 'core' }, r.cpu);
      if (r.memory !== undefined) {
        sink.add(fam, { ...labels, node, resource: 'memory', unit: 'byte' }, r.memory);
      }
    }
    sink.add(f.requestsEqualLimits, labels, requestsEqualLimits(c) ? 1 : 0);
  }
}
