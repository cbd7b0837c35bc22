/**
 * Requests to the Kubernetes API over the core HTTP client (deadline, byte cap, gzip, idle
 * timeout), with the credentials of credentials.ts. Every failure is an ApiError naming the
 * HTTP status and the Status reason the server gave, or a transport error with its code.
 */
import { errorCode } from '../../core/errors.ts';
import { request, streamRequest, type ClientTls } from '../../core/http-client.ts';
import { obj, str, type Json } from './json.ts';

export interface Credentials {
  /** https://host:port, with any path prefix the kubeconfig's server has. */
  readonly server: URL;
  /** TLS settings, as of the last headers() call (which applies the kubeconfig afresh). */
  readonly tls: ClientTls;
  /** Headers of the next request (a service account token file is read again: it rotates). */
  headers(): Promise<Readonly<Record<string, string>>>;
  /** Forgets cached tokens (the server said 401: a rotated file, an expired exec token). */
  invalidate(): void;
}

export class ApiError extends Error {
  readonly status: number;
  /** The Status object's reason (Forbidden, Expired, NotFound...), when the server gave one. */
  readonly reason: string;
  constructor(status: number, reason: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.reason = reason;
  }
}

export interface ApiClient {
  /** GET one JSON document: discovery, one page of a list. */
  get(path: string, query: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<Json>;
  /**
   * A watch: each chunk as it arrives; resolves when the server ends the answer (its
   * timeoutSeconds), rejects on an answer that is not 2xx (ApiError), a stream silent for
   * `idleTimeoutMs`, an abort or a transport error.
   */
  watch(
    path: string,
    query: Readonly<Record<string, string>>,
    onChunk: (chunk: Buffer) => void,
    opts: {
      readonly idleTimeoutMs: number;
      readonly signal?: AbortSignal;
      /** The watch is open (its headers arrived with a 2xx status). */
      readonly onOpen?: () => void;
    },
  ): Promise<void>;
}

/** One page of a list may be large (500 pods): well above it, far below the heap. */
const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

export function apiClient(creds: Credentials, requestTimeoutMs: number): ApiClient {
  const url = (path: string, query: Readonly<Record<string, string>>) => {
    const u = new URL(creds.server.href.replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
    return u;
  };
  const headers = async () => ({ Accept: 'application/json', ...(await creds.headers()) });
  return {
    async get(path, query, signal) {
      const res = await request(url(path, query), {
        headers: await headers(),
        timeoutMs: requestTimeoutMs,
        maxBytes: MAX_DOCUMENT_BYTES,
        tls: creds.tls,
        signal,
      });
      const body = res.body.toString('utf8');
      if (res.status === 401) creds.invalidate();
      if (res.status < 200 || res.status > 299) throw apiError(res.status, body, path);
      let doc: unknown;
      try {
        doc = JSON.parse(body);
      } catch {
        throw new ApiError(res.status, 'BadResponse', `${path}: the answer is not JSON`);
      }
      const o = obj(doc);
      if (o === undefined) throw new ApiError(res.status, 'BadResponse', `${path}: not an object`);
      return o;
    },
    async watch(path, query, onChunk, opts) {
      const refused = await streamRequest(
        url(path, { ...query, watch: 'true' }),
        {
          headers: await headers(),
          headersTimeoutMs: requestTimeoutMs,
          idleTimeoutMs: opts.idleTimeoutMs,
          tls: creds.tls,
          signal: opts.signal,
          onResponse: (status) => {
            if (status >= 200 && status <= 299) opts.onOpen?.();
          },
        },
        onChunk,
      );
      if (refused !== undefined) {
        if (refused.status === 401) creds.invalidate();
        throw apiError(refused.status, refused.body.toString('utf8'), path);
      }
    },
  };
}

function apiError(status: number, body: string, path: string): ApiError {
  let reason = '';
  let message = '';
  try {
    const s = obj(JSON.parse(body));
    reason = str(s?.reason) ?? '';
    message = str(s?.message) ?? '';
  } catch {
    message = body.slice(0, 200);
  }
  return new ApiError(
    status,
    reason,
    `${path}: HTTP ${status}${reason === '' ? '' : ` ${reason}`}${message === '' ? '' : `: ${message}`}`,
  );
}

/** Why a request failed, as the bounded `reason` of patrol_kube_api_failures_total. */
export const FAILURE_REASONS = [
  'unauthorized',
  'forbidden',
  'not_found',
  'expired',
  'http_status',
  'timeout',
  'refused',
  'tls',
  'bad_response',
  'other',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export function failureReason(err: unknown): FailureReason {
  if (err instanceof ApiError) {
    if (err.reason === 'BadResponse') return 'bad_response';
    switch (err.status) {
      case 401:
        return 'unauthorized';
      case 403:
        return 'forbidden';
      case 404:
        return 'not_found';
      case 410:
        return 'expired';
      default:
        return 'http_status';
    }
  }
  const code = errorCode(err) ?? '';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH') return 'refused';
  if (
    code.startsWith('ERR_TLS') ||
    code.includes('CERT') ||
    code === 'DEPTH_ZERO_SELF_SIGNED_CERT'
  ) {
    return 'tls';
  }
  return 'other';
}
