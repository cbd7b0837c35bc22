import { readSecretFile } from '../../core/secret.ts';
import { parseHostPort, type MysqlProbe } from './config.ts';
import { dial, type Lookup } from './dial.ts';
import { ProbeError, untilAborted, type ProbeContext } from './outcome.ts';

/**
 * MySQL and MariaDB through `mysql2` (measured to stop cleanly at a deadline, no retries): the
 * probe's own connected socket is handed to it (`stream`), so resolve and connect are timed as
 * for every module, then the handshake and authentication, then `SELECT @@read_only`. At the
 * deadline the socket is destroyed. `mysql2` is loaded on the first mysql probe only.
 */
export async function probeMysql(p: MysqlProbe, ctx: ProbeContext, lookup: Lookup): Promise<void> {
  const hp = parseHostPort(p.target);
  if (hp === undefined) throw new ProbeError('other', `not host:port: ${p.target}`);
  const socket = await dial({ ...hp, tls: undefined, lookup }, ctx);
  const cut = () => {
    socket.destroy();
  };
  ctx.signal.addEventListener('abort', cut, { once: true });
  try {
    ctx.timer.begin('auth');
    const mysql = (await import('mysql2')).default;
    const conn = mysql.createConnection({
      stream: socket,
      user: p.user,
      ...(p.password_file === undefined ? {} : { password: readSecretFile(p.password_file) }),
      ...(p.database === undefined ? {} : { database: p.database }),
    });
    conn.on('error', () => undefined);
    await untilAborted(
      new Promise<void>((resolve, reject) => {
        conn.connect((err) => {
          if (err === null) resolve();
          else reject(err);
        });
      }),
      ctx.signal,
      'in the handshake',
    );
    ctx.timer.begin('query');
    const rows = await untilAborted(
      new Promise<unknown>((resolve, reject) => {
        conn.query('SELECT @@read_only AS ro', (err, result) => {
          if (err === null) resolve(result);
          else reject(err);
        });
      }),
      ctx.signal,
      'waiting for SELECT @@read_only',
    );
    ctx.timer.end();
    const ro = (rows as { ro?: number | string }[])[0]?.ro;
    ctx.facts.mysqlReadOnly = Number(ro) === 1 ? 1 : 0;
  } finally {
    ctx.signal.removeEventListener('abort', cut);
    cut();
  }
}
