import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request, type HttpResponse, type RequestOptions } from './http.ts';
import { ManagedProcess, run, type RunResult, type Scope } from './process.ts';
import { waitFor } from './wait.ts';

/** The repository root and the exporter's entry point, run by the same Node.js as the tests. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
export const NODE = process.execPath;

export interface ExporterOptions {
  configFile?: string;
  webConfigFile?: string;
  /** Further flags, e.g. ['--web.telemetry-path=/custom']. */
  args?: readonly string[];
  /** CA (PEM) to trust and credentials to send, when the web config asks for TLS or basic auth. */
  ca?: string | Buffer;
  auth?: { user: string; password: string };
  startTimeoutMs?: number;
  /**
   * The command line before the flags: default `node src/main.ts`; an installed copy's own
   * runtime (e.g. setpriv ... /opt/patrol/bin/node /opt/patrol/dist/main.js) otherwise.
   */
  launcher?: readonly [string, ...string[]];
}

/** The real exporter as a child process, listening on 127.0.0.1 on a port the kernel chose. */
export class Exporter {
  readonly proc: ManagedProcess;
  /** e.g. http://127.0.0.1:41234 (https:// with a TLS web config) */
  readonly url: string;
  readonly port: number;
  readonly ca: string | Buffer | undefined;
  readonly auth: { user: string; password: string } | undefined;

  constructor(proc: ManagedProcess, url: string, opts: ExporterOptions) {
    this.proc = proc;
    this.url = url;
    this.port = Number(new URL(url).port);
    this.ca = opts.ca;
    this.auth = opts.auth;
  }

  /** host:port, as a Prometheus static target. */
  get target(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** A request to `path`, with the CA and credentials given at start unless overridden. */
  fetch(path: string, opts: RequestOptions = {}): Promise<HttpResponse> {
    return request(this.url + path, {
      ...(this.ca === undefined ? {} : { ca: this.ca }),
      ...(this.auth === undefined ? {} : { auth: this.auth }),
      ...opts,
    });
  }

  /** The body of a successful scrape of `path`. */
  async scrape(path = '/metrics', opts: RequestOptions = {}): Promise<string> {
    const res = await this.fetch(path, opts);
    assert.equal(
      res.status,
      200,
      `GET ${path}: ${res.status} ${res.text}\n${this.proc.describe()}`,
    );
    return res.text;
  }

  signal(sig: NodeJS.Signals): void {
    this.proc.signal(sig);
  }

  /** SIGTERM, and asserts a clean exit (code 0, not killed). */
  async stop(): Promise<void> {
    const exit = await this.proc.terminate();
    assert.deepEqual(
      exit,
      { code: 0, signal: null },
      `exporter did not exit cleanly on SIGTERM\n${this.proc.describe()}`,
    );
  }
}

export function exporterArgs(opts: ExporterOptions): string[] {
  return [
    ...(opts.launcher === undefined ? [MAIN] : opts.launcher.slice(1)),
    '--web.listen-address=127.0.0.1:0',
    ...(opts.configFile === undefined ? [] : [`--config.file=${opts.configFile}`]),
    ...(opts.webConfigFile === undefined ? [] : [`--web.config.file=${opts.webConfigFile}`]),
    ...(opts.args ?? []),
  ];
}

/**
 * Starts the exporter, waits for its `msg=listening address=...` log line, then for an HTTP
 * answer on /-/ready (200, or 401 when it asks for credentials we were not given). `scope`
 * kills it at the end whatever happened; call stop() to check a clean shutdown.
 */
export async function startExporter(scope: Scope, opts: ExporterOptions = {}): Promise<Exporter> {
  // The log collector keeps its positions in $STATE_DIRECTORY (else /var/lib/patrol): a test
  // exporter must not write to the host's.
  const state = mkdtempSync(join(tmpdir(), 'patrol-state-'));
  const proc = new ManagedProcess('patrol', opts.launcher?.[0] ?? NODE, exporterArgs(opts), {
    cwd: ROOT,
    env: { ...process.env, STATE_DIRECTORY: state },
  });
  scope.after(async () => {
    await proc.kill();
    rmSync(state, { recursive: true, force: true });
  });
  const timeoutMs = opts.startTimeoutMs ?? 30_000;
  const m = await proc.waitForOutput(/msg=listening address=(https?:\/\/[^\s"]+)/, timeoutMs);
  const exp = new Exporter(proc, m[1] ?? '', opts);
  await waitFor(
    'the exporter to answer /-/ready',
    async () => {
      if (!proc.running) throw new Error('exporter exited');
      const res = await exp.fetch('/-/ready', { timeoutMs: 5_000 });
      return res.status === 200 || (res.status === 401 && opts.auth === undefined);
    },
    { timeoutMs, context: () => proc.describe() },
  );
  return exp;
}

/** Runs the exporter to completion with exactly these flags (for --help, --check-config, bad configs). */
export function runExporter(args: readonly string[], timeoutMs = 30_000): Promise<RunResult> {
  return run(NODE, [MAIN, ...args], { cwd: ROOT, timeoutMs });
}
