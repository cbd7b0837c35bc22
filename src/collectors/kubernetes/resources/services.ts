/**
 * Services and their endpoints (checklist C6: every Service exists and has ready endpoints).
 * Endpoints come from discovery.k8s.io/v1 EndpointSlices where the server serves them, and from
 * v1 Endpoints otherwise (1.9 to 1.20); both become ready and not-ready address counts per
 * service, in kube-state-metrics' kube_endpoint_address_available / _not_ready shape.
 */
import { addInfo, family, info, type MetricSink } from '../../../core/metrics.ts';
import { arr, bool, meta, obj, str } from '../json.ts';

export interface ServiceState {
  readonly namespace: string;
  readonly name: string;
  readonly type: string;
  readonly clusterIP: string;
  /** Whether it selects pods (a Service without a selector has endpoints kept by hand). */
  readonly selects: boolean;
}

/** Ready and not-ready addresses of one Endpoints object, or of one EndpointSlice. */
export interface AddressCounts {
  readonly namespace: string;
  /** The Endpoints' name, or the slice's name. */
  readonly name: string;
  /** The service they belong to (an Endpoints object is named after it). */
  readonly service: string;
  readonly ready: number;
  readonly notReady: number;
}

const E = ['namespace', 'endpoint'] as const;

export const serviceFamilies = {
  info: info({
    name: 'patrol_kube_service_info',
    help: "Always 1 for each Service: its type and cluster IP (kubectl get svc's TYPE and CLUSTER-IP).",
    labels: ['namespace', 'service', 'type', 'cluster_ip'],
  }),
  selector: family({
    name: 'patrol_kube_service_spec_selector_present',
    help: 'Whether the Service selects pods (1) or has its endpoints kept by hand (0); only the first can be told to have no ready endpoints.',
    type: 'gauge',
    labels: ['namespace', 'service'],
  }),
  available: family({
    name: 'patrol_kube_endpoint_address_available',
    help: "Ready addresses of the Service's endpoints (label endpoint: the Service's name), from its EndpointSlices where served, else its Endpoints; 0 when none is ready or it has none yet.",
    type: 'gauge',
    labels: E,
  }),
  notReady: family({
    name: 'patrol_kube_endpoint_address_not_ready',
    help: "Addresses of the Service's endpoints that are not ready (its pods exist and fail their readiness).",
    type: 'gauge',
    labels: E,
  }),
} as const;

export function transformService(raw: unknown): ServiceState | undefined {
  const m = meta(raw);
  const spec = obj(obj(raw)?.spec);
  if (m === undefined) return undefined;
  const selector = obj(spec?.selector);
  return {
    namespace: m.namespace,
    name: m.name,
    type: str(spec?.type) ?? 'ClusterIP',
    clusterIP: str(spec?.clusterIP) ?? '',
    selects: selector !== undefined && Object.keys(selector).length > 0,
  };
}

/** v1 Endpoints: addresses and notReadyAddresses over its subsets (one per port set). */
export function transformEndpoints(raw: unknown): AddressCounts | undefined {
  const m = meta(raw);
  if (m === undefined) return undefined;
  const ready = new Set<string>();
  const notReady = new Set<string>();
  for (const subset of arr(obj(raw)?.subsets)) {
    for (const a of arr(obj(subset)?.addresses)) ready.add(str(obj(a)?.ip) ?? '');
    for (const a of arr(obj(subset)?.notReadyAddresses)) notReady.add(str(obj(a)?.ip) ?? '');
  }
  return { namespace: m.namespace, name: m.name, service: m.name, ...sizes(ready, notReady) };
}

/** discovery.k8s.io/v1 EndpointSlice: its endpoints' addresses by their ready condition. */
export function transformEndpointSlice(raw: unknown): AddressCounts | undefined {
  const m = meta(raw);
  const o = obj(raw);
  if (m === undefined || o === undefined) return undefined;
  const service = str(obj(obj(o.metadata)?.labels)?.['kubernetes.io/service-name']);
  if (service === undefined) return undefined; // not a Service's slice
  const ready = new Set<string>();
  const notReady = new Set<string>();
  for (const e of arr(o.endpoints)) {
    // The API's rule: an unknown readiness (absent) is ready.
    const isReady = bool(obj(obj(e)?.conditions)?.ready) ?? true;
    for (const address of arr(obj(e)?.addresses)) {
      (isReady ? ready : notReady).add(str(address) ?? '');
    }
  }
  return { namespace: m.namespace, name: m.name, service, ...sizes(ready, notReady) };
}

function sizes(ready: Set<string>, notReady: Set<string>) {
  // An address both ready (one port set) and not (another) counts as ready.
  for (const a of ready) notReady.delete(a);
  return { ready: ready.size, notReady: notReady.size };
}

/**
 * Every Service, with the addresses of its endpoints summed over them (one Endpoints object,
 * or several slices); a Service with none yet is 0 ready, never absent.
 */
export function emitServices(
  sink: MetricSink,
  services: Iterable<ServiceState>,
  endpoints: Iterable<AddressCounts>,
): void {
  const f = serviceFamilies;
  const byService = new Map<string, { ready: number; notReady: number }>();
  for (const e of endpoints) {
    const key = `${e.namespace}/${e.service}`;
    const sum = byService.get(key) ?? { ready: 0, notReady: 0 };
    sum.ready += e.ready;
    sum.notReady += e.notReady;
    byService.set(key, sum);
  }
  for (const s of services) {
    const ns = s.namespace;
    addInfo(sink, f.info, {
      namespace: ns,
      service: s.name,
      type: s.type,
      cluster_ip: s.clusterIP,
    });
    sink.add(f.selector, { namespace: ns, service: s.name }, s.selects ? 1 : 0);
    // ExternalName services have no endpoints by design.
    if (s.type === 'ExternalName') continue;
    const sum = byService.get(`${ns}/${s.name}`) ?? { ready: 0, notReady: 0 };
    sink.add(f.available, { namespace: ns, endpoint: s.name }, sum.ready);
    sink.add(f.notReady, { namespace: ns, endpoint: s.name }, sum.notReady);
  }
}
