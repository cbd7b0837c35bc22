/**
 * The control plane's clients: kubectl with a kubeconfig and the control plane's kubectl cache,
 * and HTTPS requests to the API server with a bearer token (admin's unless told otherwise).
 */
import https from 'node:https';
import type { HttpResponse } from '../http.ts';
import { run, type RunResult } from '../process.ts';
import type { ControlPlane } from './index.ts';
import { KUBECTL_BIN } from './processes.ts';

/**
 * ControlPlane.kubectl(): with `kubeconfig` unless `opts.kubeconfig`, kubectl's cache in
 * `cacheDir`.
 */
export function kubectlRunner(kubeconfig: string, cacheDir: string): ControlPlane['kubectl'] {
  const kubectl = async (
    args: readonly string[],
    o: { input?: string; kubeconfig?: string; timeoutMs?: number } = {},
  ): Promise<RunResult> => {
    const full = ['--kubeconfig', o.kubeconfig ?? kubeconfig, '--cache-dir', cacheDir, ...args];
    const r = await run(KUBECTL_BIN, full, {
      ...(o.input === undefined ? {} : { input: o.input }),
      timeoutMs: o.timeoutMs ?? 60_000,
    });
    if (r.code !== 0)
      throw new Error(
        `kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}${r.stdout === '' ? '' : `\n${r.stdout}`}`,
      );
    return r;
  };
  return kubectl;
}

/** ControlPlane.request() and api(): to `server()`, trusting `ca`, as admin unless told so. */
export function apiClient(
  server: () => string,
  ca: string,
  adminToken: string,
): { request: ControlPlane['request']; api: ControlPlane['api'] } {
  const httpRequest = (
    method: string,
    path: string,
    o: { body?: unknown; token?: string; contentType?: string; timeoutMs?: number } = {},
  ): Promise<HttpResponse> => {
    const body =
      o.body === undefined
        ? undefined
        : typeof o.body === 'string'
          ? o.body
          : JSON.stringify(o.body);
    const timeoutMs = o.timeoutMs ?? 20_000;
    return new Promise<HttpResponse>((resolve, reject) => {
      const req = https.request(
        new URL(path, server()),
        {
          method,
          ca,
          agent: false,
          timeout: timeoutMs,
          headers: {
            authorization: `Bearer ${o.token ?? adminToken}`,
            accept: 'application/json',
            ...(body === undefined
              ? {}
              : {
                  'content-type':
                    o.contentType ??
                    (method === 'PATCH' ? 'application/merge-patch+json' : 'application/json'),
                  'content-length': String(Buffer.byteLength(body)),
                }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const buf = Buffer.concat(chunks);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: buf,
              text: buf.toString('utf8'),
            });
          });
        },
      );
      req.on('timeout', () => {
        req.destroy(new Error(`${method} ${path}: no response within ${timeoutMs} ms`));
      });
      req.on('error', reject);
      req.end(body);
    });
  };

  const api = async <T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<T> => {
    const res = await httpRequest(method, path, {
      ...(body === undefined ? {} : { body }),
      ...(contentType === undefined ? {} : { contentType }),
    });
    if (res.status < 200 || res.status > 299)
      throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return (res.text === '' ? undefined : JSON.parse(res.text)) as T;
  };
  return { request: httpRequest, api };
}
