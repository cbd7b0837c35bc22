import { access, constants, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, request } from './http.ts';
import { ManagedProcess, type Scope } from './process.ts';
import { tempDir } from './tmp.ts';
import { waitFor, type NotYet, type WaitOptions } from './wait.ts';

export interface DaemonSpec {
  /** Short name for logs and errors, e.g. "prometheus". */
  name: string;
  bin: string;
  /** The Debian package that provides `bin`, and the variable that overrides its path. */
  debianPackage: string;
  envVar: string;
  configName: string;
  configText: string;
  /** Flags for one attempt: its config file, an empty data dir and the port to listen on. */
  args: (paths: { configFile: string; dataDir: string; port: number }) => string[];
  startTimeoutMs?: number;
}

export interface Daemon {
  proc: ManagedProcess;
  url: string;
  dir: string;
  configFile: string;
}

/** What a test holds of a running server: its process, address and dir, waits and a clean stop. */
export class DaemonClient {
  readonly proc: ManagedProcess;
  readonly url: string;
  readonly dir: string;
  readonly configFile: string;

  constructor(d: Daemon) {
    this.proc = d.proc;
    this.url = d.url;
    this.dir = d.dir;
    this.configFile = d.configFile;
  }

  /**
   * Polls `predicate` until it returns something other than undefined/false/notYet(...); the
   * server's log is added on timeout unless `opts.context` says something else.
   */
  waitFor<T>(
    what: string,
    predicate: () => Promise<T | undefined | false | NotYet> | T | undefined | false | NotYet,
    timeoutMs = 30_000,
    opts: Omit<WaitOptions, 'timeoutMs'> = {},
  ): Promise<T> {
    return waitFor(what, predicate, { context: () => this.proc.describe(), ...opts, timeoutMs });
  }

  async stop(): Promise<void> {
    await this.proc.terminate();
  }
}

/**
 * A Prometheus-style server (Prometheus, Alertmanager) on 127.0.0.1, with its config and data in
 * a temp dir, ready when /-/ready answers 200. The port is free when chosen but may be taken
 * before the server binds it, so a bind failure is retried on another port. `scope` stops the
 * server and removes the dir at the end.
 */
export async function startDaemon(scope: Scope, spec: DaemonSpec): Promise<Daemon> {
  try {
    await access(spec.bin, constants.X_OK);
  } catch {
    throw new Error(
      `${spec.bin} not found: install the Debian package "${spec.debianPackage}" (or set ${spec.envVar})`,
    );
  }
  const dir = await tempDir(scope, `patrol-${spec.name}-`);
  const configFile = join(dir, spec.configName);
  await writeFile(configFile, spec.configText);
  const timeoutMs = spec.startTimeoutMs ?? 60_000;
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const dataDir = join(dir, `data-${attempt}`);
    await mkdir(dataDir);
    const proc = new ManagedProcess(spec.name, spec.bin, spec.args({ configFile, dataDir, port }), {
      cwd: dir,
    });
    scope.after(() => proc.terminate().then(() => undefined));
    const url = `http://127.0.0.1:${port}`;
    try {
      const state = await waitFor(
        `${spec.name} /-/ready`,
        async () => {
          // A bad configuration ends the process at once: report it without waiting for the timeout.
          if (!proc.running) return 'exited';
          const res = await request(`${url}/-/ready`, { timeoutMs: 5_000 });
          return res.status === 200 && 'ready';
        },
        { timeoutMs, context: () => proc.describe() },
      );
      if (state === 'exited')
        throw new Error(`${spec.name} exited before it was ready\n${proc.describe()}`);
      return { proc, url, dir, configFile };
    } catch (err) {
      await proc.kill();
      if (attempt < 3 && /address already in use/.test(proc.stderr)) continue;
      throw err;
    }
  }
}
