import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { httpModule } from '../../core/builtins.ts';
import { readSecretFile } from '../../core/secret.ts';
import type { HttpProbe } from './config.ts';
import { dial, type Lookup } from './dial.ts';
import { ProbeError, untilAborted, type ProbeContext } from './outcome.ts';
import { parseStubStatus } from './stub-status.ts';

const MAX_REDIRECTS = 10;

/**
 * One HTTP(S) probe: blackbox_exporter's http prober. The connection is made by `dial` (so the
 * phases are timed and a certificate's expiry is kept when it fails verification) and handed
 * to node:http, which writes the request only after the certificate has been judged: a
 * password is never sent to a server that could not prove who it is.
 */
export async function probeHttp(p: HttpProbe, ctx: ProbeContext, lookup: Lookup): Promise<void> {
  const origin = new URL(p.target).origin;
  let url = new URL(p.target);
  let redirects = 0;
  ctx.facts.httpStatus = 0;
  ctx.facts.redirects = 0;
  for (;;) {
    const https = url.protocol === 'https:';
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = url.port === '' ? (https ? 443 : 80) : Number(url.port);
    const socket = await dial({ host, port, tls: https ? p.tls_config : undefined, lookup }, ctx);
    const headers = requestHeaders(p, url.origin === origin);
    const { res, body } = await exchange(socket, url, host, port, p, headers, ctx);
    const status = res.statusCode ?? 0;
    ctx.facts.httpStatus = status;
    const location = res.headers.location;
    if (p.follow_redirects && status >= 300 && status < 400 && location !== undefined) {
      if (redirects === MAX_REDIRECTS) {
        throw new ProbeError('protocol', `more than ${MAX_REDIRECTS} redirects`);
      }
      redirects++;
      ctx.facts.redirects = redirects;
      url = new URL(location, url);
      continue;
    }
    check(p, status, body, ctx);
    return;
  }
}

function requestHeaders(p: HttpProbe, sameOrigin: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'User-Agent': 'patrol',
    Connection: 'close',
    ...p.headers,
  };
  // Credentials go to the configured origin only, never to where a redirect points.
  if (sameOrigin && p.basic_auth?.password_file !== undefined) {
    const pass = readSecretFile(p.basic_auth.password_file);
    headers.Authorization = `Basic ${Buffer.from(`${p.basic_auth.username}:${pass}`).toString('base64')}`;
  } else if (sameOrigin && p.bearer_token_file !== undefined) {
    headers.Authorization = `Bearer ${readSecretFile(p.bearer_token_file)}`;
  }
  return headers;
}

/** Sends the request on `socket` and reads the answer, up to max_body_bytes. */
async function exchange(
  socket: Socket,
  url: URL,
  host: string,
  port: number,
  p: HttpProbe,
  headers: Record<string, string>,
  ctx: ProbeContext,
): Promise<{ res: IncomingMessage; body: Buffer }> {
  ctx.timer.begin('processing');
  const req = httpModule().request({
    method: p.method,
    host,
    port,
    path: `${url.pathname}${url.search}`,
    headers,
    createConnection: () => socket,
  });
  const cut = () => {
    req.destroy();
    socket.destroy();
  };
  ctx.signal.addEventListener('abort', cut, { once: true });
  try {
    const res = await untilAborted(
      new Promise<IncomingMessage>((resolve, reject) => {
        req.once('response', resolve);
        req.once('error', reject);
        req.end(p.body);
      }),
      ctx.signal,
      'waiting for the answer',
    );
    ctx.timer.begin('transfer');
    const body = await untilAborted(
      readBody(res, p.max_body_bytes),
      ctx.signal,
      'reading the body',
    );
    ctx.timer.end();
    return { res, body };
  } finally {
    ctx.signal.removeEventListener('abort', cut);
    cut();
  }
}

function readBody(res: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (d: Buffer) => {
      size += d.length;
      if (size > max) {
        res.destroy();
        reject(new ProbeError('protocol', `body longer than max_body_bytes (${max})`));
      } else chunks.push(d);
    });
    res.once('end', () => {
      resolve(Buffer.concat(chunks));
    });
    res.once('error', reject);
    res.once('aborted', () => {
      reject(new ProbeError('protocol', 'the server closed the connection mid-answer'));
    });
  });
}

function check(p: HttpProbe, status: number, body: Buffer, ctx: ProbeContext): void {
  const ok =
    p.valid_status_codes.length === 0
      ? status >= 200 && status < 300
      : p.valid_status_codes.includes(status);
  if (!ok) throw new ProbeError('unexpected_status', `status ${status}`);
  const text = body.toString('utf8');
  if (p.body_regex !== undefined && !new RegExp(p.body_regex, 'mu').test(text)) {
    throw new ProbeError('protocol', `body does not match ${p.body_regex}`);
  }
  if (p.body_not_regex !== undefined && new RegExp(p.body_not_regex, 'mu').test(text)) {
    throw new ProbeError('protocol', `body matches ${p.body_not_regex}`);
  }
  if (p.stub_status) {
    const stub = parseStubStatus(text);
    if (stub === undefined) {
      throw new ProbeError(
        'protocol',
        `not an nginx stub_status page: ${JSON.stringify(text.slice(0, 100))}`,
      );
    }
    ctx.facts.nginx = stub;
  }
}
