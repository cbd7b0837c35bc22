/** The kubernetes area's dashboard panels, as built (the properties of every dashboard: mixin/dashboards/). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfig, type MixinConfig } from '../config.ts';
import { all, build, panelsOf, type Model, type Panel } from '../dashboards/testing.ts';
import { strings } from '../i18n/index.ts';
import { kubernetesGroup } from './alerts.ts';
import { DEPLOYMENT, NODE, POD, POD_STATUS_WORDS, READY_BASE } from './queries.ts';

/** What these tests read of a table panel beyond the shared Panel shape. */
type TablePanel = Panel & {
  transformations?: { id: string; options: { indexByName?: Record<string, number> } }[];
  fieldConfig?: Panel['fieldConfig'] & {
    defaults?: { links?: { url?: string }[] };
    overrides?: {
      matcher: { options: string };
      properties: { id: string; value: unknown }[];
    }[];
  };
};

const texts = (p: Panel | undefined) =>
  Object.fromEntries(
    (p?.fieldConfig?.defaults?.mappings ?? []).flatMap((m) =>
      Object.entries(m.options).map(([k, o]) => [k, o.text]),
    ),
  );

/** A table's column: its title, and its mapping texts and cell options if any. */
function column(p: TablePanel | undefined, field: string) {
  const props = p?.fieldConfig?.overrides?.find((o) => o.matcher.options === field)?.properties;
  const prop = (id: string) => props?.find((x) => x.id === id)?.value;
  const mappings = (prop('mappings') ?? []) as {
    options: Record<string, { text: string; color: string }>;
  }[];
  return {
    title: prop('displayName') as string | undefined,
    texts: Object.fromEntries(
      mappings.flatMap((m) => Object.entries(m.options).map(([k, o]) => [k, [o.text, o.color]])),
    ),
    cell: prop('custom.cellOptions') as { type: string; applyToRow?: boolean } | undefined,
  };
}

const panel = (m: Model, title: string) =>
  panelsOf(m).find((p) => p.title === title) as TablePanel | undefined;

/** The alerts' expressions on a single line, as the dashboards' conditions are compared. */
const flat = (e: string) =>
  e
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\(\s+/g, '(')
    .replace(/\s+\)/g, ')');

