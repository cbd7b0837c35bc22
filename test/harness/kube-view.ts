/**
 * What `kubectl get` shows, read from its JSON by the test itself (not by patrol's transforms),
 * and the same facts read from patrol's /metrics: the two must be equal. Each fact is a line
 * `what = value`, so a difference reads like kubectl's own columns.
 */
import { parseSamples, type Sample } from './metrics.ts';
import type { ControlPlane } from './kubernetes.ts';

type Facts = Map<string, number | string>;

interface Obj {
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  subsets?: { addresses?: { ip: string }[]; notReadyAddresses?: { ip: string }[] }[];
}

const list = async (cp: ControlPlane, args: string[]) =>
  (await cp.kubectlJson<{ items: Obj[] }>(args)).items;

/** kubectl get node / deployment / po / svc,endpoints / ds, as facts. */
export async function kubectlView(cp: ControlPlane, namespaces: readonly string[]): Promise<Facts> {
  const f: Facts = new Map();
  for (const n of await list(cp, ['get', 'nodes'])) {
    const conditions = (n.status?.conditions ?? []) as { type: string; status: string }[];
    f.set(
      `node ${n.metadata.name} Ready`,
      conditions.find((c) => c.type === 'Ready')?.status ?? 'Unknown',
    );
    f.set(`node ${n.metadata.name} SchedulingDisabled`, n.spec?.unschedulable === true ? 1 : 0);
  }
  for (const ns of namespaces) {
    for (const d of await list(cp, ['-n', ns, 'get', 'deployments'])) {
      const id = `deployment ${ns}/${d.metadata.name}`;
      const s = d.status ?? {};
      f.set(`${id} DESIRED`, (d.spec?.replicas as number | undefined) ?? 1);
      f.set(`${id} CURRENT`, (s.replicas as number | undefined) ?? 0);
      f.set(`${id} UP-TO-DATE`, (s.updatedReplicas as number | undefined) ?? 0);
      f.set(`${id} AVAILABLE`, (s.availableReplicas as number | undefined) ?? 0);
      for (const c of (s.conditions ?? []) as { type: string; status: string; reason: string }[]) {
        f.set(`${id} condition ${c.type}`, `${c.status} ${c.reason}`);
      }
    }
    for (const p of await list(cp, ['-n', ns, 'get', 'pods'])) {
      const id = `pod ${ns}/${p.metadata.name}`;
      const cs = (p.status?.containerStatuses ?? []) as { ready: boolean; restartCount: number }[];
      const containers = ((p.spec?.containers ?? []) as unknown[]).length;
      f.set(`${id} READY`, `${cs.filter((c) => c.ready).length}/${containers}`);
      f.set(`${id} STATUS`, (p.status?.phase as string | undefined) ?? 'Unknown');
      f.set(
        `${id} RESTARTS`,
        cs.reduce((n, c) => n + c.restartCount, 0),
      );
    }
    for (const ds of await list(cp, ['-n', ns, 'get', 'daemonsets'])) {
      const id = `daemonset ${ns}/${ds.metadata.name}`;
      const s = ds.status ?? {};
      f.set(`${id} DESIRED`, (s.desiredNumberScheduled as number | undefined) ?? 0);
      f.set(`${id} CURRENT`, (s.currentNumberScheduled as number | undefined) ?? 0);
      f.set(`${id} READY`, (s.numberReady as number | undefined) ?? 0);
      f.set(`${id} UP-TO-DATE`, (s.updatedNumberScheduled as number | undefined) ?? 0);
      f.set(`${id} AVAILABLE`, (s.numberAvailable as number | undefined) ?? 0);
    }
    const endpoints = new Map(
      (await list(cp, ['-n', ns, 'get', 'endpoints'])).map((e) => [e.metadata.name, e]),
    );
    for (const svc of await list(cp, ['-n', ns, 'get', 'services'])) {
      const e = endpoints.get(svc.metadata.name);
      const ready = new Set(e?.subsets?.flatMap((s) => (s.addresses ?? []).map((a) => a.ip)));
      const notReady = new Set(
        e?.subsets?.flatMap((s) => (s.notReadyAddresses ?? []).map((a) => a.ip)),
      );
      f.set(`service ${ns}/${svc.metadata.name} ENDPOINTS ready`, ready.size);
      f.set(`service ${ns}/${svc.metadata.name} ENDPOINTS not ready`, notReady.size);
    }
  }
  return f;
}

