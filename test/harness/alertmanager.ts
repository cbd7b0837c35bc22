import http from 'node:http';
import { stringify } from 'yaml';
import { request } from './http.ts';
import type { Scope } from './process.ts';
import { DaemonClient, startDaemon } from './daemon.ts';

export const ALERTMANAGER_BIN = process.env.ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager';
export const AMTOOL_BIN = process.env.AMTOOL_BIN ?? '/usr/bin/amtool';

export interface AlertmanagerOptions {
  /** alertmanager.yml: an object (written as YAML) or the file's text. */
  config: Record<string, unknown> | string;
  /** Extra command-line flags. */
  args?: readonly string[];
  startTimeoutMs?: number;
}

/** An alert as POST /api/v2/alerts takes it (what Prometheus sends). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  /** Omitted: Alertmanager uses the time it receives the alert. */
  startsAt?: string;
  /** Omitted: firing until resolve_timeout (5m by default) unless sent again. */
  endsAt?: string;
  generatorURL?: string;
}

/** An alert as GET /api/v2/alerts returns it. */
export interface GettableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  fingerprint: string;
  receivers: { name: string }[];
  status: {
    state: 'unprocessed' | 'active' | 'suppressed';
    silencedBy: string[];
    inhibitedBy: string[];
  };
}

/** Filters of GET /api/v2/alerts; each boolean defaults to true (include) on the server. */
export interface AlertsQuery {
  active?: boolean;
  silenced?: boolean;
  inhibited?: boolean;
  unprocessed?: boolean;
  /** Label matchers, e.g. `alertname="PatrolExporterDown"`. */
  filter?: readonly string[];
  /** Regex on the receiver name. */
  receiver?: string;
}

/** One request with a JSON body on a fresh connection (the shared `request` sends none). */
function sendJson(
  method: string,
  url: string,
  body: unknown,
  timeoutMs = 10_000,
): Promise<{ status: number; text: string }> {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent: false,
        timeout: timeoutMs,
        headers: { 'content-type': 'application/json', 'content-length': String(data.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    req.on('timeout', () => {
      req.destroy(new Error(`${method} ${url}: no response within ${timeoutMs} ms`));
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** A real Alertmanager on 127.0.0.1 (no clustering), with its config and storage in a temp dir. */
export class Alertmanager extends DaemonClient {
  /** POST /api/v2/alerts; throws unless Alertmanager accepts them (200). */
  async postAlerts(alerts: readonly PostableAlert[]): Promise<void> {
    const res = await sendJson('POST', `${this.url}/api/v2/alerts`, alerts);
    if (res.status !== 200)
      throw new Error(`POST /api/v2/alerts: ${res.status} ${res.text}\n${this.proc.describe()}`);
  }

  /** GET /api/v2/alerts with the given filters. */
  async alerts(query: AlertsQuery = {}): Promise<GettableAlert[]> {
    const params = new URLSearchParams();
    for (const key of ['active', 'silenced', 'inhibited', 'unprocessed'] as const) {
      const v = query[key];
      if (v !== undefined) params.set(key, String(v));
    }
    for (const f of query.filter ?? []) params.append('filter', f);
    if (query.receiver !== undefined) params.set('receiver', query.receiver);
    const qs = params.toString();
    const res = await request(`${this.url}/api/v2/alerts${qs === '' ? '' : `?${qs}`}`, {
      timeoutMs: 10_000,
    });
    if (res.status !== 200) throw new Error(`GET /api/v2/alerts?${qs}: ${res.status} ${res.text}`);
    return JSON.parse(res.text) as GettableAlert[];
  }
}

/**
 * Starts Alertmanager with `config` on a free 127.0.0.1 port, gossip off
 * (`--cluster.listen-address=`), and waits for /-/ready. `scope` stops it at the end.
 */
export async function startAlertmanager(
  scope: Scope,
  opts: AlertmanagerOptions,
): Promise<Alertmanager> {
  const d = await startDaemon(scope, {
    name: 'alertmanager',
    bin: ALERTMANAGER_BIN,
    debianPackage: 'prometheus-alertmanager',
    envVar: 'ALERTMANAGER_BIN',
    configName: 'alertmanager.yml',
    configText: typeof opts.config === 'string' ? opts.config : stringify(opts.config),
    args: ({ configFile, dataDir, port }) => [
      `--config.file=${configFile}`,
      `--storage.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=debug',
      ...(opts.args ?? []),
    ],
    ...(opts.startTimeoutMs === undefined ? {} : { startTimeoutMs: opts.startTimeoutMs }),
  });
  return new Alertmanager(d);
}
