import { request, streamRequest, type StreamRefused } from '../../core/http-client.ts';

/**
 * The Docker Engine API over its Unix socket: three calls on the core HTTP client (deadline,
 * byte cap). Written here rather than with dockerode: importing dockerode 5.0.1 cost 32 MiB of
 * resident memory and 157 ms (it brings grpc-js, protobufjs and ssh2 for features patrol does
 * not use), two fifths of the exporter's idle budget, for three JSON requests.
 */
export interface Engine {
  list(signal: AbortSignal): Promise<unknown>;
  /** undefined: no such container (removed meanwhile). */
  inspect(id: string, signal: AbortSignal): Promise<unknown>;
  /** Follows container events until the stream ends; each line is handed to `onLine`. */
  events(signal: AbortSignal, onOpen: () => void, onLine: (line: string) => void): Promise<void>;
}

/** The API version asked for: 1.24 is Docker 1.12's, served by every engine since, and by Podman. */
const API = '/v1.24';
const MAX_BYTES = 32 * 1024 * 1024;

export class EngineError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'EngineError';
    this.status = status;
  }
}

export function socketEngine(socketPath: string, timeoutMs: number, idleTimeoutMs: number): Engine {
  const get = async (path: string, signal: AbortSignal) => {
    const res = await request(new URL(`http://docker${API}${path}`), {
      socketPath,
      timeoutMs,
      maxBytes: MAX_BYTES,
      signal,
      gzip: false,
    });
    return res;
  };
  return {
    async list(signal) {
      const res = await get('/containers/json?all=1', signal);
      if (res.status !== 200) throw refused(res.status, res.body, 'listing containers');
      return JSON.parse(res.body.toString('utf8')) as unknown;
    },
    async inspect(id, signal) {
      const res = await get(`/containers/${encodeURIComponent(id)}/json`, signal);
      if (res.status === 404) return undefined;
      if (res.status !== 200) throw refused(res.status, res.body, `inspecting ${id}`);
      return JSON.parse(res.body.toString('utf8')) as unknown;
    },
    async events(signal, onOpen, onLine) {
      let rest = '';
      const filters = encodeURIComponent(JSON.stringify({ type: ['container'] }));
      const refusedAnswer: StreamRefused | undefined = await streamRequest(
        new URL(`http://docker${API}/events?filters=${filters}`),
        {
          socketPath,
          headersTimeoutMs: timeoutMs,
          idleTimeoutMs,
          signal,
          gzip: false,
          onResponse: (status) => {
            if (status === 200) onOpen();
          },
        },
        (chunk) => {
          const lines = (rest + chunk.toString('utf8')).split('\n');
          rest = lines.pop() ?? '';
          for (const line of lines) if (line.trim() !== '') onLine(line);
        },
      );
      if (refusedAnswer !== undefined) {
        throw refused(refusedAnswer.status, refusedAnswer.body, 'following events');
      }
    },
  };
}

function refused(status: number, body: Buffer, what: string): EngineError {
  let message = body.toString('utf8').slice(0, 300);
  try {
    const doc = JSON.parse(message) as { message?: unknown };
    if (typeof doc.message === 'string') message = doc.message;
  } catch {
    // not JSON: keep the text
  }
  return new EngineError(status, `${what}: the engine answered ${status}: ${message}`);
}
