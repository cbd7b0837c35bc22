/**
 * The kubernetes collector (checklist C3-C6, C11-C13): one per cluster. Discovery says what
 * the server serves; a reflector per resource (and per namespace when `namespaces` is set)
 * lists and watches it (reflector.ts) over the core HTTP client with the kubeconfig's or the
 * service account's credentials (credentials.ts); a check of GET /version tells whether the
 * API answers. A scrape reads memory (samples.ts).
 */
import {
  CollectFailure,
  defineCollector,
  type Collector,
  type CollectorContext,
} from '../../core/collector.ts';
import { describeError } from '../../core/errors.ts';
import { LogOnce } from '../../core/log-once.ts';
import { addInfo, addStateSet, type MetricSink } from '../../core/metrics.ts';
import { Supervisor } from '../../core/supervisor.ts';
import {
  apiClient,
  ApiError,
  failureReason,
  FAILURE_REASONS,
  type ApiClient,
  type Credentials,
  type FailureReason,
} from './api.ts';
import { kubernetesConfig, type KubernetesConfig } from './config.ts';
import { inClusterProblem, loadCredentials } from './credentials.ts';
import { groupVersion, isServed, servedResources, type Served } from './discovery.ts';
import { str } from './json.ts';
import { allKubeFamilies, kubeFamilies as f, RESOURCE_STATES } from './metrics.ts';
import { Reflector } from './reflector.ts';
import { RenderCache, type VersionedStores } from './samples.ts';
import { SPECS, type ResourceName } from './specs.ts';

export interface KubernetesDeps {
  /** Credentials to use instead of the configuration's (tests). */
  readonly credentials?: Credentials;
}

export interface KubernetesCollector extends Collector {
  start(): Promise<void>;
  stop(): Promise<void>;
  ready(): boolean;
}

type ResourceState = (typeof RESOURCE_STATES)[number];

/** What every resource's state has; the stores are typed per resource where they are read. */
type Named = { readonly namespace?: string; readonly name: string };

/** One resource's reflectors (one, or one per namespace) and what is known of it. */
interface Watched {
  readonly name: ResourceName;
  readonly reflectors: Reflector<Named>[];
  state: ResourceState;
}

