/**
 * The control plane's processes: etcd, kube-apiserver (restarted, frozen and thawed on demand),
 * kube-controller-manager and kube-scheduler, each on free loopback ports, dying with the test
 * runner, its output kept in memory and copied to a log file.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, request } from '../http.ts';
import { ManagedProcess, run } from '../process.ts';
import { notYet, waitFor } from '../wait.ts';

export const ETCD_BIN = process.env.ETCD_BIN ?? '/usr/bin/etcd';
export const ETCDCTL_BIN = process.env.ETCDCTL_BIN ?? '/usr/bin/etcdctl';
export const KUBECTL_BIN = process.env.KUBECTL_BIN ?? 'kubectl';
/** The version the provision script builds (what /version and the fake kubelets report). */
export const KUBERNETES_VERSION = 'v1.20.2';
const SETPRIV = '/usr/bin/setpriv';

/** The last `n` lines a process printed (stderr, then stdout). */
export function tail(p: ManagedProcess, n: number): string {
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

const ADDRESS_IN_USE = /address already in use/;

/** The newest process of each name: the tails of their output. */
export function describeProcesses(procs: readonly ManagedProcess[], lines = 40): string {
  return [...new Map(procs.map((p) => [p.name, p])).values()].map((p) => tail(p, lines)).join('\n');
}

/**
 * Starts etcd (on other ports if those were taken) and waits for /health; returns its client
 * endpoint.
 */
export async function startEtcd(o: {
  dir: string;
  logs: string;
  procs: ManagedProcess[];
}): Promise<string> {
  const { dir, logs, procs } = o;
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
  return `http://127.0.0.1:${etcdPort}`;
}

export interface ApiServerOptions {
  /** The directory holding kube-apiserver. */
  bin: string;
  dir: string;
  pki: string;
  logs: string;
  caFile: string;
  tokenFile: string;
  etcdEndpoint: string;
  ca: string;
  adminToken: string;
  readyTimeoutMs: number;
  /** Where each launch is pushed (the control plane's processes). */
  procs: ManagedProcess[];
}

/** The running kube-apiserver: its port stays the same across restarts. */
export interface ApiServer {
  /** https://127.0.0.1:<port> */
  readonly server: string;
  /** ms from launching kube-apiserver to its first 200 on /readyz, first start and last restart. */
  readonly readyMs: number;
  readonly lastRestartReadyMs: number | undefined;
  /** Throws unless it is running. */
  readonly pid: number;
  /** See ControlPlane.restartApiServer(). */
  restart(opts?: { graceMs?: number }): Promise<void>;
  /** SIGSTOP. */
  freeze(): void;
  /** SIGCONT. */
  thaw(): void;
}

/**
 * Launches kube-apiserver on a free port (another one if it was taken) and waits for /readyz.
 */
export async function startKubeApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const {
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
  } = opts;
  let apiserver: ManagedProcess | undefined;
  let frozen = false;
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

  return {
    get server() {
      return server();
    },
    get readyMs() {
      return readyMs;
    },
    get lastRestartReadyMs() {
      return lastRestartReadyMs;
    },
    get pid() {
      const pid = apiserver?.child.pid;
      if (pid === undefined || apiserver?.running !== true)
        throw new Error('kube-apiserver is not running');
      return pid;
    },
    restart: restartApiServer,
    freeze() {
      if (apiserver === undefined) throw new Error('no kube-apiserver');
      apiserver.signal('SIGSTOP');
      frozen = true;
    },
    thaw() {
      if (apiserver === undefined) throw new Error('no kube-apiserver');
      apiserver.signal('SIGCONT');
      frozen = false;
    },
  };
}

/** kube-controller-manager and kube-scheduler, with the admin kubeconfig. */
export function launchControllers(o: {
  bin: string;
  dir: string;
  pki: string;
  logs: string;
  caFile: string;
  kubeconfig: string;
}): ManagedProcess[] {
  const { bin, dir, pki, logs, caFile, kubeconfig } = o;
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
  return [
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
  ];
}

/** Compacts etcd up to its current revision; returns that revision. */
export async function compactEtcd(etcdEndpoint: string): Promise<number> {
  const ctl = (args: readonly string[]) =>
    run(ETCDCTL_BIN, [`--endpoints=${etcdEndpoint}`, ...args], { timeoutMs: 30_000 }).then((r) => {
      if (r.code !== 0) throw new Error(`etcdctl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return r.stdout;
    });
  // Parsed with a regexp: cluster and member ids are uint64s that JSON.parse would round.
  const out = await ctl(['endpoint', 'status', '-w', 'json']);
  const m = /"revision":(\d+)/.exec(out);
  if (m === null) throw new Error(`etcdctl endpoint status: no revision in ${out}`);
  const rev = Number(m[1]);
  await ctl(['compact', String(rev)]);
  return rev;
}

/** VmRSS (KiB) of each running process, by name. */
export async function rss(procs: readonly ManagedProcess[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const p of procs) {
    if (!p.running || p.child.pid === undefined) continue;
    const status = await readFile(`/proc/${p.child.pid}/status`, 'utf8').catch(() => '');
    const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
    if (m !== null) out[p.name] = Number(m[1]);
  }
  return out;
}
