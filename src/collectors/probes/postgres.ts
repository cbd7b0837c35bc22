import { readFileSync } from 'node:fs';
import type { Client } from 'pg';
import { readSecretFile } from '../../core/secret.ts';
import { parseHostPort, type PostgresProbe } from './config.ts';
import { resolveAddress, type Lookup } from './dial.ts';
import { ProbeError, untilAborted, type ProbeContext } from './outcome.ts';

/**
 * PostgreSQL through `pg` (measured to stop cleanly at a deadline and never retry on its own):
 * connect, authenticate, `SELECT pg_is_in_recovery()`. pg makes its own connection (it
 * negotiates TLS inside the protocol), so the phases are timed on its socket's events; at the
 * deadline the socket is destroyed. `pg` is loaded on the first postgres probe only.
 */
export async function probePostgres(
  p: PostgresProbe,
  ctx: ProbeContext,
  lookup: Lookup,
): Promise<void> {
  const hp = parseHostPort(p.target);
  if (hp === undefined) throw new ProbeError('other', `not host:port: ${p.target}`);
  const address = await resolveAddress(hp.host, ctx, lookup);
  ctx.timer.begin('connect');
  const pg = (await import('pg')).default;
  const t = p.tls_config;
  const client: Client = new pg.Client({
    host: address,
    port: hp.port,
    user: p.user,
    database: p.database,
    ...(p.password_file === undefined ? {} : { password: readSecretFile(p.password_file) }),
    application_name: 'patrol',
    ssl: p.tls
      ? {
          servername: t.server_name ?? hp.host,
          rejectUnauthorized: !t.insecure_skip_verify,
          ...(t.ca_file === undefined ? {} : { ca: readFileSync(t.ca_file, 'utf8') }),
        }
      : false,
  });
  // After a failed connect pg may still emit 'error' on the client; the probe has its answer.
  client.on('error', () => undefined);
  const stream = (
    client as unknown as { connection: { stream: NodeJS.EventEmitter & { destroy(): void } } }
  ).connection.stream;
  stream.once('connect', () => {
    ctx.timer.begin('auth');
  });
  const cut = () => {
    stream.destroy();
  };
  ctx.signal.addEventListener('abort', cut, { once: true });
  try {
    await untilAborted(client.connect(), ctx.signal, 'connecting and authenticating');
    ctx.timer.begin('query');
    const r = await untilAborted(
      client.query<{ recovery: boolean }>('SELECT pg_is_in_recovery() AS recovery'),
      ctx.signal,
      'waiting for SELECT pg_is_in_recovery()',
    );
    ctx.timer.end();
    ctx.facts.postgresInRecovery = r.rows[0]?.recovery === true ? 1 : 0;
    void client.end().catch(() => undefined);
  } catch (err) {
    cut();
    throw err;
  } finally {
    ctx.signal.removeEventListener('abort', cut);
  }
}
