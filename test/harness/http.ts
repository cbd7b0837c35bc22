import http from 'node:http';
import https from 'node:https';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The raw body, not decompressed (so a test can check Content-Encoding itself). */
  body: Buffer;
  text: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Trusted CA (PEM) for https URLs. */
  ca?: string | Buffer;
  auth?: { user: string; password: string };
  timeoutMs?: number;
}

/**
 * One HTTP(S) request on a fresh connection (no keep-alive agent), so no socket outlives the
 * test and holds the server's graceful shutdown open.
 */
export function request(url: string, opts: RequestOptions = {}): Promise<HttpResponse> {
  const u = new URL(url);
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.auth !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${opts.auth.user}:${opts.auth.password}`).toString('base64')}`;
  }
  const timeoutMs = opts.timeoutMs ?? 20_000;
  return new Promise<HttpResponse>((resolve, reject) => {
    const onResponse = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          text: body.toString('utf8'),
        });
      });
    };
    const common = {
      method: opts.method ?? 'GET',
      headers,
      agent: false as const,
      timeout: timeoutMs,
    };
    const req =
      u.protocol === 'https:'
        ? https.request(
            u,
            { ...common, ...(opts.ca === undefined ? {} : { ca: opts.ca }) },
            onResponse,
          )
        : http.request(u, common, onResponse);
    req.on('timeout', () => {
      req.destroy(new Error(`${common.method} ${url}: no response within ${timeoutMs} ms`));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A port that was free a moment ago on 127.0.0.1 (for programs that cannot listen on port 0). */
export function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const srv = http.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => {
        resolve(port);
      });
    });
  });
}
