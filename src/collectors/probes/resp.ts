/**
 * The part of RESP2 (Redis' protocol) a probe needs: commands out, and the four reply types
 * AUTH, PING and INFO answer with. Written here rather than taken from ioredis or
 * @redis/client: measured (../shared/recipes/middleware/README.md), both hang or retry on a
 * server that accepts and never answers unless cut from outside, ioredis reports every failure
 * as "Connection is closed." and leaves a timer behind, and neither takes a socket already
 * connected (and timed, and TLS-checked) by the probe. Three commands need forty lines.
 */
export type Reply =
  | { readonly kind: 'status'; readonly text: string }
  | { readonly kind: 'error'; readonly text: string }
  | { readonly kind: 'integer'; readonly value: number }
  | { readonly kind: 'bulk'; readonly text: string | null };

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
