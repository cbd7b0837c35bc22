import type https from 'node:https';
import type http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { createGunzip, gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { httpModule, httpsModule } from './builtins.ts';

const gunzipAsync = promisify(gunzip);

/** TLS settings of a client (a subset of node:tls's, named as there). */
export interface ClientTls {
  readonly ca?: string | Buffer | undefined;
  readonly cert?: string | Buffer | undefined;
  readonly key?: string | Buffer | undefined;
  readonly servername?: string | undefined;
  /** false: accept any certificate (insecure_skip_verify). */
  readonly rejectUnauthorized?: boolean | undefined;
}

export interface RequestOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Deadline of the whole exchange: connect, send, and the last byte of the answer. */
  readonly timeoutMs: number;
  /** The answer's body (after gzip is undone) may not be larger than this. */
  readonly maxBytes: number;
  readonly signal?: AbortSignal | undefined;
  readonly tls?: ClientTls | undefined;
  /** Ask for gzip and undo it (default true). */
  readonly gzip?: boolean;
  /** Connect to this Unix socket instead of the URL's host (the Docker Engine API). */
  readonly socketPath?: string | undefined;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Errors of the client carry a code, as Node's own do: ETIMEDOUT, E_TOO_LARGE, ECONNREFUSED… */
export class HttpClientError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HttpClientError';
    this.code = code;
  }
}

/**
 * One HTTP(S) request with an overall deadline, a cap on the answer's size and gzip undone
 * within that cap (a small gzip bomb cannot inflate past it). Every collector that talks HTTP
 * (HA peers, the Kubernetes API, HTTP probes) goes through here or through `streamRequest`, so
 * none can hang a scrape or a background loop on a server that accepts and never answers.
 * Written on node:http rather than fetch: undici's fetch has no byte cap, and its body timeout
 * restarts on every chunk, so a server trickling a byte a second holds it forever.
 */
export function request(url: URL, opts: RequestOptions): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const gz = opts.gzip ?? true;
    const headers: Record<string, string> = { ...opts.headers };
    if (gz && !hasHeader(headers, 'accept-encoding')) headers['Accept-Encoding'] = 'gzip';
    const req = send(url, opts, headers, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (d: Buffer) => {
        size += d.length;
        if (size > opts.maxBytes) req.destroy(tooLarge(opts.maxBytes));
        else chunks.push(d);
      });
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const encoded = gz && res.headers['content-encoding'] === 'gzip';
        (encoded
          ? gunzipAsync(raw, { maxOutputLength: opts.maxBytes })
          : Promise.resolve(raw)
        ).then(
          (body) => {
            clearTimeout(deadline);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
          },
          (err: unknown) => {
            clearTimeout(deadline);
            reject(
              (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
                ? tooLarge(opts.maxBytes)
                : new HttpClientError('E_GZIP', 'the answer is not valid gzip', { cause: err }),
            );
          },
        );
      });
      res.on('error', (err) => {
        clearTimeout(deadline);
        reject(err);
      });
    });
    const deadline = setTimeout(() => {
      req.destroy(timedOut(opts.timeoutMs));
    }, opts.timeoutMs);
    req.on('error', (err) => {
      clearTimeout(deadline);
      reject(err);
    });
  });
}

export interface StreamOptions extends Omit<RequestOptions, 'maxBytes' | 'timeoutMs'> {
  /** Deadline for the status line and headers. */
  readonly headersTimeoutMs: number;
  /** Deadline between two chunks of the body: a stream silent for longer is cut. */
  readonly idleTimeoutMs: number;
  /** Bytes of an answer that is not 2xx kept for the error (the rest is dropped). */
  readonly maxErrorBytes?: number;
  /** Told the status as soon as the headers arrive (a watch that is open, before any event). */
  readonly onResponse?: (status: number) => void;
}

/** The answer of a streamed request whose status was not 2xx, with the start of its body. */
export interface StreamRefused {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * A long answer read as it arrives (a Kubernetes watch): `onData` gets each chunk (gzip undone);
 * resolves when the server ends the answer, or with the status and the start of the body of an
 * answer that is not 2xx. Rejects on a silent stream (idleTimeoutMs), an abort or an error.
 */
export function streamRequest(
  url: URL,
  opts: StreamOptions,
  onData: (chunk: Buffer) => void,
): Promise<StreamRefused | undefined> {
  return new Promise((resolve, reject) => {
    const gz = opts.gzip ?? true;
    const headers: Record<string, string> = { ...opts.headers };
    if (gz && !hasHeader(headers, 'accept-encoding')) headers['Accept-Encoding'] = 'gzip';
    let timer: NodeJS.Timeout | undefined;
    const arm = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        req.destroy(timedOut(ms));
      }, ms);
    };
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    const req = send(url, opts, headers, (res) => {
      const status = res.statusCode ?? 0;
      opts.onResponse?.(status);
      arm(opts.idleTimeoutMs);
      const body =
        gz && res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res;
      if (status < 200 || status > 299) {
        const max = opts.maxErrorBytes ?? 64 * 1024;
        const chunks: Buffer[] = [];
        let size = 0;
        body.on('data', (d: Buffer) => {
          arm(opts.idleTimeoutMs);
          if (size < max) chunks.push(d.subarray(0, max - size));
          size += d.length;
        });
        body.on('end', () => {
          clearTimeout(timer);
          resolve({ status, headers: res.headers, body: Buffer.concat(chunks) });
        });
      } else {
        body.on('data', (d: Buffer) => {
          arm(opts.idleTimeoutMs);
          try {
            onData(d);
          } catch (err) {
            req.destroy(err as Error);
          }
        });
        body.on('end', () => {
          clearTimeout(timer);
          resolve(undefined);
        });
      }
      body.on('error', fail);
      res.on('error', fail);
    });
    arm(opts.headersTimeoutMs);
    req.on('error', fail);
  });
}

function send(
  url: URL,
  opts: Pick<RequestOptions, 'method' | 'body' | 'signal' | 'tls' | 'socketPath'>,
  headers: Record<string, string>,
  onResponse: (res: http.IncomingMessage) => void,
): http.ClientRequest {
  const tls = url.protocol === 'https:';
  const options: https.RequestOptions = {
    method: opts.method ?? 'GET',
    headers,
    ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    ...(opts.socketPath === undefined ? {} : { socketPath: opts.socketPath }),
  };
  if (tls && opts.tls !== undefined) {
    for (const key of ['ca', 'cert', 'key', 'servername', 'rejectUnauthorized'] as const) {
      const v = opts.tls[key];
      if (v !== undefined) Object.assign(options, { [key]: v });
    }
    // A client certificate or a private CA is per target: never share a pooled socket.
    options.agent = false;
  }
  // node:https is loaded only when a target needs it (./builtins.ts says why).
  const req = (tls ? httpsModule() : httpModule()).request(url, options, onResponse);
  if (opts.body !== undefined) req.end(opts.body);
  else req.end();
  return req;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

function timedOut(ms: number): HttpClientError {
  return new HttpClientError('ETIMEDOUT', `no complete answer within ${ms} ms`);
}

function tooLarge(max: number): HttpClientError {
  return new HttpClientError('E_TOO_LARGE', `answer larger than ${max} bytes`);
}
