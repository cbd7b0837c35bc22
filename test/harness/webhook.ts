import http from 'node:http';
import type { Scope } from './process.ts';

/** One alert in an Alertmanager webhook notification. */
export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/** The JSON body Alertmanager's webhook_configs POST (payload version 4). */
export interface WebhookMessage {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: WebhookAlert[];
}

export interface Delivery {
  /** The request path, so one recorder can stand in for several receivers (/pager, /team-chat). */
  path: string;
  message: WebhookMessage;
}

/**
 * An HTTP server on 127.0.0.1 that records webhook notifications (answering 200) in arrival
 * order. A body that is not a version 4 payload is answered 400 and kept in `rejected`, so a
 * test sees it instead of Alertmanager retrying it silently.
 */
export class WebhookRecorder {
  readonly url: string;
  readonly #server: http.Server;
  readonly #deliveries: Delivery[] = [];
  readonly #rejected: string[] = [];
  readonly #listeners = new Set<() => void>();

  constructor(server: http.Server, url: string) {
    this.#server = server;
    this.url = url;
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const message = parseMessage(text);
        if (req.method !== 'POST' || message === undefined) {
          this.#rejected.push(`${req.method ?? '?'} ${req.url ?? ''} ${text}`);
          res.writeHead(400).end();
        } else {
          this.#deliveries.push({ path: req.url ?? '/', message });
          res.writeHead(200).end();
        }
        for (const l of this.#listeners) l();
      });
    });
  }

  get deliveries(): readonly Delivery[] {
    return this.#deliveries;
  }

  get rejected(): readonly string[] {
    return this.#rejected;
  }

  /** What was received so far, for error messages. */
  describe(): string {
    const lines = this.#deliveries.map(
      (d) =>
        `${d.path} receiver=${d.message.receiver} group=${JSON.stringify(d.message.groupLabels)} ` +
        `alerts=${JSON.stringify(d.message.alerts.map((a) => ({ status: a.status, ...a.labels })))}`,
    );
    return `--- webhook deliveries ---\n${lines.join('\n')}\n--- rejected ---\n${this.#rejected.join('\n')}\n--- end webhook ---`;
  }

  /**
   * Resolves with the predicate's result as soon as it returns something other than
   * undefined/false (checked now and on every request); rejects after `timeoutMs`.
   */
  waitFor<T>(
    what: string,
    predicate: (deliveries: readonly Delivery[]) => T | undefined | false,
    timeoutMs = 30_000,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        let v: T | undefined | false;
        try {
          v = predicate(this.#deliveries);
        } catch (err) {
          finish();
          reject(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        if (v !== undefined && v !== false) {
          finish();
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${this.describe()}`),
        );
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      this.#listeners.add(check);
      check();
    });
  }

  close(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (!this.#server.listening) {
        resolve();
        return;
      }
      this.#server.close(() => {
        resolve();
      });
      // Alertmanager keeps its connections alive; do not wait for it to hang up.
      this.#server.closeAllConnections();
    });
  }
}

function parseMessage(text: string): WebhookMessage | undefined {
  try {
    const m = JSON.parse(text) as Partial<WebhookMessage> | null;
    if (m?.version === '4' && Array.isArray(m.alerts) && typeof m.receiver === 'string')
      return m as WebhookMessage;
  } catch {
    // not JSON: rejected by the caller
  }
  return undefined;
}

/** Starts a recorder on a free 127.0.0.1 port; `scope` closes it at the end. */
export async function startWebhook(scope: Scope): Promise<WebhookRecorder> {
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('webhook: no TCP address');
  const recorder = new WebhookRecorder(server, `http://127.0.0.1:${addr.port}`);
  scope.after(() => recorder.close());
  return recorder;
}
