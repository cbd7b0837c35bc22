/**
 * What the bundle tests' exporter watches, one fixture per area: each sets up the real things
 * (a tmpfs, a systemd manager and its units, log files, an HA peer) and returns the collector
 * sections that watch them, for onlyCollectors(). test/e2e/bundle/queries.test.ts combines them
 * all; each area's own test file takes the one it needs.
 *
 * The intervals below are the exporter's periodic work the tests' waits count (budget.ts).
 */
import { appendFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { HEARTBEAT_PATH, type Heartbeat, type Role } from '../../src/collectors/ha/heartbeat.ts';
import { parseConfig } from '../../src/collectors/index.ts';
import { errorCode } from '../../src/core/errors.ts';
import type { CollectorSections } from './config.ts';
import { Exporter, MAIN, NODE, ROOT } from './exporter.ts';
import { ManagedProcess, run, type Scope } from './process.ts';
import { startSystemd, type SystemdManager } from './systemd.ts';

// ---- filesystem and directory: a tmpfs in the exporter's own mount namespace --------------

/** How often the directory collector rescans the watched directory. */
export const DIRECTORY_INTERVAL_SECONDS = 1;

/** The tmpfs made in the exporter's namespace, and the log file on it. */
const DISK_SETUP = `
mount -t tmpfs -o size=8m,nr_inodes=1000 patrol-bundle "$1"
mkdir "$1/logs"
head -c 65536 /dev/urandom > "$1/logs/tomcat_access.2026-11-20.log"
`;

export interface Disk {
  /** The tmpfs' mount point (8 MiB, 1000 inodes), seen by the exporter only. */
  fs: string;
  /** A directory on it, watched by the directory collector, holding a 64 KiB log. */
  logs: string;
  sections: Pick<CollectorSections, 'filesystem' | 'directory'>;
}

/** The paths of a tmpfs the exporter will mount, and the sections that watch it. */
export async function diskFixture(dir: string): Promise<Disk> {
  const fs = join(dir, 'fs');
  const logs = join(fs, 'logs');
  await run('mkdir', [fs]);
  return {
    fs,
    logs,
    sections: {
      filesystem: { mount_points_include: `^${fs}$` },
      directory: { paths: [logs], interval: `${DIRECTORY_INTERVAL_SECONDS}s` },
    },
  };
}

/**
 * patrol in its own mount namespace (`unshare --mount`), after `setup` (shell lines, `$1` is
 * `target`) made its mounts there: nothing is mounted on the host and the mounts die with the
 * exporter. Enter the namespace with nsenter on `exporter.proc.child.pid`.
 */
export async function startInOwnMountNamespace(
  t: Scope,
  opts: {
    setup: string;
    target: string;
    configFile: string;
    listenAddress?: string;
    env?: Readonly<Record<string, string>>;
  },
): Promise<Exporter> {
  const script = `set -e\n${opts.setup}\nexec "$2" "$3" --config.file="$4" --web.listen-address="$5"\n`;
  const proc = new ManagedProcess(
    'patrol in a mount namespace',
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      '--',
      'sh',
      '-c',
      script,
      'sh',
      opts.target,
      NODE,
      MAIN,
      opts.configFile,
      opts.listenAddress ?? '127.0.0.1:0',
    ],
    { cwd: ROOT, env: { ...process.env, ...opts.env } },
  );
  t.after(() => proc.terminate(10_000).then(() => undefined));
  const url = (await proc.waitForOutput(/msg=listening address=(http:\/\/[\d.:]+)/, 60_000))[1];
  return new Exporter(proc, url ?? '', {});
}

/** patrol in its own mount namespace holding the disk's tmpfs (startInOwnMountNamespace). */
export function startOnDisk(t: Scope, disk: Disk, configFile: string): Promise<Exporter> {
  return startInOwnMountNamespace(t, { setup: DISK_SETUP, target: disk.fs, configFile });
}

// ---- systemd: a real user manager with a healthy, a failed and a flapping service ---------

/** flapping.service's RestartSec: it fails at once and is started again after this. */
export const RESTART_SECONDS = 0.5;

export interface Units {
  sd: SystemdManager;
  /** Requires web (healthy), broken (failed) and nosuch (no such unit). */
  sections: Pick<CollectorSections, 'systemd'>;
}

export async function systemdFixture(t: Scope): Promise<Units> {
  const sd = await startSystemd(t);
  await writeFile(join(sd.unitDir, 'web.service'), '[Service]\nExecStart=/bin/sleep 600\n');
  await writeFile(join(sd.unitDir, 'broken.service'), '[Service]\nExecStart=/bin/false\n');
  await writeFile(
    join(sd.unitDir, 'flapping.service'),
    `[Unit]\nStartLimitIntervalSec=0\n[Service]\nExecStart=/bin/false\nRestart=always\nRestartSec=${RESTART_SECONDS * 1000}ms\n`,
  );
  await sd.systemctl(['daemon-reload']);
  await sd.systemctl(['start', 'web', 'flapping']);
  await sd.systemctl(['start', 'broken'], { allowFail: true });
  return { sd, sections: { systemd: { bus: sd.busAddress, units: ['web', 'broken', 'nosuch'] } } };
}

// ---- logs: a source with errors, a silent one and one without files -----------------------

