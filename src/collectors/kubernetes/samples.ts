/** Every series of the cluster's objects, from the reflectors' stores. */
import type { MetricSink } from '../../core/metrics.ts';
import type { NodeState } from './resources/nodes.ts';
import { emitPodWorkload, type OwnerOf, type PodState } from './resources/pods.ts';
import { emitServices, type AddressCounts, type ServiceState } from './resources/services.ts';
import type {
  DaemonSetState,
  DeploymentState,
  ReplicaSetState,
  StatefulSetState,
} from './resources/workloads.ts';
import type { Rendered } from './specs.ts';

export interface Stores {
  readonly nodes: readonly (NodeState & Rendered)[];
  readonly pods: readonly (PodState & Rendered)[];
  readonly deployments: readonly (DeploymentState & Rendered)[];
  readonly statefulsets: readonly (StatefulSetState & Rendered)[];
  readonly daemonsets: readonly (DaemonSetState & Rendered)[];
  readonly replicasets: readonly ReplicaSetState[];
  readonly services: readonly ServiceState[];
  readonly endpoints: readonly AddressCounts[];
}

function addRendered(sink: MetricSink, objects: readonly Rendered[]): void {
  for (const o of objects) for (const [fam, text] of o.lines) sink.addText(fam, text);
}

export function emitObjects(sink: MetricSink, s: Stores): void {
  addRendered(sink, s.nodes);
  addRendered(sink, s.pods);
  // What depends on another object (a pod's Deployment, a Service's endpoints) is written now.
  const replicaSets = new Map(s.replicasets.map((r) => [`${r.namespace}/${r.name}`, r]));
  const ownerOf: OwnerOf = (namespace, kind, name) =>
    kind === 'ReplicaSet' ? replicaSets.get(`${namespace}/${name}`)?.controller : undefined;
  for (const p of s.pods) emitPodWorkload(sink, p, ownerOf);
  addRendered(sink, s.deployments);
  addRendered(sink, s.statefulsets);
  addRendered(sink, s.daemonsets);
  emitServices(sink, s.services, s.endpoints);
}
