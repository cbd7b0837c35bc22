import { connect, Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mysql from 'mysql2';
import pg from 'pg';
import { RespSession, type Reply } from '../../../src/collectors/probes/resp.ts';
import { mariadb, psql, type Server } from '../middleware.ts';
import type { Scope } from '../process.ts';
import { waitFor } from '../wait.ts';
import type { Pair, Truth } from './types.ts';

/** Rejects after `ms` (the operation itself is cut by the caller). */
async function deadline<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`${what}: no answer within ${ms} ms`));
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

interface Opened<C> {
  readonly conn: C;
  /** Connected (and authenticated); rejects if that failed. */
  readonly ready: Promise<void>;
}

/**
 * One persistent connection, opened on first use, destroyed (not closed politely: the server
 * may be frozen) on any error or missed deadline, and opened anew on the next use.
 */
class Persistent<C> {
  readonly #open: () => Opened<C>;
  readonly #destroy: (conn: C) => void;
  #current: Opened<C> | undefined;
  #closed = false;

  constructor(open: () => Opened<C>, destroy: (conn: C) => void) {
    this.#open = open;
    this.#destroy = destroy;
  }

  async use<T>(timeoutMs: number, what: string, f: (conn: C) => Promise<T>): Promise<T> {
    const end = Date.now() + timeoutMs;
    const reused = this.#current !== undefined;
    try {
      return await this.#attempt(end, what, f);
    } catch (err) {
      // A connection from before this call may have died meanwhile (a replica restarted): one
      // more try on a fresh one, if time is left.
      if (!reused || this.#closed || Date.now() > end - 100) throw err;
      return this.#attempt(end, what, f);
    }
  }

  async #attempt<T>(end: number, what: string, f: (conn: C) => Promise<T>): Promise<T> {
    if (this.#closed) throw new Error(`${what}: closed`);
    const cur = (this.#current ??= this.#open());
    try {
      return await deadline(
        end - Date.now(),
        what,
        cur.ready.then(() => f(cur.conn)),
      );
    } catch (err) {
      this.#drop(cur);
      throw err;
    }
  }

  #drop(cur: Opened<C>): void {
    if (this.#current === cur) this.#current = undefined;
    this.#destroy(cur.conn);
  }

  close(): void {
    this.#closed = true;
    if (this.#current !== undefined) this.#drop(this.#current);
  }
}

interface TruthIo {
  write(ms: number, timeoutMs: number): Promise<void>;
  /** The newest written_at on the replica (undefined: none yet). */
  read(timeoutMs: number): Promise<number | undefined>;
  close(): void;
}

/**
 * One command (the truth's AUTH, SET and GET); an error reply is thrown. Its signal is never
 * aborted: Persistent's deadline cuts a command by closing the session (destroying its socket).
 */
async function respCommand(session: RespSession, args: readonly string[]): Promise<Reply> {
  // A connection closed between commands (a replica restarted) fails at once, not at the deadline.
  if (!session.open) throw new Error('connection closed');
  const r = await session.command(args, new AbortController().signal);
  if (r.kind === 'error') throw new Error(`${args[0] ?? ''}: ${r.text}`);
  return r;
}

function redisTruth(pair: Pair): TruthIo {
  const open = (server: () => Server) =>
    new Persistent<RespSession>(
      () => {
        const conn = new RespSession(connect({ host: '127.0.0.1', port: server().port }));
        return { conn, ready: respCommand(conn, ['AUTH', pair.password]).then(() => undefined) };
      },
      (conn) => {
        conn.close();
      },
    );
  const writer = open(() => pair.primary);
  const reader = open(() => pair.replica);
  return {
    async write(ms, timeoutMs) {
      await writer.use(timeoutMs, 'SET patrol-truth', (c) =>
        respCommand(c, ['SET', 'patrol-truth', String(ms)]),
      );
    },
    async read(timeoutMs) {
      const r = await reader.use(timeoutMs, 'GET patrol-truth', (c) =>
        respCommand(c, ['GET', 'patrol-truth']),
      );
      return r.kind === 'bulk' && r.text !== null ? Number(r.text) : undefined;
    },
    close() {
      writer.close();
      reader.close();
    },
  };
}

function postgresTruth(pair: Pair): TruthIo {
  const open = (server: () => Server) =>
    new Persistent<{ client: pg.Client; socket: Socket }>(
      () => {
        // Our own socket, so that a missed deadline can destroy it (client.end() would wait
        // for a frozen server).
        const socket = new Socket();
        const client = new pg.Client({
          host: '127.0.0.1',
          port: server().port,
          user: 'postgres',
          password: pair.password,
          database: 'postgres',
          application_name: 'patrol-truth',
          stream: () => socket,
        });
        client.on('error', () => undefined);
        return { conn: { client, socket }, ready: client.connect().then(() => undefined) };
      },
      (conn) => conn.socket.destroy(),
    );
  const writer = open(() => pair.primary);
  const reader = open(() => pair.replica);
  return {
    async write(ms, timeoutMs) {
      await writer.use(timeoutMs, 'truth insert', (c) =>
        c.client.query(
          'INSERT INTO truth VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at',
          [ms],
        ),
      );
    },
    async read(timeoutMs) {
      const r = await reader.use(timeoutMs, 'truth select', (c) =>
        c.client.query<{ written_at: string }>('SELECT written_at FROM truth WHERE id = 1'),
      );
      const v = r.rows[0]?.written_at;
      return v === undefined ? undefined : Number(v);
    },
    close() {
      writer.close();
      reader.close();
    },
  };
}

function mariadbTruth(pair: Pair): TruthIo {
  const open = (server: () => Server) =>
    new Persistent<mysql.Connection>(
      () => {
        // root over the socket (the exporter's user may not write patrol_test).
        const conn = mysql.createConnection({
          socketPath: join(server().dir, 'sock'),
          user: 'root',
        });
        conn.on('error', () => undefined);
        return {
          conn,
          ready: new Promise<void>((resolve, reject) => {
            conn.connect((err) => {
              if (err === null) resolve();
              else reject(err);
            });
          }),
        };
      },
      (conn) => {
        conn.destroy();
      },
    );
  const query = (conn: mysql.Connection, sql: string, values: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      conn.query(sql, values, (err, rows) => {
        if (err === null) resolve(rows);
        else reject(err);
      });
    });
  const writer = open(() => pair.primary);
  const reader = open(() => pair.replica);
  return {
    async write(ms, timeoutMs) {
      await writer.use(timeoutMs, 'truth insert', (c) =>
        query(
          c,
          'INSERT INTO patrol_test.truth VALUES (1, ?) ON DUPLICATE KEY UPDATE written_at = VALUES(written_at)',
          [ms],
        ),
      );
    },
    async read(timeoutMs) {
      const rows = (await reader.use(timeoutMs, 'truth select', (c) =>
        query(c, 'SELECT written_at FROM patrol_test.truth WHERE id = 1', []),
      )) as { written_at: number | string }[];
      const v = rows[0]?.written_at;
      return v === undefined ? undefined : Number(v);
    },
    close() {
      writer.close();
      reader.close();
    },
  };
}

const TRUTH_PERIOD_MS = 200;
const TRUTH_WRITE_TIMEOUT_MS = 1_000;

/**
 * Ground truth of the replication delay: every 200 ms the primary gets the local wall clock (ms)
 * written (Redis key `patrol-truth`; PostgreSQL `truth(id int primary key, written_at bigint)`
 * in database postgres; MariaDB `patrol_test.truth`), over its own persistent connection with
 * a 1 s deadline, one write at a time; a write that fails or misses its deadline (primary
 * frozen, link cut on a stale connection) is skipped. trueLagSeconds() reads the replica's
 * newest value over another connection. Resolves once the replica has the first value, so the
 * pair must be replicating. Stopped by stop() or at the end of `scope`.
 */
export async function startTruth(pair: Pair, scope: Scope): Promise<Truth> {
  switch (pair.engine) {
    case 'redis':
      break;
    case 'postgres':
      await psql(
        pair.primary,
        pair.password,
        'CREATE TABLE IF NOT EXISTS truth (id int PRIMARY KEY, written_at bigint)',
      );
      break;
    case 'mysql':
      await mariadb(
        pair.primary,
        'CREATE DATABASE IF NOT EXISTS patrol_test; CREATE TABLE IF NOT EXISTS patrol_test.truth (id INT PRIMARY KEY, written_at BIGINT)',
      );
      break;
  }
  const io =
    pair.engine === 'redis'
      ? redisTruth(pair)
      : pair.engine === 'postgres'
        ? postgresTruth(pair)
        : mariadbTruth(pair);
  const stopping = new AbortController();
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      const began = Date.now();
      try {
        await io.write(began, TRUTH_WRITE_TIMEOUT_MS);
      } catch {
        // skipped: the next write comes at the next tick
      }
      const wait = TRUTH_PERIOD_MS - (Date.now() - began);
      if (wait > 0)
        await sleep(wait, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  })();
  let stopped: Promise<void> | undefined;
  const truth: Truth = {
    async trueLagSeconds(timeoutMs = 1_000) {
      try {
        const newest = await io.read(timeoutMs);
        return newest === undefined ? undefined : (Date.now() - newest) / 1000;
      } catch {
        return undefined;
      }
    },
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        io.close(); // cuts a write in flight
        await loop;
      })();
      return stopped;
    },
  };
  scope.after(() => truth.stop());
  await waitFor(
    `the replica to have the first truth write (${pair.engine})`,
    async () => (await truth.trueLagSeconds()) !== undefined,
    { timeoutMs: 30_000 },
  );
  return truth;
}
