/**
 * What a kubelet would report, for a control plane that has none: Nodes (conditions, addresses,
 * capacity, nodeInfo, and the taints the node lifecycle controller keeps in step with Ready) and
 * Running pods, written through the status subresource.
 */
import { mapLimit } from '../../../src/core/concurrency.ts';
import { createHash } from 'node:crypto';
import { release } from 'node:os';
import type { ConditionStatus, ControlPlane } from './index.ts';
import { hex } from './pki.ts';
import { KUBERNETES_VERSION } from './processes.ts';

interface Obj {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}
interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}
interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}
interface NodeObj extends Obj {
  spec?: { unschedulable?: boolean; taints?: Taint[] };
  status?: { conditions?: NodeCondition[]; addresses?: { type: string; address: string }[] };
}
interface Container {
  name: string;
  image: string;
}
interface PodObj extends Obj {
  spec: { nodeName?: string; containers: Container[]; initContainers?: Container[] };
  status?: { podIP?: string; startTime?: string };
}

/** The conditions a kubelet posts, with Ready as given (all Unknown when the kubelet is gone). */
function nodeConditions(ready: ConditionStatus, before: readonly NodeCondition[] = []) {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const unknown = ready === 'Unknown';
  const cond = (type: string, status: string, reason: string, message: string) => {
    const prev = before.find((c) => c.type === type);
    return {
      type,
      status,
      reason,
      message,
      lastHeartbeatTime: unknown ? (prev?.lastHeartbeatTime ?? now) : now,
      lastTransitionTime: prev?.status === status ? (prev.lastTransitionTime ?? now) : now,
    };
  };
  const pressure = (type: string, okReason: string, okMessage: string) =>
    unknown
      ? cond(type, 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.')
      : cond(type, 'False', okReason, okMessage);
  return [
    pressure(
      'MemoryPressure',
      'KubeletHasSufficientMemory',
      'kubelet has sufficient memory available',
    ),
    pressure('DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    pressure('PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    ready === 'True'
      ? cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
      : ready === 'False'
        ? cond('Ready', 'False', 'KubeletNotReady', 'container runtime network not ready')
        : cond('Ready', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'),
  ];
}

const LIFECYCLE_TAINTS = [
  'node.kubernetes.io/not-ready',
  'node.kubernetes.io/unreachable',
  'node.kubernetes.io/unschedulable',
];

/** The node's taints with the lifecycle ones as the node lifecycle controller would set them. */
function lifecycleTaints(
  current: readonly Taint[],
  ready: ConditionStatus,
  unschedulable: boolean,
): Taint[] {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const keep = current.filter((t) => !LIFECYCLE_TAINTS.includes(t.key));
  const want: string[] = [];
  if (ready === 'False') want.push('node.kubernetes.io/not-ready');
  if (ready === 'Unknown') want.push('node.kubernetes.io/unreachable');
  if (unschedulable) want.push('node.kubernetes.io/unschedulable');
  return [
    ...keep,
    ...want.map(
      (key) =>
        current.find((t) => t.key === key && t.effect === 'NoSchedule') ?? {
          key,
          effect: 'NoSchedule',
          timeAdded: now,
        },
    ),
  ];
}

/**
 * ControlPlane's createNode(), setNodeReady(), patchStatus() and markPodsRunning(), through
 * `api` and `kubectl`. Node IPs (10.0.1.x) and pod IPs (10.244.x.y) are handed out in turn.
 */
export function objectHelpers(
  api: ControlPlane['api'],
  kubectl: ControlPlane['kubectl'],
): {
  createNode: ControlPlane['createNode'];
  setNodeReady: ControlPlane['setNodeReady'];
  patchStatus: ControlPlane['patchStatus'];
  markPodsRunning: ControlPlane['markPodsRunning'];
} {
  let nextNodeIp = 1;
  let nextPodIp = 1;
  const podIp = () => {
    for (;;) {
      const n = nextPodIp++;
      if ((n & 255) !== 0 && (n & 255) !== 255) return `10.244.${(n >> 8) & 255}.${n & 255}`;
    }
  };

  const setTaints = async (name: string, ready: ConditionStatus) => {
    const node = await api<NodeObj>('GET', `/api/v1/nodes/${name}`);
    const taints = lifecycleTaints(
      node.spec?.taints ?? [],
      ready,
      node.spec?.unschedulable === true,
    );
    await api('PATCH', `/api/v1/nodes/${name}`, {
      spec: { taints: taints.length === 0 ? null : taints },
    });
  };

  return {
    async createNode(name, o = {}) {
      const ready = o.ready ?? 'True';
      const ip = `10.0.1.${nextNodeIp++}`;
      await api('POST', '/api/v1/nodes', {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name,
          labels: {
            'kubernetes.io/hostname': name,
            'kubernetes.io/os': 'linux',
            'kubernetes.io/arch': 'amd64',
            'beta.kubernetes.io/os': 'linux',
            'beta.kubernetes.io/arch': 'amd64',
            ...o.labels,
          },
        },
        spec: o.unschedulable === true ? { unschedulable: true } : {},
      });
      const capacity = {
        cpu: '4',
        memory: '8Gi',
        pods: '110',
        'ephemeral-storage': '50Gi',
        'hugepages-2Mi': '0',
        ...o.capacity,
      };
      const id = createHash('sha256').update(name).digest('hex');
      await api('PATCH', `/api/v1/nodes/${name}/status`, {
        status: {
          conditions: nodeConditions(ready),
          addresses: [
            { type: 'InternalIP', address: ip },
            { type: 'Hostname', address: name },
          ],
          capacity,
          allocatable: capacity,
          daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
          nodeInfo: {
            machineID: id.slice(0, 32),
            systemUUID: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`,
            bootID: `${id.slice(32, 40)}-${id.slice(40, 44)}-${id.slice(44, 48)}-${id.slice(48, 52)}-${id.slice(52, 64)}`,
            kernelVersion: release(),
            osImage: 'Debian GNU/Linux 12 (bookworm)',
            containerRuntimeVersion: 'containerd://1.6.20',
            kubeletVersion: KUBERNETES_VERSION,
            kubeProxyVersion: KUBERNETES_VERSION,
            operatingSystem: 'linux',
            architecture: 'amd64',
            ...o.nodeInfo,
          },
        },
      });
      await setTaints(name, ready);
    },

    async setNodeReady(name, ready) {
      const node = await api<NodeObj>('GET', `/api/v1/nodes/${name}`);
      await api('PATCH', `/api/v1/nodes/${name}/status`, {
        status: { conditions: nodeConditions(ready, node.status?.conditions) },
      });
      await setTaints(name, ready);
    },

    async patchStatus(kind, name, status, namespace) {
      await kubectl([
        'patch',
        kind,
        name,
        ...(namespace === undefined ? [] : ['-n', namespace]),
        '--subresource=status',
        '--type=merge',
        '-p',
        JSON.stringify({ status }),
      ]);
    },

    async markPodsRunning(namespace, selector, o = {}) {
      const ready = o.ready ?? true;
      const restartCount = o.restartCount ?? 0;
      const [pods, nodes] = await Promise.all([
        api<{ items: PodObj[] }>(
          'GET',
          `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(selector)}`,
        ),
        api<{ items: NodeObj[] }>('GET', '/api/v1/nodes'),
      ]);
      const hostIps = new Map(
        nodes.items.map((n) => [
          n.metadata.name,
          n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address,
        ]),
      );
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const started = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
      const flag = ready ? 'True' : 'False';
      return mapLimit(pods.items, 8, async (pod) => {
        const ip = pod.status?.podIP ?? podIp();
        const hostIP = pod.spec.nodeName === undefined ? undefined : hostIps.get(pod.spec.nodeName);
        const image = (c: Container) => ({
          image: c.image,
          imageID: `docker-pullable://${c.image.replace(/:[^/:]*$/, '')}@sha256:${createHash('sha256').update(c.image).digest('hex')}`,
          containerID: `containerd://${hex(32)}`,
        });
        const status = {
          phase: 'Running',
          ...(hostIP === undefined ? {} : { hostIP }),
          podIP: ip,
          podIPs: [{ ip }],
          startTime: pod.status?.startTime ?? started,
          conditions: [
            {
              type: 'Initialized',
              status: 'True',
              lastProbeTime: null,
              lastTransitionTime: started,
            },
            { type: 'Ready', status: flag, lastProbeTime: null, lastTransitionTime: now },
            { type: 'ContainersReady', status: flag, lastProbeTime: null, lastTransitionTime: now },
            {
              type: 'PodScheduled',
              status: 'True',
              lastProbeTime: null,
              lastTransitionTime: started,
            },
          ],
          ...(pod.spec.initContainers === undefined
            ? {}
            : {
                initContainerStatuses: pod.spec.initContainers.map((c) => ({
                  name: c.name,
                  ...image(c),
                  ready: true,
                  restartCount: 0,
                  state: {
                    terminated: {
                      exitCode: 0,
                      reason: 'Completed',
                      startedAt: started,
                      finishedAt: started,
                    },
                  },
                  lastState: {},
                })),
              }),
          containerStatuses: pod.spec.containers.map((c) => ({
            name: c.name,
            ...image(c),
            ready,
            started: true,
            restartCount,
            state: { running: { startedAt: now } },
            lastState:
              restartCount > 0
                ? {
                    terminated: {
                      exitCode: 1,
                      reason: 'Error',
                      startedAt: started,
                      finishedAt: now,
                    },
                  }
                : {},
          })),
        };
        await api('PATCH', `/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}/status`, {
          status,
        });
        return pod.metadata.name;
      });
    },
  };
}