export function createKubernetesCollector(
  cfg: KubernetesConfig,
  ctx: CollectorContext,
  deps: KubernetesDeps = {},
): KubernetesCollector {
  const log = ctx.logger.child({ collector: 'kubernetes' });
  const logOnce = new LogOnce(log);
  const failures = new Map<string, Record<FailureReason, number>>();
  const watched = new Map<ResourceName, Watched>();
  let api: ApiClient | undefined;
  let credentialsProblem: string | undefined;
  let apiUp = false;
  let gitVersion: string | undefined;
  let discoveryTried = false;
  let healthTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  const rendered = new RenderCache();

  const countFailure = (resource: string, err: unknown): FailureReason => {
    const reason = failureReason(err);
    let counts = failures.get(resource);
    if (counts === undefined) {
      counts = Object.fromEntries(FAILURE_REASONS.map((r) => [r, 0])) as Record<
        FailureReason,
        number
      >;
      failures.set(resource, counts);
    }
    counts[reason]++;
    // No answer, or an answer refusing our credentials: the API is not there for us.
    if (reason === 'unauthorized' || !(err instanceof ApiError)) apiUp = false;
    return reason;
  };

  /** GET /version: is the API there, and does it take our credentials. One at a time. */
  let checking = false;
  const checkHealth = async (): Promise<void> => {
    if (api === undefined || checking) return;
    checking = true;
    try {
      const v = await api.get('/version', {});
      apiUp = true;
      gitVersion = str(v.gitVersion);
      logOnce.recover('api', 'the Kubernetes API answers again', { server: serverOf(cfg, deps) });
    } catch (err) {
      countFailure('version', err);
      apiUp = false;
      const error = describeError(err);
      logOnce.fail('api', failureReason(err), 'the Kubernetes API does not answer patrol', {
        server: serverOf(cfg, deps),
        error,
      });
    } finally {
      checking = false;
    }
  };

  const onReflectorFailure = (w: Watched) => (err: unknown, verb: 'list' | 'watch') => {
    const reason = countFailure(w.name, err);
    const key = `resource ${w.name}`;
    if (reason === 'forbidden') {
      w.state = 'forbidden';
      logOnce.fail(
        key,
        reason,
        `RBAC forbids patrol to ${verb} ${w.name}; the other resources keep working`,
        {
          resource: w.name,
          verb,
          error: describeError(err),
        },
      );
    } else if (reason === 'not_found') {
      w.state = 'not_served';
      logOnce.fail(key, reason, `the server does not serve ${w.name}`, { resource: w.name, verb });
    } else {
      w.state = 'failing';
      logOnce.fail(key, reason, `cannot ${verb} ${w.name}; trying again with backoff`, {
        resource: w.name,
        error: describeError(err),
      });
    }
  };

  /** Discovery, then a reflector per served resource (per namespace when asked). */
  const discover = async (client: ApiClient): Promise<Served> => {
    const served = new Map<string, Set<string>>();
    const groups = new Set(Object.values(SPECS).map((s) => `${s.group}|${s.version}`));
    for (const g of groups) {
      const [group = '', version = ''] = g.split('|');
      const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
      try {
        served.set(groupVersion(group, version), servedResources(await client.get(path, {})));
      } catch (err) {
        // A group version this server does not serve is a 404: absent, not a failure.
        if (err instanceof ApiError && err.status === 404) continue;
        countFailure('discovery', err);
        throw err;
      }
    }
    return served;
  };

  const startReflectors = (client: ApiClient, served: Served): void => {
    const slices = isServed(served, SPECS.endpointslices);
    for (const spec of Object.values(SPECS)) {
      const name = spec.resource as ResourceName;
      // Endpoints come from slices where served (1.21+), else from v1 Endpoints: one of the two.
      if (name === 'endpoints' && slices) continue;
      const w: Watched = { name, reflectors: [], state: 'ok' };
      watched.set(name, w);
      if (!isServed(served, spec)) {
        if (name === 'endpointslices') {
          watched.delete(name);
          continue;
        }
        w.state = 'not_served';
        log.warn(`the server does not serve ${name}; its metrics are absent`, { resource: name });
        continue;
      }
      const scopes = spec.namespaced && cfg.namespaces.length > 0 ? cfg.namespaces : [''];
      for (const namespace of scopes) {
        const r = new Reflector<Named>(spec, client, {
          namespace,
          pageSize: cfg.page_size,
          watchTimeoutMs: cfg.watch_timeout,
          requestTimeoutMs: cfg.request_timeout,
          logger: log,
          onFailure: onReflectorFailure(w),
          onAnswer: () => {
            if (w.state !== 'ok') {
              w.state = 'ok';
              logOnce.recover(`resource ${name}`, `${name} is read again`, { resource: name });
            }
          },
        });
        w.reflectors.push(r);
        r.start();
      }
    }
  };

  const discovery = new Supervisor({
    name: 'Kubernetes API discovery',
    logger: log,
    backoff: { initialMs: 1000, maxMs: 60_000 },
    run: async (loop) => {
      if (api === undefined) return;
      let served: Served;
      try {
        served = await discover(api);
      } finally {
        discoveryTried = true;
      }
      if (loop.signal.aborted) return;
      loop.healthy();
      startReflectors(api, served);
      // Done: this loop's work is the reflectors' now; it only waits to be stopped.
      await new Promise<void>((resolve) => {
        loop.signal.addEventListener('abort', () => {
          resolve();
        });
      });
    },
  });

  const all = () => [...watched.values()];

  return {
    name: 'kubernetes',
    timeoutMs: cfg.timeout,
    async start() {
      let creds: Credentials;
      try {
        creds = deps.credentials ?? loadCredentials(cfg);
      } catch (err) {
        credentialsProblem = describeError(err);
        discoveryTried = true;
        throw err;
      }
      api = apiClient(creds, cfg.request_timeout);
      await checkHealth();
      healthTimer = setInterval(() => void checkHealth(), Math.min(15_000, cfg.request_timeout));
      healthTimer.unref();
      discovery.start();
    },
    ready: () => discoveryTried && all().every((w) => w.reflectors.every((r) => r.attempted)),
    async stop() {
      stopped = true;
      clearInterval(healthTimer);
      await discovery.stop();
      await Promise.all(all().flatMap((w) => w.reflectors.map((r) => r.stop())));
    },
    collect(sink: MetricSink) {
      if (stopped) return;
      sink.add(f.up, {}, apiUp ? 1 : 0);
      if (gitVersion !== undefined) addInfo(sink, f.apiInfo, { git_version: gitVersion });
      for (const [resource, counts] of failures) {
        for (const reason of FAILURE_REASONS)
          sink.add(f.failures, { resource, reason }, counts[reason]);
      }
      for (const w of all()) emitResourceHealth(sink, w, apiUp);
      rendered.emit(sink, stores());
      if (credentialsProblem !== undefined) {
        // Its patrol_kube_api_up 0 is true and worth exporting: a CollectFailure keeps it.
        throw new CollectFailure(`no credentials for the Kubernetes API: ${credentialsProblem}`);
      }
    },
  };

  /** Each resource's objects (over its reflectors) and their combined version. */
  function stores(): VersionedStores {
    const of = (name: ResourceName | readonly ResourceName[]) => {
      const rs = (Array.isArray(name) ? name : [name]).flatMap(
        (n: ResourceName) => watched.get(n)?.reflectors ?? [],
      );
      return {
        items: () => rs.flatMap((r) => [...r.store.values()]),
        version: rs.map((r) => r.version).join(','),
      };
    };
    return {
      nodes: of('nodes'),
      pods: of('pods'),
      deployments: of('deployments'),
      statefulsets: of('statefulsets'),
      daemonsets: of('daemonsets'),
      replicasets: of('replicasets'),
      services: of('services'),
      endpoints: of(['endpoints', 'endpointslices']),
    } as unknown as VersionedStores;
  }
}

