/**
 * The kubernetes collector when the API server misbehaves, on a real control plane: restarted
 * (watches resume, nothing lost), its etcd compacted under a watch (410 Gone: listed again,
 * counted), RBAC forbidding one resource (only that one missing, and said), a token revoked
 * (401 said, recovers when it is back), frozen with SIGSTOP (noticed; /metrics answers with the
 * last state, marked stale).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse, stringify } from 'yaml';
import { onlyCollectors } from '../../harness/config.ts';
import { startExporter, type Exporter } from '../../harness/exporter.ts';
import { deployment, service } from '../../harness/kube-platform.ts';
import { differences, kubectlView, patrolView } from '../../harness/kube-view.ts';
import { findSamples, sampleValue } from '../../harness/metrics.ts';
import { startControlPlane, type ControlPlane } from '../../harness/kubernetes.ts';
import { suiteScope, type Scope } from '../../harness/process.ts';
import { tempDir } from '../../harness/tmp.ts';
import { notYet, waitFor } from '../../harness/wait.ts';

const NAMESPACES = ['product'];

/** The ClusterRole the README documents for the collector. */
function readmeRole(): object {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const block = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => m[1] ?? '')
    .find((b) => b.includes('kind: ClusterRole'));
  assert.ok(block !== undefined, 'the README shows the role');
  return parse(block) as object;
}
/** Short timeouts, so each fault shows within seconds (production: 5m and 30s). */
const TIMEOUTS = { watch_timeout: '10s', request_timeout: '3s' };

