import type { Socket } from 'node:net';
import { ProbeError, timeoutError } from './outcome.ts';

/**
 * The part of RESP2 (Redis' protocol) a probe needs: commands out, and the four reply types
 * AUTH, PING, INFO, GET, SET and TIME answer with. Written here rather than taken from ioredis or
 * @redis/client: measured (../shared/recipes/middleware/README.md), both hang or retry on a
 * server that accepts and never answers unless cut from outside, ioredis reports every failure
 * as "Connection is closed." and leaves a timer behind, and neither takes a socket already
 * connected (and timed, and TLS-checked) by the probe. Three commands need forty lines.
 */
export type Reply =
  | { readonly kind: 'status'; readonly text: string }
  | { readonly kind: 'error'; readonly text: string }
  | { readonly kind: 'integer'; readonly value: number }
  | { readonly kind: 'bulk'; readonly text: string | null }
  | { readonly kind: 'array'; readonly items: readonly Reply[] | null };

/** A command as RESP: an array of bulk strings. */
export function encodeCommand(args: readonly string[]): Buffer {
  const parts = [`*${args.length}\r\n`];
  for (const a of args) parts.push(`$${Buffer.byteLength(a)}\r\n${a}\r\n`);
  return Buffer.from(parts.join(''));
}

/**
 * The first reply in `buf`, and how many bytes it took; undefined while it is incomplete.
 * Throws on what is not RESP (a server that is not Redis), which the probe reports as protocol.
 */
export function parseReply(buf: Buffer): { reply: Reply; size: number } | undefined {
  const eol = buf.indexOf('\r\n');
  if (eol < 0) return undefined;
  const line = buf.toString('utf8', 1, eol);
  switch (buf[0]) {
    case 0x2b: // +
      return { reply: { kind: 'status', text: line }, size: eol + 2 };
    case 0x2d: // -
      return { reply: { kind: 'error', text: line }, size: eol + 2 };
    case 0x3a: // :
      return { reply: { kind: 'integer', value: Number(line) }, size: eol + 2 };
    case 0x24: {
      // $
      const len = Number(line);
      if (!Number.isInteger(len) || len < -1) throw new Error(`bad bulk length ${line}`);
      if (len === -1) return { reply: { kind: 'bulk', text: null }, size: eol + 2 };
      const end = eol + 2 + len;
      if (buf.length < end + 2) return undefined;
      return { reply: { kind: 'bulk', text: buf.toString('utf8', eol + 2, end) }, size: end + 2 };
    }
    case 0x2a: {
      // * (TIME's two bulk strings)
      const count = Number(line);
      if (!Number.isInteger(count) || count < -1 || count > 1024) {
        throw new Error(`bad array length ${line}`);
      }
      if (count === -1) return { reply: { kind: 'array', items: null }, size: eol + 2 };
      const items: Reply[] = [];
      let size = eol + 2;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf.subarray(size));
        if (item === undefined) return undefined;
        items.push(item.reply);
        size += item.size;
      }
      return { reply: { kind: 'array', items }, size };
    }
    default:
      throw new Error(`not a RESP reply: ${JSON.stringify(buf.toString('latin1', 0, 40))}`);
  }
}

/** `INFO`'s text as a map of its `key:value` lines. */
export function parseInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.indexOf(':');
    if (i > 0) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}

/** Replies larger than this are not Redis answering a monitoring command. */
const MAX_REPLY = 1024 * 1024;

/** One command at a time on a socket, each reply read whole, everything cut at the deadline. */
export class RespSession {
  readonly #socket: Socket;
  #buffer = Buffer.alloc(0);

  constructor(socket: Socket) {
    this.#socket = socket;
    // Between commands nobody listens; a reset then must not be an uncaught 'error'.
    socket.on('error', () => undefined);
  }

  /** Whether the socket can still carry commands (a cut command leaves it destroyed). */
  get open(): boolean {
    return !this.#socket.destroyed;
  }

  close(): void {
    this.#socket.destroy();
  }

  /**
   * Sends one command and reads its reply. At `signal`'s abort the socket is destroyed: a reply
   * arriving later would otherwise be taken for the next command's.
   */
  command(args: readonly string[], signal: AbortSignal): Promise<Reply> {
    const socket = this.#socket;
    return new Promise<Reply>((resolve, reject) => {
      const finish = (err: Error | undefined, reply?: Reply) => {
        socket.off('data', onData);
        socket.off('close', onClose);
        socket.off('error', onError);
        signal.removeEventListener('abort', onAbort);
        if (err === undefined) resolve(reply as Reply);
        else {
          // Whatever was half-read cannot be matched to a later command.
          socket.destroy();
          reject(err);
        }
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
        socket.destroy();
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
