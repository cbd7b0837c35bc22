/**
 * Deployments, StatefulSets and DaemonSets (checklist C4, C11, C13): `kubectl get deployment`'s
 * DESIRED / CURRENT / UP-TO-DATE / AVAILABLE, rollouts stuck past their progress deadline,
 * calico-node scheduled on every node; and ReplicaSets, only to find a pod's Deployment. The
 * families mirror kube-state-metrics' kube_deployment_*, kube_statefulset_*, kube_daemonset_*.
 */
import { family, type Family, type MetricSink } from '../../../core/metrics.ts';
import { arr, bool, conditionStatus, meta, num, obj, str, type Json, type Owner } from '../json.ts';

/** A count as the API reports it: an absent status field is 0 (the API omits zeroes). */
const count = (v: unknown): number => num(v) ?? 0;

interface Condition {
  readonly type: string;
  readonly status: 'true' | 'false' | 'unknown';
  readonly reason: string;
}

function conditions(status: Json | undefined): Condition[] {
  return arr(status?.conditions).flatMap((c) => {
    const type = str(obj(c)?.type);
    if (type === undefined) return [];
    return [{ type, status: conditionStatus(obj(c)?.status), reason: str(obj(c)?.reason) ?? '' }];
  });
}

function gauge<const L extends string>(name: string, help: string, labels: readonly L[]) {
  return family({ name, help, type: 'gauge', labels });
}

// --- Deployments -------------------------------------------------------------------------------

export interface DeploymentState {
  readonly namespace: string;
  readonly name: string;
  /** DESIRED. */
  readonly specReplicas: number;
  /** CURRENT (pods of every revision). */
  readonly replicas: number;
  /** UP-TO-DATE. */
  readonly updated: number;
  /** AVAILABLE. */
  readonly available: number;
  readonly unavailable: number;
  readonly ready: number;
  readonly generation: number;
  readonly observedGeneration: number;
  readonly paused: boolean;
  readonly conditions: readonly Condition[];
}

const D = ['namespace', 'deployment'] as const;

export const deploymentFamilies = {
  specReplicas: gauge(
    'patrol_kube_deployment_spec_replicas',
    "Replicas the Deployment asks for (kubectl's DESIRED).",
    D,
  ),
  replicas: gauge(
    'patrol_kube_deployment_status_replicas',
    "Pods of the Deployment, every revision (kubectl's CURRENT).",
    D,
  ),
  updated: gauge(
    'patrol_kube_deployment_status_replicas_updated',
    "Pods of the Deployment's newest revision (kubectl's UP-TO-DATE).",
    D,
  ),
  available: gauge(
    'patrol_kube_deployment_status_replicas_available',
    "Pods of the Deployment ready for at least minReadySeconds (kubectl's AVAILABLE).",
    D,
  ),
  unavailable: gauge(
    'patrol_kube_deployment_status_replicas_unavailable',
    'Pods the Deployment still needs to be available.',
    D,
  ),
  ready: gauge(
    'patrol_kube_deployment_status_replicas_ready',
    'Pods of the Deployment that are ready.',
    D,
  ),
  generation: gauge(
    'patrol_kube_deployment_metadata_generation',
    "The Deployment's spec generation (changes with every edit of its spec).",
    D,
  ),
  observedGeneration: gauge(
    'patrol_kube_deployment_status_observed_generation',
    'The spec generation the deployment controller has acted on; behind metadata_generation while a change is not picked up.',
    D,
  ),
  paused: gauge(
    'patrol_kube_deployment_spec_paused',
    'Whether the rollout of the Deployment is paused (1) or not (0).',
    D,
  ),
  condition: gauge(
    'patrol_kube_deployment_status_condition',
    'The Deployment\'s conditions (Available, Progressing, ReplicaFailure), 1 per condition for its current status and reason: a rollout past its progress deadline is condition="Progressing", status="false", reason="ProgressDeadlineExceeded".',
    [...D, 'condition', 'status', 'reason'],
  ),
} as const;

