import { copyFile, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagedProcess, run, type Scope } from './process.ts';
import { waitFor } from './wait.ts';

/**
 * A real Docker daemon (Debian's docker.io) of the test's own: its data, exec root and socket in
 * a temp dir, and started so that it leaves the host's network alone (no iptables rules, no
 * bridge: containers run with --network host), as ../shared/brief/real-services.md says. No
 * registry is reachable: the one image, `patrol-test/busybox:1`, is imported from a rootfs of
 * Debian's static busybox. Needs root and the Debian packages docker.io and busybox-static.
 */
export interface Docker {
  readonly proc: ManagedProcess;
  readonly socket: string;
  readonly dir: string;
  /** The docker CLI against this daemon; throws on a non-zero exit. */
  cli(args: readonly string[]): Promise<string>;
  /** `docker run -d --network host --name <name> <flags> IMAGE <command>`: a container of the test image. */
  run(name: string, command: readonly string[], flags?: readonly string[]): Promise<string>;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export const IMAGE = 'patrol-test/busybox:1';

/** A health check that fails at once, every second: the container is unhealthy within seconds. */
export const FAILING_HEALTH_CHECK = [
  '--health-cmd',
  'false',
  '--health-interval',
  '1s',
  '--health-retries',
  '1',
] as const;

export async function startDocker(scope: Scope): Promise<Docker> {
  // Not tempDir(scope): the dir must outlive the daemon and its mounts, whatever order the
  // scope runs its cleanups in; this harness removes it itself, last.
  const dir = await mkdtemp(join(tmpdir(), 'patrol-docker-'));
  const socket = join(dir, 'docker.sock');
  let proc: ManagedProcess | undefined;
  const cli = async (args: readonly string[]) => {
    const r = await run('docker', ['-H', `unix://${socket}`, ...args], { timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  const start = async () => {
    proc = new ManagedProcess('dockerd', 'dockerd', [
      `--data-root=${join(dir, 'data')}`,
      `--exec-root=${join(dir, 'exec')}`,
      `--pidfile=${join(dir, 'docker.pid')}`,
      '-H',
      `unix://${socket}`,
      '--iptables=false',
      '--ip-forward=false',
      '--bridge=none',
    ]);
    const p = proc;
    await waitFor(
      'dockerd answering',
      async () => {
        if (!p.running) throw new Error(`dockerd exited\n${p.describe()}`);
        return (
          (await run('docker', ['-H', `unix://${socket}`, 'version'], { timeoutMs: 10_000 }))
            .code === 0
        );
      },
      { timeoutMs: 60_000, context: () => p.describe() },
    );
  };
  const stop = async () => {
    await proc?.terminate(30_000);
  };
  scope.after(async () => {
    try {
      const ids = (await cli(['ps', '-aq'])).split('\n').filter((x) => x !== '');
      if (ids.length > 0) await cli(['rm', '-f', ...ids]);
    } catch {
      // the daemon is already down: its containers went with it
    }
    await stop();
    // A daemon stopped with containers running leaves its network namespace file mounted in
    // its exec root; unmount what is left under the dir so that it can be removed.
    const mounts = (await readFile('/proc/self/mounts', 'utf8'))
      .split('\n')
      .map((line) => line.split(' ')[1] ?? '')
      .filter((target) => target.startsWith(`${dir}/`))
      .sort((a, b) => b.length - a.length);
    for (const target of mounts) await run('umount', ['-l', target]);
    await rm(dir, { recursive: true, force: true });
  });
  await start();
  const rootfs = join(dir, 'rootfs');
  await mkdir(join(rootfs, 'bin'), { recursive: true });
  await copyFile('/bin/busybox', join(rootfs, 'bin', 'busybox'));
  for (const c of ['sh', 'sleep', 'false', 'true', 'head', 'tr', 'cat']) {
    await symlink('busybox', join(rootfs, 'bin', c));
  }
  const tar = join(dir, 'rootfs.tar');
  const t = await run('tar', ['-C', rootfs, '-cf', tar, '.']);
  if (t.code !== 0) throw new Error(`tar: ${t.stderr}`);
  await cli(['import', tar, IMAGE]);
  return {
    get proc() {
      if (proc === undefined) throw new Error('dockerd not started');
      return proc;
    },
    socket,
    dir,
    cli,
    run: (name, command, flags = []) =>
      cli(['run', '-d', '--network', 'host', '--name', name, ...flags, IMAGE, ...command]),
    stop,
    start,
  };
}
