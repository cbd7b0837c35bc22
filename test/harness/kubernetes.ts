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
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { access, constants, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ROOT } from './exporter.ts';
import { freePort, request, type HttpResponse } from './http.ts';
import { ManagedProcess, run, type RunResult, type Scope } from './process.ts';
import { notYet, waitFor, type NotYet } from './wait.ts';

export const ETCD_BIN = process.env.ETCD_BIN ?? '/usr/bin/etcd';
export const ETCDCTL_BIN = process.env.ETCDCTL_BIN ?? '/usr/bin/etcdctl';
export const KUBECTL_BIN = process.env.KUBECTL_BIN ?? 'kubectl';
/** The version the provision script builds (what /version and the fake kubelets report). */
export const KUBERNETES_VERSION = 'v1.20.2';
const SETPRIV = '/usr/bin/setpriv';

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

/** The last `n` lines a process printed (stderr, then stdout). */
function tail(p: ManagedProcess, n: number): string {
  const lines = (p.stderr + p.stdout).trimEnd().split('\n');
  const exit =
    p.exit === undefined ? 'running' : `exited code=${p.exit.code} signal=${p.exit.signal}`;
  return `--- ${p.name} (pid ${p.child.pid ?? '?'}, ${exit}), last ${Math.min(n, lines.length)} lines ---\n${lines.slice(-n).join('\n')}\n--- end ${p.name} ---`;
}

/**
 * Starts `bin` so that it dies with this process even if the test runner is killed (setpriv
 * --pdeathsig, which execs: the pid is the program's), its output kept and copied to `logFile`.
 */
function launch(
  name: string,
  bin: string,
  args: readonly string[],
  logFile: string,
): ManagedProcess {
  const [command, argv] = existsSync(SETPRIV)
    ? [SETPRIV, ['--pdeathsig', 'KILL', '--', bin, ...args]]
    : [bin, args];
  const p = new ManagedProcess(name, command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile, { flags: 'a' });
  log.on('error', () => {
    // the dir may be gone during teardown; the output is also kept in memory
  });
  p.child.stdout?.on('data', (d: string) => log.write(d));
  p.child.stderr?.on('data', (d: string) => log.write(d));
  void p.exited.then(() => log.end());
  return p;
}

