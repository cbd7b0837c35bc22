/**
 * A large cluster made directly in a real API server, without its controllers (which would take
 * ten minutes to create 10,000 pods at their default request rates): Deployments, their
 * ReplicaSets and their pods as the controllers would have written them, bound to nodes, with
 * statuses set through the status subresource as kubelets would. Requests go out 32 at a time.
 */
import { randomBytes } from 'node:crypto';
import { mapLimit } from '../../src/core/concurrency.ts';
import type { ControlPlane } from '../../test/harness/kubernetes.ts';

export interface ClusterShape {
  readonly nodes: number;
  readonly deployments: number;
  readonly podsPerDeployment: number;
}

async function ok(
  cp: ControlPlane,
  method: string,
  path: string,
  body?: unknown,
  type?: string,
): Promise<unknown> {
  const res = await cp.request(method, path, {
    body,
    ...(type === undefined ? {} : { contentType: type }),
  });
  if (res.status < 200 || res.status > 299)
    throw new Error(`${method} ${path}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
  return JSON.parse(res.text) as unknown;
}

const NS = 'product';
const podName = (d: number, i: number, gen = 0) =>
  `svc-${String(d).padStart(4, '0')}-5d4f8b7c9-${gen === 0 ? '' : `${gen}-`}${String(i).padStart(2, '0')}`;
const nodeName = (n: number) => `node-${String(n).padStart(3, '0')}`;

/** A pod as the ReplicaSet controller creates it, bound to a node. */
export function podObject(d: number, name: string, node: string, rsUid: string): object {
  const dep = `svc-${String(d).padStart(4, '0')}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: NS,
      labels: { app: dep, 'pod-template-hash': '5d4f8b7c9' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `${dep}-5d4f8b7c9`,
          uid: rsUid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      nodeName: node,
      containers: [
        {
          name: 'app',
          image: `harbor.example/iuap/${dep}:1.3.0`,
          resources: {
            requests: { cpu: '250m', memory: '512Mi' },
            limits: { cpu: '250m', memory: '512Mi' },
          },
        },
      ],
    },
  };
}

