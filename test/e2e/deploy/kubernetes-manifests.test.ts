/**
 * deploy/kubernetes/ against a real control plane (kube-apiserver 1.20 with its controllers,
 * test/harness/kubernetes/): the kustomization and every component render, the API server
 * accepts what they render (`kubectl apply --dry-run=server`; the ServiceMonitor against a
 * minimal CRD with the real field types), the shipped patrol.yml files are valid and run the
 * collectors they say, and the service account of rbac.yaml, bound for real, runs the kubernetes
 * collector with its own token: every resource read, no 403, the seeded objects in /metrics,
 * and nothing granted beyond list and watch of those resources.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments, stringify } from 'yaml';
import { COLLECTOR_NAMES } from '../../harness/config.ts';
import { DEPLOY } from '../../harness/deploy.ts';
import { runExporter, startExporter } from '../../harness/exporter.ts';
import { deployment, service } from '../../harness/kube-platform.ts';
import { KUBECTL_BIN, startControlPlane, type ControlPlane } from '../../harness/kubernetes.ts';
import { findSamples, sampleValue } from '../../harness/metrics.ts';
import { run, suiteScope } from '../../harness/process.ts';
import { tempDir } from '../../harness/tmp.ts';
import { notYet, waitFor } from '../../harness/wait.ts';
import { defaultConfig } from '../../../mixin/config.ts';
import { parseConfigText } from '../../../src/collectors/index.ts';
import { SPECS } from '../../../src/collectors/kubernetes/specs.ts';

const KUSTOMIZE_DIR = join(DEPLOY, 'kubernetes');
const NS = 'monitoring';
const SA = `system:serviceaccount:${NS}:patrol`;
const COMPONENTS = ['no-rootfs', 'no-procfs', 'no-sysfs', 'no-dbus'] as const;

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}
interface Container {
  name: string;
  image: string;
  args: string[];
  env?: { name: string; value: string }[];
  volumeMounts: {
    name: string;
    mountPath: string;
    readOnly?: boolean;
    mountPropagation?: string;
  }[];
  securityContext: Record<string, unknown>;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  ports: { name: string; containerPort: number }[];
}
interface PodSpec {
  containers: Container[];
  volumes: { name: string; hostPath?: { path: string }; emptyDir?: object; configMap?: object }[];
  hostNetwork?: boolean;
  hostPID?: boolean;
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  tolerations?: { operator?: string; effect?: string; key?: string }[];
  securityContext: Record<string, unknown>;
}
interface Workload extends K8sObject {
  spec: { replicas?: number; template: { spec: PodSpec } };
}
interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
}

/** `kubectl kustomize dir`, as a list of objects (kustomize's deprecation warnings aside). */
async function render(dir: string): Promise<K8sObject[]> {
  const r = await run(KUBECTL_BIN, ['kustomize', dir], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, `kubectl kustomize ${dir}: ${r.stderr}`);
  const docs = parseAllDocuments(r.stdout);
  for (const d of docs) assert.deepEqual(d.errors, [], `${dir} renders YAML`);
  return docs.map((d) => d.toJS() as K8sObject).filter((o) => (o as unknown) !== null);
}

function find(objs: readonly K8sObject[], kind: string, name: string): K8sObject {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  assert.ok(o !== undefined, `${kind} ${name} is rendered`);
  return o;
}

/** The DaemonSet patrol-node or the Deployment patrol-cluster of `objs`. */
function workload(objs: readonly K8sObject[], kind: 'DaemonSet' | 'Deployment'): Workload {
  return find(objs, kind, kind === 'DaemonSet' ? 'patrol-node' : 'patrol-cluster') as Workload;
}

function container(w: Workload): Container {
  const c = w.spec.template.spec.containers[0];
  assert.ok(c !== undefined);
  return c;
}

/** The hostPath volumes of a pod spec: mount path in the container → host path. */
function hostMounts(w: Workload): Record<string, string> {
  const spec = w.spec.template.spec;
  const out: Record<string, string> = {};
  for (const m of container(w).volumeMounts) {
    const v = spec.volumes.find((x) => x.name === m.name);
    if (v?.hostPath !== undefined) out[m.mountPath] = v.hostPath.path;
  }
  return out;
}

