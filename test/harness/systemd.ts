import { mkdir, mkdtemp, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagedProcess, run, type RunResult, type Scope } from './process.ts';
import { waitFor } from './wait.ts';

/**
 * A real systemd manager for tests: `systemd --user` in a private mount namespace, where a
 * tmpfs on /run/systemd carries the "booted with systemd" marker without touching the host
 * (../shared/brief/real-services.md). Its session bus (dbus-daemon, socket-activated by the
 * manager itself) and its private socket live in a fresh XDG_RUNTIME_DIR under /tmp, so a
 * process outside the namespace, such as the exporter under test, reaches them by path.
 *
 * A holder process keeps the namespace, so the manager can be killed and started again.
 */
export interface SystemdManager {
  readonly runtimeDir: string;
  /** Unit files written here are the manager's ($XDG_CONFIG_HOME/systemd/user). */
  readonly unitDir: string;
  /** The session bus the manager is on. */
  readonly busAddress: string;
  /** The manager's private socket (direct D-Bus connection, no bus daemon). */
  readonly privateAddress: string;
  readonly managerPid: number;
  /** The mount namespace holder's PID (for nsenter). */
  readonly holderPid: number;
  /** `systemctl --user …` in the namespace; rejects on a non-zero exit unless `allowFail`. */
  systemctl(args: readonly string[], opts?: { allowFail?: boolean }): Promise<RunResult>;
  /** Any command in the namespace with the manager's environment. */
  exec(args: readonly string[], opts?: { allowFail?: boolean }): Promise<RunResult>;
  /** `systemctl --user show -p …` for several units at once, as unit → property → value. */
  show(
    units: readonly string[],
    props: readonly string[],
  ): Promise<Map<string, Record<string, string>>>;
  /** Writes a unit file and runs daemon-reload. */
  writeUnit(name: string, text: string): Promise<void>;
  /** SIGKILLs the manager; with `everything`, its bus daemon and services too. */
  kill(opts?: { everything?: boolean }): Promise<void>;
  /** Starts a manager again after kill(). */
  restart(): Promise<void>;
  /** Stops the manager and every process left in the namespace. */
  stop(): Promise<void>;
}

const SYSTEMD = '/lib/systemd/systemd';

export interface SystemdOptions {
  /**
   * The session bus' max_replies_per_connection (dbus-daemon's session default is 128, like
   * the system bus, but Debian's session.conf lifts it to 50000): set it to 128 to give patrol
   * what the system bus gives it.
   */
  readonly maxRepliesPerConnection?: number;
}