function emitResourceHealth(sink: MetricSink, w: Watched, apiUp: boolean): void {
  const resource = w.name;
  const rs = w.reflectors;
  sink.add(f.available, { resource }, w.state === 'forbidden' || w.state === 'not_served' ? 0 : 1);
  addStateSet(sink, f.state, { resource }, w.state);
  const synced = apiUp && rs.length > 0 && rs.every((r) => r.synced);
  sink.add(f.synced, { resource }, synced ? 1 : 0);
  if (rs.length === 0) return;
  let objects = 0;
  let skipped = 0;
  let last: number | undefined;
  const relists: Record<string, number> = {};
  const restarts: Record<string, number> = {};
  const events: Record<string, number> = {};
  for (const r of rs) {
    objects += r.store.size;
    skipped += r.skipped;
    if (r.lastEvent !== undefined) last = Math.max(last ?? 0, r.lastEvent);
    for (const [k, v] of Object.entries(r.relists)) relists[k] = (relists[k] ?? 0) + v;
    for (const [k, v] of Object.entries(r.restarts)) restarts[k] = (restarts[k] ?? 0) + v;
    for (const [k, v] of Object.entries(r.events)) events[k] = (events[k] ?? 0) + v;
  }
  sink.add(f.objects, { resource }, objects);
  sink.add(f.skipped, { resource }, skipped);
  if (last !== undefined) sink.add(f.lastEvent, { resource }, last);
  for (const [reason, v] of Object.entries(relists)) sink.add(f.relists, { resource, reason }, v);
  for (const [reason, v] of Object.entries(restarts)) sink.add(f.restarts, { resource, reason }, v);
  for (const [type, v] of Object.entries(events)) sink.add(f.events, { resource, type }, v);
}

function serverOf(cfg: KubernetesConfig, deps: KubernetesDeps): string {
  return deps.credentials?.server.href ?? cfg.kubeconfig ?? 'in-cluster';
}

export const kubernetesCollector = defineCollector({
  name: 'kubernetes',
  config: kubernetesConfig,
  families: allKubeFamilies,
  unavailable: (cfg) =>
    cfg.kubeconfig !== undefined
      ? undefined
      : (() => {
          const why = inClusterProblem();
          return why === undefined
            ? undefined
            : `no cluster to watch: ${why}, and collectors.kubernetes.kubeconfig is not set`;
        })(),
  describe: (cfg) =>
    !cfg.enabled
      ? 'disabled in configuration (collectors.kubernetes.enabled: false)'
      : `watching ${cfg.namespaces.length === 0 ? 'every namespace' : `namespaces ${cfg.namespaces.join(', ')}`} of the cluster of ${cfg.kubeconfig === undefined ? 'the in-cluster service account' : `${cfg.kubeconfig}${cfg.context === undefined ? '' : ` (context ${cfg.context})`}`}`,
  create: (cfg, ctx) => createKubernetesCollector(cfg, ctx),
});