export function transformDeployment(raw: unknown): DeploymentState | undefined {
  const m = meta(raw);
  const o = obj(raw);
  if (m === undefined || o === undefined) return undefined;
  const spec = obj(o.spec);
  const status = obj(o.status);
  return {
    namespace: m.namespace,
    name: m.name,
    // The API defaults replicas to 1: an absent value is one pod, not none.
    specReplicas: num(spec?.replicas) ?? 1,
    replicas: count(status?.replicas),
    updated: count(status?.updatedReplicas),
    available: count(status?.availableReplicas),
    unavailable: count(status?.unavailableReplicas),
    ready: count(status?.readyReplicas),
    generation: m.generation ?? 0,
    observedGeneration: count(status?.observedGeneration),
    paused: bool(spec?.paused) ?? false,
    conditions: conditions(status),
  };
}

export function emitDeployment(sink: MetricSink, d: DeploymentState): void {
  const f = deploymentFamilies;
  const l = { namespace: d.namespace, deployment: d.name };
  sink.add(f.specReplicas, l, d.specReplicas);
  sink.add(f.replicas, l, d.replicas);
  sink.add(f.updated, l, d.updated);
  sink.add(f.available, l, d.available);
  sink.add(f.unavailable, l, d.unavailable);
  sink.add(f.ready, l, d.ready);
  sink.add(f.generation, l, d.generation);
  sink.add(f.observedGeneration, l, d.observedGeneration);
  sink.add(f.paused, l, d.paused ? 1 : 0);
  emitConditions(sink, f.condition, l, d.conditions);
}

/** One series per condition and possible status, 1 for the current one (with its reason). */
function emitConditions<L extends string>(
  sink: MetricSink,
  fam: Family<L | 'condition' | 'status' | 'reason'>,
  labels: Readonly<Record<L, string>>,
  list: readonly Condition[],
): void {
  for (const c of list) {
    for (const status of ['true', 'false', 'unknown'] as const) {
      const all = { ...labels, condition: c.type, status, reason: c.reason } as Record<
        L | 'condition' | 'status' | 'reason',
        string
      >;
      sink.add(fam, all, c.status === status ? 1 : 0);
    }
  }
}

// --- StatefulSets ------------------------------------------------------------------------------

export interface StatefulSetState {
  readonly namespace: string;
  readonly name: string;
  readonly specReplicas: number;
  readonly replicas: number;
  readonly ready: number;
  readonly current: number;
  readonly updated: number;
  readonly generation: number;
  readonly observedGeneration: number;
}

const S = ['namespace', 'statefulset'] as const;

export const statefulSetFamilies = {
  specReplicas: gauge('patrol_kube_statefulset_replicas', 'Replicas the StatefulSet asks for.', S),
  replicas: gauge(
    'patrol_kube_statefulset_status_replicas',
    'Pods the StatefulSet controller created.',
    S,
  ),
  ready: gauge(
    'patrol_kube_statefulset_status_replicas_ready',
    'Pods of the StatefulSet that are ready.',
    S,
  ),
  current: gauge(
    'patrol_kube_statefulset_status_replicas_current',
    'Pods of the StatefulSet at its current revision.',
    S,
  ),
  updated: gauge(
    'patrol_kube_statefulset_status_replicas_updated',
    'Pods of the StatefulSet at its update revision.',
    S,
  ),
  generation: gauge(
    'patrol_kube_statefulset_metadata_generation',
    "The StatefulSet's spec generation.",
    S,
  ),
  observedGeneration: gauge(
    'patrol_kube_statefulset_status_observed_generation',
    'The spec generation the StatefulSet controller has acted on.',
    S,
  ),
} as const;

export function transformStatefulSet(raw: unknown): StatefulSetState | undefined {
  const m = meta(raw);
  const o = obj(raw);
  if (m === undefined || o === undefined) return undefined;
  const spec = obj(o.spec);
  const status = obj(o.status);
  return {
    namespace: m.namespace,
    name: m.name,
    specReplicas: num(spec?.replicas) ?? 1,
    replicas: count(status?.replicas),
    ready: count(status?.readyReplicas),
    current: count(status?.currentReplicas),
    updated: count(status?.updatedReplicas),
    generation: m.generation ?? 0,
    observedGeneration: count(status?.observedGeneration),
  };
}

