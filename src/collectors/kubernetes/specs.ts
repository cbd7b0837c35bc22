/** The resources the collector reads: where each is served, and how an object becomes state. */
import { TextSink, type Family, type MetricSink } from '../../core/metrics.ts';
import type { ResourceSpec } from './reflector.ts';
import { emitNode, transformNode } from './resources/nodes.ts';
import { emitPodObject, transformPod } from './resources/pods.ts';
import {
  transformEndpoints,
  transformEndpointSlice,
  transformService,
} from './resources/services.ts';
import {
  emitDaemonSet,
  emitDeployment,
  emitStatefulSet,
  transformDaemonSet,
  transformDeployment,
  transformReplicaSet,
  transformStatefulSet,
} from './resources/workloads.ts';

/** An object's series, rendered when it arrived (kube-state-metrics keeps them so too). */
export interface Rendered {
  readonly lines: readonly (readonly [Family, Buffer])[];
}

/**
 * Only `v1` and `apps/v1`, which every version from 1.9 serves; EndpointSlices from
 * `discovery.k8s.io/v1` where discovery finds them (1.21+), v1 Endpoints otherwise.
 */
export const SPECS = {
  nodes: spec('nodes', '', false, rendered(transformNode, emitNode)),
  pods: spec('pods', '', true, rendered(transformPod, emitPodObject)),
  deployments: spec('deployments', 'apps', true, rendered(transformDeployment, emitDeployment)),
  statefulsets: spec('statefulsets', 'apps', true, rendered(transformStatefulSet, emitStatefulSet)),
  daemonsets: spec('daemonsets', 'apps', true, rendered(transformDaemonSet, emitDaemonSet)),
  replicasets: spec('replicasets', 'apps', true, transformReplicaSet),
  services: spec('services', '', true, transformService),
  endpoints: spec('endpoints', '', true, transformEndpoints),
  endpointslices: spec('endpointslices', 'discovery.k8s.io', true, transformEndpointSlice),
} as const;

export type ResourceName = keyof typeof SPECS;

function spec<S>(
  resource: string,
  group: string,
  namespaced: boolean,
  transform: (raw: unknown) => S | undefined,
): ResourceSpec<S> {
  return { resource, group, version: 'v1', namespaced, transform };
}

/**
 * A transform whose state also carries the object's rendered series: a scrape of 10,000 pods
 * then concatenates strings instead of formatting 300,000 samples.
 */
function rendered<S>(
  transform: (raw: unknown) => S | undefined,
  emit: (sink: MetricSink, s: S) => void,
): (raw: unknown) => (S & Rendered) | undefined {
  return (raw) => {
    const s = transform(raw);
    if (s === undefined) return undefined;
    const sink = new TextSink();
    emit(sink, s);
    return { ...s, lines: sink.lines() };
  };
}
