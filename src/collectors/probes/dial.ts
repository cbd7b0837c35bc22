import type { LookupAddress } from 'node:dns';
import { readFileSync, statSync } from 'node:fs';
import { isIP, type Socket } from 'node:net';
import type { DetailedPeerCertificate, SecureContext, TLSSocket } from 'node:tls';
import { tlsModule } from '../../core/builtins.ts';
import { readSecretFile } from '../../core/secret.ts';
import { StuckGuard } from '../../core/stuck-guard.ts';
import type { ProbeTlsConfig } from './config.ts';
import { ProbeError, timeoutError, type ProbeContext, type TlsFacts } from './outcome.ts';

/** Resolves a host name the way the system does (/etc/hosts, nsswitch), as Go's resolver does for blackbox_exporter. */
export type Lookup = (host: string) => Promise<LookupAddress>;

export const systemLookup: Lookup = (host) =>
  process.getBuiltinModule('node:dns').promises.lookup(host, { order: 'verbatim' });

/**
 * getaddrinfo runs on libuv's thread pool and cannot be cancelled: a resolver that never answers
 * holds a thread until the system gives up. A host whose lookup outlived a deadline is not
 * looked up again until that lookup returns, so a dead resolver cannot take the pool (and with
 * it every file read of the exporter) one scrape at a time.
 */
const lookups = new StuckGuard();

export interface DialOptions {
  readonly host: string;
  readonly port: number;
  /** TLS after connecting; undefined for plain TCP. */
  readonly tls: ProbeTlsConfig | undefined;
  readonly lookup: Lookup;
}

/**
 * Resolves, connects and (optionally) shakes hands, timing each phase and stopping at the
 * probe's deadline with its socket destroyed. TLS always completes the handshake without
 * rejecting the certificate, so its expiry is known even when it fails verification; the
 * verdict is in `ctx.facts.tls` and a probe that needs verification fails with reason tls
 * before it sends anything.
 */
export async function dial(opts: DialOptions, ctx: ProbeContext): Promise<Socket> {
  const { signal, timer } = ctx;
  const address = await resolveAddress(opts.host, ctx, opts.lookup);
  timer.begin('connect');
  const net = process.getBuiltinModule('node:net');
  const socket = net.connect({ host: address, port: opts.port, noDelay: true });
  await settle(socket, 'connect', signal, 'connecting');
  if (opts.tls === undefined) {
    timer.end();
    return socket;
  }
  timer.begin('tls');
  const t = opts.tls;
  const secure = tlsModule().connect({
    socket,
    host: opts.host,
    servername: t.server_name ?? (isIP(opts.host) === 0 ? opts.host : undefined),
    secureContext: secureContext(t),
    rejectUnauthorized: false,
  });
  await settle(secure, 'secureConnect', signal, 'in the TLS handshake');
  timer.end();
  const facts = tlsFacts(secure);
  ctx.facts.tls = facts;
  if (!facts.verified && !t.insecure_skip_verify) {
    secure.destroy();
    throw new ProbeError('tls', `certificate not verified: ${facts.verifyError ?? 'unknown'}`);
  }
  return secure;
}

const contexts = new Map<string, { stamp: string; context: SecureContext }>();

/**
 * The TLS context of a probe's CA and client certificate, made once and kept until one of the
 * files changes (a renewed certificate is picked up at the next probe). Making one per
 * connection parses the files and copies the system's root store each time: it was a third of
 * the CPU of an HTTPS probe.
 */
function secureContext(t: ProbeTlsConfig): SecureContext | undefined {
  const files = [t.ca_file, t.cert_file, t.key_file];
  if (files.every((f) => f === undefined)) return undefined;
  const key = files.join('\0');
  const stamp = files.map((f) => (f === undefined ? '' : String(statSync(f).mtimeMs))).join('\0');
  const cached = contexts.get(key);
  if (cached?.stamp === stamp) return cached.context;
  const context = tlsModule().createSecureContext({
    ...(t.ca_file === undefined ? {} : { ca: readFileSync(t.ca_file) }),
    ...(t.cert_file === undefined ? {} : { cert: readFileSync(t.cert_file) }),
    ...(t.key_file === undefined ? {} : { key: readSecretFile(t.key_file) }),
  });
  contexts.set(key, { stamp, context });
  return context;
}

