/**
 * The Kubernetes alerts and panels on real Prometheus and Alertmanager, from the kubernetes
 * collector on a real control plane (test/harness/kubernetes.ts) holding a small platform in
 * the seed's shape: every panel of patrol / Kubernetes and the Overview's Kubernetes row returns
 * data, then one thing is broken at a time and its alert fires (and pages, where it is critical).
 *
 * Needs the control plane's binaries (scripts/provision/kubernetes.sh), etcd, kubectl and the
 * Debian packages prometheus and prometheus-alertmanager.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { strings } from '../../../mixin/i18n/index.ts';
import {
  labelValues,
  startBundle,
  startPager,
  substitute,
  TO_THE_PAGER,
  writeConfig,
} from '../../harness/bundle-env.ts';
import { scrapesFor, type Needs } from '../../harness/budget.ts';
import { onlyCollectors } from '../../harness/config.ts';
import { startExporter } from '../../harness/exporter.ts';
import { CALICO, crashLoop, deployment, service } from '../../harness/kube-platform.ts';
import { startControlPlane } from '../../harness/kubernetes.ts';
import { tempDir } from '../../harness/tmp.ts';

const FAILURES_METRIC = 'patrol_kube_api_failures_total';

/** A change in the API reaches patrol by its watch at once: a scrape, then an evaluation. */
const WATCHED: Needs = { scrapes: 1, evaluations: 1, work: 2 };

