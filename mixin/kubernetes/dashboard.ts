/**
 * patrol / Kubernetes: the cluster as the seed's morning walk sees it (checklist C3-C6,
 * C11-C13), one row per command: `kubectl get node`, `get deployment`, `get po`, `get svc`,
 * `get pod -n kube-system | grep calico`, then the ops rule that a pod's minimum and maximum CPU
 * and memory are equal, and last whether patrol reads the API at all. Counts and cells are the
 * alerts' conditions (queries.ts kubeConditions), so a red tile and its alert agree; tables
 * list every object, worst first, with kubectl's columns.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import type { ValueMapping } from '@grafana/grafana-foundation-sdk/dashboard';
import { sel } from '../promql.ts';
import {
  buildDashboard,
  color,
  countTile,
  dataLink,
  datasourceVariable,
  instanceVariable,
  jobVariable,
  labelVariable,
  levelTile,
  ordered,
  stateTile,
  steps,
  table,
  timeseries,
  type Column,
  type Context,
  type DashboardModel,
  type Row,
  valueTexts,
} from '../dashboards/panels.ts';
import { targetMatchers } from '../dashboards/queries.ts';
import {
  DEPLOYMENT,
  NODE,
  POD,
  POD_STATUS_WORDS,
  RESOURCE,
  SERVICE,
  kubeQueries,
  readyCodes,
} from './queries.ts';
import type { KubernetesStrings } from './i18n/en.ts';

/** The context of this area's builders: the shared words and its own. */
type Ctx = Context<KubernetesStrings>;
type DashboardStrings = Ctx['s'];

const rows: ((ctx: Ctx) => Row)[] = [
  clusterRow,
  deploymentsRow,
  podsRow,
  servicesRow,
  networkRow,
  ruleRow,
  patrolRow,
];

export function kubernetesDashboard(ctx: Ctx): DashboardModel {
  const { config, s } = ctx;
  const d = s.kubernetes;
  return buildDashboard(config, {
    uid: ctx.uid('kubernetes'),
    title: d.title,
    description: d.description,
    time: 'now-24h',
    variables: [
      datasourceVariable(s),
      // Every patrol job on "All": the patrol of a cluster is often a job of its own
      // (patrol-k8s), and a single-valued job would start on the hosts' one.
      jobVariable(s, true),
      // From `up`, as everywhere: the cluster's patrol is one instance (one per cluster).
      instanceVariable(s, { multi: true, allValue: '.+' }),
      // From the pods, which every namespace in use has; "All" is the whole cluster.
      labelVariable(
        'namespace',
        s.variables.namespace,
        `label_values(patrol_kube_pod_info${sel(...targetMatchers)}, namespace)`,
        { multi: true, allValue: '.+' },
      ),
    ],
    links: ctx.links('kubernetes'),
    rows: rows.map((row) => row(ctx)),
  });
}

/**
 * A click on an Overview tile opens this dashboard with the Overview's data source, jobs and
 * instances (the tiles are counts over every cluster shown: they have no labels to pass).
 */
export function kubernetesLink(ctx: Ctx) {
  return dataLink(
    ctx.s.links.openKubernetes,
    `/d/${ctx.uid('kubernetes')}?\${__all_variables}&\${__url_time_range}`,
  );
}

/** The columns every table hides: the query time and the patrol it comes from. */
const HIDDEN = ['Time', 'job', 'instance'];

function nodeTexts(s: DashboardStrings): ValueMapping[] {
  const n = s.values.kube.node;
  return valueTexts([
    [NODE.ready, n.ready, color.ok],
    [NODE.cordoned, n.cordoned, color.neutral],
    [NODE.notReadyCordoned, n.notReadyCordoned, color.warn],
    [NODE.notReady, n.notReady, color.bad],
    [NODE.unknown, n.unknown, color.bad],
    [NODE.noNodes, n.noNodes, color.neutral],
  ]);
}

