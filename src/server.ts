import type http from 'node:http';
import type https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createGzip } from 'node:zlib';
import { negotiateContentType } from './core/exposition.ts';
import { httpModule, httpsModule, tlsModule } from './core/builtins.ts';
import { describeError } from './core/errors.ts';
import type { Logger } from './core/logger.ts';
import type { RouteHandler, RouteTable } from './core/routes.ts';
import { BasicAuth, parseBasicAuth, type AuthResult, type WebConfig } from './webconfig.ts';

export interface ServerOptions {
  host: string | undefined;
  port: number;
  telemetryPath: string;
  /** Scrapes served at once; more get 503 (0: unbounded). */
  maxRequests: number;
  webConfig: WebConfig;
  logger: Logger;
  /** Renders the metrics in the given content type. */
  scrape(contentType: string): Promise<string | readonly Buffer[]>;
  /** Whether to answer /-/ready with 200, and what is still being waited for. */
  readiness(): { ready: boolean; waiting: readonly string[] };
  version: string;
  /** Collectors' own endpoints (RouteTable). */
  routes?: RouteTable;
  /** The runbooks at /runbooks/ (src/runbooks/site.ts), behind basic auth like the rest. */
  runbooks?: { handler(path: string): RouteHandler | undefined };
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Applies new certificates, users and headers from a reloaded web config (TLS on/off needs a restart). */
  updateWebConfig(config: WebConfig): void;
  close(): Promise<void>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function landingPage(opts: ServerOptions): string {
  const links: [string, string][] = [
    [opts.telemetryPath, 'Metrics'],
    ['/-/healthy', 'Health'],
    ['/-/ready', 'Readiness'],
    ...(opts.runbooks === undefined ? [] : [['/runbooks/', 'Runbooks'] as [string, string]]),
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

/** The chunks of an answer, written as they are (no copy into one buffer). */
function writeAll(res: http.ServerResponse, chunks: readonly Buffer[], size: number): void {
  res.setHeader('Content-Length', size);
  for (const c of chunks) res.write(c);
  res.end();
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  let webConfig = opts.webConfig;
  let auth = webConfig.users && new BasicAuth(webConfig.users);
  let inFlight = 0;

  const send = (
    res: http.ServerResponse,
    req: http.IncomingMessage,
    status: number,
    type: string,
    body: string | readonly Buffer[],
  ) => {
    res.statusCode = status;
    res.setHeader('Content-Type', type);
    res.setHeader('Vary', 'Accept-Encoding');
    const chunks = typeof body === 'string' ? [Buffer.from(body)] : body;
    let size = 0;
    for (const c of chunks) size += c.length;
    // Gzip when asked for and worth it (node_exporter does the same through promhttp). A large
    // answer (a cluster's 220,000 series: 25 MB) gets zlib's fastest level: a quarter of the
    // time of the default for a few percent more bytes on such repetitive text.
    if (size >= 1024 && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      const zipped: Buffer[] = [];
      const z = createGzip({ level: size > 1024 * 1024 ? 1 : 6 });
      z.on('data', (d: Buffer) => zipped.push(d));
      z.on('end', () => {
        res.setHeader('Content-Encoding', 'gzip');
        res.end(Buffer.concat(zipped));
      });
      z.on('error', () => {
        writeAll(res, chunks, size);
      });
      for (const c of chunks) z.write(c);
      z.end();
      return;
    }
    writeAll(res, chunks, size);
  };
  const text = 'text/plain; charset=utf-8';

  const serveMetrics = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (opts.maxRequests > 0 && inFlight >= opts.maxRequests) {
      send(res, req, 503, text, `too many scrapes in flight (limit ${opts.maxRequests})\n`);
      return;
    }
    inFlight++;
    const contentType = negotiateContentType(req.headers.accept);
    opts
      .scrape(contentType)
      .then(
        (body) => {
          send(res, req, 200, contentType, body);
        },
        (err: unknown) => {
          opts.logger.error('scrape failed', { err: describeError(err) });
          send(res, req, 500, text, `error gathering metrics: ${describeError(err)}\n`);
        },
      )
      .finally(() => {
        inFlight--;
      });
  };

  const route = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      send(res, req, 405, text, 'Method Not Allowed\n');
    } else if (path === opts.telemetryPath) serveMetrics(req, res);
    else if (path === '/-/healthy') send(res, req, 200, text, 'Healthy\n');
    else if (path === '/-/ready') {
      const { ready, waiting } = opts.readiness();
      if (ready) send(res, req, 200, text, 'Ready\n');
      else {
        const why = waiting.length === 0 ? '' : `: waiting for ${waiting.join(', ')}`;
        send(res, req, 503, text, `Not ready${why}\n`);
      }
    } else if (path === '/') send(res, req, 200, 'text/html; charset=utf-8', landingPage(opts));
    else {
      const entry = opts.routes?.get(path ?? '');
      const runbook = opts.runbooks?.handler(path ?? '');
      if (entry !== undefined) serveRoute(entry.handler, req, res);
      else if (runbook !== undefined) serveRoute(runbook, req, res);
      else send(res, req, 404, text, 'Not Found\n');
    }
  };