export function emitStatefulSet(sink: MetricSink, s: StatefulSetState): void {
  const f = statefulSetFamilies;
  const l = { namespace: s.namespace, statefulset: s.name };
  sink.add(f.specReplicas, l, s.specReplicas);
  sink.add(f.replicas, l, s.replicas);
  sink.add(f.ready, l, s.ready);
  sink.add(f.current, l, s.current);
  sink.add(f.updated, l, s.updated);
  sink.add(f.generation, l, s.generation);
  sink.add(f.observedGeneration, l, s.observedGeneration);
}

// --- DaemonSets --------------------------------------------------------------------------------

export interface DaemonSetState {
  readonly namespace: string;
  readonly name: string;
  readonly desired: number;
  readonly current: number;
  readonly ready: number;
  readonly available: number;
  readonly unavailable: number;
  readonly updated: number;
  readonly misscheduled: number;
  readonly generation: number;
  readonly observedGeneration: number;
}

const DS = ['namespace', 'daemonset'] as const;

export const daemonSetFamilies = {
  desired: gauge(
    'patrol_kube_daemonset_status_desired_number_scheduled',
    'Nodes that should run a pod of the DaemonSet.',
    DS,
  ),
  current: gauge(
    'patrol_kube_daemonset_status_current_number_scheduled',
    'Nodes running at least one pod of the DaemonSet that should.',
    DS,
  ),
  ready: gauge(
    'patrol_kube_daemonset_status_number_ready',
    'Nodes whose pod of the DaemonSet is ready.',
    DS,
  ),
  available: gauge(
    'patrol_kube_daemonset_status_number_available',
    'Nodes whose pod of the DaemonSet has been ready for at least minReadySeconds.',
    DS,
  ),
  unavailable: gauge(
    'patrol_kube_daemonset_status_number_unavailable',
    'Nodes that should run an available pod of the DaemonSet and do not.',
    DS,
  ),
  updated: gauge(
    'patrol_kube_daemonset_status_updated_number_scheduled',
    "Nodes running the DaemonSet's newest pod template.",
    DS,
  ),
  misscheduled: gauge(
    'patrol_kube_daemonset_status_number_misscheduled',
    'Nodes running a pod of the DaemonSet that should not.',
    DS,
  ),
  generation: gauge(
    'patrol_kube_daemonset_metadata_generation',
    "The DaemonSet's spec generation.",
    DS,
  ),
  observedGeneration: gauge(
    'patrol_kube_daemonset_status_observed_generation',
    'The spec generation the DaemonSet controller has acted on.',
    DS,
  ),
} as const;

export function transformDaemonSet(raw: unknown): DaemonSetState | undefined {
  const m = meta(raw);
  const o = obj(raw);
  if (m === undefined || o === undefined) return undefined;
  const status = obj(o.status);
  return {
    namespace: m.namespace,
    name: m.name,
    desired: count(status?.desiredNumberScheduled),
    current: count(status?.currentNumberScheduled),
    ready: count(status?.numberReady),
    available: count(status?.numberAvailable),
    unavailable: count(status?.numberUnavailable),
    updated: count(status?.updatedNumberScheduled),
    misscheduled: count(status?.numberMisscheduled),
    generation: m.generation ?? 0,
    observedGeneration: count(status?.observedGeneration),
  };
}

export function emitDaemonSet(sink: MetricSink, d: DaemonSetState): void {
  const f = daemonSetFamilies;
  const l = { namespace: d.namespace, daemonset: d.name };
  sink.add(f.desired, l, d.desired);
  sink.add(f.current, l, d.current);
  sink.add(f.ready, l, d.ready);
  sink.add(f.available, l, d.available);
  sink.add(f.unavailable, l, d.unavailable);
  sink.add(f.updated, l, d.updated);
  sink.add(f.misscheduled, l, d.misscheduled);
  sink.add(f.generation, l, d.generation);
  sink.add(f.observedGeneration, l, d.observedGeneration);
}

// --- ReplicaSets -------------------------------------------------------------------------------

/** Only what resolves a pod's owner: the ReplicaSet's own controller (its Deployment). */
export interface ReplicaSetState {
  readonly namespace: string;
  readonly name: string;
  readonly controller: Owner | undefined;
}

export function transformReplicaSet(raw: unknown): ReplicaSetState | undefined {
  const m = meta(raw);
  if (m === undefined) return undefined;
  return {
    namespace: m.namespace,
    name: m.name,
    controller: m.owners.find((o) => o.controller) ?? m.owners[0],
  };
}
