/**
 * The second seed's platform in miniature on a real control plane (test/harness/kubernetes.ts):
 * nodes k8snode01..k8snode14, namespace `product` with the Deployments of the seed's
 * `kubectl get deployment -n product` listing (names and sizes from test/fixtures/, 107 pods), a
 * Service for each, and the `calico-node` DaemonSet in kube-system; every pod made Running and
 * Ready as a kubelet would report it. And the kubectl view of it that patrol's metrics must equal.
 */
import { readFileSync } from 'node:fs';
import type { ControlPlane } from './kubernetes.ts';

export interface SeedDeployment {
  readonly name: string;
  readonly replicas: number;
}

export const SEED_DEPLOYMENTS: readonly SeedDeployment[] = readFileSync(
  new URL('../fixtures/seed-deployments.tsv', import.meta.url),
  'utf8',
)
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [name = '', replicas = ''] = line.split('\t');
    return { name, replicas: Number(replicas) };
  });

export const SEED_NODES = Array.from(
  { length: 14 },
  (_, i) => `k8snode${String(i + 1).padStart(2, '0')}`,
);

/** A Deployment of the platform: requests equal limits (the ops rule), label app=<name>. */
export function deployment(name: string, replicas: number, extra: object = {}): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'product', labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, tier: 'seed' } },
        spec: {
          containers: [
            {
              name: 'app',
              image: `harbor.example/iuap/${name}:1.3.0`,
              resources: {
                requests: { cpu: '100m', memory: '64Mi' },
                limits: { cpu: '100m', memory: '64Mi' },
              },
            },
          ],
        },
      },
      ...extra,
    },
  };
}

/**
 * The status a kubelet reports for the platform's one container `app` of `pod` (of Deployment
 * `app`) crash looping: not ready, waiting in CrashLoopBackOff, `restarts` restarts, last ended
 * with Error.
 */
export async function crashLoop(
  cp: ControlPlane,
  app: string,
  pod: string,
  restarts: number,
): Promise<void> {
  await cp.patchStatus(
    'pod',
    pod,
    {
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [
        {
          name: 'app',
          image: `harbor.example/iuap/${app}:1.3.0`,
          imageID: '',
          ready: false,
          restartCount: restarts,
          started: false,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { reason: 'Error', exitCode: 1 } },
        },
      ],
    },
    'product',
  );
}

export function service(name: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'product' },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 30501, targetPort: 8080 }] },
  };
}

export const CALICO = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'calico-node', namespace: 'kube-system', labels: { 'k8s-app': 'calico-node' } },
  spec: {
    selector: { matchLabels: { 'k8s-app': 'calico-node' } },
    template: {
      metadata: { labels: { 'k8s-app': 'calico-node' } },
      spec: {
        tolerations: [{ operator: 'Exists' }],
        containers: [{ name: 'calico-node', image: 'calico/node:v3.1.3' }],
      },
    },
  },
};

interface List<T> {
  items: T[];
}
interface DeploymentObj {
  metadata: { name: string };
  spec: { replicas?: number };
  status?: { availableReplicas?: number; replicas?: number; updatedReplicas?: number };
}
interface DaemonSetObj {
  status?: { desiredNumberScheduled?: number; numberReady?: number };
}
interface PodObj {
  spec: { nodeName?: string };
}

/** Builds the platform and waits until it is what the seed's listing shows: all green. */
export async function createSeedPlatform(cp: ControlPlane): Promise<void> {
  for (const node of SEED_NODES) await cp.createNode(node);
  await cp.kubectl(['create', 'namespace', 'product']);
  await cp.apply([
    ...SEED_DEPLOYMENTS.map((d) => deployment(d.name, d.replicas)),
    ...SEED_DEPLOYMENTS.map((d) => service(d.name)),
    CALICO,
  ]);
  const pods = SEED_DEPLOYMENTS.reduce((n, d) => n + d.replicas, 0);
  await cp.waitFor(
    `${pods} pods of the platform and ${SEED_NODES.length} of calico-node, all bound to a node`,
    async () => {
      const [p, c] = await Promise.all([
        cp.kubectlJson<List<PodObj>>(['-n', 'product', 'get', 'pods', '-l', 'tier=seed']),
        cp.kubectlJson<List<PodObj>>([
          '-n',
          'kube-system',
          'get',
          'pods',
          '-l',
          'k8s-app=calico-node',
        ]),
      ]);
      const bound = [...p.items, ...c.items].filter((x) => x.spec.nodeName !== undefined).length;
      return bound === pods + SEED_NODES.length || undefined;
    },
    180_000,
  );
  await cp.markPodsRunning('product', 'tier=seed');
  await cp.markPodsRunning('kube-system', 'k8s-app=calico-node');
  await cp.waitFor(
    'every Deployment available and calico-node ready on every node',
    async () => {
      const [d, ds] = await Promise.all([
        cp.kubectlJson<List<DeploymentObj>>(['-n', 'product', 'get', 'deployments']),
        cp.kubectlJson<DaemonSetObj>(['-n', 'kube-system', 'get', 'daemonset', 'calico-node']),
      ]);
      const green = d.items.every(
        (x) => (x.status?.availableReplicas ?? 0) === (x.spec.replicas ?? 1),
      );
      return (green && ds.status?.numberReady === SEED_NODES.length) || undefined;
    },
    180_000,
  );
}