/** The status a kubelet reports for a running, ready pod. */
export function runningStatus(index: number, image: string, restarts = 0): object {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const ip = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
  return {
    status: {
      phase: 'Running',
      podIP: ip,
      hostIP: '10.0.0.1',
      startTime: now,
      qosClass: 'Guaranteed',
      conditions: [
        { type: 'Initialized', status: 'True', lastTransitionTime: now },
        { type: 'Ready', status: 'True', lastTransitionTime: now },
        { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
      ],
      containerStatuses: [
        {
          name: 'app',
          image,
          imageID: `docker-pullable://${image}@sha256:${'0'.repeat(64)}`,
          containerID: `containerd://${randomBytes(32).toString('hex')}`,
          ready: true,
          started: true,
          restartCount: restarts,
          state: { running: { startedAt: now } },
        },
      ],
    },
  };
}

export interface Built {
  /** Every pod's name, by deployment index. */
  readonly pods: string[][];
  readonly rsUids: string[];
}

/** Creates the cluster; says how long each part took. */
export async function buildCluster(
  cp: ControlPlane,
  shape: ClusterShape,
  log: (line: string) => void,
): Promise<Built> {
  const t0 = performance.now();
  const since = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  await mapLimit(
    Array.from({ length: shape.nodes }, (_, i) => i),
    8,
    (n) => cp.createNode(nodeName(n)),
  );
  await ok(cp, 'POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: NS },
  });
  log(`${shape.nodes} nodes after ${since()}`);
  const deps = Array.from({ length: shape.deployments }, (_, d) => d);
  const rsUids: string[] = [];
  await mapLimit(deps, 32, async (d) => {
    const name = `svc-${String(d).padStart(4, '0')}`;
    const template = podObject(d, 'x', 'x', 'x') as {
      spec: unknown;
      metadata: { labels: unknown };
    };
    const dep = (await ok(cp, 'POST', `/apis/apps/v1/namespaces/${NS}/deployments`, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: NS },
      spec: {
        replicas: shape.podsPerDeployment,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: template.spec },
      },
    })) as { metadata: { uid: string; generation: number } };
    const rs = (await ok(cp, 'POST', `/apis/apps/v1/namespaces/${NS}/replicasets`, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${name}-5d4f8b7c9`,
        namespace: NS,
        labels: { app: name, 'pod-template-hash': '5d4f8b7c9' },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name,
            uid: dep.metadata.uid,
            controller: true,
          },
        ],
      },
      spec: {
        replicas: shape.podsPerDeployment,
        selector: { matchLabels: { app: name, 'pod-template-hash': '5d4f8b7c9' } },
        template: {
          metadata: { labels: { app: name, 'pod-template-hash': '5d4f8b7c9' } },
          spec: template.spec,
        },
      },
    })) as { metadata: { uid: string } };
    rsUids[d] = rs.metadata.uid;
    const n = shape.podsPerDeployment;
    await ok(
      cp,
      'PATCH',
      `/apis/apps/v1/namespaces/${NS}/deployments/${name}/status`,
      {
        status: {
          observedGeneration: dep.metadata.generation,
          replicas: n,
          updatedReplicas: n,
          readyReplicas: n,
          availableReplicas: n,
          conditions: [
            { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
            { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
          ],
        },
      },
      'application/merge-patch+json',
    );
  });
  log(`${shape.deployments} Deployments and ReplicaSets after ${since()}`);
  const pods: string[][] = deps.map(() => []);
  const all = deps.flatMap((d) =>
    Array.from({ length: shape.podsPerDeployment }, (_, i) => ({ d, i })),
  );
  await mapLimit(all, 32, async ({ d, i }) => {
    const name = podName(d, i);
    const index = d * shape.podsPerDeployment + i;
    await ok(
      cp,
      'POST',
      `/api/v1/namespaces/${NS}/pods`,
      podObject(d, name, nodeName(index % shape.nodes), rsUids[d] ?? ''),
    );
    (pods[d] as string[])[i] = name;
  });
  log(`${all.length} pods after ${since()}`);
  await mapLimit(all, 32, async ({ d, i }) => {
    const index = d * shape.podsPerDeployment + i;
    await ok(
      cp,
      'PATCH',
      `/api/v1/namespaces/${NS}/pods/${podName(d, i)}/status`,
      runningStatus(index, `harbor.example/iuap/svc-${String(d).padStart(4, '0')}:1.3.0`),
      'application/merge-patch+json',
    );
  });
  log(`${all.length} pod statuses Running and Ready after ${since()}`);
  return { pods, rsUids };
}

/**
 * Churn: every second `rate` pods are deleted and created again under a new name (what a
 * ReplicaSet does when pods die), Running once created. Until `signal` aborts.
 */
export async function churn(
  cp: ControlPlane,
  built: Built,
  shape: ClusterShape,
  rate: number,
  signal: AbortSignal,
): Promise<number> {
  let done = 0;
  let gen = 1;
  while (!signal.aborted) {
    const t = performance.now();
    const picks = Array.from({ length: rate }, () => {
      const d = Math.floor(Math.random() * shape.deployments);
      const i = Math.floor(Math.random() * shape.podsPerDeployment);
      return { d, i };
    });
    await mapLimit(picks, 8, async ({ d, i }) => {
      const list = built.pods[d] as string[];
      const old = list[i] as string;
      const name = podName(d, i, gen++);
      list[i] = name;
      await cp.request('DELETE', `/api/v1/namespaces/${NS}/pods/${old}?gracePeriodSeconds=0`);
      const index = d * shape.podsPerDeployment + i;
      await ok(
        cp,
        'POST',
        `/api/v1/namespaces/${NS}/pods`,
        podObject(d, name, nodeName(index % shape.nodes), built.rsUids[d] ?? ''),
      );
      await ok(
        cp,
        'PATCH',
        `/api/v1/namespaces/${NS}/pods/${name}/status`,
        runningStatus(index, `harbor.example/iuap/svc-${String(d).padStart(4, '0')}:1.3.0`),
        'application/merge-patch+json',
      );
      done++;
    });
    const left = 1000 - (performance.now() - t);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
  }
  return done;
}
