import { stringify } from 'yaml';
import { request } from './http.ts';
import type { Scope } from './process.ts';
import { DaemonClient, startDaemon } from './daemon.ts';
import { notYet } from './wait.ts';

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
  /** An alerting rule's own labels (severity). */
  labels?: Record<string, string>;
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

  /**
   * Waits until `expr` returns at least one sample; returns the samples. On timeout the error
   * says what the query last returned, what the series it reads hold and how the scrapes went
   * (and `why`, where the deadline comes from).
   */
  waitForQuery(expr: string, timeoutMs = 30_000, why?: string): Promise<VectorSample[]> {
    return this.waitFor(
      `query ${expr} to return samples${why === undefined ? '' : ` (${why})`}`,
      async () => {
        const r = await this.query(expr);
        return r.length > 0 ? r : notYet('no samples');
      },
      timeoutMs,
      { context: () => this.describeInputs(expr) },
    );
  }

  /**
   * Waits until an alert named `alertname` whose labels include `labels` (and that `where`
   * accepts) is firing; returns every such alert. On timeout the error lists the alerts of that
   * name Prometheus had (pending ones too), the rule's health and the series its expression reads.
   */
  waitForAlert(
    alertname: string,
    opts: {
      labels?: Record<string, string>;
      where?: (a: ActiveAlert) => boolean;
      timeoutMs?: number;
      /** Where the deadline comes from, for the timeout error. */
      why?: string;
    } = {},
  ): Promise<ActiveAlert[]> {
    const labels = opts.labels ?? {};
    const shown = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
    const matches = (a: ActiveAlert) =>
      a.labels.alertname === alertname &&
      Object.entries(labels).every(([k, v]) => a.labels[k] === v) &&
      (opts.where?.(a) ?? true);
    return this.waitFor(
      `${alertname}{${shown.join(', ')}} to fire in Prometheus${opts.why === undefined ? '' : ` (${opts.why})`}`,
      async () => {
        const all = await this.alerts();
        const firing = all.filter((a) => a.state === 'firing' && matches(a));
        if (firing.length > 0) return firing;
        const named = all.filter((a) => a.labels.alertname === alertname);
        return notYet(
          named.length > 0
            ? `${named.length} ${alertname}: ${named.map((a) => `${a.state} ${JSON.stringify(a.labels)} ${JSON.stringify(a.annotations.description ?? '')}`).join('; ')}`
            : `no ${alertname}; active: ${all.map((a) => `${a.labels.alertname ?? '?'} (${a.state})`).join(', ') || 'none'}`,
        );
      },
      opts.timeoutMs ?? 30_000,
      {
        context: async () => {
          const rules = (await this.rules())
            .flatMap((g) => g.rules)
            .filter(
              (r) =>
                r.name === alertname &&
                (labels.severity === undefined || r.labels?.severity === labels.severity),
            );
          const parts = await Promise.all(
            rules.map(
              async (r) =>
                `rule ${r.name}: health ${r.health}${r.lastError === undefined || r.lastError === '' ? '' : ` (${r.lastError})`}, last evaluated ${r.lastEvaluation}\n${await this.describeInputs(r.query)}`,
            ),
          );
          return parts.join('\n');
        },
      },
    );
  }

  /**
   * What the data behind `expr` looks like now: every selector in it (`name{...}`) queried on its
   * own, and the state of the scrape targets. For the error of a wait that gave up.
   */
  async describeInputs(expr: string): Promise<string> {
    const lines: string[] = [];
    const seen = new Set<string>();
    for (const m of expr.matchAll(/\b([a-zA-Z_:][\w:]*)\{([^{}]*)\}/g)) {
      const selector = m[0];
      if (seen.has(selector) || seen.size >= 8) continue;
      seen.add(selector);
      try {
        const samples = await this.query(selector);
        const shown = samples.slice(0, 6).map((s) => {
          const labels = Object.entries(s.metric).filter(([k]) => k !== '__name__' && k !== 'job');
          return `${JSON.stringify(Object.fromEntries(labels))} ${s.value[1]}`;
        });
        lines.push(
          `  ${selector}: ${samples.length} series${shown.length > 0 ? `: ${shown.join('; ')}` : ''}${samples.length > shown.length ? '; ...' : ''}`,
        );
      } catch (err) {
        lines.push(`  ${selector}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    try {
      for (const t of await this.targets())
        lines.push(
          `  target ${t.labels.instance ?? t.scrapeUrl}: ${t.health}, last scrape ${t.lastScrape}${t.lastError === '' ? '' : ` (${t.lastError})`}`,
        );
    } catch (err) {
      lines.push(`  targets: ${err instanceof Error ? err.message : String(err)}`);
    }
    return `--- what the query reads, now ---\n${lines.join('\n')}\n--- end ---`;
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