  const serveRoute = (
    handler: RouteHandler,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ) => {
    Promise.resolve()
      .then(() => handler(req))
      .then(
        (r) => {
          for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
          send(res, req, r.status, r.type ?? 'application/json', r.body);
        },
        (err: unknown) => {
          opts.logger.error('endpoint failed', { path: req.url, err: describeError(err) });
          send(res, req, 500, text, 'Internal Server Error\n');
        },
      );
  };

  /**
   * Plain node:http rather than express: four fixed GET routes need no router, and express
   * with compression cost about 5 MiB of the 80 MiB idle-memory budget (bench/idle-memory.ts).
   */
  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    for (const [k, v] of Object.entries(webConfig.headers)) res.setHeader(k, v);
    const tls = webConfig.tls;
    const socket = req.socket;
    if (tls !== undefined && socket instanceof tlsModule().TLSSocket) {
      // client_auth_type values that the TLS handshake alone cannot enforce.
      const hasCert = Object.keys(socket.getPeerCertificate()).length > 0;
      if (
        (tls.clientAuthType === 'RequireAnyClientCert' && !hasCert) ||
        (tls.clientAuthType === 'VerifyClientCertIfGiven' && hasCert && !socket.authorized)
      ) {
        send(res, req, 403, text, 'client certificate required or not trusted\n');
        return;
      }
    }
    // Endpoints that check their callers themselves (a secret shared between HA peers).
    const own = opts.routes?.get((req.url ?? '/').split('?')[0] ?? '');
    if (auth === undefined || own?.ownAuth === true) {
      route(req, res);
      return;
    }
    const creds = parseBasicAuth(req.headers.authorization);
    const check: Promise<AuthResult> =
      creds === undefined ? Promise.resolve('denied') : auth.check(creds.user, creds.password);
    check.then(
      (result) => {
        if (result === 'ok') {
          route(req, res);
        } else if (result === 'busy') {
          res.setHeader('Retry-After', '1');
          send(res, req, 429, text, 'Too many credential checks at once, retry\n');
        } else {
          res.setHeader('WWW-Authenticate', 'Basic realm="patrol"');
          send(res, req, 401, text, 'Unauthorized\n');
        }
      },
      (err: unknown) => {
        opts.logger.error('checking credentials failed', { err: describeError(err) });
        send(res, req, 500, text, 'Internal Server Error\n');
      },
    );
  };

  const server: http.Server | https.Server =
    webConfig.tls === undefined
      ? httpModule().createServer(handle)
      : httpsModule().createServer(tlsServerOptions(webConfig), handle);
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
        throw new Error(
          'turning TLS on or off needs a restart; keeping the current web configuration',
        );
      }
      // Whether and how client certificates are asked for is fixed when the server is created
      // (requestCert, rejectUnauthorized); certificates, keys and CAs can change live.
      if (next.tls?.clientAuthType !== webConfig.tls?.clientAuthType) {
        throw new Error(
          'changing tls_server_config.client_auth_type needs a restart; keeping the current web configuration',
        );
      }
      if (next.tls !== undefined) (server as https.Server).setSecureContext(tlsServerOptions(next));
      webConfig = next;
      auth = next.users && new BasicAuth(next.users);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
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