describe('the Kubernetes alerts on real Prometheus and Alertmanager', { timeout: 600_000 }, () => {
  it('fire from a real control plane, one breakage at a time', async (t) => {
    const cp = await startControlPlane(t);
    for (const n of ['k8snode01', 'k8snode02', 'k8snode03']) await cp.createNode(n);
    await cp.kubectl(['create', 'namespace', 'product']);
    const apps = ['bis-rtqgw-1-3-0', 'oltp-gateway-1-3-0', 'wcs-gamegw-1-3-0', 'wcs-webui-1-3-0'];
    // One Deployment breaks the ops rule (requests below limits), as some always do.
    const burstable = deployment('ncc-burstable', 1) as {
      spec: { template: { spec: { containers: { resources: unknown }[] } } };
    };
    const [container] = burstable.spec.template.spec.containers;
    assert.ok(container !== undefined);
    container.resources = {
      requests: { cpu: '100m', memory: '64Mi' },
      limits: { cpu: '1', memory: '256Mi' },
    };
    await cp.apply([...apps.map((a) => deployment(a, 2)), ...apps.map(service), burstable, CALICO]);
    await cp.waitFor(
      'every pod made',
      async () =>
        (await cp.markPodsRunning('product', 'tier=seed')).length === 9 &&
        (await cp.markPodsRunning('kube-system', 'k8s-app=calico-node')).length === 3,
      120_000,
    );
    const dir = await tempDir(t, 'patrol-bundle-kubernetes-');
    const configFile = await writeConfig(
      join(dir, 'patrol.yml'),
      onlyCollectors({
        kubernetes: { kubeconfig: cp.kubeconfig, watch_timeout: '30s', request_timeout: '3s' },
      }),
    );
    const exporter = await startExporter(t, { configFile, startTimeoutMs: 60_000 });
    const pager = await startPager(t);
    const b = await startBundle(t, {
      dir,
      exporters: [exporter],
      pager,
      vars: { namespace: 'product|kube-system' },
    });
    /** Waits until `alertname` reaches the pager's webhook, firing. */
    const paged = (alertname: string) =>
      pager.webhook.waitFor(
        `${alertname} to reach the pager`,
        (deliveries) =>
          deliveries
            .filter((d) => d.path === '/pager')
            .flatMap((d) => d.message.alerts)
            .find((a) => a.status === 'firing' && a.labels.alertname === alertname),
        b.budget(TO_THE_PAGER),
      );
    // Green first: every Deployment available, calico-node ready on every node.
    await b.waitForData(
      `patrol_kube_deployment_status_replicas_available{deployment="wcs-webui-1-3-0"} == 2`,
      WATCHED,
    );
    await b.waitForData(
      `patrol_kube_daemonset_status_number_ready{daemonset="calico-node"} == 3`,
      WATCHED,
    );

    await t.test(
      'every Kubernetes panel and variable returns data (API failures: while the API is frozen, below)',
      async () => {
        let checked = 0;
        for (const f of b.dashboards.filter(
          (d) => d.path.endsWith('kubernetes.json') || d.path.endsWith('overview.json'),
        )) {
          for (const v of f.model.templating?.list ?? []) {
            const lv = labelValues(v.query);
            if (lv === undefined || !lv.expr.includes('patrol_kube_')) continue;
            await b.waitForData(substitute(lv.expr, b.vars), WATCHED);
            checked++;
          }
          for (const p of f.panels)
            for (const target of p.targets ?? []) {
              const raw = target.expr ?? '';
              if (!raw.includes('patrol_kube_') || raw.includes(FAILURES_METRIC)) continue;
              const expr = substitute(raw, b.vars);
              await b
                .waitForData(expr, { scrapes: scrapesFor(expr), evaluations: 1, work: 2 })
                .catch((err: unknown) => {
                  throw new Error(`${f.path}: panel "${p.title ?? ''}": ${expr}`, { cause: err });
                });
              checked++;
            }
        }
        assert.ok(checked >= 25, `only ${checked} Kubernetes queries found`);
      },
    );

    await t.test('a node NotReady fires and pages PatrolKubeNodeNotReady', async () => {
      await cp.setNodeReady('k8snode02', 'False');
      await b.firing(
        'PatrolKubeNodeNotReady',
        { node: 'k8snode02', severity: 'critical' },
        WATCHED,
      );
      await paged('PatrolKubeNodeNotReady');
      await cp.setNodeReady('k8snode02', 'True');
    });

    await t.test('a crash-looping container fires PatrolKubePodCrashLooping', async () => {
      const [pod] = await cp.markPodsRunning('product', 'app=oltp-gateway-1-3-0');
      assert.ok(pod !== undefined);
      for (const restarts of [1, 2, 3]) {
        await crashLoop(cp, 'oltp-gateway-1-3-0', pod, restarts);
      }
      await b.firing(
        'PatrolKubePodCrashLooping',
        { namespace: 'product', pod },
        { ...WATCHED, scrapes: 2 },
      );
      // Not ready all the while, too.
      await b.firing('PatrolKubePodNotReady', { namespace: 'product', pod }, WATCHED);
    });

    await t.test(
      'a pod whose requests differ from its limits fires PatrolKubePodNotGuaranteed',
      async () => {
        const [alert] = await b.firing(
          'PatrolKubePodNotGuaranteed',
          { namespace: 'product', severity: 'info' },
          WATCHED,
        );
        assert.match(JSON.stringify(alert), /ncc-burstable/);
      },
    );

    await t.test(
      'a Service whose pods are all unready fires and pages PatrolKubeServiceNoReadyEndpoints',
      async () => {
        await cp.markPodsRunning('product', 'app=wcs-gamegw-1-3-0', { ready: false });
        const [alert] = await b.firing(
          'PatrolKubeServiceNoReadyEndpoints',
          { namespace: 'product', severity: 'critical' },
          { ...WATCHED, work: 10 },
        );
        assert.match(alert?.annotations.description ?? '', /wcs-gamegw-1-3-0/);
      },
    );

    await t.test(
      'a Deployment short of replicas fires PatrolKubeDeploymentReplicasMismatch',
      async () => {
        await cp.kubectl([
          '-n',
          'product',
          'scale',
          'deployment',
          'wcs-webui-1-3-0',
          '--replicas=3',
        ]);
        await b.firing(
          'PatrolKubeDeploymentReplicasMismatch',
          { namespace: 'product', deployment: 'wcs-webui-1-3-0' },
          { ...WATCHED, scrapes: 2, work: 10 },
        );
      },
    );

    await t.test(
      'a rollout past its progress deadline fires PatrolKubeDeploymentRolloutStuck',
      async () => {
        await cp.apply(deployment('ncc-rollout', 1, { progressDeadlineSeconds: 3 }));
        await cp.waitFor(
          'its pod',
          async () => (await cp.markPodsRunning('product', 'app=ncc-rollout')).length === 1,
          60_000,
        );
        await cp.kubectl([
          '-n',
          'product',
          'set',
          'image',
          'deployment/ncc-rollout',
          'app=harbor.example/iuap/ncc-rollout:1.4.0',
        ]);
        await b.firing(
          'PatrolKubeDeploymentRolloutStuck',
          { namespace: 'product', deployment: 'ncc-rollout' },
          { ...WATCHED, work: 30 },
        );
      },
    );

    await t.test(
      'an API server frozen with SIGSTOP fires and pages PatrolKubeApiUnreachable',
      async () => {
        cp.freezeApiServer();
        try {
          await b.firing(
            'PatrolKubeApiUnreachable',
            { severity: 'critical' },
            { ...WATCHED, work: 10 },
          );
          // The objects' alerts it explains are held back by Alertmanager, not paged again.
          await paged('PatrolKubeApiUnreachable');
          // Its failed checks are what the API failures panel shows (empty while all is well).
          const failures = b.panelExpr(
            'kubernetes.json',
            strings('en').dashboards.kubernetes.panels.failures.title,
          );
          assert.ok(failures.includes(FAILURES_METRIC));
          await b.waitForData(substitute(failures, b.vars), {
            scrapes: 2,
            evaluations: 1,
            work: 5,
          });
        } finally {
          cp.thawApiServer();
        }
      },
    );
  });
});