async function openssl(args: readonly string[], cwd: string): Promise<void> {
  const r = await run('openssl', args, { cwd, timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`openssl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
}

/** CA, API server serving certificate (127.0.0.1, localhost, kubernetes.default.svc...), SA keys. */
async function makePki(pki: string): Promise<void> {
  await mkdir(pki, { mode: 0o700 });
  await Promise.all([
    openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=patrol-test-ca',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
        '-keyout',
        'ca.key',
        '-out',
        'ca.crt',
      ],
      pki,
    ),
    openssl(['genrsa', '-out', 'sa.key', '2048'], pki).then(() =>
      openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], pki),
    ),
    openssl(
      [
        'req',
        '-new',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=kube-apiserver',
        '-keyout',
        'apiserver.key',
        '-out',
        'apiserver.csr',
      ],
      pki,
    ),
  ]);
  await writeFile(
    join(pki, 'apiserver.ext'),
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local',
      '',
    ].join('\n'),
  );
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      'apiserver.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-set_serial',
      `0x${randomBytes(8).toString('hex')}`,
      '-days',
      '2',
      '-extfile',
      'apiserver.ext',
      '-out',
      'apiserver.crt',
    ],
    pki,
  );
}

const ADDRESS_IN_USE = /address already in use/;

interface Obj {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}
interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}
interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}
interface NodeObj extends Obj {
  spec?: { unschedulable?: boolean; taints?: Taint[] };
  status?: { conditions?: NodeCondition[]; addresses?: { type: string; address: string }[] };
}
interface Container {
  name: string;
  image: string;
}
interface PodObj extends Obj {
  spec: { nodeName?: string; containers: Container[]; initContainers?: Container[] };
  status?: { podIP?: string; startTime?: string };
}

/** The conditions a kubelet posts, with Ready as given (all Unknown when the kubelet is gone). */
function nodeConditions(ready: ConditionStatus, before: readonly NodeCondition[] = []) {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const unknown = ready === 'Unknown';
  const cond = (type: string, status: string, reason: string, message: string) => {
    const prev = before.find((c) => c.type === type);
    return {
      type,
      status,
      reason,
      message,
      lastHeartbeatTime: unknown ? (prev?.lastHeartbeatTime ?? now) : now,
      lastTransitionTime: prev?.status === status ? (prev.lastTransitionTime ?? now) : now,
    };
  };
  const pressure = (type: string, okReason: string, okMessage: string) =>
    unknown
      ? cond(type, 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.')
      : cond(type, 'False', okReason, okMessage);
  return [
    pressure(
      'MemoryPressure',
      'KubeletHasSufficientMemory',
      'kubelet has sufficient memory available',
    ),
    pressure('DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    pressure('PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    ready === 'True'
      ? cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
      : ready === 'False'
        ? cond('Ready', 'False', 'KubeletNotReady', 'container runtime network not ready')
        : cond('Ready', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'),
  ];
}

const LIFECYCLE_TAINTS = [
  'node.kubernetes.io/not-ready',
  'node.kubernetes.io/unreachable',
  'node.kubernetes.io/unschedulable',
];

/** The node's taints with the lifecycle ones as the node lifecycle controller would set them. */
function lifecycleTaints(
  current: readonly Taint[],
  ready: ConditionStatus,
  unschedulable: boolean,
): Taint[] {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const keep = current.filter((t) => !LIFECYCLE_TAINTS.includes(t.key));
  const want: string[] = [];
  if (ready === 'False') want.push('node.kubernetes.io/not-ready');
  if (ready === 'Unknown') want.push('node.kubernetes.io/unreachable');
  if (unschedulable) want.push('node.kubernetes.io/unschedulable');
  return [
    ...keep,
    ...want.map(
      (key) =>
        current.find((t) => t.key === key && t.effect === 'NoSchedule') ?? {
          key,
          effect: 'NoSchedule',
          timeAdded: now,
        },
    ),
  ];
}

function hex(n: number): string {
  return randomBytes(n).toString('hex');
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function pool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (x: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
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
  let apiserver: ManagedProcess | undefined;
  let frozen = false;
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

  /** The newest process of each name. */
  const describe = (lines = 40) =>
    [...new Map(procs.map((p) => [p.name, p])).values()].map((p) => tail(p, lines)).join('\n');

  await mkdir(logs);
  await makePki(pki);
  const ca = await readFile(caFile, 'utf8');
  const adminToken = hex(24);
  /** user -> token line of the token file, admin first. */
  const users = new Map<string, string>([['admin', `${adminToken},admin,admin,"system:masters"`]]);
  const writeTokens = () =>
    writeFile(tokenFile, [...users.values(), ''].join('\n'), { mode: 0o600 });
  await writeTokens();

  // ---- etcd ----
  let etcdPort = 0;
  for (let attempt = 1; ; attempt++) {
    etcdPort = await freePort();
    const peerPort = await freePort();
    const dataDir = join(dir, 'etcd');
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { mode: 0o700 });
    const client = `http://127.0.0.1:${etcdPort}`;
    const peer = `http://127.0.0.1:${peerPort}`;
    const p = launch(
      'etcd',
      ETCD_BIN,
      [
        '--name=local',
        `--data-dir=${dataDir}`,
        `--listen-client-urls=${client}`,
        `--advertise-client-urls=${client}`,
        `--listen-peer-urls=${peer}`,
        `--initial-advertise-peer-urls=${peer}`,
        `--initial-cluster=local=${peer}`,
        '--initial-cluster-state=new',
        '--quota-backend-bytes=1073741824',
        '--logger=zap',
        '--log-outputs=stderr',
        '--log-level=warn',
      ],
      join(logs, 'etcd.log'),
    );
    procs.push(p);
    const state = await waitFor(
      'etcd /health',
      async () => {
        if (!p.running) return 'exited';
        const res = await request(`${client}/health`, { timeoutMs: 5_000 });
        return res.status === 200 && /"health":\s*"true"/.test(res.text)
          ? 'ready'
          : notYet(res.text);
      },
      { timeoutMs: 30_000, intervalMs: 100, context: () => tail(p, 40) },
    ).catch(async (err: unknown) => {
      await p.kill();
      throw err;
    });
    if (state === 'ready') break;
    if (attempt < 3 && ADDRESS_IN_USE.test(p.stderr)) continue;
    throw new Error(`etcd exited before it was healthy\n${tail(p, 40)}`);
  }
  const etcdEndpoint = `http://127.0.0.1:${etcdPort}`;

  // ---- kube-apiserver ----
  let apiPort = 0;
  const apiArgs = () => [
    '--bind-address=127.0.0.1',
    `--secure-port=${apiPort}`,
    '--insecure-port=0',
    '--advertise-address=127.0.0.1',
    '--endpoint-reconciler-type=none',
    `--etcd-servers=${etcdEndpoint}`,
    `--tls-cert-file=${join(pki, 'apiserver.crt')}`,
    `--tls-private-key-file=${join(pki, 'apiserver.key')}`,
    `--client-ca-file=${caFile}`,
    `--token-auth-file=${tokenFile}`,
    '--authorization-mode=RBAC',
    '--anonymous-auth=false',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${join(pki, 'sa.pub')}`,
    `--service-account-signing-key-file=${join(pki, 'sa.key')}`,
    '--api-audiences=https://kubernetes.default.svc.cluster.local',
    '--service-cluster-ip-range=10.0.0.0/24',
    // Pods need no ServiceAccount (nor its token Secret) to exist before they are created.
    '--disable-admission-plugins=ServiceAccount',
    '--allow-privileged=true',
    '--profiling=false',
    `--cert-dir=${join(dir, 'apiserver-certs')}`,
    '--v=1',
  ];
  const server = () => `https://127.0.0.1:${apiPort}`;

  /** Launches the API server and waits for /readyz; returns how long that took. */
  const startApiServer = async (): Promise<{ ok: boolean; ms: number; proc: ManagedProcess }> => {
    const t0 = Date.now();
    const p = launch(
      'kube-apiserver',
      join(bin, 'kube-apiserver'),
      apiArgs(),
      join(logs, 'kube-apiserver.log'),
    );
    procs.push(p);
    apiserver = p;
    frozen = false;
    const state = await waitFor(
      'kube-apiserver /readyz',
      async () => {
        if (!p.running) return 'exited';
        const res = await request(`${server()}/readyz`, {
          ca,
          headers: { authorization: `Bearer ${adminToken}` },
          timeoutMs: 5_000,
        });
        return res.status === 200 ? 'ready' : notYet(`${res.status} ${res.text.slice(-600)}`);
      },
      { timeoutMs: readyTimeoutMs, intervalMs: 200, context: () => tail(p, 40) },
    );
    return { ok: state === 'ready', ms: Date.now() - t0, proc: p };
  };

  let readyMs = 0;
  let lastRestartReadyMs: number | undefined;
  for (let attempt = 1; ; attempt++) {
    apiPort = await freePort();
    const r = await startApiServer();
    if (r.ok) {
      readyMs = r.ms;
      break;
    }
    if (attempt < 3 && ADDRESS_IN_USE.test(r.proc.stderr)) continue;
    throw new Error(`kube-apiserver exited before /readyz answered 200\n${tail(r.proc, 40)}`);
  }

  const kubeconfigFile = async (file: string, user: string, token: string): Promise<string> => {
    await writeFile(
      file,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          { name: 'local', cluster: { server: server(), 'certificate-authority': caFile } },
        ],
        users: [{ name: user, user: { token } }],
        contexts: [{ name: 'local', context: { cluster: 'local', user } }],
        'current-context': 'local',
      }),
      { mode: 0o600 },
    );
    return file;
  };
  await kubeconfigFile(kubeconfig, 'admin', adminToken);
  const writeKubeconfig = (user: string, token: string) =>
    kubeconfigFile(join(dir, `kubeconfig-${user}`), user, token);

  // ---- controllers ----
  if (opts.controllers ?? true) {
    const common = [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      '--bind-address=127.0.0.1',
      '--port=0',
      '--secure-port=0',
      '--leader-elect=false',
      '--v=1',
    ];
    procs.push(
      launch(
        'kube-controller-manager',
        join(bin, 'kube-controller-manager'),
        [
          ...common,
          // What needs a kubelet, a cloud or a network plugin is left out.
          '--controllers=*,-nodelifecycle,-nodeipam,-cloud-node-lifecycle,-service,-route,-attachdetach,-persistentvolume-binder',
          `--service-account-private-key-file=${join(pki, 'sa.key')}`,
          `--root-ca-file=${caFile}`,
          `--cluster-signing-cert-file=${caFile}`,
          `--cluster-signing-key-file=${join(pki, 'ca.key')}`,
          '--use-service-account-credentials=false',
          `--cert-dir=${join(dir, 'controller-manager-certs')}`,
        ],
        join(logs, 'kube-controller-manager.log'),
      ),
      launch(
        'kube-scheduler',
        join(bin, 'kube-scheduler'),
        [...common, `--cert-dir=${join(dir, 'scheduler-certs')}`],
        join(logs, 'kube-scheduler.log'),
      ),
    );
  }

  // ---- the API ----
  const kubectl = async (
    args: readonly string[],
    o: { input?: string; kubeconfig?: string; timeoutMs?: number } = {},
  ): Promise<RunResult> => {
    const full = ['--kubeconfig', o.kubeconfig ?? kubeconfig, '--cache-dir', cacheDir, ...args];
    const r = await run(KUBECTL_BIN, full, {
      ...(o.input === undefined ? {} : { input: o.input }),
      timeoutMs: o.timeoutMs ?? 60_000,
    });
    if (r.code !== 0)
      throw new Error(
        `kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}${r.stdout === '' ? '' : `\n${r.stdout}`}`,
      );
    return r;
  };

  const httpRequest = (
    method: string,
    path: string,
    o: { body?: unknown; token?: string; contentType?: string; timeoutMs?: number } = {},
  ): Promise<HttpResponse> => {
    const body =
      o.body === undefined
        ? undefined
        : typeof o.body === 'string'
          ? o.body
          : JSON.stringify(o.body);
    const timeoutMs = o.timeoutMs ?? 20_000;
    return new Promise<HttpResponse>((resolve, reject) => {
      const req = https.request(
        new URL(path, server()),
        {
          method,
          ca,
          agent: false,
          timeout: timeoutMs,
          headers: {
            authorization: `Bearer ${o.token ?? adminToken}`,
            accept: 'application/json',
            ...(body === undefined
              ? {}
              : {
                  'content-type':
                    o.contentType ??
                    (method === 'PATCH' ? 'application/merge-patch+json' : 'application/json'),
                  'content-length': String(Buffer.byteLength(body)),
                }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const buf = Buffer.concat(chunks);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: buf,
              text: buf.toString('utf8'),
            });
          });
        },
      );
      req.on('timeout', () => {
        req.destroy(new Error(`${method} ${path}: no response within ${timeoutMs} ms`));
      });
      req.on('error', reject);
      req.end(body);
    });
  };

  const api = async <T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<T> => {
    const res = await httpRequest(method, path, {
      ...(body === undefined ? {} : { body }),
      ...(contentType === undefined ? {} : { contentType }),
    });
    if (res.status < 200 || res.status > 299)
      throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return (res.text === '' ? undefined : JSON.parse(res.text)) as T;
  };

  let nextNodeIp = 1;
  let nextPodIp = 1;
  const podIp = () => {
    for (;;) {
      const n = nextPodIp++;
      if ((n & 255) !== 0 && (n & 255) !== 255) return `10.244.${(n >> 8) & 255}.${n & 255}`;
    }
  };

  const setTaints = async (name: string, ready: ConditionStatus) => {
    const node = await api<NodeObj>('GET', `/api/v1/nodes/${name}`);
    const taints = lifecycleTaints(
      node.spec?.taints ?? [],
      ready,
      node.spec?.unschedulable === true,
    );
    await api('PATCH', `/api/v1/nodes/${name}`, {
      spec: { taints: taints.length === 0 ? null : taints },
    });
  };

  const restartApiServer = async (o: { graceMs?: number } = {}) => {
    const old = apiserver;
    if (old !== undefined) {
      if (frozen && old.running) old.signal('SIGCONT');
      const graceMs = o.graceMs ?? 1_000;
      if (graceMs > 0) await old.terminate(graceMs);
      else await old.kill();
    }
    const r = await startApiServer();
    if (!r.ok)
      throw new Error(
        `kube-apiserver exited before /readyz answered 200 after a restart\n${tail(r.proc, 40)}`,
      );
    lastRestartReadyMs = r.ms;
  };

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
      return { readyMs, lastRestartReadyMs };
    },
    get apiServerPid() {
      const pid = apiserver?.child.pid;
      if (pid === undefined || apiserver?.running !== true)
        throw new Error('kube-apiserver is not running');
      return pid;
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

    async createNode(name, o = {}) {
      const ready = o.ready ?? 'True';
      const ip = `10.0.1.${nextNodeIp++}`;
      await api('POST', '/api/v1/nodes', {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name,
          labels: {
            'kubernetes.io/hostname': name,
            'kubernetes.io/os': 'linux',
            'kubernetes.io/arch': 'amd64',
            'beta.kubernetes.io/os': 'linux',
            'beta.kubernetes.io/arch': 'amd64',
            ...o.labels,
          },
        },
        spec: o.unschedulable === true ? { unschedulable: true } : {},
      });
      const capacity = {
        cpu: '4',
        memory: '8Gi',
        pods: '110',
        'ephemeral-storage': '50Gi',
        'hugepages-2Mi': '0',
        ...o.capacity,
      };
      const id = createHash('sha256').update(name).digest('hex');
      await api('PATCH', `/api/v1/nodes/${name}/status`, {
        status: {
          conditions: nodeConditions(ready),
          addresses: [
            { type: 'InternalIP', address: ip },
            { type: 'Hostname', address: name },
          ],
          capacity,
          allocatable: capacity,
          daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
          nodeInfo: {
            machineID: id.slice(0, 32),
            systemUUID: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`,
            bootID: `${id.slice(32, 40)}-${id.slice(40, 44)}-${id.slice(44, 48)}-${id.slice(48, 52)}-${id.slice(52, 64)}`,
            kernelVersion: release(),
            osImage: 'Debian GNU/Linux 12 (bookworm)',
            containerRuntimeVersion: 'containerd://1.6.20',
            kubeletVersion: KUBERNETES_VERSION,
            kubeProxyVersion: KUBERNETES_VERSION,
            operatingSystem: 'linux',
            architecture: 'amd64',
            ...o.nodeInfo,
          },
        },
      });
      await setTaints(name, ready);
    },

    async setNodeReady(name, ready) {
      const node = await api<NodeObj>('GET', `/api/v1/nodes/${name}`);
      await api('PATCH', `/api/v1/nodes/${name}/status`, {
        status: { conditions: nodeConditions(ready, node.status?.conditions) },
      });
      await setTaints(name, ready);
    },

    async patchStatus(kind, name, status, namespace) {
      await kubectl([
        'patch',
        kind,
        name,
        ...(namespace === undefined ? [] : ['-n', namespace]),
        '--subresource=status',
        '--type=merge',
        '-p',
        JSON.stringify({ status }),
      ]);
    },

    async markPodsRunning(namespace, selector, o = {}) {
      const ready = o.ready ?? true;
      const restartCount = o.restartCount ?? 0;
      const [pods, nodes] = await Promise.all([
        api<{ items: PodObj[] }>(
          'GET',
          `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(selector)}`,
        ),
        api<{ items: NodeObj[] }>('GET', '/api/v1/nodes'),
      ]);
      const hostIps = new Map(
        nodes.items.map((n) => [
          n.metadata.name,
          n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address,
        ]),
      );
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const started = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
      const flag = ready ? 'True' : 'False';
      return pool(pods.items, 8, async (pod) => {
        const ip = pod.status?.podIP ?? podIp();
        const hostIP = pod.spec.nodeName === undefined ? undefined : hostIps.get(pod.spec.nodeName);
        const image = (c: Container) => ({
          image: c.image,
          imageID: `docker-pullable://${c.image.replace(/:[^/:]*$/, '')}@sha256:${createHash('sha256').update(c.image).digest('hex')}`,
          containerID: `containerd://${hex(32)}`,
        });
        const status = {
          phase: 'Running',
          ...(hostIP === undefined ? {} : { hostIP }),
          podIP: ip,
          podIPs: [{ ip }],
          startTime: pod.status?.startTime ?? started,
          conditions: [
            {
              type: 'Initialized',
              status: 'True',
              lastProbeTime: null,
              lastTransitionTime: started,
            },
            { type: 'Ready', status: flag, lastProbeTime: null, lastTransitionTime: now },
            { type: 'ContainersReady', status: flag, lastProbeTime: null, lastTransitionTime: now },
            {
              type: 'PodScheduled',
              status: 'True',
              lastProbeTime: null,
              lastTransitionTime: started,
            },
          ],
          ...(pod.spec.initContainers === undefined
            ? {}
            : {
                initContainerStatuses: pod.spec.initContainers.map((c) => ({
                  name: c.name,
                  ...image(c),
                  ready: true,
                  restartCount: 0,
                  state: {
                    terminated: {
                      exitCode: 0,
                      reason: 'Completed',
                      startedAt: started,
                      finishedAt: started,
                    },
                  },
                  lastState: {},
                })),
              }),
          containerStatuses: pod.spec.containers.map((c) => ({
            name: c.name,
            ...image(c),
            ready,
            started: true,
            restartCount,
            state: { running: { startedAt: now } },
            lastState:
              restartCount > 0
                ? {
                    terminated: {
                      exitCode: 1,
                      reason: 'Error',
                      startedAt: started,
                      finishedAt: now,
                    },
                  }
                : {},
          })),
        };
        await api('PATCH', `/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}/status`, {
          status,
        });
        return pod.metadata.name;
      });
    },

    async addUser(name, groups = [], given) {
      if (name === 'admin') throw new Error('"admin" is the harness\' own user');
      const token = given ?? hex(24);
      users.set(
        name,
        `${token},${name},${name}${groups.length === 0 ? '' : `,"${groups.join(',')}"`}`,
      );
      await writeTokens();
      await restartApiServer();
      return token;
    },

    async removeUser(name) {
      if (name === 'admin') throw new Error('"admin" is the harness\' own user');
      if (!users.delete(name)) throw new Error(`no user ${name}`);
      await writeTokens();
      await restartApiServer();
    },

    writeKubeconfig,
    restartApiServer,

    freezeApiServer() {
      if (apiserver === undefined) throw new Error('no kube-apiserver');
      apiserver.signal('SIGSTOP');
      frozen = true;
    },

    thawApiServer() {
      if (apiserver === undefined) throw new Error('no kube-apiserver');
      apiserver.signal('SIGCONT');
      frozen = false;
    },

    async compactEtcd() {
      const ctl = (args: readonly string[]) =>
        run(ETCDCTL_BIN, [`--endpoints=${etcdEndpoint}`, ...args], { timeoutMs: 30_000 }).then(
          (r) => {
            if (r.code !== 0)
              throw new Error(`etcdctl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
            return r.stdout;
          },
        );
      // Parsed with a regexp: cluster and member ids are uint64s that JSON.parse would round.
      const out = await ctl(['endpoint', 'status', '-w', 'json']);
      const m = /"revision":(\d+)/.exec(out);
      if (m === null) throw new Error(`etcdctl endpoint status: no revision in ${out}`);
      const rev = Number(m[1]);
      await ctl(['compact', String(rev)]);
      return rev;
    },

    async rss() {
      const out: Record<string, number> = {};
      for (const p of procs) {
        if (!p.running || p.child.pid === undefined) continue;
        const status = await readFile(`/proc/${p.child.pid}/status`, 'utf8').catch(() => '');
        const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
        if (m !== null) out[p.name] = Number(m[1]);
      }
      return out;
    },

    describe,

    waitFor(what, probe, timeoutMs = 30_000) {
      return waitFor(what, probe, { timeoutMs, context: () => describe(30) });
    },

    stop,
  };
  return cp;
}