/** The log collector's polling of followed files, and its rescan of the sources' globs. */
export const LOG_POLL_SECONDS = 0.2;
export const LOG_RESCAN_SECONDS = 1;
/** Every APPEND_SECONDS, ERRORS_PER_APPEND nginx "upstream timed out" errors go to the app's log. */
export const APPEND_SECONDS = 1;
export const ERRORS_PER_APPEND = 5;
/** The quiet source's max_silence. */
export const MAX_SILENCE_SECONDS = 1;

export interface Logs {
  appLog: string;
  quietLog: string;
  sections: Pick<CollectorSections, 'logs'>;
  /**
   * A directory appears where the `missing` source expects files: not followed, counted as
   * not_a_file. Call it after a first scrape of patrol_log_read_errors_total, so the read error
   * is an increase Prometheus sees.
   */
  makeMissingDir(): Promise<void>;
}

/**
 * Sources `app` (nginx errors and rule matches keep coming while the test runs, rates need them
 * after the first scrape), `quiet` (one old line, max_silence 1s) and `missing` (a glob).
 */
export async function logsFixture(t: Scope, dir: string): Promise<Logs> {
  const appLog = join(dir, 'app-error.log');
  const quietLog = join(dir, 'quiet.log');
  await writeFile(appLog, '');
  await writeFile(quietLog, 'Nov 21 10:00:00 host app[1]: started\n');
  const errorLine = () =>
    `${new Date().toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, '/')} [error] 7#7: *1 upstream timed out (110: Connection timed out) while reading response header from upstream\n`;
  const appending = setInterval(() => {
    try {
      appendFileSync(appLog, errorLine().repeat(ERRORS_PER_APPEND));
    } catch (err) {
      // The cleanup hooks run in order: the temporary directory may be gone before this
      // interval is cleared.
      if (errorCode(err) !== 'ENOENT') throw err;
    }
  }, APPEND_SECONDS * 1000);
  t.after(() => {
    clearInterval(appending);
    return Promise.resolve();
  });
  return {
    appLog,
    quietLog,
    sections: {
      logs: {
        positions_file: join(dir, 'log-positions.json'),
        poll_interval: `${LOG_POLL_SECONDS * 1000}ms`,
        rescan_interval: `${LOG_RESCAN_SECONDS}s`,
        sources: [
          {
            name: 'app',
            paths: [appLog],
            format: 'nginx',
            rules: [{ name: 'upstream_timeout', regex: 'upstream timed out' }],
          },
          {
            name: 'quiet',
            paths: [quietLog],
            format: 'syslog',
            max_silence: `${MAX_SILENCE_SECONDS}s`,
          },
          // A directory where a file is expected: not followed, counted as not_a_file.
          { name: 'missing', paths: [join(dir, 'missing-*')], format: 'syslog' },
        ],
      },
    },
    async makeMissingDir() {
      await run('mkdir', [join(dir, 'missing-dir')]);
    },
  };
}

// ---- HA: node bundle-a of the pair `bundle`, its peer a stand-in run by the test ----------

/** The exporter's heartbeat interval and timeout, and how many failures make the peer down. */
export const HA_INTERVAL_SECONDS = 1;
export const HA_TIMEOUT_SECONDS = 0.5;
/** patrol's default failure_threshold, which this test leaves as it is. */
export const HA_FAILURE_THRESHOLD = parseConfig({}).collectors.ha.failure_threshold;

export interface Peer {
  role: Role;
  answering: boolean;
  readonly url: string;
}

/**
 * The other node of the exporter's HA pair: answers GET /ha/heartbeat (no secret) with the role
 * `role`, its clock as this process reads it, or 503 while `answering` is false.
 */
export async function startPeer(t: Scope, cluster: string): Promise<Peer> {
  const peer = { role: 'standby' as Role, answering: true, url: '' };
  let seq = 0;
  const server = http.createServer((req, res) => {
    const received = Date.now();
    if (req.url !== HEARTBEAT_PATH || !peer.answering) {
      res.statusCode = req.url === HEARTBEAT_PATH ? 503 : 404;
      res.end();
      return;
    }
    const hb: Heartbeat = {
      cluster,
      node: 'bundle-b',
      role: peer.role,
      startId: 'bundle-peer',
      seq: ++seq,
      received,
      sent: Date.now(),
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(hb));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  );
  peer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return peer;
}

export interface Pair {
  peer: Peer;
  /** Says `primary` at first; write `standby` into it for a failover. */
  roleFile: string;
  sections: Pick<CollectorSections, 'ha'>;
}

/** The exporter is node bundle-a, primary while its role file says so; the peer is standby. */
export async function haFixture(t: Scope, dir: string): Promise<Pair> {
  const peer = await startPeer(t, 'bundle');
  const roleFile = join(dir, 'ha-role');
  await writeFile(roleFile, 'primary\n');
  return {
    peer,
    roleFile,
    sections: {
      ha: {
        enabled: true,
        cluster: 'bundle',
        node: 'bundle-a',
        peers: [{ name: 'bundle-b', url: peer.url }],
        role: { source: 'file', path: roleFile },
        interval: `${HA_INTERVAL_SECONDS}s`,
        timeout: `${HA_TIMEOUT_SECONDS * 1000}ms`,
      },
    },
  };
}
