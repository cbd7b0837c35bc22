import type { Socket } from 'node:net';
import { readSecretFile } from '../../core/secret.ts';
import { parseHostPort, type RedisProbe } from './config.ts';
import { dial, type Lookup } from './dial.ts';
import { ProbeError, timeoutError, type ProbeContext } from './outcome.ts';
import { encodeCommand, parseInfo, parseReply, type Reply } from './resp.ts';

/** Replies larger than this are not Redis answering AUTH, PING or INFO replication. */
const MAX_REPLY = 1024 * 1024;

/**
 * Redis: connect (TLS optional), AUTH with the secret file's password (and the ACL user when
 * set), PING, and INFO replication for the role and, on a primary, its replicas, on a replica
 * its link to the primary.
 */
export async function probeRedis(p: RedisProbe, ctx: ProbeContext, lookup: Lookup): Promise<void> {
  const hp = parseHostPort(p.target);
  if (hp === undefined) throw new ProbeError('other', `not host:port: ${p.target}`);
  const socket = await dial({ ...hp, tls: p.tls ? p.tls_config : undefined, lookup }, ctx);
  const session = new Session(socket, ctx.signal);
  try {
    if (p.password_file !== undefined) {
      ctx.timer.begin('auth');
      const password = readSecretFile(p.password_file);
      const args = p.username === undefined ? [password] : [p.username, password];
      const r = await session.command(['AUTH', ...args]);
      if (r.kind === 'error') throw new ProbeError('auth', `AUTH refused: ${r.text}`);
    }
    ctx.timer.begin('query');
    const pong = await session.command(['PING']);
    if (pong.kind === 'error') {
      throw new ProbeError(/^(NOAUTH|WRONGPASS)/.test(pong.text) ? 'auth' : 'protocol', pong.text);
    }
    if (pong.kind !== 'status' || pong.text !== 'PONG') {
      throw new ProbeError('protocol', `PING answered ${JSON.stringify(pong)}`);
    }
    const info = await session.command(['INFO', 'replication']);
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

/** One command at a time on a socket, each reply read whole, everything cut at the deadline. */
class Session {
  readonly #socket: Socket;
  readonly #signal: AbortSignal;
  #buffer = Buffer.alloc(0);

  constructor(socket: Socket, signal: AbortSignal) {
    this.#socket = socket;
    this.#signal = signal;
  }

  command(args: readonly string[]): Promise<Reply> {
    const socket = this.#socket;
    const signal = this.#signal;
    return new Promise<Reply>((resolve, reject) => {
      const finish = (err: Error | undefined, reply?: Reply) => {
        socket.off('data', onData);
        socket.off('close', onClose);
        socket.off('error', onError);
        signal.removeEventListener('abort', onAbort);
        if (err === undefined) resolve(reply as Reply);
        else reject(err);
      };
      const onData = (d: Buffer) => {
        this.#buffer = Buffer.concat([this.#buffer, d]);
        try {
          const r = parseReply(this.#buffer);
          if (r !== undefined) {
            this.#buffer = this.#buffer.subarray(r.size);
            finish(undefined, r.reply);
          } else if (this.#buffer.length > MAX_REPLY) {
            finish(new ProbeError('protocol', `a reply to ${String(args[0])} over 1 MiB`));
          }
        } catch (err) {
          finish(new ProbeError('protocol', (err as Error).message));
        }
      };
      const onClose = () => {
        finish(
          new ProbeError(
            'protocol',
            `connection closed waiting for the reply to ${String(args[0])}`,
          ),
        );
      };
      const onError = (err: Error) => {
        finish(err);
      };
      const onAbort = () => {
        finish(timeoutError(`waiting for the reply to ${String(args[0])}`));
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      socket.on('data', onData);
      socket.once('close', onClose);
      socket.once('error', onError);
      signal.addEventListener('abort', onAbort, { once: true });
      socket.write(encodeCommand(args));
    });
  }
}