/** The container's args with $(VAR) expanded from its env, as the kubelet does. */
function expandedArgs(c: Container): string[] {
  const env = new Map((c.env ?? []).map((e) => [e.name, e.value]));
  return c.args.map((a) =>
    a.replace(/\$\(([A-Z_]+)\)/g, (_, n: string) => env.get(n) ?? `$(${n})`),
  );
}

/** The patrol.yml of a rendered ConfigMap `name-<hash>` the workload mounts. */
function configOf(objs: K8sObject[], w: Workload): string {
  const vol = w.spec.template.spec.volumes.find((v) => v.name === 'config');
  const cmName = (vol?.configMap as { name?: string } | undefined)?.name;
  assert.ok(cmName !== undefined, `${w.metadata.name} mounts a ConfigMap`);
  const cm = find(objs, 'ConfigMap', cmName) as K8sObject & { data: Record<string, string> };
  const text = cm.data['patrol.yml'];
  assert.ok(text !== undefined, `${cmName} has patrol.yml`);
  return text;
}

/** The rules as "group/resource verb" strings, sorted (non-resource URLs as "url verb"). */
function ruleKeys(rules: readonly Rule[]): string[] {
  const keys = new Set<string>();
  for (const r of rules) {
    for (const v of r.verbs) {
      for (const g of r.apiGroups ?? []) {
        for (const res of r.resources ?? []) keys.add(`${g === '' ? 'core' : g}/${res} ${v}`);
      }
      for (const u of r.nonResourceURLs ?? []) keys.add(`${u} ${v}`);
    }
  }
  return [...keys].sort();
}

/** What the collector reads (src/collectors/kubernetes/specs.ts), as "group/resource". */
const READ = Object.values(SPECS)
  .map((s) => `${s.group === '' ? 'core' : s.group}/${s.resource}`)
  .sort();

