import { errorCode } from '../../core/errors.ts';
import type { FailureReason, Phase } from './metrics.ts';
import type { StubStatus } from './stub-status.ts';

/** A probe failed for a known reason; the message says what was seen, for the log. */
export class ProbeError extends Error {
  readonly reason: Exclude<FailureReason, 'none'>;
  constructor(reason: Exclude<FailureReason, 'none'>, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProbeError';
    this.reason = reason;
  }
}

// PostgreSQL's SQLSTATE class 28 (invalid authorization) and MySQL's access-denied errors.
const AUTH_CODES = new Set([
  '28P01',
  '28000',
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_NOT_SUPPORTED_AUTH_MODE',
]);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
// OpenSSL's verification codes as Node names them, and Node's own TLS errors.
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_)/;

/** The bounded reason for any error a probe can end with. */
export function failureReason(err: unknown): Exclude<FailureReason, 'none'> {
  if (err instanceof ProbeError) return err.reason;
  const code = errorCode(err) ?? '';
  if (code === 'ECONNREFUSED') return 'refused';
  if (AUTH_CODES.has(code)) return 'auth';
  if (code === 'ETIMEDOUT' || code === 'ABORT_ERR' || code === 'ESOCKETTIMEDOUT') return 'timeout';
  // amqplib's own socket timeout, set to the probe's deadline, can fire just before it: its
  // error is `new Error('connect ETIMEDOUT')`, without a code.
  if (err instanceof Error && /^connect ETIMEDOUT\b/.test(err.message)) return 'timeout';
  if (DNS_CODES.has(code)) return 'dns';
  if (TLS_CODE.test(code)) return 'tls';
  // An OpenSSL error during the handshake carries its library's reason in `library`/`reason`.
  if (typeof err === 'object' && err !== null && 'library' in err) return 'tls';
  if (code.startsWith('HPE_')) return 'protocol';
  // amqplib: "Handshake terminated by server: 403 (ACCESS-REFUSED) ..."
  if (err instanceof Error && /\b(ACCESS-REFUSED|NOT-ALLOWED)\b/.test(err.message)) return 'auth';
  return 'other';
}

/** What the TLS handshake showed, kept whether or not the certificate verified. */
export interface TlsFacts {
  readonly verified: boolean;
  readonly verifyError: string | undefined;
  /** "TLS 1.3", blackbox_exporter's spelling. */
  readonly version: string | undefined;
  readonly leafNotAfter: number | undefined;
  readonly earliestNotAfter: number | undefined;
}

/** What one probe learnt on the way, filled in as it goes so a cut probe keeps what it saw. */
export interface ProbeFacts {
  tls?: TlsFacts;
  redis?: {
    readonly role: string | undefined;
    readonly connectedSlaves: number | undefined;
    readonly masterLinkUp: 0 | 1 | undefined;
  };
  postgresInRecovery?: 0 | 1;
  /** The alarms the management API reported (only when it was asked and answered). */
  rabbitmqAlarms?: ReadonlySet<string>;
  mysqlReadOnly?: 0 | 1;
  httpStatus?: number;
  redirects?: number;
  nginx?: StubStatus;
}

/**
 * Times a probe's phases: one runs at a time; a phase begun again (a redirect's second
 * connect) adds to its total. Seconds, as exported.
 */
export class PhaseTimer {
  readonly seconds = new Map<Phase, number>();
  readonly #started = performance.now();
  #current: Phase | undefined;
  #since = 0;

  begin(phase: Phase): void {
    this.end();
    this.#current = phase;
    this.#since = performance.now();
  }

  end(): void {
    if (this.#current === undefined) return;
    const s = (performance.now() - this.#since) / 1000;
    this.seconds.set(this.#current, (this.seconds.get(this.#current) ?? 0) + s);
    this.#current = undefined;
  }

  elapsed(): number {
    return (performance.now() - this.#started) / 1000;
  }
}

/** What a probe's run hands the collector. */
export interface ProbeContext {
  readonly signal: AbortSignal;
  readonly timer: PhaseTimer;
  readonly facts: ProbeFacts;
}

/** The last result of one probe, as exported. */
export interface ProbeResult {
  readonly ok: boolean;
  readonly reason: FailureReason;
  /** Why it failed, for the log line (never a label). */
  readonly message: string | undefined;
  readonly seconds: number;
  readonly phases: ReadonlyMap<Phase, number>;
  readonly facts: Readonly<ProbeFacts>;
  /** When it finished (Date.now()), to tell a background result that has gone stale. */
  readonly at: number;
}

/** Rejects with a timeout ProbeError when `signal` aborts, whatever `p` is still doing. */
export function untilAborted<T>(p: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  if (signal.aborted) return Promise.reject(timeoutError(what));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(timeoutError(what));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export function timeoutError(what: string): ProbeError {
  return new ProbeError('timeout', `deadline reached while ${what}`);
}
