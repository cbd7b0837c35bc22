import { readFileSync } from 'node:fs';
import { request } from '../../core/http-client.ts';
import { readSecretFile } from '../../core/secret.ts';
import { parseHostPort, type RabbitmqProbe } from './config.ts';
import { remaining, resolveAddress, type Lookup } from './dial.ts';
import { ProbeError, untilAborted, type ProbeContext } from './outcome.ts';

/**
 * RabbitMQ through `amqplib` (measured to stop at its socket timeout, no retries unless its
 * opt-in recovery is asked for): open a connection to the vhost with the user's credentials,
 * close it; then, with `management_url`, the alarms health check, which answers 503 with the
 * alarms in effect as soon as one is raised. amqplib makes its own socket, so connect covers
 * TCP and the AMQP handshake; a connection that opens after the deadline is closed at once.
 * `amqplib` is loaded on the first rabbitmq probe only.
 */
export async function probeRabbitmq(
  p: RabbitmqProbe,
  ctx: ProbeContext,
  lookup: Lookup,
): Promise<void> {
  const hp = parseHostPort(p.target);
  if (hp === undefined) throw new ProbeError('other', `not host:port: ${p.target}`);
  const address = await resolveAddress(hp.host, ctx, lookup);
  ctx.timer.begin('connect');
  const amqp = await import('amqplib');
  const password = p.password_file === undefined ? 'guest' : readSecretFile(p.password_file);
  const t = p.tls_config;
  const pending = amqp.connect(
    {
      protocol: p.tls ? 'amqps' : 'amqp',
      hostname: address,
      port: hp.port,
      username: p.user,
      password,
      vhost: p.vhost,
      heartbeat: 0,
    },
    {
      timeout: Math.max(1, Math.round(remaining(ctx.signal))),
      noDelay: true,
      ...(p.tls
        ? {
            servername: t.server_name ?? hp.host,
            rejectUnauthorized: !t.insecure_skip_verify,
            ...(t.ca_file === undefined ? {} : { ca: [readFileSync(t.ca_file)] }),
          }
        : {}),
    },
  );
  let conn: Awaited<typeof pending>;
  try {
    conn = await untilAborted(pending, ctx.signal, 'opening the AMQP connection');
  } catch (err) {
    void pending.then(
      (late) => late.close().catch(() => undefined),
      () => undefined,
    );
    throw err;
  }
  conn.on('error', () => undefined);
  void conn.close().catch(() => undefined);
  if (p.management_url === undefined) {
    ctx.timer.end();
    return;
  }
  ctx.timer.begin('query');
  const url = new URL(
    'api/health/checks/alarms',
    p.management_url.endsWith('/') ? p.management_url : `${p.management_url}/`,
  );
  const res = await request(url, {
    timeoutMs: Math.max(1, remaining(ctx.signal)),
    maxBytes: 64 * 1024,
    signal: ctx.signal,
    headers: {
      Authorization: `Basic ${Buffer.from(`${p.user}:${password}`).toString('base64')}`,
    },
    tls:
      p.tls_config.ca_file === undefined ? undefined : { ca: readFileSync(p.tls_config.ca_file) },
  });
  ctx.timer.end();
  const alarms = parseAlarms(res.body.toString('utf8'));
  if (res.status === 200) {
    ctx.facts.rabbitmqAlarms = new Set();
    return;
  }
  if (res.status === 503 && alarms !== undefined) {
    ctx.facts.rabbitmqAlarms = alarms;
    throw new ProbeError('unexpected_status', `alarms in effect: ${[...alarms].join(', ')}`);
  }
  throw new ProbeError(
    res.status === 401 ? 'auth' : 'unexpected_status',
    `management API answered ${res.status}`,
  );
}

/** The resources of `{"alarms":[{"node":..,"resource":"memory"}]}`, or undefined. */
export function parseAlarms(body: string): Set<string> | undefined {
  try {
    const doc = JSON.parse(body) as { alarms?: { resource?: unknown }[] };
    if (!Array.isArray(doc.alarms)) return undefined;
    return new Set(doc.alarms.flatMap((a) => (typeof a.resource === 'string' ? [a.resource] : [])));
  } catch {
    return undefined;
  }
}
