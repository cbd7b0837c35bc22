import type { Connection } from 'mysql2';
import { errorCode } from '../../core/errors.ts';
import { readSecretFile } from '../../core/secret.ts';
import { parseHostPort } from '../probes/config.ts';
import { dial, systemLookup } from '../probes/dial.ts';
import { PhaseTimer, untilAborted } from '../probes/outcome.ts';
import { DEFAULT_HEARTBEAT_TABLE, type GroupConfig, type ServerConfig } from './config.ts';
import { midpoint, type EngineSession, type Role } from './session.ts';
import { mysqlReplica, num, type ServerView } from './views.ts';

// Tables that do not exist yet (ER_NO_SUCH_TABLE, ER_BAD_DB_ERROR): no heartbeat to read.
const NO_TABLE = new Set(['ER_NO_SUCH_TABLE', 'ER_BAD_DB_ERROR']);
// A server older than SHOW REPLICA STATUS (MySQL before 8.0.22, MariaDB before 10.5.1).
const PARSE_ERROR = 'ER_PARSE_ERROR';

/**
 * MySQL and MariaDB through `mysql2` on the probes' dialled socket, one connection per server
 * kept open, its session in UTC so that TIMESTAMP values convert without daylight-saving
 * ambiguity. The heartbeat is a row (id, ts TIMESTAMP(6)) written with the primary's NOW(6);
 * replicated as a row, its value is the primary's clock on every replica.
 */
export async function connectMysql(
  g: GroupConfig,
  server: ServerConfig,
  signal: AbortSignal,
): Promise<EngineSession> {
  const hp = parseHostPort(server.target);
  if (hp === undefined) throw new Error(`not host:port: ${server.target}`);
  const socket = await dial(
    { ...hp, tls: undefined, lookup: systemLookup },
    { signal, timer: new PhaseTimer(), facts: {} },
  );
  const mysql = (await import('mysql2')).default;
  const conn: Connection = mysql.createConnection({
    stream: socket,
    user: g.user ?? '',
    ...(g.password_file === undefined ? {} : { password: readSecretFile(g.password_file) }),
    timezone: 'Z',
  });
  let open = true;
  const close = () => {
    open = false;
    socket.destroy();
  };
  conn.on('error', close);
  socket.on('close', () => {
    open = false;
  });
  const query = <T>(sql: string, values: unknown[] = []) =>
    new Promise<T>((resolve, reject) => {
      conn.query(sql, values, (err, rows) => {
        if (err === null) resolve(rows as T);
        else reject(err);
      });
    });
  signal.addEventListener('abort', close, { once: true });
  try {
    await untilAborted(
      new Promise<void>((resolve, reject) => {
        conn.connect((err) => {
          if (err === null) resolve();
          else reject(err);
        });
      }),
      signal,
      'in the MySQL handshake',
    );
    await untilAborted(query("SET time_zone = '+00:00'"), signal, 'setting the time zone');
  } catch (err) {
    close();
    throw err;
  } finally {
    signal.removeEventListener('abort', close);
  }
  const hb = g.heartbeat;
  const table = hb?.table ?? DEFAULT_HEARTBEAT_TABLE.mysql;
  const id = hb?.id ?? g.name;
  let tableReady = false;
  let statusQuery = 'SHOW REPLICA STATUS';
  const readHeartbeat = async (): Promise<number | undefined> => {
    if (hb === undefined) return undefined;
    try {
      const rows =
        hb.query !== undefined
          ? await query<Record<string, unknown>[]>(hb.query)
          : await query<Record<string, unknown>[]>(
              `SELECT UNIX_TIMESTAMP(ts) AS ts FROM ${table} WHERE id = ?`,
              [id],
            );
      const first = rows[0];
      return first === undefined ? undefined : num(Object.values(first)[0]);
    } catch (err) {
      if (NO_TABLE.has(errorCode(err) ?? '')) return undefined;
      throw err;
    }
  };
  const replicaStatus = async (): Promise<Record<string, unknown> | undefined> => {
    try {
      return (await query<Record<string, unknown>[]>(statusQuery))[0];
    } catch (err) {
      if (errorCode(err) !== PARSE_ERROR || statusQuery !== 'SHOW REPLICA STATUS') throw err;
      statusQuery = 'SHOW SLAVE STATUS';
      return (await query<Record<string, unknown>[]>(statusQuery))[0];
    }
  };
  return {
    get open() {
      return open;
    },
    close,
    async read(role: Role): Promise<ServerView> {
      const before = Date.now();
      const clock = await query<{ now: string | number }[]>('SELECT UNIX_TIMESTAMP(NOW(6)) AS now');
      const localAt = midpoint(before, Date.now());
      const serverTime = num(clock[0]?.now);
      if (serverTime === undefined) throw new Error('no time from SELECT NOW(6)');
      if (role === 'primary') {
        const dumps = await query<{ n: number }[]>(
          "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE COMMAND IN ('Binlog Dump', 'Binlog Dump GTID')",
        );
        return {
          localAt,
          serverTime,
          heartbeat: await readHeartbeat(),
          primary: { connectedReplicas: num(dumps[0]?.n) ?? 0, position: undefined },
        };
      }
      const status = await replicaStatus();
      return {
        localAt,
        serverTime,
        heartbeat: await readHeartbeat(),
        replica: mysqlReplica(status),
      };
    },
    async writeHeartbeat(): Promise<void> {
      if (!tableReady) {
        const dot = table.indexOf('.');
        if (dot > 0) await query(`CREATE DATABASE IF NOT EXISTS ${table.slice(0, dot)}`);
        await query(
          `CREATE TABLE IF NOT EXISTS ${table} (id VARCHAR(64) NOT NULL PRIMARY KEY, ts TIMESTAMP(6) NOT NULL)`,
        );
        tableReady = true;
      }
      await query(
        `INSERT INTO ${table} (id, ts) VALUES (?, NOW(6)) ON DUPLICATE KEY UPDATE ts = VALUES(ts)`,
        [id],
      );
    },
  };
}