function deploymentTexts(s: DashboardStrings): ValueMapping[] {
  const d = s.values.kube.deployment;
  return valueTexts([
    [DEPLOYMENT.ok, d.ok, color.ok],
    [DEPLOYMENT.paused, d.paused, color.neutral],
    [DEPLOYMENT.updating, d.updating, color.warn],
    [DEPLOYMENT.mismatch, d.mismatch, color.bad],
    [DEPLOYMENT.stuck, d.stuck, color.bad],
  ]);
}

/** kubectl's STATUS words (the same in every language), and the one word that is ours. */
function podStatusTexts(s: DashboardStrings): ValueMapping[] {
  const w = POD_STATUS_WORDS;
  return valueTexts([
    [POD.running, w.running, color.ok],
    [POD.completed, w.completed, color.idle],
    [POD.runningNotReady, w.runningNotReady, color.warn],
    [POD.pending, w.pending, color.warn],
    [POD.containerCreating, w.containerCreating, color.warn],
    [POD.podInitializing, w.podInitializing, color.warn],
    [POD.unknown, w.unknown, color.bad],
    [POD.failed, w.failed, color.bad],
    [POD.waiting, s.values.kube.waiting, color.bad],
    [POD.createContainerConfigError, w.createContainerConfigError, color.bad],
    [POD.createContainerError, w.createContainerError, color.bad],
    [POD.invalidImageName, w.invalidImageName, color.bad],
    [POD.errImagePull, w.errImagePull, color.bad],
    [POD.imagePullBackOff, w.imagePullBackOff, color.bad],
    [POD.crashLoopBackOff, w.crashLoopBackOff, color.bad],
  ]);
}

/** READY as kubectl prints it, "1/2", green when every container is ready. */
function readyTexts(): ValueMapping[] {
  return valueTexts(
    readyCodes().map((r) => [r.code, r.text, r.all ? color.ok : color.bad] as const),
  );
}

function serviceTexts(s: DashboardStrings): ValueMapping[] {
  const v = s.values.kube.service;
  return valueTexts([
    [SERVICE.ok, v.ok, color.ok],
    [SERVICE.noSelector, v.noSelector, color.neutral],
    [SERVICE.noEndpoints, v.noEndpoints, color.bad],
  ]);
}

function resourceTexts(s: DashboardStrings): ValueMapping[] {
  const r = s.values.kube.resource;
  return valueTexts([
    [RESOURCE.synced, r.synced, color.ok],
    [RESOURCE.notSynced, r.notSynced, color.warn],
    [RESOURCE.failing, r.failing, color.bad],
    [RESOURCE.forbidden, r.forbidden, color.bad],
    [RESOURCE.notServed, r.notServed, color.bad],
  ]);
}

/**
 * The summary a wall reads from across the room (the Overview's row, per cluster), and the
 * nodes below: one cell per node, `kubectl get node`'s STATUS on a coloured background.
 */
function clusterRow(ctx: Ctx): Row {
  const { config, s } = ctx;
  const p = s.kubernetes.panels;
  const q = kubeQueries(config);
  const c = q.cond;
  const v = s.values;
  const pods = (expr: string) => `max by (job, instance, namespace, pod) (${expr})`;
  return {
    title: s.kubernetes.rows.cluster,
    panels: [
      stateTile(p.api, { expr: q.apiUp, legend: '{{instance}}' }, 1, v.up, v.down).span(3),
      // Orange: PatrolKubeWatchStale warns.
      countTile(p.resourcesNotSynced, q.resourcesNotSynced, 'warn').span(3),
      countTile(p.nodesNotReady, c.nodeNotReady).span(3),
      countTile(p.deploymentsMismatched, c.deploymentMismatch, 'warn').span(3),
      countTile(p.statefulSetsMismatched, c.statefulSetMismatch, 'warn').span(3),
      countTile(p.podsNotReady, c.podNotReady, 'warn').span(3),
      countTile(p.podsCrashLooping, pods(c.crashLooping), 'warn').span(3),
      countTile(p.servicesWithoutEndpoints, c.serviceNoEndpoints).span(3),
      levelTile(
        p.nodes,
        { expr: q.nodes, legend: '{{node}}' },
        'none',
        steps(
          color.neutral,
          [NODE.ready, color.ok],
          [NODE.cordoned, color.neutral],
          [NODE.notReadyCordoned, color.warn],
          [NODE.notReady, color.bad],
        ),
      )
        .mappings(nodeTexts(s))
        .textMode(common.BigValueTextMode.ValueAndName)
        .span(24)
        .height(6),
    ],
  };
}