export async function startSystemd(
  scope: Scope,
  opts: SystemdOptions = {},
): Promise<SystemdManager> {
  // Removed by stop(), after the manager is dead: node:test runs `after` hooks in the order they
  // were registered, and a live manager recreates its runtime files under an rm -r.
  const root = await mkdtemp(join(tmpdir(), 'patrol-systemd-'));
  let stopped = false;
  const runtimeDir = join(root, 'run');
  const configHome = join(root, 'config');
  const unitDir = join(configHome, 'systemd', 'user');
  await mkdir(runtimeDir, { mode: 0o700 });
  await mkdir(unitDir, { recursive: true });
  if (opts.maxRepliesPerConnection !== undefined) {
    // The standard session configuration, then the limit: a later <limit> wins.
    const conf = join(root, 'session-limited.conf');
    await writeFile(
      conf,
      `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <include>/usr/share/dbus-1/session.conf</include>
  <limit name="max_replies_per_connection">${opts.maxRepliesPerConnection}</limit>
</busconfig>
`,
    );
    await mkdir(join(unitDir, 'dbus.service.d'));
    await writeFile(
      join(unitDir, 'dbus.service.d', 'limits.conf'),
      `[Service]\nExecStart=\nExecStart=/usr/bin/dbus-daemon --config-file=${conf} --address=systemd: --nofork --nopidfile --systemd-activation --syslog-only\n`,
    );
  }
  const env = {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: root,
    XDG_RUNTIME_DIR: runtimeDir,
    XDG_CONFIG_HOME: configHome,
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${runtimeDir}/bus`,
  };

  const holder = new ManagedProcess('mount-namespace', 'unshare', [
    '--mount',
    '--propagation',
    'private',
    '--',
    'sh',
    '-c',
    'mkdir -p /run/systemd && mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/system && echo ready && exec sleep infinity',
  ]);
  await holder.waitForOutput(/ready/, 10_000);
  const holderPid = holder.child.pid;
  if (holderPid === undefined) throw new Error('unshare has no pid');

  const inNamespace = [
    '-t',
    String(holderPid),
    '-m',
    '--',
    'env',
    ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
  ];
  const exec = async (args: readonly string[], opts: { allowFail?: boolean } = {}) => {
    const r = await run('nsenter', [...inNamespace, ...args], { timeoutMs: 30_000 });
    if (r.code !== 0 && opts.allowFail !== true) {
      throw new Error(`${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
    }
    return r;
  };
  const systemctl = (args: readonly string[], opts: { allowFail?: boolean } = {}) =>
    exec(['systemctl', '--user', ...args], opts);

  let manager: ManagedProcess | undefined;
  const launch = async () => {
    manager = new ManagedProcess('systemd --user', 'nsenter', [...inNamespace, SYSTEMD, '--user']);
    const m = manager;
    await waitFor(
      'the user manager to be up on its bus',
      async () => {
        if (!m.running) throw new Error(`the manager exited\n${m.describe()}`);
        if (!existsSync(join(runtimeDir, 'bus'))) return false;
        const r = await systemctl(['is-system-running'], { allowFail: true });
        return /^(running|degraded)/.test(r.stdout);
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
  };

  /** PIDs of every process in the namespace but the holder. */
  const members = async (): Promise<number[]> => {
    const ns = await readlink(`/proc/${holderPid}/ns/mnt`);
    const pids: number[] = [];
    for (const entry of await readdir('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid) || pid === holderPid || pid === process.pid) continue;
      try {
        if ((await readlink(`/proc/${pid}/ns/mnt`)) === ns) pids.push(pid);
      } catch {
        // gone meanwhile
      }
    }
    return pids;
  };
  const killMembers = async () => {
    for (const pid of await members()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  };

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // SIGKILL: a user manager told to exit takes seconds stopping its units, and nothing
    // here needs them stopped gracefully.
    await killMembers();
    await manager?.kill();
    await holder.kill();
    await rm(root, { recursive: true, force: true, maxRetries: 5 });
  };
  // Registered before anything can fail, so a manager that never came up is cleaned up too.
  scope.after(stop);
  await launch();

  const api: SystemdManager = {
    runtimeDir,
    unitDir,
    busAddress: `unix:path=${runtimeDir}/bus`,
    privateAddress: `unix:path=${runtimeDir}/systemd/private`,
    get managerPid() {
      const pid = manager?.child.pid;
      if (pid === undefined) throw new Error('no manager');
      return pid;
    },
    holderPid,
    systemctl,
    exec,
    async show(units, props) {
      const r = await systemctl([
        'show',
        '--no-pager',
        ...props.flatMap((p) => ['-p', p]),
        '--',
        ...units,
      ]);
      // One block per unit, in the order asked, separated by blank lines.
      const blocks = r.stdout.trimEnd().split(/\n\n/);
      const out = new Map<string, Record<string, string>>();
      units.forEach((u, i) => {
        const rec: Record<string, string> = {};
        for (const line of (blocks[i] ?? '').split('\n')) {
          const eq = line.indexOf('=');
          if (eq > 0) rec[line.slice(0, eq)] = line.slice(eq + 1);
        }
        out.set(u, rec);
      });
      return out;
    },
    async writeUnit(name, text) {
      await writeFile(join(unitDir, name), text);
      await systemctl(['daemon-reload']);
    },
    async kill(opts = {}) {
      const m = manager;
      if (m === undefined) return;
      if (opts.everything === true) await killMembers();
      else m.signal('SIGKILL');
      await m.exited;
    },
    async restart() {
      await launch();
    },
    stop,
  };
  return api;
}
