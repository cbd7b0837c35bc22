import { readSecretFile } from '../../core/secret.ts';
import { parseHostPort } from '../probes/config.ts';
import { dial, systemLookup } from '../probes/dial.ts';
import { PhaseTimer, ProbeError } from '../probes/outcome.ts';
import { parseInfo, RespSession, type Reply } from '../probes/resp.ts';
import { redisHeartbeatKey, type GroupConfig, type ServerConfig } from './config.ts';
import { midpoint, type EngineSession, type Role } from './session.ts';
import { num, redisReplication, redisTime, type ServerView } from './views.ts';

/**
 * Redis over the probes' own RESP client (resp.ts says why not ioredis): TIME for the server's
 * clock, INFO replication for both roles' views, GET of the heartbeat key. The heartbeat is
 * written as TIME then SET (no script, so a user with +time +set on the key is enough): the
 * value is the primary's clock, Unix seconds with microseconds.
 */
export async function connectRedis(
  g: GroupConfig,
  server: ServerConfig,
  signal: AbortSignal,
): Promise<EngineSession> {
  const hp = parseHostPort(server.target);
  if (hp === undefined) throw new Error(`not host:port: ${server.target}`);
  const socket = await dial(
    { ...hp, tls: g.tls ? g.tls_config : undefined, lookup: systemLookup },
    { signal, timer: new PhaseTimer(), facts: {} },
  );
  const session = new RespSession(socket);
  const key = g.heartbeat?.key ?? redisHeartbeatKey(g.name);
  const call = async (args: readonly string[], s: AbortSignal): Promise<Reply> => {
    const r = await session.command(args, s);
    if (r.kind === 'error') {
      throw new ProbeError(
        /^(NOAUTH|WRONGPASS)/.test(r.text) ? 'auth' : 'protocol',
        `${String(args[0])}: ${r.text}`,
      );
    }
    return r;
  };
  const time = async (s: AbortSignal): Promise<{ serverTime: number; localAt: number }> => {
    const before = Date.now();
    const r = await call(['TIME'], s);
    const localAt = midpoint(before, Date.now());
    const [sec, usec] = r.kind === 'array' && r.items !== null ? r.items : [];
    if (sec?.kind !== 'bulk' || usec?.kind !== 'bulk' || sec.text === null || usec.text === null) {
      throw new ProbeError('protocol', `TIME answered ${JSON.stringify(r)}`);
    }
    return { serverTime: redisTime(sec.text, usec.text), localAt };
  };
  try {
    if (g.password_file !== undefined) {
      const password = readSecretFile(g.password_file);
      await call(['AUTH', ...(g.user === undefined ? [] : [g.user]), password], signal);
    }
  } catch (err) {
    session.close();
    throw err;
  }
  return {
    get open() {
      return session.open;
    },
    close: () => {
      session.close();
    },
    async read(role: Role, s: AbortSignal): Promise<ServerView> {
      const clock = await time(s);
      const info = await call(['INFO', 'replication'], s);
      if (info.kind !== 'bulk' || info.text === null) {
        throw new ProbeError('protocol', `INFO answered ${JSON.stringify(info)}`);
      }
      const repl = redisReplication(parseInfo(info.text));
      let heartbeat: number | undefined;
      if (g.heartbeat !== undefined) {
        const r = await call(['GET', key], s);
        heartbeat = r.kind === 'bulk' ? num(r.text) : undefined;
      }
      return {
        ...clock,
        heartbeat,
        ...(role === 'primary' ? { primary: repl.primary } : { replica: repl.replica }),
      };
    },
    async writeHeartbeat(s: AbortSignal): Promise<void> {
      const { serverTime } = await time(s);
      await call(['SET', key, serverTime.toFixed(6)], s);
    },
  };
}