/** `kubectl get deployment`: the four counts that must be equal, the row red where they are not. */
function deploymentsRow({ config, s }: Ctx): Row {
  const k = s.kubernetes;
  const c = k.columns;
  const q = kubeQueries(config).deployments;
  const count = (field: string, title: string): Column => ({ field, title });
  return {
    title: k.rows.deployments,
    panels: [
      ordered(
        table(
          k.panels.deployments,
          [
            { expr: q.desired },
            { expr: q.current },
            { expr: q.upToDate },
            { expr: q.available },
            { expr: q.state },
          ],
          [
            { field: 'namespace', title: c.namespace },
            { field: 'deployment', title: c.name },
            count('Value #A', c.desired),
            count('Value #B', c.current),
            count('Value #C', c.upToDate),
            count('Value #D', c.available),
            {
              field: 'Value #E',
              title: c.state,
              mappings: deploymentTexts(s),
              coloured: true,
              wholeRow: true,
            },
          ],
          HIDDEN,
          c.state,
        ),
        ['namespace', 'deployment', 'Value #A', 'Value #B', 'Value #C', 'Value #D', 'Value #E'],
      )
        .span(24)
        .height(12),
    ],
  };
}

/**
 * The columns of a pods table (all pods, or the network's): kubectl get po's READY, STATUS and
 * RESTARTS, the restarts since the morning check, and the node.
 */
function podsTable(
  { config, s }: Ctx,
  text: { title: string; description: string },
  q: ReturnType<typeof kubeQueries>['pods'],
) {
  const c = s.kubernetes.columns;
  const hour = `${String(config.morningCheck.hour).padStart(2, '0')}:00`;
  return ordered(
    table(
      text,
      [{ expr: q.ready }, { expr: q.status }, { expr: q.restarts }, { expr: q.restartsToday }],
      [
        { field: 'namespace', title: c.namespace },
        { field: 'pod', title: c.name },
        { field: 'Value #A', title: c.ready, mappings: readyTexts(), coloured: true },
        { field: 'Value #B', title: c.status, mappings: podStatusTexts(s), coloured: true },
        { field: 'Value #C', title: c.restarts },
        // Green at 0, orange from one restart (the panel's thresholds): the morning walk's
        // "RESTARTS must not go up".
        { field: 'Value #D', title: c.restartsToday.replace('%hour%', hour), coloured: true },
        { field: 'node', title: c.node },
      ],
      HIDDEN,
      c.status,
    ),
    ['namespace', 'pod', 'Value #A', 'Value #B', 'Value #C', 'Value #D', 'node'],
  )
    .thresholds(steps(color.ok, [1, color.warn]))
    .span(24);
}

function podsRow(ctx: Ctx): Row {
  const { config, s } = ctx;
  return {
    title: s.kubernetes.rows.pods,
    panels: [podsTable(ctx, s.kubernetes.panels.pods, kubeQueries(config).pods).height(14)],
  };
}

/** `kubectl get svc` and its endpoints: a Service without a ready address is a white screen. */
function servicesRow({ config, s }: Ctx): Row {
  const k = s.kubernetes;
  const c = k.columns;
  const q = kubeQueries(config).services;
  return {
    title: k.rows.services,
    panels: [
      ordered(
        table(
          k.panels.services,
          [{ expr: q.ready }, { expr: q.notReady }, { expr: q.state }],
          [
            { field: 'namespace', title: c.namespace },
            { field: 'service', title: c.name },
            { field: 'Value #A', title: c.readyAddresses },
            { field: 'Value #B', title: c.notReadyAddresses },
            {
              field: 'Value #C',
              title: c.state,
              mappings: serviceTexts(s),
              coloured: true,
              wholeRow: true,
            },
          ],
          HIDDEN,
          c.state,
        ),
        ['namespace', 'service', 'Value #A', 'Value #B', 'Value #C'],
      )
        .span(24)
        .height(10),
    ],
  };
}