/** The minimal ServiceMonitor CRD: the real one's types for the fields the component uses. */
const SERVICE_MONITOR_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'servicemonitors.monitoring.coreos.com' },
  spec: {
    group: 'monitoring.coreos.com',
    scope: 'Namespaced',
    names: {
      kind: 'ServiceMonitor',
      listKind: 'ServiceMonitorList',
      plural: 'servicemonitors',
      singular: 'servicemonitor',
    },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['endpoints', 'selector'],
                properties: {
                  jobLabel: { type: 'string' },
                  selector: {
                    type: 'object',
                    properties: {
                      matchLabels: { type: 'object', additionalProperties: { type: 'string' } },
                    },
                  },
                  endpoints: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        port: { type: 'string' },
                        interval: {
                          type: 'string',
                          pattern: '^(0|(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$',
                        },
                        scrapeTimeout: {
                          type: 'string',
                          pattern: '^(0|(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$',
                        },
                        relabelings: {
                          type: 'array',
                          items: {
                            type: 'object',
                            properties: {
                              action: { type: 'string' },
                              regex: { type: 'string' },
                              replacement: { type: 'string' },
                              separator: { type: 'string' },
                              sourceLabels: {
                                type: 'array',
                                items: { type: 'string', pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' },
                              },
                              targetLabel: { type: 'string' },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};

describe('deploy/kubernetes on a real control plane', { timeout: 600_000 }, () => {
  const scope = suiteScope();
  after(() => scope.close());
  let cp: ControlPlane;
  let base: K8sObject[];
  let dir: string;

  /** `kubectl apply --dry-run=server` of objects; the objects the server would store. */
  const dryRun = async (objs: readonly K8sObject[]): Promise<K8sObject[]> => {
    const r = await cp.kubectl(['apply', '--dry-run=server', '-o', 'json', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }),
    });
    const out = JSON.parse(r.stdout) as K8sObject & { items?: K8sObject[] };
    return out.items ?? [out];
  };

  /** Renders an overlay of the base with `components` (in a temp dir, paths relative to it). */
  const overlay = async (name: string, components: readonly string[]) => {
    const d = join(dir, name);
    await mkdir(d);
    const rel = relative(d, KUSTOMIZE_DIR);
    await writeFile(
      join(d, 'kustomization.yaml'),
      stringify({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: [rel],
        components: components.map((c) => `${rel}/components/${c}`),
      }),
    );
    return render(d);
  };

  /** The RBAC objects of rbac.yaml, applied for real (once; removed at the end). */
  let rbacApplied: Promise<void> | undefined;
  const applyRbac = () => {
    rbacApplied ??= (async () => {
      const rbac = base.filter((o) =>
        ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind),
      );
      await cp.apply(rbac);
      scope.after(async () => {
        await cp.kubectl(['delete', '--wait=false', '-f', '-'], {
          input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: rbac }),
        });
      });
    })();
    return rbacApplied;
  };

  before(async () => {
    cp = await startControlPlane(scope);
    dir = await tempDir(scope);
    base = await render(KUSTOMIZE_DIR);
    // The namespace is the operator's to create (README.md), as kubectl create does.
    await cp.kubectl(['create', 'namespace', NS]);
  });

  it('renders the objects the README lists, with the image, namespace and labels', () => {
    const names = base.map((o) => `${o.kind}/${o.metadata.name.replace(/-[a-z0-9]{10}$/, '')}`);
    assert.deepEqual(names.sort(), [
      'ClusterRole/patrol',
      'ClusterRoleBinding/patrol',
      'ConfigMap/patrol-cluster',
      'ConfigMap/patrol-node',
      'DaemonSet/patrol-node',
      'Deployment/patrol-cluster',
      'Service/patrol-cluster',
      'Service/patrol-node',
      'ServiceAccount/patrol',
    ]);
    for (const o of base) {
      assert.equal(o.metadata.labels?.['app.kubernetes.io/name'], 'patrol', o.metadata.name);
      if (!o.kind.startsWith('Cluster')) assert.equal(o.metadata.namespace, NS, o.metadata.name);
    }
    const ds = workload(base, 'DaemonSet');
    const dep = workload(base, 'Deployment');
    assert.equal(dep.spec.replicas, 1);
    for (const w of [ds, dep]) {
      const c = container(w);
      const spec = w.spec.template.spec;
      assert.equal(c.image, 'patrol:0.1.0');
      assert.deepEqual(c.securityContext, {
        runAsNonRoot: true,
        runAsUser: 65534,
        runAsGroup: 65534,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      assert.equal(spec.securityContext.runAsNonRoot, true);
      assert.deepEqual(c.ports, [{ name: 'metrics', containerPort: 9872, protocol: 'TCP' }]);
      assert.equal(c.livenessProbe.httpGet.path, '/-/healthy');
      assert.equal(c.readinessProbe.httpGet.path, '/-/ready');
      assert.ok(
        c.resources.requests.memory !== undefined && c.resources.limits.memory !== undefined,
      );
      assert.ok(c.args.includes('--config.file=/etc/patrol/patrol.yml'));
      assert.ok(c.args.includes('--web.listen-address=:9872'));
    }
    // Only the cluster's patrol has a token, and it is the service account bound in rbac.yaml.
    assert.equal(ds.spec.template.spec.automountServiceAccountToken, false);
    assert.equal(dep.spec.template.spec.serviceAccountName, 'patrol');
    const binding = find(base, 'ClusterRoleBinding', 'patrol') as K8sObject & {
      subjects: object[];
    };
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'patrol', namespace: NS }]);
    // The node's patrol: the host read-only, node_exporter's flags, masters tolerated.
    const nodeSpec = ds.spec.template.spec;
    assert.deepEqual(hostMounts(ds), {
      '/host/root': '/',
      '/host/proc': '/proc',
      '/host/sys': '/sys',
      '/run/dbus': '/run/dbus',
    });
    for (const m of container(ds).volumeMounts) {
      if (m.mountPath.startsWith('/host') || m.mountPath === '/run/dbus')
        assert.equal(m.readOnly, true, m.mountPath);
    }
    assert.equal(
      container(ds).volumeMounts.find((m) => m.mountPath === '/host/root')?.mountPropagation,
      'HostToContainer',
    );
    assert.deepEqual(
      expandedArgs(container(ds)).filter((a) => a.startsWith('--path.')),
      ['--path.rootfs=/host/root', '--path.procfs=/host/proc', '--path.sysfs=/host/sys'],
    );
    assert.equal(nodeSpec.hostNetwork, false);
    assert.equal(nodeSpec.hostPID, false);
    assert.deepEqual(nodeSpec.tolerations, [{ operator: 'Exists', effect: 'NoSchedule' }]);
    // Both Services: port `metrics` on 9872, selecting their workload's pods.
    for (const [svc, w] of [
      ['patrol-node', ds],
      ['patrol-cluster', dep],
    ] as const) {
      const s = find(base, 'Service', svc) as K8sObject & {
        spec: { type: string; selector: object; ports: object[] };
      };
      assert.equal(s.spec.type, 'ClusterIP');
      assert.deepEqual(s.spec.ports, [
        { name: 'metrics', port: 9872, targetPort: 'metrics', protocol: 'TCP' },
      ]);
      const podLabels = (w.spec.template as { metadata?: { labels?: Record<string, string> } })
        .metadata?.labels;
      for (const [k, v] of Object.entries(s.spec.selector)) assert.equal(podLabels?.[k], v, svc);
    }
  });

  it('ships patrol.yml files that patrol accepts, each running only its collectors', async () => {
    const enabled = (text: string, source: string) => {
      const cfg = parseConfigText(text, source);
      const all = cfg.collectors as Record<string, { enabled: boolean }>;
      return COLLECTOR_NAMES.filter((n) => all[n]?.enabled === true);
    };
    const ds = workload(base, 'DaemonSet');
    const dep = workload(base, 'Deployment');
    const nodeYml = configOf(base, ds);
    assert.deepEqual(enabled(nodeYml, 'config/node.yml'), [
      'filesystem',
      'directory',
      'systemd',
      'logs',
    ]);
    assert.deepEqual(enabled(configOf(base, dep), 'config/cluster.yml'), ['kubernetes']);
    // The log positions are on the writable emptyDir the DaemonSet mounts.
    const logs = parseConfigText(nodeYml, 'config/node.yml').collectors.logs;
    assert.equal(logs.positions_file, '/var/lib/patrol/log-positions.json');
    const state = container(ds).volumeMounts.find((m) => m.mountPath === '/var/lib/patrol');
    assert.ok(state !== undefined && state.readOnly !== true, 'positions dir mounted writable');
    assert.ok(
      ds.spec.template.spec.volumes.find((v) => v.name === state.name)?.emptyDir !== undefined,
    );

    // patrol takes the DaemonSet's flags (the host paths expanded as the kubelet would).
    const file = join(dir, 'node.yml');
    await writeFile(file, nodeYml);
    const args = expandedArgs(container(ds)).map((a) =>
      a.startsWith('--config.file=') ? `--config.file=${file}` : a,
    );
    const r = await runExporter([...args, '--check-config']);
    assert.equal(r.code, 0, `patrol ${args.join(' ')} --check-config:\n${r.stdout}${r.stderr}`);
  });

  it('is accepted by the API server (kubectl apply --dry-run=server)', async () => {
    const stored = await dryRun(base);
    assert.deepEqual(
      stored.map((o) => `${o.kind}/${o.metadata.name}`).sort(),
      base.map((o) => `${o.kind}/${o.metadata.name}`).sort(),
    );
    // Nothing pruned or rewritten on the way: the DaemonSet's pod spec is stored as rendered.
    const ds = workload(stored, 'DaemonSet');
    assert.deepEqual(hostMounts(ds), hostMounts(workload(base, 'DaemonSet')));
    assert.deepEqual(container(ds).securityContext.capabilities, { drop: ['ALL'] });
  });

  it('switches each host mount off with its component, alone or all together', async () => {
    const removed: Record<(typeof COMPONENTS)[number], string> = {
      'no-rootfs': '/host/root',
      'no-procfs': '/host/proc',
      'no-sysfs': '/host/sys',
      'no-dbus': '/run/dbus',
    };
    const full = hostMounts(workload(base, 'DaemonSet'));
    for (const c of COMPONENTS) {
      const objs = await overlay(c, [c]);
      const ds = workload(objs, 'DaemonSet');
      const want = Object.fromEntries(
        Object.entries(full).filter(([mountPath]) => mountPath !== removed[c]),
      );
      if (c === 'no-rootfs') want['/host/root/var/log'] = '/var/log';
      assert.deepEqual(hostMounts(ds), want, c);
      const flags = expandedArgs(container(ds));
      if (c === 'no-procfs') assert.ok(flags.includes('--path.procfs=/proc'), c);
      if (c === 'no-sysfs') assert.ok(flags.includes('--path.sysfs=/sys'), c);
      // Volumes and mounts stay paired: no mount of a removed volume, no volume left unused.
      const spec = ds.spec.template.spec;
      assert.deepEqual(
        container(ds)
          .volumeMounts.map((m) => m.name)
          .sort(),
        spec.volumes.map((v) => v.name).sort(),
        c,
      );
      // The other objects are untouched.
      assert.deepEqual(
        objs.filter((o) => o.kind !== 'DaemonSet'),
        base.filter((o) => o.kind !== 'DaemonSet'),
        c,
      );
    }
    const all = await overlay('all', [...COMPONENTS, 'namespace']);
    const ds = workload(all, 'DaemonSet');
    assert.deepEqual(hostMounts(ds), { '/host/root/var/log': '/var/log' });
    assert.deepEqual(
      expandedArgs(container(ds)).filter((a) => a.startsWith('--path.')),
      ['--path.rootfs=/host/root', '--path.procfs=/proc', '--path.sysfs=/sys'],
    );
    find(all, 'Namespace', NS);
    const stored = await dryRun(all);
    assert.equal(stored.length, all.length);
  });

  it('has a ServiceMonitor component the API server takes once its CRD exists', async () => {
    const objs = await overlay('servicemonitor', ['servicemonitor']);
    const sm = find(objs, 'ServiceMonitor', 'patrol') as K8sObject & {
      spec: Record<string, unknown>;
    };
    assert.equal(sm.metadata.namespace, NS);
    assert.equal(objs.length, base.length + 1);
    // Its job label is the Services' app.kubernetes.io/name: job="patrol", the mixin's selector.
    const job = sm.spec.jobLabel as string;
    for (const name of ['patrol-node', 'patrol-cluster'])
      assert.equal(
        `job="${find(base, 'Service', name).metadata.labels?.[job]}"`,
        defaultConfig.selector,
      );
    assert.deepEqual(sm.spec.selector, { matchLabels: { 'app.kubernetes.io/name': 'patrol' } });

    await cp.apply(SERVICE_MONITOR_CRD);
    scope.after(async () => {
      await cp.kubectl(['delete', 'crd', SERVICE_MONITOR_CRD.metadata.name, '--wait=false']);
    });
    await cp.waitFor('the ServiceMonitor CRD to be established', async () => {
      const crd = await cp.kubectlJson<{
        status?: { conditions?: { type: string; status: string }[] };
      }>(['get', 'crd', SERVICE_MONITOR_CRD.metadata.name]);
      return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    });
    const [stored] = await dryRun([sm]);
    // A field the schema does not know would have been pruned: everything came through.
    assert.deepEqual((stored as typeof sm | undefined)?.spec, sm.spec);
  });

  it('runs the kubernetes collector as the patrol service account, reading everything it needs', async (t) => {
    await applyRbac();
    const token = await saToken(cp, NS, 'patrol');

    // What there is to see: a node, a Deployment with two ready pods behind a Service.
    await cp.kubectl(['create', 'namespace', 'product']);
    t.after(async () => {
      await cp.kubectl(['delete', 'namespace', 'product', '--wait=false']);
    });
    await cp.createNode('k8snode01');
    t.after(async () => {
      await cp.kubectl(['delete', 'node', 'k8snode01', '--wait=false']);
    });
    await cp.apply([deployment('web', 2), service('web')]);
    await cp.waitFor(
      'the pods of web',
      async () => (await cp.markPodsRunning('product', 'app=web')).length === 2 || undefined,
      60_000,
    );

    // patrol with the shipped config/cluster.yml, and the service account's own token.
    const cfgDir = await tempDir(t);
    const configFile = join(cfgDir, 'patrol.yml');
    const cfg = parseAllDocuments(configOf(base, workload(base, 'Deployment')))[0]?.toJS() as {
      collectors: { kubernetes: Record<string, unknown> };
    };
    cfg.collectors.kubernetes.kubeconfig = await cp.writeKubeconfig('patrol-sa', token);
    await writeFile(configFile, stringify(cfg));
    const started = Date.now();
    const exp = await startExporter(t, { configFile, startTimeoutMs: 60_000 });
    t.diagnostic(`ready in ${Date.now() - started} ms`);

    const text = await waitFor(
      'patrol to show the seeded objects',
      async () => {
        const s = await exp.scrape();
        const available = sampleValue(s, 'patrol_kube_deployment_status_replicas_available', {
          namespace: 'product',
          deployment: 'web',
        });
        const endpoints = sampleValue(s, 'patrol_kube_endpoint_address_available', {
          namespace: 'product',
          endpoint: 'web',
        });
        return available === 2 && endpoints === 2
          ? s
          : notYet(`available ${available}, endpoints ${endpoints}`);
      },
      { timeoutMs: 60_000, context: () => exp.proc.describe() },
    );
    assert.equal(sampleValue(text, 'patrol_collector_success', { collector: 'kubernetes' }), 1);
    assert.equal(sampleValue(text, 'patrol_kube_api_up'), 1);
    assert.equal(
      sampleValue(text, 'patrol_kube_node_status_condition', {
        node: 'k8snode01',
        condition: 'Ready',
        status: 'true',
      }),
      1,
    );
    assert.equal(
      findSamples(text, 'patrol_kube_pod_status_ready', {
        namespace: 'product',
        condition: 'true',
      }).filter((s) => s.value === 1).length,
      2,
    );
    assert.equal(
      sampleValue(text, 'patrol_kube_service_spec_selector_present', {
        namespace: 'product',
        service: 'web',
      }),
      1,
    );

    // Every resource it reads (1.20 serves no discovery.k8s.io/v1: v1 endpoints instead) is
    // available, read and in sync; no request was refused.
    const watched = findSamples(text, 'patrol_kube_resource_available').map(
      (s) => s.labels.resource ?? '',
    );
    assert.deepEqual(
      watched.sort(),
      Object.keys(SPECS)
        .filter((r) => r !== 'endpointslices')
        .sort(),
    );
    for (const resource of watched) {
      assert.equal(sampleValue(text, 'patrol_kube_resource_available', { resource }), 1, resource);
      assert.equal(sampleValue(text, 'patrol_kube_resource_synced', { resource }), 1, resource);
      assert.equal(
        sampleValue(text, 'patrol_kube_resource_state', { resource, state: 'ok' }),
        1,
        resource,
      );
    }
    const refused = findSamples(text, 'patrol_kube_api_failures_total').filter(
      (s) => s.value > 0 && (s.labels.reason === 'forbidden' || s.labels.reason === 'unauthorized'),
    );
    assert.deepEqual(refused, []);
    assert.doesNotMatch(exp.proc.stderr + exp.proc.stdout, /forbid|unauthori[sz]ed/i);
  });

  it('grants the patrol service account nothing beyond list and watch of what it reads', async (t) => {
    await applyRbac();
    // A service account bound to nothing: what every authenticated user may do anyway.
    await cp.kubectl(['-n', NS, 'create', 'serviceaccount', 'patrol-baseline']);
    t.after(async () => {
      await cp.kubectl(['-n', NS, 'delete', 'serviceaccount', 'patrol-baseline', '--wait=false']);
    });
    const [patrol, baseline] = await Promise.all([
      saToken(cp, NS, 'patrol'),
      saToken(cp, NS, 'patrol-baseline'),
    ]);

    /** SelfSubjectRulesReview, asked by the service account itself. */
    const rulesOf = async (token: string, namespace: string) => {
      const res = await cp.request(
        'POST',
        '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
        {
          token,
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectRulesReview',
            spec: { namespace },
          },
        },
      );
      assert.equal(res.status, 201, res.text);
      const status = (
        JSON.parse(res.text) as {
          status: { resourceRules: Rule[]; nonResourceRules: Rule[]; incomplete: boolean };
        }
      ).status;
      assert.equal(status.incomplete, false);
      return ruleKeys([...status.resourceRules, ...status.nonResourceRules]);
    };
    for (const namespace of ['product', NS, 'kube-system']) {
      const [mine, everyone] = await Promise.all([
        rulesOf(patrol, namespace),
        rulesOf(baseline, namespace),
      ]);
      const extra = mine.filter((k) => !everyone.includes(k));
      assert.deepEqual(extra, READ.flatMap((r) => [`${r} list`, `${r} watch`]).sort(), namespace);
      assert.deepEqual(
        mine.filter((k) => k.includes('secrets')),
        [],
        namespace,
      );
    }

    // kubectl's view of the same, as an operator would ask (impersonating the account).
    const canI = await cp.kubectl(['auth', 'can-i', '--list', `--as=${SA}`, '-n', 'product']);
    for (const line of canI.stdout.split('\n').slice(1)) {
      if (line.trim() === '') continue;
      const verbs = /\[([^\]]*)\]\s*$/.exec(line)?.[1]?.split(/\s+/) ?? [];
      const resource = line.trim().split(/\s+/)[0] ?? '';
      const selfReview = /^selfsubject\w+\.authorization\.k8s\.io$/.test(resource);
      assert.ok(
        verbs.every((v) => ['get', 'list', 'watch'].includes(v) || (selfReview && v === 'create')),
        `kubectl auth can-i --list: ${line}`,
      );
      assert.doesNotMatch(line, /secrets/);
    }
    for (const [verb, resource, allowed] of [
      ['list', 'pods', true],
      ['watch', 'deployments.apps', true],
      ['list', 'endpointslices.discovery.k8s.io', true],
      ['get', 'pods', false],
      ['get', 'secrets', false],
      ['list', 'secrets', false],
      ['list', 'configmaps', false],
      ['create', 'pods', false],
      ['delete', 'deployments.apps', false],
      ['patch', 'nodes', false],
      ['update', 'services', false],
    ] as const) {
      const r = await run(KUBECTL_BIN, [
        '--kubeconfig',
        cp.kubeconfig,
        'auth',
        'can-i',
        verb,
        resource,
        `--as=${SA}`,
        '--all-namespaces',
      ]);
      assert.equal(r.stdout.trim(), allowed ? 'yes' : 'no', `can ${SA} ${verb} ${resource}?`);
    }
  });

  it('has a Prometheus job named patrol that keeps the endpoints of both Services', async () => {
    const text = await readFile(join(KUSTOMIZE_DIR, 'prometheus-scrape.yml'), 'utf8');
    const cfg = parseAllDocuments(text)[0]?.toJS() as {
      scrape_configs: {
        job_name: string;
        kubernetes_sd_configs: { role: string; namespaces: { names: string[] } }[];
        relabel_configs: { source_labels?: string[]; regex?: string; action?: string }[];
      }[];
    };
    const [job] = cfg.scrape_configs;
    assert.ok(job !== undefined);
    assert.equal(`job="${job.job_name}"`, defaultConfig.selector);
    assert.deepEqual(job.kubernetes_sd_configs, [
      { role: 'endpoints', namespaces: { names: [NS] } },
    ]);
    // Its keep rules, applied to what the Services carry, keep both.
    const keeps = job.relabel_configs.filter((r) => r.action === 'keep');
    assert.equal(keeps.length, 2);
    for (const name of ['patrol-node', 'patrol-cluster']) {
      const svc = find(base, 'Service', name) as K8sObject & {
        spec: { ports: { name: string }[] };
      };
      const meta: Record<string, string> = {
        __meta_kubernetes_service_label_app_kubernetes_io_name:
          svc.metadata.labels?.['app.kubernetes.io/name'] ?? '',
        __meta_kubernetes_endpoint_port_name: svc.spec.ports[0]?.name ?? '',
      };
      for (const k of keeps) {
        const value = (k.source_labels ?? []).map((l) => meta[l] ?? '').join(';');
        assert.match(
          value,
          new RegExp(`^(?:${k.regex ?? '(.*)'})$`),
          `${name}: ${String(k.source_labels)}`,
        );
      }
    }
  });
});

/** The token of a service account, from the Secret the token controller makes for it (1.20). */
async function saToken(cp: ControlPlane, namespace: string, name: string): Promise<string> {
  const secret = await cp.waitFor(`the token Secret of ${namespace}/${name}`, async () => {
    const sa = await cp.kubectlJson<{ secrets?: { name: string }[] }>([
      '-n',
      namespace,
      'get',
      'serviceaccount',
      name,
    ]);
    return sa.secrets?.[0]?.name;
  });
  const s = await cp.kubectlJson<{ type: string; data: { token: string } }>([
    '-n',
    namespace,
    'get',
    'secret',
    secret,
  ]);
  assert.equal(s.type, 'kubernetes.io/service-account-token');
  return Buffer.from(s.data.token, 'base64').toString('utf8');
}
