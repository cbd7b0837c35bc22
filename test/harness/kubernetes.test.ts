/**
 * The Kubernetes harness starts a real control plane whose controllers do their work: a
 * Deployment gets its ReplicaSet and pods, the scheduler binds them to fake nodes, pods marked
 * Running/Ready make the Deployment available and fill its Service's Endpoints. The faults tests
 * need work too: restart, a token without RBAC (403) and removed (401), a frozen API server,
 * an etcd compaction.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { request } from './http.ts';
import { startControlPlane } from './kubernetes.ts';
import { notYet } from './wait.ts';

interface Meta {
  name: string;
  ownerReferences?: { kind: string; name: string }[];
}
interface List<T> {
  items: T[];
}
interface Pod {
  metadata: Meta;
  spec: { nodeName?: string };
  status: { phase?: string; podIP?: string };
}
interface Endpoints {
  subsets?: { addresses?: { ip: string }[]; notReadyAddresses?: { ip: string }[] }[];
}

test('a real Kubernetes control plane', { timeout: 240_000 }, async (t) => {
  const cp = await startControlPlane(t);
  t.diagnostic(`kube-apiserver /readyz ${cp.timings.readyMs} ms after its launch`);
  assert.match(cp.server, /^https:\/\/127\.0\.0\.1:\d+$/);
  const version = await cp.api<{ gitVersion: string }>('GET', '/version');
  assert.equal(version.gitVersion, 'v1.20.2');

  await t.test('controllers and scheduler run a Deployment on fake nodes', async () => {
    await cp.createNode('node-1');
    await cp.createNode('node-2', { labels: { 'node-role.kubernetes.io/worker': '' } });
    await cp.kubectl(['create', 'namespace', 'product']);
    await cp.apply([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'product' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'registry.example/web:1.0' }] },
          },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'product' },
        spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
      },
    ]);

    const node = await cp.kubectlJson<{
      spec: { taints?: unknown[] };
      status: { nodeInfo: { kubeletVersion: string } };
    }>(['get', 'node', 'node-1']);
    assert.equal(node.spec.taints, undefined, 'a Ready node has no not-ready taint');
    assert.equal(node.status.nodeInfo.kubeletVersion, 'v1.20.2');

    const pods = await cp.waitFor(
      'the ReplicaSet and 2 pods bound to nodes',
      async () => {
        const rs = await cp.kubectlJson<List<{ metadata: Meta }>>(['get', 'rs', '-n', 'product']);
        const p = await cp.kubectlJson<List<Pod>>([
          'get',
          'pods',
          '-n',
          'product',
          '-l',
          'app=web',
        ]);
        const bound = p.items.filter((x) => x.spec.nodeName !== undefined);
        return rs.items.length === 1 && bound.length === 2
          ? bound
          : notYet(
              `${rs.items.length} ReplicaSets, pods: ${p.items.map((x) => `${x.metadata.name}@${x.spec.nodeName ?? '-'}`).join(' ')}`,
            );
      },
      60_000,
    );
    for (const p of pods) assert.match(p.spec.nodeName ?? '', /^node-[12]$/);

    const marked = await cp.markPodsRunning('product', 'app=web');
    assert.equal(marked.length, 2);
    await cp.waitFor(
      'Deployment web to have 2 available replicas',
      async () => {
        const d = await cp.kubectlJson<{ status: { availableReplicas?: number } }>([
          'get',
          'deployment',
          'web',
          '-n',
          'product',
        ]);
        return d.status.availableReplicas === 2 || notYet(JSON.stringify(d.status));
      },
      60_000,
    );
    const ips = await cp.waitFor(
      'Endpoints web to list 2 ready addresses',
      async () => {
        const e = await cp.kubectlJson<Endpoints>(['get', 'endpoints', 'web', '-n', 'product']);
        const ready = (e.subsets ?? []).flatMap((s) => s.addresses ?? []).map((a) => a.ip);
        return ready.length === 2 ? ready.sort() : notYet(JSON.stringify(e.subsets));
      },
      60_000,
    );
    const podIps = (await cp.kubectlJson<List<Pod>>(['get', 'pods', '-n', 'product'])).items
      .map((p) => p.status.podIP ?? '')
      .sort();
    assert.deepEqual(ips, podIps);

    const rss = await cp.rss();
    t.diagnostic(
      `RSS (MiB): ${Object.entries(rss)
        .map(([k, v]) => `${k} ${(v / 1024).toFixed(0)}`)
        .join(', ')}`,
    );
    assert.ok((rss['kube-apiserver'] ?? 0) > 0);
  });

  await t.test('the API server restarts', async () => {
    const before = cp.apiServerPid;
    await cp.restartApiServer();
    assert.notEqual(cp.apiServerPid, before);
    t.diagnostic(`restart: /readyz ${cp.timings.lastRestartReadyMs} ms after the launch`);
    const r = await cp.kubectl(['get', 'ns', '-o', 'name']);
    assert.match(r.stdout, /namespace\/product/);
  });

  await t.test('a user without RBAC bindings is forbidden; removed, unauthorized', async () => {
    const token = await cp.addUser('viewer', ['patrol:viewers']);
    const kubeconfig = await cp.writeKubeconfig('viewer', token);
    await assert.rejects(cp.kubectl(['get', 'pods', '-A'], { kubeconfig }), (err: Error) => {
      assert.match(err.message, /Forbidden/);
      assert.match(err.message, /"viewer"/);
      return true;
    });
    await cp.removeUser('viewer');
    const res = await cp.request('GET', '/api/v1/pods', { token });
    assert.equal(res.status, 401);
    const admin = await cp.request('GET', '/api/v1/pods');
    assert.equal(admin.status, 200);
  });

  await t.test('a frozen API server answers nothing until thawed', async () => {
    const readyz = () =>
      request(`${cp.server}/readyz`, {
        ca: cp.ca,
        headers: { authorization: `Bearer ${cp.adminToken}` },
        timeoutMs: 1_000,
      });
    cp.freezeApiServer();
    try {
      await assert.rejects(readyz(), /no response within 1000 ms/);
    } finally {
      cp.thawApiServer();
    }
    await cp.waitFor('/readyz after the thaw', async () => (await readyz()).status === 200);
  });

  await t.test('etcd compacts to its current revision', async () => {
    const rev = await cp.compactEtcd();
    assert.ok(rev > 0, `revision ${rev}`);
  });

  await cp.stop();
});
