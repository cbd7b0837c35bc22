import { readFileSync } from 'node:fs';
import type { Client } from 'pg';
import { errorCode } from '../../core/errors.ts';
import { readSecretFile } from '../../core/secret.ts';
import { parseHostPort } from '../probes/config.ts';
import { untilAborted } from '../probes/outcome.ts';
import { DEFAULT_HEARTBEAT_TABLE, type GroupConfig, type ServerConfig } from './config.ts';
import { midpoint, type EngineSession, type Role } from './session.ts';
import {
  num,
  parseLsn,
  postgresReplica,
  type PostgresReplicaRow,
  type ServerView,
} from './views.ts';

// One statement per role, so the clock, the position and the counts are one snapshot. The
// primary's half avoids pg_current_wal_lsn() on a server that turned out to be in recovery
// (it errors there).
const PRIMARY = `SELECT extract(epoch FROM clock_timestamp())::float8 AS now,
  CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn()::text END AS lsn,
  (SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming')::int AS streaming`;
const REPLICA = `SELECT extract(epoch FROM clock_timestamp())::float8 AS now,
  pg_is_in_recovery() AS recovery,
  (SELECT status FROM pg_stat_wal_receiver LIMIT 1) AS receiver,
  pg_last_wal_replay_lsn()::text AS replay_lsn,
  extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8 AS replay_age`;

/**
 * PostgreSQL through `pg`, one connection per server kept open. The heartbeat is a row
 * (id, ts) in `heartbeat.table`, written with the primary's clock_timestamp() under
 * synchronous_commit = local, so a primary with a synchronous standby that is cut off keeps
 * writing it (and the replicas' lag keeps growing) instead of waiting for that standby.
 */
export async function connectPostgres(
  g: GroupConfig,
  server: ServerConfig,
  signal: AbortSignal,
): Promise<EngineSession> {
  const hp = parseHostPort(server.target);
  if (hp === undefined) throw new Error(`not host:port: ${server.target}`);
  const pg = (await import('pg')).default;
  const t = g.tls_config;
  const client: Client = new pg.Client({
    host: hp.host,
    port: hp.port,
    user: g.user ?? 'postgres',
    database: g.database ?? 'postgres',
    ...(g.password_file === undefined ? {} : { password: readSecretFile(g.password_file) }),
    application_name: 'patrol',
    ssl: g.tls
      ? {
          servername: t.server_name ?? hp.host,
          rejectUnauthorized: !t.insecure_skip_verify,
          ...(t.ca_file === undefined ? {} : { ca: readFileSync(t.ca_file, 'utf8') }),
        }
      : false,
  });
  let open = true;
  const stream = (client as unknown as { connection: { stream: { destroy(): void } } }).connection
    .stream;
  const close = () => {
    open = false;
    stream.destroy();
    void client.end().catch(() => undefined);
  };
  // A connection that breaks between scrapes emits 'error' on the client: it is then closed.
  client.on('error', close);
  client.on('end', () => {
    open = false;
  });
  signal.addEventListener('abort', close, { once: true });
  try {
    await untilAborted(client.connect(), signal, 'connecting to PostgreSQL');
  } catch (err) {
    close();
    throw err;
  } finally {
    signal.removeEventListener('abort', close);
  }
  const hb = g.heartbeat;
  const table = hb?.table ?? DEFAULT_HEARTBEAT_TABLE.postgres;
  const id = hb?.id ?? g.name;
  let tableReady = false;
  const readHeartbeat = async (): Promise<number | undefined> => {
    if (hb === undefined) return undefined;
    const r =
      hb.query !== undefined
        ? await client.query({ text: hb.query, rowMode: 'array' as const })
        : await client.query({
            text: `SELECT extract(epoch FROM ts)::float8 FROM ${table} WHERE id = $1`,
            values: [id],
            rowMode: 'array' as const,
          });
    const row = r.rows[0] as unknown[] | undefined;
    return num(row?.[0]);
  };
  // No heartbeat table yet (the writer has not run, or has not replicated it): no heartbeat
  // lag, the rest of the read stands.
  const heartbeatOrNone = () =>
    readHeartbeat().catch((err: unknown) => {
      if (errorCode(err) === '42P01') return undefined;
      throw err;
    });
  return {
    get open() {
      return open;
    },
    close,
    async read(role: Role): Promise<ServerView> {
      const before = Date.now();
      if (role === 'primary') {
        const r = await client.query<{ now: number; lsn: string | null; streaming: number }>(
          PRIMARY,
        );
        const localAt = midpoint(before, Date.now());
        const row = r.rows[0];
        if (row === undefined) throw new Error('no row from the primary query');
        return {
          localAt,
          serverTime: row.now,
          heartbeat: await heartbeatOrNone(),
          primary: { connectedReplicas: row.streaming, position: parseLsn(row.lsn) },
        };
      }
      const r = await client.query<PostgresReplicaRow & { now: number }>(REPLICA);
      const localAt = midpoint(before, Date.now());
      const row = r.rows[0];
      if (row === undefined) throw new Error('no row from the replica query');
      return {
        localAt,
        serverTime: row.now,
        heartbeat: await heartbeatOrNone(),
        replica: postgresReplica(row),
      };
    },
    async writeHeartbeat(): Promise<void> {
      if (!tableReady) {
        await client.query('SET synchronous_commit = local');
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${table} (id text PRIMARY KEY, ts timestamptz NOT NULL)`,
        );
        tableReady = true;
      }
      await client.query(
        `INSERT INTO ${table} (id, ts) VALUES ($1, clock_timestamp()) ON CONFLICT (id) DO UPDATE SET ts = EXCLUDED.ts`,
        [id],
      );
    },
  };
}
