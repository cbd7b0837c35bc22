import { stringify } from 'yaml';
import { request } from './http.ts';
import type { Scope } from './process.ts';
import { DaemonClient, startDaemon } from './daemon.ts';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
export const PROMTOOL_BIN = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';

export interface PrometheusOptions {
  /** `scrape_configs` entries, written as YAML. */
  scrapeConfigs: readonly Record<string, unknown>[];
  /** Default 1s (scrape and evaluation). */
  interval?: string;
  /** `rule_files` entries (absolute paths). */
  ruleFiles?: readonly string[];
  /** Alertmanagers to send alerts to, as host:port. */
  alertmanagers?: readonly string[];
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

export interface RuleStatus {
  name: string;
  query: string;
  type: 'alerting' | 'recording';
  health: 'ok' | 'err' | 'unknown';
  lastError?: string;
  lastEvaluation: string;
}

export interface RuleGroupStatus {
  name: string;
  file: string;
  rules: RuleStatus[];
}

export interface ActiveAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  value: string;
}

interface ApiResponse<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
  errorType?: string;
}

/** A real Prometheus server on 127.0.0.1, with its configuration and TSDB in a temp dir. */
export class Prometheus extends DaemonClient {
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

  /** The loaded rule groups with each rule's health and last error (/api/v1/rules). */
  async rules(): Promise<RuleGroupStatus[]> {
    return (await this.#api<{ groups: RuleGroupStatus[] }>('/api/v1/rules')).groups;
  }

  /** Pending and firing alerts (/api/v1/alerts). */
  async alerts(): Promise<ActiveAlert[]> {
    return (await this.#api<{ alerts: ActiveAlert[] }>('/api/v1/alerts')).alerts;
  }

  async targets(): Promise<Target[]> {
    const data = await this.#api<{ activeTargets: Target[] }>('/api/v1/targets?state=active');
    return data.activeTargets;
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
}

/** Starts Prometheus on a free 127.0.0.1 port and waits for /-/ready. `scope` stops it at the end. */
export async function startPrometheus(scope: Scope, opts: PrometheusOptions): Promise<Prometheus> {
  const interval = opts.interval ?? '1s';
  const d = await startDaemon(scope, {
    name: 'prometheus',
    bin: PROMETHEUS_BIN,
    debianPackage: 'prometheus',
    envVar: 'PROMETHEUS_BIN',
    configName: 'prometheus.yml',
    configText: stringify({
      global: {
        scrape_interval: interval,
        scrape_timeout: interval,
        evaluation_interval: interval,
      },
      ...(opts.ruleFiles === undefined ? {} : { rule_files: opts.ruleFiles }),
      ...(opts.alertmanagers === undefined
        ? {}
        : { alerting: { alertmanagers: [{ static_configs: [{ targets: opts.alertmanagers }] }] } }),
      scrape_configs: opts.scrapeConfigs,
    }),
    args: ({ configFile, dataDir, port }) => [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=info',
    ],
    ...(opts.startTimeoutMs === undefined ? {} : { startTimeoutMs: opts.startTimeoutMs }),
  });
  return new Prometheus(d);
}

/** The value of the only sample of a query result, as a number. */
export function single(samples: readonly VectorSample[]): number {
  if (samples.length !== 1)
    throw new Error(`expected one sample, got ${samples.length}: ${JSON.stringify(samples)}`);
  return Number(samples[0]?.value[1]);
}
