/**
 * Each resource's transform and families on objects recorded from the real API server the
 * tests run (testdata/, `kubectl get ... -o json` of the objects test/harness/kubernetes.ts
 * made), except EndpointSlices, which that server does not serve (a stand-in, says its file).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SampleBuffer } from '../../../core/metrics.ts';
import { emitObjects } from '../samples.ts';
import { SPECS } from '../specs.ts';
import { emitNode, transformNode } from './nodes.ts';
import {
  emitPod,
  qosOf,
  requestsEqualLimits,
  transformPod,
  workloadOf,
  type PodState,
} from './pods.ts';
import {
  emitServices,
  transformEndpoints,
  transformEndpointSlice,
  transformService,
} from './services.ts';
import {
  emitDaemonSet,
  emitDeployment,
  transformDaemonSet,
  transformDeployment,
  transformReplicaSet,
  transformStatefulSet,
} from './workloads.ts';

const items = (file: string): unknown[] =>
  (
    JSON.parse(readFileSync(new URL(`../testdata/${file}`, import.meta.url), 'utf8')) as {
      items: unknown[];
    }
  ).items;

function defined<T>(list: readonly (T | undefined)[]): T[] {
  assert.ok(
    list.every((x) => x !== undefined),
    'every recorded object transforms',
  );
  return list.flatMap((x) => (x === undefined ? [] : [x]));
}

describe('pods', () => {
  const pods = defined(items('pods.json').map(transformPod));
  const crashing = pods.find((p) => p.containers.some((c) => c.waiting !== undefined));
  assert.ok(crashing !== undefined);

  it("keep READY, STATUS and RESTARTS as kubectl shows them, and each container's resources", () => {
    assert.equal(pods.length, 4);
    const app = crashing.containers.find((c) => c.name === 'app');
    assert.deepEqual(app, {
      name: 'app',
      ready: false,
      restarts: 5,
      waiting: 'CrashLoopBackOff',
      lastTerminated: 'Error',
      requests: { cpu: 0.5, memory: 1073741824 },
      limits: { cpu: 0.5, memory: 1073741824 },
    });
    assert.equal(crashing.ready, 'false');
    assert.equal(crashing.phase, 'Running');
    const pending = pods.find((p) => p.name === 'redis-0');
    assert.equal(pending?.phase, 'Pending');
    assert.equal(pending?.node, 'k8snode01', 'bound by the scheduler, not running yet');
    assert.equal(pending?.ready, 'unknown', 'no Ready condition yet');
  });

  it('tell the ops rule (requests equal limits for CPU and memory) per container', () => {
    const [app, sidecar] = crashing.containers;
    assert.ok(app !== undefined && sidecar !== undefined);
    assert.equal(requestsEqualLimits(app), true);
    assert.equal(requestsEqualLimits(sidecar), false, 'cpu 100m requested, 200m limit');
    assert.equal(crashing.qos, 'Burstable', 'as the server says');
    assert.equal(qosOf(crashing.containers), 'Burstable', 'as patrol computes for old servers');
    assert.equal(qosOf([app]), 'Guaranteed');
    assert.equal(qosOf([]), 'BestEffort');
  });

  it('resolve the Deployment owning a pod through its ReplicaSet', () => {
    const rs = defined(items('replicasets.json').map(transformReplicaSet));
    const ownerOf = (ns: string, kind: string, name: string) =>
      kind === 'ReplicaSet'
        ? rs.find((r) => r.namespace === ns && r.name === name)?.controller
        : undefined;
    assert.deepEqual(workloadOf(crashing, ownerOf), {
      kind: 'Deployment',
      name: 'bis-report-1-3-0',
    });
    assert.deepEqual(
      workloadOf(crashing, () => undefined),
      {
        kind: 'ReplicaSet',
        name: crashing.owners[0]?.name ?? '',
      },
    );
    const redis = pods.find((p) => p.name === 'redis-0') as PodState;
    assert.deepEqual(workloadOf(redis, ownerOf), { kind: 'StatefulSet', name: 'redis' });
    assert.deepEqual(workloadOf({ ...redis, owners: [] }, ownerOf), {
      kind: 'Pod',
      name: 'redis-0',
    });
  });

  it('write the families in kube-state-metrics shapes', () => {
    const sink = new SampleBuffer();
    emitPod(sink, crashing, () => undefined);
    const pod = { namespace: 'product', pod: crashing.name };
    assert.equal(sink.get('patrol_kube_pod_status_phase', { ...pod, phase: 'Running' }), 1);
    assert.equal(sink.get('patrol_kube_pod_status_phase', { ...pod, phase: 'Pending' }), 0);
    assert.equal(sink.get('patrol_kube_pod_status_ready', { ...pod, condition: 'false' }), 1);
    const app = { ...pod, container: 'app' };
    assert.equal(sink.get('patrol_kube_pod_container_status_restarts_total', app), 5);
    assert.equal(
      sink.get('patrol_kube_pod_container_status_waiting_reason', {
        ...app,
        reason: 'CrashLoopBackOff',
      }),
      1,
    );
    assert.equal(
      sink.get('patrol_kube_pod_container_status_last_terminated_reason', {
        ...app,
        reason: 'Error',
      }),
      1,
    );
    assert.equal(
      sink.get('patrol_kube_pod_container_resource_limits', {
        ...app,
        resource: 'memory',
        unit: 'byte',
      }),
      1073741824,
    );
    assert.equal(sink.get('patrol_kube_pod_container_requests_equal_limits', app), 1);
    assert.equal(
      sink.get('patrol_kube_pod_container_requests_equal_limits', { ...pod, container: 'sidecar' }),
      0,
    );
    assert.equal(
      sink.get('patrol_kube_pod_status_qos_class', { ...pod, qos_class: 'Burstable' }),
      1,
    );
  });

  it('skip garbage rather than make up values', () => {
    assert.equal(transformPod(null), undefined);
    assert.equal(transformPod({ metadata: {} }), undefined, 'no name');
    const bare = transformPod({ metadata: { name: 'x', namespace: 'y' } });
    assert.deepEqual(bare?.containers, []);
    assert.equal(bare?.phase, 'Unknown');
  });
});

describe('nodes', () => {
  const nodes = defined(items('nodes.json').map(transformNode));

  it('keep the Ready condition, the cordon and the versions', () => {
    const sink = new SampleBuffer();
    for (const n of nodes) emitNode(sink, n);
    const ready = (node: string, status: string) =>
      sink.get('patrol_kube_node_status_condition', { node, condition: 'Ready', status });
    assert.equal(ready('k8snode01', 'true'), 1);
    assert.equal(ready('k8snode02', 'true'), 0);
    assert.equal(ready('k8snode02', 'false'), 1);
    assert.equal(sink.get('patrol_kube_node_spec_unschedulable', { node: 'k8snode03' }), 1);
    assert.equal(sink.get('patrol_kube_node_spec_unschedulable', { node: 'k8snode01' }), 0);
    assert.equal(nodes[0]?.kubeletVersion, 'v1.20.2');
  });

  it('report a node that never said Ready as Ready unknown', () => {
    const n = transformNode({ metadata: { name: 'fresh' }, status: {} });
    assert.ok(n !== undefined);
    const sink = new SampleBuffer();
    emitNode(sink, n);
    assert.equal(
      sink.get('patrol_kube_node_status_condition', {
        node: 'fresh',
        condition: 'Ready',
        status: 'unknown',
      }),
      1,
    );
  });
});

describe('workloads', () => {
  it('keep DESIRED, CURRENT, UP-TO-DATE and AVAILABLE of a Deployment', () => {
    const [d] = defined(items('deployments.json').map(transformDeployment));
    assert.ok(d !== undefined);
    assert.equal(d.specReplicas, 3);
    assert.equal(d.replicas, 3);
    assert.equal(d.updated, 3);
    assert.equal(d.available, 2);
    assert.equal(d.unavailable, 1);
    const sink = new SampleBuffer();
    emitDeployment(sink, d);
    const l = { namespace: 'product', deployment: 'bis-report-1-3-0' };
    assert.equal(sink.get('patrol_kube_deployment_status_replicas_available', l), 2);
    assert.equal(
      sink.get('patrol_kube_deployment_status_condition', {
        ...l,
        condition: 'Available',
        status: 'false',
      }),
      1,
      'MinimumReplicasUnavailable? the server says whether 2 of 3 is available',
    );
  });

  it('default a Deployment without replicas to one, as the API does', () => {
    const d = transformDeployment({ metadata: { name: 'x', namespace: 'y' }, spec: {} });
    assert.equal(d?.specReplicas, 1);
    assert.equal(d?.available, 0);
  });

  it('keep a DaemonSet scheduled on every node (calico-node)', () => {
    const [ds] = defined(items('daemonsets.json').map(transformDaemonSet));
    assert.ok(ds !== undefined);
    assert.equal(ds.name, 'calico-node');
    const sink = new SampleBuffer();
    emitDaemonSet(sink, ds);
    const l = { namespace: 'kube-system', daemonset: 'calico-node' };
    assert.equal(sink.get('patrol_kube_daemonset_status_desired_number_scheduled', l), ds.desired);
    assert.ok(ds.desired >= 2);
  });

  it('keep a StatefulSet', () => {
    const [s] = defined(items('statefulsets.json').map(transformStatefulSet));
    assert.equal(s?.specReplicas, 2);
  });
});

describe('services and endpoints', () => {
  const services = defined(items('services.json').map(transformService));

  it('count ready and not-ready addresses of v1 Endpoints', () => {
    const [e] = defined(items('endpoints.json').map(transformEndpoints));
    assert.deepEqual(e, {
      namespace: 'product',
      name: 'bis-report-1-3-0',
      service: 'bis-report-1-3-0',
      ready: 2,
      notReady: 1,
    });
  });

  it('sum EndpointSlices per Service by their ready condition (absent: ready)', () => {
    const slices = items('endpointslices.json').map(transformEndpointSlice);
    assert.equal(slices[2], undefined, 'a slice of no Service');
    const sink = new SampleBuffer();
    emitServices(sink, services, defined(slices.slice(0, 2)));
    const l = { namespace: 'product', endpoint: 'bis-report-1-3-0' };
    assert.equal(sink.get('patrol_kube_endpoint_address_available', l), 3);
    assert.equal(sink.get('patrol_kube_endpoint_address_not_ready', l), 2);
  });

  it('give a Service without endpoints 0 ready addresses, never no series', () => {
    const sink = new SampleBuffer();
    emitServices(sink, services, []);
    assert.equal(
      sink.get('patrol_kube_endpoint_address_available', {
        namespace: 'product',
        endpoint: 'bis-report-1-3-0',
      }),
      0,
    );
    assert.equal(
      sink.get('patrol_kube_service_info', {
        namespace: 'product',
        service: 'bis-report-1-3-0',
        type: 'ClusterIP',
      }),
      1,
    );
  });
});

describe('all objects together', () => {
  it('write each family from the stores, rendered once per object and per scrape alike', () => {
    const stores = {
      nodes: defined(items('nodes.json').map(SPECS.nodes.transform)),
      pods: defined(items('pods.json').map(SPECS.pods.transform)),
      deployments: defined(items('deployments.json').map(SPECS.deployments.transform)),
      statefulsets: defined(items('statefulsets.json').map(SPECS.statefulsets.transform)),
      daemonsets: defined(items('daemonsets.json').map(SPECS.daemonsets.transform)),
      replicasets: defined(items('replicasets.json').map(SPECS.replicasets.transform)),
      services: defined(items('services.json').map(SPECS.services.transform)),
      endpoints: defined(items('endpoints.json').map(SPECS.endpoints.transform)),
    };
    const rendered = new SampleBuffer();
    emitObjects(rendered, stores);
    // The same objects written sample by sample give the same series.
    const direct = new SampleBuffer();
    const rs = new Map(stores.replicasets.map((r) => [`${r.namespace}/${r.name}`, r]));
    for (const n of stores.nodes) emitNode(direct, n);
    for (const p of stores.pods) {
      emitPod(direct, p, (ns, kind, name) =>
        kind === 'ReplicaSet' ? rs.get(`${ns}/${name}`)?.controller : undefined,
      );
    }
    for (const d of stores.deployments) emitDeployment(direct, d);
    for (const d of stores.daemonsets) emitDaemonSet(direct, d);
    const key = (b: SampleBuffer, name: string, labels: Record<string, string>) =>
      b.get(name, labels);
    for (const [fam, samples] of direct.families) {
      for (const s of samples) {
        assert.equal(
          key(rendered, fam.name, s.labels),
          s.value,
          `${fam.name}${JSON.stringify(s.labels)}`,
        );
      }
    }
    const workloads = [...rendered.texts]
      .find(([f]) => f.name === 'patrol_kube_pod_workload_info')?.[1]
      .join('')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => /workload_kind="(\w+)",workload="([^"]+)"/.exec(l)?.slice(1).join('/'))
      .sort();
    assert.deepEqual(workloads, [
      'Deployment/bis-report-1-3-0',
      'Deployment/bis-report-1-3-0',
      'Deployment/bis-report-1-3-0',
      'StatefulSet/redis',
    ]);
  });
});