describe('Kubernetes dashboard panels', () => {
  const config: MixinConfig = {
    ...defaultConfig,
    kubeGuaranteedSelector: 'namespace=~"product|developer-center"',
    kubeNetworkDaemonSetSelector: 'namespace="kube-system", daemonset="kube-flannel-ds"',
    kubeNetworkPodSelector: 'namespace="kube-system", pod=~"kube-flannel-.*"',
    thresholds: { ...defaultConfig.thresholds, kubeRolloutProgressWindow: '20m' },
    morningCheck: { hour: 8, utcOffsetHours: 7 },
  };
  const { 'overview.json': overview, 'kubernetes.json': kube } = build('en', config);
  assert.ok(overview && kube);
  const en = strings('en').dashboards;
  const k = en.kubernetes;
  /** An alert's expression on the dashboards' variables: $job and $instance, no $namespace. */
  const alert = (name: string) => {
    const r = kubernetesGroup(config).rules.find((x) => 'alert' in x && x.alert === name);
    return flat(r?.expr ?? '').replaceAll('{job="patrol"', '{job=~"$job", instance=~"$instance"');
  };

  it('count on the Overview what the alerts fire on, and open patrol / Kubernetes on a click', () => {
    const p = en.overview.panels;
    const counts: [string, string][] = [
      [p.kubeApiUnreachable.title, 'PatrolKubeApiUnreachable'],
      [p.kubeResourcesNotSynced.title, 'PatrolKubeWatchStale'],
      [p.kubeNodesNotReady.title, 'PatrolKubeNodeNotReady'],
      [p.kubeDeploymentsMismatched.title, 'PatrolKubeDeploymentReplicasMismatch'],
      [p.kubePodsNotReady.title, 'PatrolKubePodNotReady'],
      [p.kubeServicesWithoutEndpoints.title, 'PatrolKubeServiceNoReadyEndpoints'],
    ];
    for (const [title, name] of counts) {
      const tile = panel(overview, title);
      assert.equal(
        flat(tile?.targets?.[0]?.expr ?? ''),
        `count(${alert(name)}) or vector(0)`,
        title,
      );
    }
    const crash = panel(overview, p.kubePodsCrashLooping.title);
    assert.equal(
      flat(crash?.targets?.[0]?.expr ?? ''),
      `count(max by (job, instance, namespace, pod) (${alert('PatrolKubePodCrashLooping')})) or vector(0)`,
    );
    // The rollout window of the config: a Deployment still rolling out is not counted.
    assert.ok(alert('PatrolKubeDeploymentReplicasMismatch').includes('[20m]) > 0'));
    // The network DaemonSet of the config, in nodes without a ready pod; 0 without one.
    const network = panel(overview, p.kubeNetworkNotReady.title)?.targets?.[0]?.expr ?? '';
    assert.match(network, /daemonset="kube-flannel-ds"\}\) or vector\(0\)$/);
    const row = overview.panels.findIndex((x) => x.title === en.overview.rows.kubernetes);
    assert.ok(row > 0, 'a Kubernetes row');
    const next = overview.panels.findIndex((x, i) => i > row && x.type === 'row');
    const tiles = overview.panels.slice(row + 1, next < 0 ? undefined : next) as TablePanel[];
    assert.equal(tiles.length, 8, 'the Kubernetes row has 8 tiles');
    for (const tile of tiles) {
      assert.equal(tile.gridPos.w, 3, tile.title);
      assert.equal(
        tile.fieldConfig?.defaults?.links?.[0]?.url,
        '/d/patrol-kubernetes?${__all_variables}&${__url_time_range}',
        tile.title,
      );
    }
  });

  it('show kubectl get deployment: DESIRED, CURRENT, UP-TO-DATE, AVAILABLE, the row red where they differ', () => {
    const p = panel(kube, k.panels.deployments.title);
    const c = k.columns;
    assert.deepEqual(
      ['namespace', 'deployment', 'Value #A', 'Value #B', 'Value #C', 'Value #D', 'Value #E'].map(
        (f) => column(p, f).title,
      ),
      [c.namespace, c.name, c.desired, c.current, c.upToDate, c.available, c.state],
    );
    assert.deepEqual(
      p?.transformations?.map((t) => t.id),
      ['merge', 'organize'],
    );
    assert.equal(p?.transformations?.[1]?.options.indexByName?.namespace, 0, 'NAMESPACE first');
    const exprs = (p?.targets ?? []).map((t) => t.expr);
    assert.match(
      exprs[0] ?? '',
      /patrol_kube_deployment_spec_replicas\{[^}]*namespace=~"\$namespace"\}/,
    );
    assert.match(exprs[1] ?? '', /patrol_kube_deployment_status_replicas\{/);
    assert.match(exprs[2] ?? '', /patrol_kube_deployment_status_replicas_updated\{/);
    assert.match(exprs[3] ?? '', /patrol_kube_deployment_status_replicas_available\{/);
    // STATE: the alerts' conditions, worst first, the whole row coloured.
    const state = column(p, 'Value #E');
    assert.deepEqual(state.cell, { type: 'color-background', applyToRow: true });
    assert.deepEqual(state.texts[String(DEPLOYMENT.mismatch)], [
      en.values.kube.deployment.mismatch,
      'red',
    ]);
    assert.deepEqual(state.texts[String(DEPLOYMENT.ok)], [en.values.kube.deployment.ok, 'green']);
    const mismatch = alert('PatrolKubeDeploymentReplicasMismatch').replaceAll(
      'instance=~"$instance"',
      'instance=~"$instance", namespace=~"$namespace"',
    );
    assert.ok(
      flat(exprs[4] ?? '').includes(
        `(${alert('PatrolKubeDeploymentRolloutStuck').replaceAll('instance=~"$instance"', 'instance=~"$instance", namespace=~"$namespace"')}) * 0 + 4 or (${mismatch}) * 0 + 3 or `,
      ),
      exprs[4],
    );
  });

  it('show kubectl get po: READY n/n, STATUS in kubectl words, RESTARTS and the restarts since the morning check', () => {
    const p = panel(kube, k.panels.pods.title);
    const ready = column(p, 'Value #A');
    assert.deepEqual(ready.texts[String(1 * READY_BASE + 2)], ['1/2', 'red']);
    assert.deepEqual(ready.texts[String(3 * READY_BASE + 3)], ['3/3', 'green']);
    const status = column(p, 'Value #B');
    assert.deepEqual(status.texts[String(POD.crashLoopBackOff)], ['CrashLoopBackOff', 'red']);
    assert.deepEqual(status.texts[String(POD.running)], ['Running', 'green']);
    assert.deepEqual(status.texts[String(POD.runningNotReady)], ['Running', 'orange']);
    // The column says the hour of the config, and its query counts from it, local time.
    const today = column(p, 'Value #D');
    assert.equal(today.title, 'RESTARTS SINCE 08:00');
    const expr = p?.targets?.[3]?.expr ?? '';
    assert.ok(expr.includes('(time() + 25200) % 86400) >= 28800 < 29100))[1d:5m])'), expr);
    assert.ok(
      expr.includes(' or patrol_kube_pod_container_status_restarts_total{'),
      'new pods: every restart',
    );
    // Green at 0, orange from the first restart since then.
    assert.deepEqual(
      p?.fieldConfig?.defaults?.thresholds?.steps.map((x) => [x.value, x.color]),
      [
        [null, 'green'],
        [1, 'orange'],
      ],
    );
    // Every column of the table is keyed by the same labels, so the rows join.
    for (const t of p?.targets ?? [])
      assert.ok(
        t.expr.endsWith(
          ') * on (job, instance, namespace, pod) group_left (node) patrol_kube_pod_info{job=~"$job", instance=~"$instance", namespace=~"$namespace"}',
        ),
        t.expr,
      );
    // The network's pods: the config's selector, whatever $namespace says.
    const network = panel(kube, k.panels.networkPods.title);
    for (const t of network?.targets ?? []) {
      assert.ok(t.expr.includes('pod=~"kube-flannel-.*"'), t.expr);
      assert.ok(!t.expr.includes('$namespace'), t.expr);
    }
  });

  it('show the nodes as cells, the ops rule on the config namespaces, the Services and the resources patrol reads', () => {
    const nodes = panel(kube, k.panels.nodes.title);
    assert.deepEqual(texts(nodes)[String(NODE.notReady)], en.values.kube.node.notReady);
    assert.ok((nodes?.targets?.[0]?.expr ?? '').endsWith(') or on () vector(-1)'), 'NO NODES');
    const rule = panel(kube, k.panels.notGuaranteed.title);
    for (const t of rule?.targets ?? [])
      assert.ok(t.expr.includes('namespace=~"product|developer-center"} == 0'), t.expr);
    assert.equal(column(rule, 'Value #D').title, k.columns.memoryRequest);
    const services = panel(kube, k.panels.services.title);
    assert.ok(
      flat(services?.targets?.[2]?.expr ?? '').includes(
        `(label_join(${alert('PatrolKubeServiceNoReadyEndpoints').replaceAll('instance=~"$instance"', 'instance=~"$instance", namespace=~"$namespace"')}, "service", "", "endpoint")) * 0 + 2 or `,
      ),
    );
    const api = panel(kube, k.panels.api.title);
    assert.deepEqual(texts(api), { '1': en.values.up, '0': en.values.down });
  });

  it('keep kubectl words and READY fractions in every language, and translate the rest', () => {
    for (const { lang, file, model } of all.filter((d) => d.file === 'kubernetes.json')) {
      const s = strings(lang).dashboards;
      const pods = panel(model, s.kubernetes.panels.pods.title);
      assert.ok(pods, `${lang}/${file}`);
      const status = column(pods, 'Value #B').texts;
      assert.equal(status[String(POD.imagePullBackOff)]?.[0], POD_STATUS_WORDS.imagePullBackOff);
      assert.equal(status[String(POD.waiting)]?.[0], s.values.kube.waiting);
      assert.equal(column(pods, 'Value #A').texts['102']?.[0], '1/2');
    }
  });
});
