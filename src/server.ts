import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { TLSSocket } from 'node:tls';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import { negotiateContentType } from './core/exposition.ts';
import { describeError } from './core/errors.ts';
import type { Logger } from './core/logger.ts';
import { BasicAuth, parseBasicAuth, type WebConfig } from './webconfig.ts';

export interface ServerOptions {
  host: string | undefined;
  port: number;
  telemetryPath: string;
  /** Scrapes served at once; more get 503 (0: unbounded). */
  maxRequests: number;
  webConfig: WebConfig;
  logger: Logger;
  /** Renders the metrics in the given content type. */
  scrape(contentType: string): Promise<string>;
  isReady(): boolean;
  version: string;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Applies new certificates, users and headers from a reloaded web config (TLS on/off needs a restart). */
  updateWebConfig(config: WebConfig): void;
  close(): Promise<void>;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function landingPage(opts: ServerOptions): string {
  const links: [string, string][] = [
    [opts.telemetryPath, 'Metrics'],
    ['/-/healthy', 'Health'],
    ['/-/ready', 'Readiness'],
  ];
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>patrol</title></head>
<body>
<h1>patrol</h1>
<p>Prometheus exporter for the daily inspection checklist. Version ${escapeHtml(opts.version)}.</p>
<ul>
${links.map(([href, text]) => `<li><a href="${escapeHtml(href)}">${escapeHtml(text)}</a></li>`).join('\n')}
</ul>
</body></html>
`;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  let webConfig = opts.webConfig;
  let auth = webConfig.users && new BasicAuth(webConfig.users);
  let inFlight = 0;

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use((req: Request, res: Response, next: NextFunction) => {
    for (const [k, v] of Object.entries(webConfig.headers)) res.setHeader(k, v);
    const tls = webConfig.tls;
    const socket = req.socket;
    if (tls !== undefined && socket instanceof TLSSocket) {
      // client_auth_type values that the TLS handshake alone cannot enforce.
      const cert = socket.getPeerCertificate();
      const hasCert = Object.keys(cert).length > 0;
      if (
        (tls.clientAuthType === 'RequireAnyClientCert' && !hasCert) ||
        (tls.clientAuthType === 'VerifyClientCertIfGiven' && hasCert && !socket.authorized)
      ) {
        res.status(403).type('text/plain').send('client certificate required or not trusted\n');
        return;
      }
    }
    if (auth === undefined) {
      next();
      return;
    }
    const creds = parseBasicAuth(req.headers.authorization);
    const check = creds === undefined ? Promise.resolve(false) : auth.check(creds.user, creds.password);
    check.then(
      (ok) => {
        if (ok) {
          next();
          return;
        }
        res.setHeader('WWW-Authenticate', 'Basic realm="patrol"');
        res.status(401).type('text/plain').send('Unauthorized\n');
      },
      (err: unknown) => {
        next(err);
      },
    );
  });

  app.use(compression());

  app.get(opts.telemetryPath, (req: Request, res: Response) => {
    if (opts.maxRequests > 0 && inFlight >= opts.maxRequests) {
      res.status(503).type('text/plain').send(`too many scrapes in flight (limit ${opts.maxRequests})\n`);
      return;
    }
    inFlight++;
    const contentType = negotiateContentType(req.headers.accept);
    opts
      .scrape(contentType)
      .then(
        (body) => {
          res.status(200).type(contentType).send(body);
        },
        (err: unknown) => {
          opts.logger.error('scrape failed', { err: describeError(err) });
          res.status(500).type('text/plain').send(`error gathering metrics: ${describeError(err)}\n`);
        },
      )
      .finally(() => {
        inFlight--;
      });
  });
  app.get('/-/healthy', (_req, res) => {
    res.type('text/plain').send('Healthy\n');
  });
  app.get('/-/ready', (_req, res) => {
    if (opts.isReady()) res.type('text/plain').send('Ready\n');
    else res.status(503).type('text/plain').send('Not ready\n');
  });
  app.get('/', (_req, res) => {
    res.type('html').send(landingPage(opts));
  });
  app.use((_req: Request, res: Response) => {
    res.status(404).type('text/plain').send('Not Found\n');
  });

  const server: http.Server | https.Server =
    webConfig.tls === undefined ? http.createServer(app) : https.createServer(tlsServerOptions(webConfig), app);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `${webConfig.tls ? 'https' : 'http'}://${hostForUrl}:${address.port}`,
    port: address.port,
    updateWebConfig(next: WebConfig) {
      if ((next.tls === undefined) !== (webConfig.tls === undefined)) {
        throw new Error('turning TLS on or off needs a restart; keeping the current web configuration');
      }
      if (next.tls !== undefined) (server as https.Server).setSecureContext(tlsServerOptions(next));
      webConfig = next;
      auth = next.users && new BasicAuth(next.users);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => { resolve(); });
        server.closeIdleConnections();
      }),
  };
}

function tlsServerOptions(wc: WebConfig): https.ServerOptions {
  const t = wc.tls;
  if (t === undefined) return {};
  return {
    cert: t.cert,
    key: t.key,
    ...(t.ca === undefined ? {} : { ca: t.ca }),
    requestCert: t.requestCert,
    rejectUnauthorized: t.rejectUnauthorized,
    minVersion: t.minVersion,
    maxVersion: t.maxVersion,
  };
}