/** The same facts from patrol's exposition (only namespaces in `namespaces`). */
export function patrolView(text: string, namespaces: readonly string[]): Facts {
  const f: Facts = new Map();
  const samples = parseSamples(text);
  const of = (name: string) => samples.filter((s) => s.name === name);
  const inNs = (s: Sample) => namespaces.includes(s.labels.namespace ?? '');
  for (const s of of('patrol_kube_node_status_condition')) {
    if (s.labels.condition === 'Ready' && s.value === 1) {
      const status =
        { true: 'True', false: 'False', unknown: 'Unknown' }[s.labels.status ?? ''] ?? '?';
      f.set(`node ${s.labels.node} Ready`, status);
    }
  }
  for (const s of of('patrol_kube_node_spec_unschedulable')) {
    f.set(`node ${s.labels.node} SchedulingDisabled`, s.value);
  }
  const column: Record<string, string> = {
    patrol_kube_deployment_spec_replicas: 'DESIRED',
    patrol_kube_deployment_status_replicas: 'CURRENT',
    patrol_kube_deployment_status_replicas_updated: 'UP-TO-DATE',
    patrol_kube_deployment_status_replicas_available: 'AVAILABLE',
    patrol_kube_daemonset_status_desired_number_scheduled: 'DESIRED',
    patrol_kube_daemonset_status_current_number_scheduled: 'CURRENT',
    patrol_kube_daemonset_status_number_ready: 'READY',
    patrol_kube_daemonset_status_updated_number_scheduled: 'UP-TO-DATE',
    patrol_kube_daemonset_status_number_available: 'AVAILABLE',
  };
  for (const [name, col] of Object.entries(column)) {
    for (const s of of(name).filter(inNs)) {
      const kind = name.includes('deployment') ? 'deployment' : 'daemonset';
      f.set(`${kind} ${s.labels.namespace}/${s.labels[kind]} ${col}`, s.value);
    }
  }
  for (const s of of('patrol_kube_deployment_status_condition').filter(inNs)) {
    if (s.value !== 1) continue;
    const status =
      { true: 'True', false: 'False', unknown: 'Unknown' }[s.labels.status ?? ''] ?? '?';
    f.set(
      `deployment ${s.labels.namespace}/${s.labels.deployment} condition ${s.labels.condition}`,
      `${status} ${s.labels.reason}`,
    );
  }
  const pods = new Map<string, { ready: number; containers: number; restarts: number }>();
  const pod = (s: Sample) => {
    const id = `pod ${s.labels.namespace}/${s.labels.pod}`;
    let p = pods.get(id);
    if (p === undefined) {
      p = { ready: 0, containers: 0, restarts: 0 };
      pods.set(id, p);
    }
    return p;
  };
  for (const s of of('patrol_kube_pod_container_status_ready').filter(inNs)) {
    const p = pod(s);
    p.containers++;
    p.ready += s.value;
  }
  for (const s of of('patrol_kube_pod_container_status_restarts_total').filter(inNs)) {
    pod(s).restarts += s.value;
  }
  for (const s of of('patrol_kube_pod_status_phase').filter(inNs)) {
    pod(s);
    if (s.value === 1)
      f.set(`pod ${s.labels.namespace}/${s.labels.pod} STATUS`, s.labels.phase ?? '');
  }
  for (const [id, p] of pods) {
    f.set(`${id} READY`, `${p.ready}/${p.containers}`);
    f.set(`${id} RESTARTS`, p.restarts);
  }
  for (const s of of('patrol_kube_endpoint_address_available').filter(inNs)) {
    f.set(`service ${s.labels.namespace}/${s.labels.endpoint} ENDPOINTS ready`, s.value);
  }
  for (const s of of('patrol_kube_endpoint_address_not_ready').filter(inNs)) {
    f.set(`service ${s.labels.namespace}/${s.labels.endpoint} ENDPOINTS not ready`, s.value);
  }
  return f;
}

/** The lines that differ (what kubectl says, then what patrol says), empty when equal. */
export function differences(kubectl: Facts, patrol: Facts): string[] {
  const out: string[] = [];
  for (const key of new Set([...kubectl.keys(), ...patrol.keys()])) {
    const a = kubectl.get(key);
    const b = patrol.get(key);
    if (a !== b)
      out.push(`${key}: kubectl ${String(a ?? '(none)')}, patrol ${String(b ?? '(none)')}`);
  }
  return out.sort();
}
