import { readSecretFile } from '../../core/secret.ts';
import { parseHostPort, type RedisProbe } from './config.ts';
import { dial, type Lookup } from './dial.ts';
import { ProbeError, type ProbeContext } from './outcome.ts';
import { parseInfo, RespSession } from './resp.ts';

/**
 * Redis: connect (TLS optional), AUTH with the secret file's password (and the ACL user when
 * set), PING, and INFO replication for the role and, on a primary, its replicas, on a replica
 * its link to the primary.
 */
export async function probeRedis(p: RedisProbe, ctx: ProbeContext, lookup: Lookup): Promise<void> {
  const hp = parseHostPort(p.target);
  if (hp === undefined) throw new ProbeError('other', `not host:port: ${p.target}`);
  const socket = await dial({ ...hp, tls: p.tls ? p.tls_config : undefined, lookup }, ctx);
  const session = new RespSession(socket);
  try {
    if (p.password_file !== undefined) {
      ctx.timer.begin('auth');
      const password = readSecretFile(p.password_file);
      const args = p.username === undefined ? [password] : [p.username, password];
      const r = await session.command(['AUTH', ...args], ctx.signal);
      if (r.kind === 'error') throw new ProbeError('auth', `AUTH refused: ${r.text}`);
    }
    ctx.timer.begin('query');
    const pong = await session.command(['PING'], ctx.signal);
    if (pong.kind === 'error') {
      throw new ProbeError(/^(NOAUTH|WRONGPASS)/.test(pong.text) ? 'auth' : 'protocol', pong.text);
    }
    if (pong.kind !== 'status' || pong.text !== 'PONG') {
      throw new ProbeError('protocol', `PING answered ${JSON.stringify(pong)}`);
    }
    const info = await session.command(['INFO', 'replication'], ctx.signal);
    if (info.kind !== 'bulk' || info.text === null) {
      throw new ProbeError('protocol', `INFO answered ${JSON.stringify(info)}`);
    }
    const fields = parseInfo(info.text);
    const role = fields.get('role');
    ctx.facts.redis = {
      role,
      connectedSlaves: numberOrUndefined(fields.get('connected_slaves')),
      masterLinkUp:
        role === 'slave' ? (fields.get('master_link_status') === 'up' ? 1 : 0) : undefined,
    };
    ctx.timer.end();
  } finally {
    socket.destroy();
  }
}

function numberOrUndefined(text: string | undefined): number | undefined {
  const n = Number(text);
  return text === undefined || !Number.isFinite(n) ? undefined : n;
}
