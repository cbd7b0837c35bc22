/**
 * The kubernetes collector on the seed's platform in miniature (test/harness/kube-platform.ts)
 * on a real control plane: patrol's /metrics says what `kubectl get` says, column by column
 * (test/harness/kube-view.ts reads kubectl's JSON on its own), first with everything green,
 * then with one thing broken at a time, as the morning walk would find it.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { onlyCollectors } from '../../harness/config.ts';
import { startExporter, type Exporter } from '../../harness/exporter.ts';
import {
  createSeedPlatform,
  deployment,
  SEED_DEPLOYMENTS,
  service,
  crashLoop,
} from '../../harness/kube-platform.ts';
import { differences, kubectlView, patrolView } from '../../harness/kube-view.ts';
import { findSamples, sampleValue } from '../../harness/metrics.ts';
import { startControlPlane, type ControlPlane } from '../../harness/kubernetes.ts';
import { suiteScope } from '../../harness/process.ts';
import { tempDir } from '../../harness/tmp.ts';
import { notYet, waitFor } from '../../harness/wait.ts';

const NAMESPACES = ['product', 'kube-system'];

describe('the kubernetes collector on the seed platform', { timeout: 600_000 }, () => {
  let cp: ControlPlane;
  let exp: Exporter;

  /** Waits until patrol and kubectl agree; the differences last seen on timeout. */
  const agree = (what: string) =>
    waitFor(
      `patrol to agree with kubectl (${what})`,
      async () => {
        const [k, p] = await Promise.all([kubectlView(cp, NAMESPACES), exp.scrape()]);
        const diff = differences(k, patrolView(p, NAMESPACES));
        return diff.length === 0 ? k : notYet(diff.slice(0, 20).join('; '));
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );

  const scope = suiteScope();
  after(() => scope.close());

  before(async () => {
    const t = scope;
    cp = await startControlPlane(t);
    await createSeedPlatform(cp);
    const dir = await tempDir(t);
    const configFile = join(dir, 'patrol.yml');
    await writeFile(
      configFile,
      stringify(
        onlyCollectors({
          kubernetes: { kubeconfig: cp.kubeconfig, watch_timeout: '30s', request_timeout: '5s' },
        }),
      ),
    );
    exp = await startExporter(t, { configFile, startTimeoutMs: 60_000 });
  });

  it('equals kubectl on the green platform: 14 nodes, 41 Deployments, 107 pods, calico-node', async () => {
    const k = await agree('green');
    assert.equal(
      [...k.keys()].filter((key) => key.endsWith(' DESIRED') && key.startsWith('deployment'))
        .length,
      SEED_DEPLOYMENTS.length,
    );
    const text = await exp.scrape();
    assert.equal(
      findSamples(text, 'patrol_kube_node_status_condition', {
        condition: 'Ready',
        status: 'true',
      }).filter((s) => s.value === 1).length,
      14,
    );
    assert.equal(
      findSamples(text, 'patrol_kube_pod_status_ready', {
        namespace: 'product',
        condition: 'true',
      }).filter((s) => s.value === 1).length,
      SEED_DEPLOYMENTS.reduce((n, d) => n + d.replicas, 0),
    );
    assert.equal(
      sampleValue(text, 'patrol_kube_daemonset_status_number_ready', { daemonset: 'calico-node' }),
      14,
    );
    assert.equal(sampleValue(text, 'patrol_collector_ready', { collector: 'kubernetes' }), 1);
    for (const r of ['nodes', 'pods', 'deployments', 'daemonsets', 'services', 'endpoints']) {
      assert.equal(sampleValue(text, 'patrol_kube_resource_synced', { resource: r }), 1, r);
    }
  });

  it('sees a node go NotReady', async () => {
    await cp.setNodeReady('k8snode03', 'False');
    await agree('k8snode03 NotReady');
    const text = await exp.scrape();
    assert.equal(
      sampleValue(text, 'patrol_kube_node_status_condition', {
        node: 'k8snode03',
        condition: 'Ready',
        status: 'false',
      }),
      1,
    );
    await cp.setNodeReady('k8snode03', 'True');
    await agree('k8snode03 Ready again');
  });

  it('sees a container whose restarts grow while it waits in CrashLoopBackOff', async () => {
    const [pod] = await cp.markPodsRunning('product', 'app=oltp-gateway-1-3-0');
    assert.ok(pod !== undefined);
    for (const restarts of [1, 2, 3]) {
      await crashLoop(cp, 'oltp-gateway-1-3-0', pod, restarts);
      await agree(`${pod} restarted ${restarts} times`);
    }
    const text = await exp.scrape();
    const c = { namespace: 'product', pod, container: 'app' };
    assert.equal(sampleValue(text, 'patrol_kube_pod_container_status_restarts_total', c), 3);
    assert.equal(
      sampleValue(text, 'patrol_kube_pod_container_status_waiting_reason', {
        ...c,
        reason: 'CrashLoopBackOff',
      }),
      1,
    );
    assert.equal(
      sampleValue(text, 'patrol_kube_pod_container_status_last_terminated_reason', {
        ...c,
        reason: 'Error',
      }),
      1,
    );
    assert.equal(
      sampleValue(text, 'patrol_kube_pod_status_ready', {
        namespace: 'product',
        pod,
        condition: 'false',
      }),
      1,
    );
  });

  it('sees a Deployment with unavailable replicas (scaled up, new pods never start)', async () => {
    await cp.kubectl(['-n', 'product', 'scale', 'deployment', 'wcs-webui-1-3-0', '--replicas=3']);
    const k = await agree('wcs-webui scaled to 3');
    assert.equal(k.get('deployment product/wcs-webui-1-3-0 DESIRED'), 3);
    assert.equal(k.get('deployment product/wcs-webui-1-3-0 AVAILABLE'), 1);
    const text = await exp.scrape();
    assert.equal(
      sampleValue(text, 'patrol_kube_deployment_status_replicas_unavailable', {
        deployment: 'wcs-webui-1-3-0',
      }),
      2,
    );
  });

  it('sees a rollout past its progress deadline', async () => {
    await cp.apply(deployment('ncc-rollout', 2, { progressDeadlineSeconds: 5 }));
    await cp.waitFor(
      'ncc-rollout pods',
      async () =>
        (await cp.markPodsRunning('product', 'app=ncc-rollout')).length === 2 || undefined,
      60_000,
    );
    // A new revision whose pods never become ready: the controller gives up after 5 s.
    await cp.kubectl([
      '-n',
      'product',
      'set',
      'image',
      'deployment/ncc-rollout',
      'app=harbor.example/iuap/ncc-rollout:1.4.0',
    ]);
    assert.equal(
      await waitFor(
        'the deadline to pass',
        async () => {
          const view = await kubectlView(cp, ['product']);
          const c = view.get('deployment product/ncc-rollout condition Progressing');
          return c === 'False ProgressDeadlineExceeded' ? c : notYet(String(c));
        },
        { timeoutMs: 60_000 },
      ),
      'False ProgressDeadlineExceeded',
    );
    await agree('ncc-rollout past its deadline');
    const text = await exp.scrape();
    assert.equal(
      sampleValue(text, 'patrol_kube_deployment_status_condition', {
        deployment: 'ncc-rollout',
        condition: 'Progressing',
        status: 'false',
        reason: 'ProgressDeadlineExceeded',
      }),
      1,
    );
  });

  it('sees a Service whose pods are all unready', async () => {
    const pods = await cp.markPodsRunning('product', 'app=wcs-gamegw-1-3-0', { ready: false });
    assert.equal(pods.length, 2);
    const k = await agree('wcs-gamegw unready');
    assert.equal(k.get('service product/wcs-gamegw-1-3-0 ENDPOINTS ready'), 0);
    const text = await exp.scrape();
    assert.equal(
      sampleValue(text, 'patrol_kube_endpoint_address_available', { endpoint: 'wcs-gamegw-1-3-0' }),
      0,
    );
    assert.equal(
      sampleValue(text, 'patrol_kube_endpoint_address_not_ready', { endpoint: 'wcs-gamegw-1-3-0' }),
      2,
    );
  });

  it('sees a pod whose requests differ from its limits (the ops rule)', async () => {
    const d = deployment('ncc-burstable', 1) as {
      spec: { template: { spec: { containers: { resources: unknown }[] } } };
    };
    const c = d.spec.template.spec.containers[0];
    assert.ok(c !== undefined);
    c.resources = {
      requests: { cpu: '100m', memory: '64Mi' },
      limits: { cpu: '1', memory: '256Mi' },
    };
    await cp.apply(d);
    await cp.apply(service('ncc-burstable'));
    const pod = await cp.waitFor(
      'its pod',
      async () => (await cp.markPodsRunning('product', 'app=ncc-burstable'))[0],
      60_000,
    );
    await agree('ncc-burstable');
    const text = await exp.scrape();
    assert.equal(
      sampleValue(text, 'patrol_kube_pod_container_requests_equal_limits', {
        pod,
        container: 'app',
      }),
      0,
    );
    assert.equal(
      sampleValue(text, 'patrol_kube_pod_status_qos_class', { pod, qos_class: 'Burstable' }),
      1,
    );
    const green = findSamples(text, 'patrol_kube_pod_container_requests_equal_limits', {
      namespace: 'product',
    });
    assert.equal(
      green.filter((s) => s.value === 1).length,
      green.length - 1,
      'every other pod follows the rule',
    );
  });

  it('drops the series of a deleted Deployment and its pods', async () => {
    await cp.kubectl(['-n', 'product', 'delete', 'deployment', 'ihs-conclude-1-3-0']);
    await agree('ihs-conclude deleted');
    const text = await exp.scrape();
    assert.deepEqual(
      findSamples(text, 'patrol_kube_deployment_spec_replicas', {
        deployment: 'ihs-conclude-1-3-0',
      }),
      [],
    );
    assert.deepEqual(
      findSamples(text, 'patrol_kube_pod_workload_info', { workload: 'ihs-conclude-1-3-0' }),
      [],
    );
  });
});
