import { access, constants, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort, request } from './http.ts';
import { ManagedProcess, type Scope } from './process.ts';
import { tempDir } from './tmp.ts';
import { waitFor, type WaitOptions } from './wait.ts';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
export const PROMTOOL_BIN = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';

export interface PrometheusOptions {
  /** `scrape_configs` entries, written as YAML. */
  scrapeConfigs: readonly Record<string, unknown>[];
  /** Default 1s (scrape and evaluation). */
  interval?: string;
  /** `rule_files` entries (absolute paths). */
  ruleFiles?: readonly string[];
  startTimeoutMs?: number;
}

export interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface Target {
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  lastScrape: string;
}

interface ApiResponse<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
  errorType?: string;
}

/** A real Prometheus server on 127.0.0.1, with its configuration and TSDB in a temp dir. */
export class Prometheus {
  readonly proc: ManagedProcess;
  readonly url: string;
  readonly dir: string;

  constructor(proc: ManagedProcess, url: string, dir: string) {
    this.proc = proc;
    this.url = url;
    this.dir = dir;
  }

  async #api<T>(path: string): Promise<T> {
    const res = await request(this.url + path, { timeoutMs: 10_000 });
    let body: ApiResponse<T>;
    try {
      body = JSON.parse(res.text) as ApiResponse<T>;
    } catch {
      throw new Error(`GET ${path}: ${res.status} ${res.text}`);
    }
    if (body.status !== 'success')
      throw new Error(`GET ${path}: ${body.errorType ?? ''}: ${body.error ?? res.text}`);
    return body.data;
  }

  /** An instant query; the result as a vector (scalars are returned as one sample without labels). */
  async query(expr: string): Promise<VectorSample[]> {
    const data = await this.#api<{ resultType: string; result: unknown }>(
      `/api/v1/query?query=${encodeURIComponent(expr)}`,
    );
    if (data.resultType === 'vector') return data.result as VectorSample[];
    if (data.resultType === 'scalar')
      return [{ metric: {}, value: data.result as [number, string] }];
    throw new Error(`query ${expr}: unexpected result type ${data.resultType}`);
  }

  async targets(): Promise<Target[]> {
    const data = await this.#api<{ activeTargets: Target[] }>('/api/v1/targets?state=active');
    return data.activeTargets;
  }

  /** Polls `predicate` until it returns something other than undefined/false; the Prometheus log is added on timeout. */
  waitFor<T>(
    what: string,
    predicate: () => Promise<T | undefined | false> | T | undefined | false,
    timeoutMs = 30_000,
    opts: Omit<WaitOptions, 'timeoutMs'> = {},
  ): Promise<T> {
    return waitFor(what, predicate, { context: () => this.proc.describe(), ...opts, timeoutMs });
  }

  /** Waits until `expr` returns at least one sample; returns the samples. */
  waitForQuery(expr: string, timeoutMs = 30_000): Promise<VectorSample[]> {
    return this.waitFor(
      `query ${expr} to return samples`,
      async () => {
        const r = await this.query(expr);
        return r.length > 0 ? r : undefined;
      },
      timeoutMs,
    );
  }

  async stop(): Promise<void> {
    await this.proc.terminate();
  }
}

/**
 * Writes prometheus.yml in a temp dir, starts Prometheus on a free 127.0.0.1 port, and waits for
 * /-/ready. `scope` stops it (and removes the dir) at the end.
 */
export async function startPrometheus(scope: Scope, opts: PrometheusOptions): Promise<Prometheus> {
  try {
    await access(PROMETHEUS_BIN, constants.X_OK);
  } catch {
    throw new Error(
      `${PROMETHEUS_BIN} not found: install the Debian package "prometheus" (or set PROMETHEUS_BIN)`,
    );
  }
  const dir = await tempDir(scope, 'patrol-prometheus-');
  const interval = opts.interval ?? '1s';
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(
    configFile,
    stringify({
      global: {
        scrape_interval: interval,
        scrape_timeout: interval,
        evaluation_interval: interval,
      },
      ...(opts.ruleFiles === undefined ? {} : { rule_files: opts.ruleFiles }),
      scrape_configs: opts.scrapeConfigs,
    }),
  );
  const timeoutMs = opts.startTimeoutMs ?? 60_000;
  // The port is free when chosen but may be taken before Prometheus binds it: retry a few times.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const storage = join(dir, `data-${attempt}`);
    await mkdir(storage);
    const proc = new ManagedProcess(
      'prometheus',
      PROMETHEUS_BIN,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${storage}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=info',
      ],
      { cwd: dir },
    );
    scope.after(() => proc.terminate().then(() => undefined));
    const prom = new Prometheus(proc, `http://127.0.0.1:${port}`, dir);
    try {
      await waitFor(
        'Prometheus /-/ready',
        async () => {
          if (!proc.running) throw new Error('prometheus exited');
          const res = await request(`${prom.url}/-/ready`, { timeoutMs: 5_000 });
          return res.status === 200;
        },
        { timeoutMs, context: () => proc.describe() },
      );
      return prom;
    } catch (err) {
      await proc.kill();
      if (attempt < 3 && /address already in use/.test(proc.stderr)) continue;
      throw err;
    }
  }
}

/** The value of the only sample of a query result, as a number. */
export function single(samples: readonly VectorSample[]): number {
  if (samples.length !== 1)
    throw new Error(`expected one sample, got ${samples.length}: ${JSON.stringify(samples)}`);
  return Number(samples[0]?.value[1]);
}