/** calico-node on every node (`kubectl get pod -n kube-system | grep calico`). */
function networkRow(ctx: Ctx): Row {
  const { config, s } = ctx;
  const p = s.kubernetes.panels;
  const q = kubeQueries(config);
  const perDaemonSet = { legend: '{{daemonset}}' };
  return {
    title: s.kubernetes.rows.network,
    panels: [
      levelTile(
        p.networkDesired,
        { expr: q.network.desired, ...perDaemonSet },
        'none',
        steps(color.neutral),
      )
        .decimals(0)
        .span(8),
      levelTile(
        p.networkReady,
        { expr: q.network.ready, ...perDaemonSet },
        'none',
        steps(color.neutral),
      )
        .decimals(0)
        .span(8),
      // Orange: PatrolKubeDaemonSetNotScheduled warns.
      levelTile(
        p.networkMissing,
        { expr: q.network.missing },
        'none',
        steps(color.ok, [1, color.warn]),
      )
        .decimals(0)
        .span(8),
      podsTable(ctx, p.networkPods, q.networkPods).height(10),
    ],
  };
}

/** The ops rule: requests (minimum) = limits (maximum), for CPU and memory. */
function ruleRow({ config, s }: Ctx): Row {
  const k = s.kubernetes;
  const c = k.columns;
  const q = kubeQueries(config).notGuaranteed;
  return {
    title: k.rows.rule,
    panels: [
      countTile(k.panels.notGuaranteedCount, q.breaking, 'warn').span(4).height(10),
      ordered(
        table(
          k.panels.notGuaranteed,
          [
            { expr: q.rule },
            { expr: q.cpuRequest },
            { expr: q.cpuLimit },
            { expr: q.memoryRequest },
            { expr: q.memoryLimit },
          ],
          [
            { field: 'namespace', title: c.namespace },
            { field: 'workload_kind', title: c.kind },
            { field: 'workload', title: c.workload },
            { field: 'pod', title: c.pod },
            { field: 'container', title: c.container },
            {
              field: 'Value #A',
              title: c.rule,
              mappings: valueTexts([[0, s.values.kube.breaksRule, color.warn]]),
              coloured: true,
            },
            { field: 'Value #B', title: c.cpuRequest },
            { field: 'Value #C', title: c.cpuLimit },
            { field: 'Value #D', title: c.memoryRequest, unit: 'bytes' },
            { field: 'Value #E', title: c.memoryLimit, unit: 'bytes' },
          ],
          HIDDEN,
          c.workload,
        ),
        [
          'namespace',
          'workload_kind',
          'workload',
          'pod',
          'container',
          'Value #A',
          'Value #B',
          'Value #C',
          'Value #D',
          'Value #E',
        ],
      )
        .span(20)
        .height(10),
    ],
  };
}

/** Whether patrol reads the API: each resource synced, failures, relists and watch restarts. */
function patrolRow({ config, s }: Ctx): Row {
  const p = s.kubernetes.panels;
  const q = kubeQueries(config);
  return {
    title: s.kubernetes.rows.patrol,
    panels: [
      levelTile(
        p.resources,
        { expr: q.resources, legend: '{{resource}}' },
        'none',
        steps(color.ok, [RESOURCE.notSynced, color.warn], [RESOURCE.failing, color.bad]),
      )
        .mappings(resourceTexts(s))
        .textMode(common.BigValueTextMode.ValueAndName)
        .span(24)
        .height(5),
      timeseries(p.failures, 'reqps', {
        expr: q.failures,
        legend: '{{resource}} {{reason}}',
      }).span(8),
      timeseries(p.relists, 'short', { expr: q.relists, legend: '{{resource}}' })
        .decimals(0)
        .min(0)
        .span(8),
      timeseries(p.watchRestarts, 'short', {
        expr: q.watchRestarts,
        legend: '{{resource}} {{reason}}',
      })
        .decimals(0)
        .min(0)
        .span(8),
    ],
  };
}