/** The address to connect to (an IP literal as it is), timed as the resolve phase. */
export async function resolveAddress(
  host: string,
  ctx: ProbeContext,
  lookup: Lookup,
): Promise<string> {
  ctx.timer.begin('resolve');
  if (isIP(host) !== 0) return host;
  const r = await lookups.call(host, () => lookup(host), remaining(ctx.signal));
  if (r.kind === 'ok') return r.value.address;
  if (r.kind === 'error') throw r.error;
  throw new ProbeError(
    'dns',
    r.kind === 'stuck'
      ? `an earlier lookup of ${host} has not returned; not asking the resolver again until it does`
      : `the resolver did not answer for ${host} before the deadline`,
  );
}

/** Milliseconds left before `signal` (an AbortSignal.timeout with `deadline` set) aborts. */
export function remaining(signal: AbortSignal): number {
  const deadline = (signal as AbortSignal & { deadline?: number }).deadline;
  return deadline === undefined ? 60_000 : Math.max(1, deadline - performance.now());
}

/** A signal that aborts at `ms` from now and remembers when, for the steps that need a number. */
export function deadlineSignal(ms: number, parent?: AbortSignal): AbortSignal {
  const timeout = AbortSignal.timeout(Math.max(1, Math.round(ms)));
  const signal = parent === undefined ? timeout : AbortSignal.any([timeout, parent]);
  return Object.assign(signal, { deadline: performance.now() + ms });
}

/** Waits for `event` on a socket; an error or the deadline destroys it. */
function settle(socket: Socket, event: string, signal: AbortSignal, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (err?: Error) => {
      socket.off(event, onEvent);
      socket.off('error', onError);
      signal.removeEventListener('abort', onAbort);
      if (err === undefined) resolve();
      else {
        socket.destroy();
        reject(err);
      }
    };
    const onEvent = () => {
      done();
    };
    const onError = (err: Error) => {
      done(err);
    };
    const onAbort = () => {
      done(timeoutError(what));
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    socket.once(event, onEvent);
    socket.once('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The verdict, version and expiries of a completed handshake. */
export function tlsFacts(socket: TLSSocket): TlsFacts {
  const { leaf, earliest } = chainExpiry(socket.getPeerCertificate(true));
  const protocol = socket.getProtocol();
  return {
    verified: socket.authorized,
    verifyError:
      socket.authorizationError === null
        ? undefined
        : typeof socket.authorizationError === 'string'
          ? socket.authorizationError
          : socket.authorizationError.message,
    version: protocol === null ? undefined : protocol.replace(/^TLSv/, 'TLS '),
    leafNotAfter: leaf,
    earliestNotAfter: earliest,
  };
}

/**
 * notAfter of the leaf and the earliest in the chain the server sent, in Unix seconds. The
 * chain is followed through issuerCertificate until it ends or loops (a root is its own issuer).
 */
export function chainExpiry(cert: DetailedPeerCertificate | Record<string, never>): {
  leaf: number | undefined;
  earliest: number | undefined;
} {
  if (!('valid_to' in cert)) return { leaf: undefined, earliest: undefined };
  const first = cert as DetailedPeerCertificate;
  const seen = new Set<string>();
  let leaf: number | undefined;
  let earliest: number | undefined;
  let cur: DetailedPeerCertificate | undefined = first;
  while (cur !== undefined && 'valid_to' in cur && !seen.has(cur.fingerprint256)) {
    seen.add(cur.fingerprint256);
    const t = Date.parse(cur.valid_to) / 1000;
    if (Number.isFinite(t)) {
      leaf ??= t;
      earliest = earliest === undefined ? t : Math.min(earliest, t);
    }
    cur = cur.issuerCertificate;
  }
  return { leaf, earliest };
}