describe('the kubernetes collector when the API server misbehaves', { timeout: 600_000 }, () => {
  const scope = suiteScope();
  after(() => scope.close());
  let cp: ControlPlane;
  let exp: Exporter;
  let dir: string;

  const startPatrol = async (s: Scope, kubeconfig: string, name: string) => {
    const configFile = join(dir, `${name}.yml`);
    await writeFile(
      configFile,
      stringify(onlyCollectors({ kubernetes: { kubeconfig, ...TIMEOUTS } })),
    );
    return startExporter(s, { configFile, startTimeoutMs: 60_000 });
  };

  const agree = (what: string, e = exp) =>
    waitFor(
      `patrol to agree with kubectl (${what})`,
      async () => {
        const [k, p] = await Promise.all([kubectlView(cp, NAMESPACES), e.scrape()]);
        const diff = differences(k, patrolView(p, NAMESPACES));
        return diff.length === 0 || notYet(diff.slice(0, 20).join('; '));
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );

  const value = async (name: string, labels: Record<string, string> = {}, e = exp) =>
    sampleValue(await e.scrape(), name, labels);

  const until = (
    what: string,
    name: string,
    labels: Record<string, string>,
    want: number,
    e = exp,
  ) =>
    waitFor(
      what,
      async () => {
        const v = await value(name, labels, e);
        return v === want || notYet(`${name}${JSON.stringify(labels)} = ${String(v)}`);
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );

  before(async () => {
    cp = await startControlPlane(scope);
    dir = await tempDir(scope);
    for (const node of ['k8snode01', 'k8snode02', 'k8snode03']) await cp.createNode(node);
    await cp.kubectl(['create', 'namespace', 'product']);
    await cp.apply([
      deployment('bis-rtqgw-1-3-0', 3),
      deployment('oltp-gateway-1-3-0', 2),
      service('bis-rtqgw-1-3-0'),
      service('oltp-gateway-1-3-0'),
    ]);
    await cp.waitFor(
      '5 pods',
      async () => (await cp.markPodsRunning('product', 'tier=seed')).length === 5 || undefined,
      90_000,
    );
    exp = await startPatrol(scope, cp.kubeconfig, 'admin');
    await agree('start');
  });

  it('resumes its watches after the API server restarts, and misses nothing done meanwhile', async () => {
    const relists = async () =>
      findSamples(await exp.scrape(), 'patrol_kube_relists_total').reduce((n, s) => n + s.value, 0);
    const before = await relists();
    await cp.restartApiServer();
    // Changed at once, before patrol's watches are back (they wait for their backoff).
    await cp.kubectl([
      '-n',
      'product',
      'scale',
      'deployment',
      'oltp-gateway-1-3-0',
      '--replicas=3',
    ]);
    await cp.waitFor(
      'the third pod',
      async () =>
        (await cp.markPodsRunning('product', 'app=oltp-gateway-1-3-0')).length === 3 || undefined,
      60_000,
    );
    await agree('after the restart');
    const text = await exp.scrape();
    assert.equal(
      sampleValue(text, 'patrol_kube_deployment_status_replicas_available', {
        deployment: 'oltp-gateway-1-3-0',
      }),
      3,
    );
    const restarts = findSamples(text, 'patrol_kube_watch_restarts_total', {
      reason: 'error',
    }).reduce((n, s) => n + s.value, 0);
    assert.ok(restarts > 0, 'the watches were cut and started again');
    // A restarted server starts its watch cache at the current version; a watch resuming from an
    // older one may be answered 410 and list again, counted as expired. Either way, once each.
    const after = await relists();
    assert.ok(after - before <= 9, `relists ${before} -> ${after}`);
  });

  it('lists again on 410 Gone when the version it resumes from is compacted away, and counts it', async () => {
    const expired = async () =>
      findSamples(await exp.scrape(), 'patrol_kube_relists_total', {
        resource: 'pods',
        reason: 'expired',
      })[0]?.value ?? 0;
    const before = await expired();
    // patrol misses changes (frozen, its watches cut by a restart), and the server forgets the
    // history it would resume from: etcd compacted, and the watch cache, which starts at the
    // current version when the server starts, restarted again. Then patrol comes back and
    // resumes from the version it last saw, which is gone.
    const pid = exp.proc.child.pid ?? 0;
    process.kill(pid, 'SIGSTOP');
    try {
      await cp.restartApiServer();
      for (let i = 1; i <= 5; i++) {
        await cp.markPodsRunning('product', 'app=bis-rtqgw-1-3-0', { restartCount: i });
      }
      await cp.compactEtcd();
      await cp.restartApiServer();
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitFor(
      'a relist for an expired version',
      async () => {
        const v = await expired();
        return v > before || notYet(`expired relists ${v}`);
      },
      { timeoutMs: 90_000 },
    );
    await agree('after the relist');
    const text = await exp.scrape();
    const restarts = findSamples(text, 'patrol_kube_pod_container_status_restarts_total', {
      namespace: 'product',
    }).filter((s) => s.labels.pod?.startsWith('bis-rtqgw') === true);
    assert.equal(restarts.length, 3);
    for (const s of restarts) assert.equal(s.value, 5, s.labels.pod);
  });

  it('reports a resource RBAC forbids and keeps reading the others', async (t) => {
    await cp.apply([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'patrol-without-services' },
        rules: [
          { apiGroups: [''], resources: ['nodes', 'pods', 'endpoints'], verbs: ['list', 'watch'] },
          {
            apiGroups: ['apps'],
            resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'],
            verbs: ['list', 'watch'],
          },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'patrol-without-services' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'patrol-without-services',
        },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'patrol-limited' }],
      },
    ]);
    const token = await cp.addUser('patrol-limited');
    await agree('after the restart for the new user');
    const limited = await startPatrol(
      t,
      await cp.writeKubeconfig('patrol-limited', token),
      'limited',
    );
    await until(
      'services forbidden',
      'patrol_kube_resource_available',
      { resource: 'services' },
      0,
      limited,
    );
    const text = await limited.scrape();
    assert.equal(
      sampleValue(text, 'patrol_kube_resource_state', { resource: 'services', state: 'forbidden' }),
      1,
    );
    assert.equal(sampleValue(text, 'patrol_kube_resource_available', { resource: 'pods' }), 1);
    assert.equal(sampleValue(text, 'patrol_kube_resource_synced', { resource: 'deployments' }), 1);
    assert.equal(sampleValue(text, 'patrol_kube_api_up'), 1);
    assert.ok(
      (sampleValue(text, 'patrol_kube_api_failures_total', {
        resource: 'services',
        reason: 'forbidden',
      }) ?? 0) >= 1,
    );
    assert.deepEqual(findSamples(text, 'patrol_kube_service_info'), [], 'no services read');
    assert.equal(
      findSamples(text, 'patrol_kube_deployment_spec_replicas', { namespace: 'product' }).length,
      2,
      'the other resources are read',
    );
    assert.match(limited.proc.stderr, /RBAC forbids patrol to list services/);
    assert.equal(
      limited.proc.stderr.split('RBAC forbids patrol to list services').length - 1,
      1,
      'said once',
    );
  });

  it("reads everything, with nothing forbidden, as a user bound to exactly the README's role", async (t) => {
    const role = readmeRole();
    await cp.apply([
      role,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'patrol-readme' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'patrol' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'patrol-readme' }],
      },
    ]);
    const token = await cp.addUser('patrol-readme');
    const p = await startPatrol(t, await cp.writeKubeconfig('patrol-readme', token), 'readme');
    await agree('as the README role', p);
    const text = await p.scrape();
    const forbidden = findSamples(text, 'patrol_kube_api_failures_total', {
      reason: 'forbidden',
    }).filter((x) => x.value > 0);
    assert.deepEqual(forbidden, []);
    for (const s of findSamples(text, 'patrol_kube_resource_available'))
      assert.equal(s.value, 1, s.labels.resource);
    // And nothing more than needed: the role grants list and watch only, on these resources.
    const rules = (role as { rules: { verbs: string[]; resources: string[] }[] }).rules;
    assert.deepEqual([...new Set(rules.flatMap((r) => r.verbs))].sort(), ['list', 'watch']);
    assert.deepEqual(rules.flatMap((r) => r.resources).sort(), [
      'daemonsets',
      'deployments',
      'endpoints',
      'endpointslices',
      'nodes',
      'pods',
      'replicasets',
      'services',
      'statefulsets',
    ]);
  });

  it('reports a revoked token as 401 and recovers when it is back', async (t) => {
    const token = await cp.addUser('patrol-viewer', ['system:masters']);
    const viewer = await startPatrol(t, await cp.writeKubeconfig('patrol-viewer', token), 'viewer');
    await until('viewer reads', 'patrol_kube_api_up', {}, 1, viewer);
    await cp.removeUser('patrol-viewer');
    await until('the 401 noticed', 'patrol_kube_api_up', {}, 0, viewer);
    // The API server restarts to drop the token: the first failures may be refusals while it
    // does; the 401 follows once it answers.
    await waitFor(
      'a 401 counted',
      async () => {
        const labels = { resource: 'version', reason: 'unauthorized' };
        const n = await value('patrol_kube_api_failures_total', labels, viewer);
        return (n ?? 0) >= 1 || notYet(`unauthorized failures ${String(n)}`);
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    assert.match(viewer.proc.stderr, /msg="the Kubernetes API does not answer patrol".*HTTP 401/);
    await cp.addUser('patrol-viewer', ['system:masters'], token);
    await until('back', 'patrol_kube_api_up', {}, 1, viewer);
    await agree('with the token back', viewer);
    for (const r of ['pods', 'deployments', 'services']) {
      await until(`${r} synced`, 'patrol_kube_resource_synced', { resource: r }, 1, viewer);
    }
  });

  it('notices an API server frozen with SIGSTOP and keeps answering with the last state, marked stale', async () => {
    await agree('before the freeze');
    cp.freezeApiServer();
    try {
      const t0 = performance.now();
      await until('the freeze noticed', 'patrol_kube_api_up', {}, 0);
      const noticed = (performance.now() - t0) / 1000;
      const text = await exp.scrape();
      for (const r of ['pods', 'deployments', 'nodes']) {
        assert.equal(sampleValue(text, 'patrol_kube_resource_synced', { resource: r }), 0, r);
      }
      // The last state known, still exported.
      assert.equal(
        sampleValue(text, 'patrol_kube_deployment_spec_replicas', {
          deployment: 'bis-rtqgw-1-3-0',
        }),
        3,
      );
      assert.equal(sampleValue(text, 'patrol_collector_success', { collector: 'kubernetes' }), 1);
      // check interval (request_timeout 3 s) + its deadline (3 s) + a scrape
      assert.ok(noticed < 12, `noticed after ${noticed.toFixed(1)} s`);
      await sleep(100);
    } finally {
      cp.thawApiServer();
    }
    await until('up again', 'patrol_kube_api_up', {}, 1);
    await cp.kubectl(['-n', 'product', 'scale', 'deployment', 'bis-rtqgw-1-3-0', '--replicas=2']);
    await agree('after the thaw');
    for (const r of ['pods', 'deployments', 'nodes']) {
      await until(`${r} synced again`, 'patrol_kube_resource_synced', { resource: r }, 1);
    }
  });
});
