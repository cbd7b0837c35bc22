/**
 * --path.rootfs for real: patrol in what `docker run -v /:/host/root:ro,rslave` gives a
 * container, against patrol on the host. Everything happens in mount namespaces that die with
 * the test (`unshare --mount`), so no mount is visible outside it:
 * - "the host": a namespace with one mount of its own, a 4 MiB tmpfs in the test's data
 *   directory; patrol and df run in it (nsenter) to say what the host looks like;
 * - "the container": a namespace made inside that one, which binds the host's whole tree
 *   read-only at a temporary directory and hides the data directory under a 1 MiB tmpfs at its
 *   own path, so the only way to the data (and to the 4 MiB tmpfs) is through the rootfs.
 * Patrol in the container, given the host's paths and --path.rootfs, must report what patrol on
 * the host reports: the same mounts by the same names, df's sizes, the same directory and the
 * same log lines. Needs root (CI runs the e2e tests as root).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { onlyCollectors } from '../harness/config.ts';
import { Exporter, exporterArgs, NODE, ROOT } from '../harness/exporter.ts';
import { parseSamples, sampleValue, type Sample } from '../harness/metrics.ts';
import { ManagedProcess, suiteScope, type Scope } from '../harness/process.ts';
import { tempDir } from '../harness/tmp.ts';
import { notYet, waitFor } from '../harness/wait.ts';

const exec = promisify(execFile);

/** The host's namespace: a mount of its own in $DATA, then wait to be killed. */
const HOST_SETUP = `
set -e
mount -t tmpfs -o size=4m patrol-host-disk "$DATA/disk"
echo namespace-ready
exec sleep infinity
`;

/** The container's namespace: the host at $ROOTFS (ro, slave), $DATA hidden, then patrol. */
const CONTAINER_SETUP = `
set -e
mount --rbind / "$ROOTFS"
mount --make-rslave "$ROOTFS"
mount -o remount,bind,ro "$ROOTFS"
mount -t tmpfs -o size=1m patrol-shadow "$DATA"
test -z "$(ls -A "$DATA")"
exec "$0" "$@"
`;

const KLOG_ERROR = 'E1121 10:00:00.000000 1 x.go:1] boom\n';

/** device, mountpoint, fstype of every patrol_filesystem_size_bytes series. */
function filesystems(samples: readonly Sample[]): Map<string, Sample> {
  return new Map(
    samples
      .filter((s) => s.name === 'patrol_filesystem_size_bytes')
      .map((s) => [s.labels.mountpoint ?? '', s]),
  );
}

/** `df --output=target,size -B1` in the host's mount namespace (process `pid`'s): target -> bytes. */
async function df(pid: number): Promise<Map<string, number>> {
  const { stdout } = await exec('nsenter', [
    `--target=${pid}`,
    '--mount',
    'df',
    '--output=target,size',
    '-B1',
  ]);
  const out = new Map<string, number>();
  for (const line of stdout.trim().split('\n').slice(1)) {
    const m = /^(.*\S)\s+(\d+)$/.exec(line);
    if (m !== null) out.set(m[1] ?? '', Number(m[2]));
  }
  return out;
}

