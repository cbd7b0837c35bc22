/**
 * A real Kubernetes control plane for tests: etcd, kube-apiserver and (by default)
 * kube-controller-manager and kube-scheduler v1.20.2, on free 127.0.0.1 ports, with a
 * self-signed CA, a static token file, RBAC on and anonymous access off. Everything (certificates,
 * etcd data, logs, kubeconfigs, kubectl's cache) is in one temp dir that goes away with the scope.
 *
 * There is no kubelet: createNode() and markPodsRunning() write what a kubelet would report,
 * through the status subresource. The real controllers do the rest (ReplicaSets and pods for
 * Deployments, Deployment status, Endpoints from ready pods with a podIP).
 */
import { access, constants, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../exporter.ts';
import type { HttpResponse } from '../http.ts';
import { run, type ManagedProcess, type RunResult, type Scope } from '../process.ts';
import { waitFor, type NotYet } from '../wait.ts';
import { apiClient, kubectlRunner } from './client.ts';
import { objectHelpers } from './objects.ts';
import { hex, makePki, staticTokens, writeKubeconfigFile } from './pki.ts';
import {
  ETCD_BIN,
  compactEtcd,
  describeProcesses,
  launchControllers,
  rss,
  startEtcd,
  startKubeApiServer,
} from './processes.ts';

export { ETCD_BIN, ETCDCTL_BIN, KUBECTL_BIN, KUBERNETES_VERSION } from './processes.ts';

/** The Ready condition's status, as a kubelet (or the node lifecycle controller) reports it. */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface ControlPlaneOptions {
  /** kube-controller-manager and kube-scheduler too (default true); false: etcd + apiserver only. */
  controllers?: boolean;
  /** How long to wait for /readyz after a launch (default 60 s). */
  readyTimeoutMs?: number;
}

export interface NodeOptions {
  ready?: ConditionStatus;
  unschedulable?: boolean;
  /** Added to kubernetes.io/hostname, kubernetes.io/os and kubernetes.io/arch. */
  labels?: Record<string, string>;
  /** Overrides fields of status.nodeInfo (kubeletVersion, kernelVersion, osImage...). */
  nodeInfo?: Record<string, string>;
  /** Overrides status.capacity and status.allocatable (default cpu 4, memory 8Gi, pods 110). */
  capacity?: Record<string, string>;
}

export interface ControlPlane {
  /** https://127.0.0.1:<port> */
  readonly server: string;
  /** The cluster CA (PEM file) and its text. */
  readonly caFile: string;
  readonly ca: string;
  /** Bearer token of "admin" (group system:masters). */
  readonly adminToken: string;
  /** An admin kubeconfig: token auth, the CA file, cluster/context "local". */
  readonly kubeconfig: string;
  /** The working dir: pki/, etcd/, logs/, kubeconfigs. Removed by stop(). */
  readonly dir: string;
  readonly etcdEndpoint: string;
  /** ms from launching kube-apiserver to its first 200 on /readyz, first start and last restart. */
  readonly timings: { readonly readyMs: number; readonly lastRestartReadyMs: number | undefined };
  readonly apiServerPid: number;

  /** kubectl with the admin kubeconfig (or `opts.kubeconfig`); throws with stderr on non-zero exit. */
  kubectl(
    args: readonly string[],
    opts?: { input?: string; kubeconfig?: string; timeoutMs?: number },
  ): Promise<RunResult>;
  /** kubectl ... -o json, parsed. */
  kubectlJson<T = unknown>(args: readonly string[]): Promise<T>;
  /** kubectl apply -f - of YAML/JSON text, one object or a list of objects. */
  apply(manifest: string | object | readonly object[]): Promise<void>;
  /**
   * A request to the API server as admin (or as `opts.token`), JSON in and out; the response
   * whatever its status.
   */
  request(
    method: string,
    path: string,
    opts?: { body?: unknown; token?: string; contentType?: string; timeoutMs?: number },
  ): Promise<HttpResponse>;
  /** request() that throws unless the status is 2xx, and returns the parsed body. */
  api<T = unknown>(method: string, path: string, body?: unknown, contentType?: string): Promise<T>;

  /**
   * A Node as a kubelet would report it (conditions, addresses, capacity, nodeInfo), with the
   * taints the node lifecycle controller keeps in step with Ready (none when True,
   * not-ready:NoSchedule when False, unreachable:NoSchedule when Unknown; unschedulable:NoSchedule
   * when cordoned). Ready defaults to True, so the scheduler can use the node.
   */
  createNode(name: string, opts?: NodeOptions): Promise<void>;
  /** Sets the Ready condition (Unknown: every condition, as when the kubelet stops posting). */
  setNodeReady(name: string, ready: ConditionStatus): Promise<void>;
  /** Merge-patches the status subresource of an object: kind as kubectl names it ('pod', 'deployment'). */
  patchStatus(kind: string, name: string, status: object, namespace?: string): Promise<void>;
  /**
   * Every pod matched by `selector` in `namespace` Running with a podIP (kept if it had one) and
   * hostIP, its containers (from its spec) running, Ready unless `ready: false`. Returns the
   * pods' names.
   */
  markPodsRunning(
    namespace: string,
    selector: string,
    opts?: { ready?: boolean; restartCount?: number },
  ): Promise<string[]>;

  /** A user with a static token (new, or `token` again) and `groups`; restarts the API server. Returns the token. */
  addUser(name: string, groups?: readonly string[], token?: string): Promise<string>;
  /** Removes a user's token; restarts the API server. */
  removeUser(name: string): Promise<void>;
  /** Writes a kubeconfig for `token` (context "local"); returns its path. */
  writeKubeconfig(user: string, token: string): Promise<string>;

  /**
   * Stops the API server, starts it again with the same flags and port and waits for /readyz.
   * SIGTERM closes its listener at once, but with watches open (the controllers') v1.20 drains
   * for 60 s: SIGKILL follows after `graceMs` (default 1 s; 0: SIGKILL at once).
   */
  restartApiServer(opts?: { graceMs?: number }): Promise<void>;
  /** SIGSTOP: the API server holds its connections and answers nothing. */
  freezeApiServer(): void;
  /** SIGCONT. */
  thawApiServer(): void;
  /** Compacts etcd up to its current revision; returns that revision. */
  compactEtcd(): Promise<number>;

  /** VmRSS (KiB) of each running process, by name. */
  rss(): Promise<Record<string, number>>;
  /** The tails of every process' log, for error messages. */
  describe(lines?: number): string;
  /** waitFor() with describe() in the timeout error. */
  waitFor<T>(
    what: string,
    probe: () => Promise<T | undefined | false | NotYet> | T | undefined | false | NotYet,
    timeoutMs?: number,
  ): Promise<T>;
  /** Kills every process it started (and only those) and removes the dir. Also at scope end. */
  stop(): Promise<void>;
}

let binaries: Promise<string> | undefined;

/** The directory holding kube-apiserver & co (runs the idempotent provision script once). */
export function kubernetesBinaries(): Promise<string> {
  binaries ??= (async () => {
    const script = join(ROOT, 'scripts', 'provision', 'kubernetes.sh');
    const r = await run('bash', [script], { timeoutMs: 60 * 60_000 });
    const dir = r.stdout.trim().split('\n').at(-1)?.trim() ?? '';
    if (r.code !== 0 || dir === '')
      throw new Error(`${script} exited ${r.code}:\n${r.stderr}${r.stdout}`);
    for (const b of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'])
      await access(join(dir, b), constants.X_OK);
    return dir;
  })();
  binaries.catch(() => {
    binaries = undefined; // let a later call try again
  });
  return binaries;
}

/**
 * Starts etcd and kube-apiserver (and, unless `controllers: false`, kube-controller-manager and
 * kube-scheduler) on free loopback ports; resolves once /readyz answers 200. `scope` stops them
 * and removes the dir at the end, whatever happened before.
 */
export async function startControlPlane(
  scope: Scope,
  opts: ControlPlaneOptions = {},
): Promise<ControlPlane> {
  const bin = await kubernetesBinaries();
  await access(ETCD_BIN, constants.X_OK).catch(() => {
    throw new Error(
      `${ETCD_BIN} not found: install the Debian package "etcd-server" (or set ETCD_BIN)`,
    );
  });
  const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000;

  // Our own dir, removed by stop() after the processes are dead (node:test runs `after` hooks
  // in registration order, and etcd writes into its data dir until killed).
  const dir = await mkdtemp(join(tmpdir(), 'patrol-kubernetes-'));
  const pki = join(dir, 'pki');
  const logs = join(dir, 'logs');
  const cacheDir = join(dir, 'kubectl-cache');
  const caFile = join(pki, 'ca.crt');
  const tokenFile = join(pki, 'tokens.csv');
  const kubeconfig = join(dir, 'kubeconfig');

  const procs: ManagedProcess[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      // SIGKILL, newest first: nothing here needs a graceful end, and the dir goes next.
      for (const p of [...procs].reverse()) await p.kill();
      await rm(dir, { recursive: true, force: true, maxRetries: 5 });
    })();
    return stopping;
  };
  scope.after(stop);

  const describe = (lines = 40) => describeProcesses(procs, lines);

  await mkdir(logs);
  await makePki(pki);
  const ca = await readFile(caFile, 'utf8');
  const adminToken = hex(24);
  const tokens = staticTokens(tokenFile, adminToken);
  await tokens.write();

  // ---- etcd ----
  const etcdEndpoint = await startEtcd({ dir, logs, procs });

  // ---- kube-apiserver ----
  const apiserver = await startKubeApiServer({
    bin,
    dir,
    pki,
    logs,
    caFile,
    tokenFile,
    etcdEndpoint,
    ca,
    adminToken,
    readyTimeoutMs,
    procs,
  });
  const server = () => apiserver.server;

  const kubeconfigFile = (file: string, user: string, token: string): Promise<string> =>
    writeKubeconfigFile(file, { server: server(), caFile, user, token });
  await kubeconfigFile(kubeconfig, 'admin', adminToken);
  const writeKubeconfig = (user: string, token: string) =>
    kubeconfigFile(join(dir, `kubeconfig-${user}`), user, token);

  // ---- controllers ----
  if (opts.controllers ?? true)
    procs.push(...launchControllers({ bin, dir, pki, logs, caFile, kubeconfig }));

  // ---- the API ----
  const kubectl = kubectlRunner(kubeconfig, cacheDir);
  const { request: httpRequest, api } = apiClient(server, ca, adminToken);
  const objects = objectHelpers(api, kubectl);
  const restartApiServer = (o: { graceMs?: number } = {}) => apiserver.restart(o);

  const cp: ControlPlane = {
    get server() {
      return server();
    },
    caFile,
    ca,
    adminToken,
    kubeconfig,
    dir,
    etcdEndpoint,
    get timings() {
      return { readyMs: apiserver.readyMs, lastRestartReadyMs: apiserver.lastRestartReadyMs };
    },
    get apiServerPid() {
      return apiserver.pid;
    },
    kubectl,
    async kubectlJson<T = unknown>(args: readonly string[]): Promise<T> {
      const r = await kubectl([...args, '-o', 'json']);
      return JSON.parse(r.stdout) as T;
    },
    async apply(manifest) {
      const input =
        typeof manifest === 'string'
          ? manifest
          : JSON.stringify(
              Array.isArray(manifest)
                ? { apiVersion: 'v1', kind: 'List', items: manifest }
                : manifest,
            );
      await kubectl(['apply', '-f', '-'], { input });
    },
    request: httpRequest,
    api,

    createNode: objects.createNode,
    setNodeReady: objects.setNodeReady,
    patchStatus: objects.patchStatus,
    markPodsRunning: objects.markPodsRunning,

    async addUser(name, groups = [], given) {
      if (name === 'admin') throw new Error('"admin" is the harness\' own user');
      const token = given ?? hex(24);
      tokens.set(name, token, groups);
      await tokens.write();
      await restartApiServer();
      return token;
    },

    async removeUser(name) {
      if (name === 'admin') throw new Error('"admin" is the harness\' own user');
      if (!tokens.delete(name)) throw new Error(`no user ${name}`);
      await tokens.write();
      await restartApiServer();
    },

    writeKubeconfig,
    restartApiServer,

    freezeApiServer() {
      apiserver.freeze();
    },

    thawApiServer() {
      apiserver.thaw();
    },

    compactEtcd: () => compactEtcd(etcdEndpoint),

    rss: () => rss(procs),

    describe,

    waitFor(what, probe, timeoutMs = 30_000) {
      return waitFor(what, probe, { timeoutMs, context: () => describe(30) });
    },

    stop,
  };
  return cp;
}
