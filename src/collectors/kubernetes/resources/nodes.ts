/**
 * Nodes (checklist C3): `kubectl get node`'s STATUS (Ready, and the pressure conditions) and
 * SchedulingDisabled, with the versions it shows. kube-state-metrics' kube_node_* shapes.
 */
import { addInfo, family, info, type MetricSink } from '../../../core/metrics.ts';
import { arr, bool, conditionStatus, meta, obj, str } from '../json.ts';

export interface NodeState {
  readonly name: string;
  readonly conditions: readonly {
    readonly type: string;
    readonly status: 'true' | 'false' | 'unknown';
  }[];
  readonly unschedulable: boolean;
  readonly kubeletVersion: string;
  readonly kubeProxyVersion: string;
  readonly kernelVersion: string;
  readonly osImage: string;
  readonly containerRuntimeVersion: string;
}

export const nodeFamilies = {
  condition: family({
    name: 'patrol_kube_node_status_condition',
    help: "The node's conditions as its kubelet reports them (Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable): one series per condition and status (true, false, unknown), 1 for the current one. Ready unknown: the kubelet stopped reporting.",
    type: 'gauge',
    labels: ['node', 'condition', 'status'],
  }),
  unschedulable: family({
    name: 'patrol_kube_node_spec_unschedulable',
    help: 'Whether the node is cordoned (1: SchedulingDisabled, no new pods) or not (0).',
    type: 'gauge',
    labels: ['node'],
  }),
  info: info({
    name: 'patrol_kube_node_info',
    help: 'Always 1: the versions the node reports (kubectl get node -o wide).',
    labels: [
      'node',
      'kubelet_version',
      'kubeproxy_version',
      'kernel_version',
      'os_image',
      'container_runtime_version',
    ],
  }),
} as const;

export function transformNode(raw: unknown): NodeState | undefined {
  const m = meta(raw);
  const o = obj(raw);
  if (m === undefined || o === undefined) return undefined;
  const status = obj(o.status);
  const ni = obj(status?.nodeInfo);
  return {
    name: m.name,
    conditions: arr(status?.conditions).flatMap((c) => {
      const type = str(obj(c)?.type);
      return type === undefined ? [] : [{ type, status: conditionStatus(obj(c)?.status) }];
    }),
    unschedulable: bool(obj(o.spec)?.unschedulable) ?? false,
    kubeletVersion: str(ni?.kubeletVersion) ?? '',
    kubeProxyVersion: str(ni?.kubeProxyVersion) ?? '',
    kernelVersion: str(ni?.kernelVersion) ?? '',
    osImage: str(ni?.osImage) ?? '',
    containerRuntimeVersion: str(ni?.containerRuntimeVersion) ?? '',
  };
}

export function emitNode(sink: MetricSink, n: NodeState): void {
  const f = nodeFamilies;
  const node = n.name;
  // A node that has never reported Ready (just registered, or no kubelet) is Ready unknown.
  const list = n.conditions.some((c) => c.type === 'Ready')
    ? n.conditions
    : [...n.conditions, { type: 'Ready', status: 'unknown' as const }];
  for (const c of list) {
    for (const status of ['true', 'false', 'unknown'] as const) {
      sink.add(f.condition, { node, condition: c.type, status }, c.status === status ? 1 : 0);
    }
  }
  sink.add(f.unschedulable, { node }, n.unschedulable ? 1 : 0);
  addInfo(sink, f.info, {
    node,
    kubelet_version: n.kubeletVersion,
    kubeproxy_version: n.kubeProxyVersion,
    kernel_version: n.kernelVersion,
    os_image: n.osImage,
    container_runtime_version: n.containerRuntimeVersion,
  });
}