/** Patrol run by `command` (which ends by running its arguments), once it answers /-/ready. */
async function startWrapped(
  scope: Scope,
  name: string,
  command: readonly string[],
  opts: { configFile: string; args?: readonly string[]; env?: Record<string, string> },
): Promise<Exporter> {
  const state = await tempDir(scope, 'patrol-rootfs-state-');
  const [cmd = '', ...pre] = command;
  const proc = new ManagedProcess(name, cmd, [...pre, NODE, ...exporterArgs(opts)], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env, STATE_DIRECTORY: state },
  });
  scope.after(() => proc.kill());
  const m = await proc.waitForOutput(/msg=listening address=(https?:\/\/[^\s"]+)/);
  const exporter = new Exporter(proc, m[1] ?? '', {});
  await waitFor(
    `${name} to be ready`,
    async () => {
      if (!proc.running) throw new Error('exporter exited');
      return (await exporter.fetch('/-/ready', { timeoutMs: 5_000 })).status === 200;
    },
    { context: () => proc.describe() },
  );
  return exporter;
}

describe('patrol with --path.rootfs in a mount namespace that sees the host at a directory', () => {
  const scope = suiteScope();
  after(() => scope.close());

  let data: string;
  let rootfs: string;
  let hostPid: number;
  let onHost: Exporter;
  let inContainer: Exporter;

  before(async () => {
    data = await tempDir(scope, 'patrol-rootfs-data-');
    rootfs = await tempDir(scope, 'patrol-rootfs-');
    const conf = await tempDir(scope, 'patrol-rootfs-conf-');
    await mkdir(join(data, 'dir', 'sub'), { recursive: true });
    await writeFile(join(data, 'dir', 'a'), Buffer.alloc(1000, 'a'));
    await writeFile(join(data, 'dir', 'sub', 'b'), Buffer.alloc(2345, 'b'));
    await mkdir(join(data, 'logs'));
    await writeFile(join(data, 'logs', 'app.log'), '');
    await mkdir(join(data, 'disk'));
    const configFile = join(conf, 'patrol.yml');
    await writeFile(
      configFile,
      JSON.stringify(
        onlyCollectors({
          filesystem: {},
          directory: { paths: [join(data, 'dir')], interval: '1s' },
          logs: {
            rescan_interval: '200ms',
            poll_interval: '200ms',
            sources: [
              { name: 'app', paths: [join(data, 'logs', 'app.log')], format: 'klog' },
              { name: 'globbed', paths: [join(data, 'logs', '*.log')], format: 'klog' },
            ],
          },
        }),
      ),
    );

    const host = new ManagedProcess(
      'host namespace',
      'unshare',
      ['--mount', '--propagation', 'private', 'sh', '-c', HOST_SETUP],
      { env: { ...process.env, DATA: data } },
    );
    scope.after(() => host.kill());
    await host.waitForOutput(/namespace-ready/);
    hostPid = host.child.pid ?? 0;
    const nsenter = ['nsenter', `--target=${hostPid}`, '--mount'];

    onHost = await startWrapped(scope, 'patrol on the host', nsenter, { configFile });
    inContainer = await startWrapped(
      scope,
      'patrol --path.rootfs',
      [...nsenter, 'unshare', '--mount', '--propagation', 'private', 'sh', '-c', CONTAINER_SETUP],
      { configFile, args: [`--path.rootfs=${rootfs}`], env: { ROOTFS: rootfs, DATA: data } },
    );
    assert.match(
      inContainer.proc.stderr,
      /reading the host through rootfs /,
      inContainer.proc.describe(),
    );
  });

  it('reports the host’s mounts by the host’s mount points, with df’s sizes', async () => {
    const host = filesystems(parseSamples(await onHost.scrape()));
    const seen = filesystems(parseSamples(await inContainer.scrape()));
    assert.ok(host.has('/'), `the host's / is reported: ${[...host.keys()].join(', ')}`);
    const disk = join(data, 'disk');
    assert.equal(host.get(disk)?.value, 4 * 1024 * 1024, 'the host namespace’s own tmpfs');
    assert.deepEqual([...seen.keys()].sort(), [...host.keys()].sort());
    for (const mountpoint of seen.keys())
      assert.ok(!mountpoint.startsWith(rootfs), `${mountpoint} is named as the host names it`);
    for (const [mountpoint, s] of host) {
      const mine = seen.get(mountpoint);
      assert.equal(mine?.labels.device, s.labels.device, mountpoint);
      assert.equal(mine?.labels.fstype, s.labels.fstype, mountpoint);
    }

    const sizes = await df(hostPid);
    const compared = [...seen.keys()].filter((mp) => sizes.has(mp));
    assert.ok(compared.includes('/'), `df lists /: ${[...sizes.keys()].join(', ')}`);
    assert.ok(compared.includes(disk), `df lists ${disk}: ${[...sizes.keys()].join(', ')}`);
    for (const mountpoint of compared)
      assert.equal(seen.get(mountpoint)?.value, sizes.get(mountpoint), `size of ${mountpoint}`);
  });

  it('scans a directory given as a host path through the rootfs', async () => {
    const path = join(data, 'dir');
    const scrape = await waitFor('the directory to be scanned in the namespace', async () => {
      const text = await inContainer.scrape();
      const up = sampleValue(text, 'patrol_directory_up', { path });
      return up === undefined ? notYet('no patrol_directory_up yet') : text;
    });
    assert.equal(sampleValue(scrape, 'patrol_directory_up', { path }), 1);
    assert.equal(sampleValue(scrape, 'patrol_directory_files', { path }), 2);
    assert.equal(sampleValue(scrape, 'patrol_directory_size_bytes', { path }), 3345);

    const info = (text: string) =>
      parseSamples(text).find((s) => s.name === 'patrol_directory_filesystem_info')?.labels;
    const onHostInfo = await waitFor('the directory to be scanned on the host', async () =>
      info(await onHost.scrape()),
    );
    assert.deepEqual(info(scrape), onHostInfo, 'the same filesystem, named as on the host');
  });

  it('follows a log file given as a host path, and a glob, through the rootfs', async () => {
    await appendFile(join(data, 'logs', 'app.log'), KLOG_ERROR.repeat(3));
    const errors = (text: string, source: string) =>
      sampleValue(text, 'patrol_log_lines_total', { source, level: 'error' });
    for (const exporter of [onHost, inContainer]) {
      const text = await waitFor('three error lines counted', async () => {
        const t = await exporter.scrape();
        return errors(t, 'app') === 3 && errors(t, 'globbed') === 3
          ? t
          : notYet(`app ${errors(t, 'app')}, globbed ${errors(t, 'globbed')}`);
      });
      assert.equal(sampleValue(text, 'patrol_log_files', { source: 'app' }), 1);
      assert.equal(sampleValue(text, 'patrol_log_files', { source: 'globbed' }), 1);
    }
  });

  it('stops cleanly', async () => {
    await inContainer.stop();
    await onHost.stop();
  });
});
