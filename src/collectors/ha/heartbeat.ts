/**
 * The heartbeat exchange between the nodes of a pair, pure: what a node answers, how an
 * answer is checked, and the clock offset and round trip it gives (NTP's on-wire method).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const ROLES = ['primary', 'standby', 'unknown'] as const;
export type Role = (typeof ROLES)[number];

export const HEARTBEAT_PATH = '/ha/heartbeat';

/** What GET /ha/heartbeat answers (JSON). */
export interface Heartbeat {
  readonly cluster: string;
  readonly node: string;
  readonly role: Role;
  /** Random per exporter start: a new value means the peer restarted. */
  readonly startId: string;
  /** Heartbeats this exporter answered since it started. */
  readonly seq: number;
  /** Its clock (ms since the epoch) when the request arrived and when it answered. */
  readonly received: number;
  readonly sent: number;
  /**
   * This node's link towards each of its peers, by the peer's name as this node's config lists
   * it (links/watch.ts): the interface and whether it is up. Absent from older exporters and
   * when links are off; an older exporter ignores it.
   */
  readonly links?: Readonly<Record<string, PeerLink>>;
}

export interface PeerLink {
  readonly interface: string;
  readonly up: boolean;
}

/** At most this many entries of `links` are kept from a peer's answer. */
export const MAX_LINKS = 64;

/** The well-formed entries of a heartbeat's `links` (others are dropped, never fatal). */
function parseLinks(v: unknown): Record<string, PeerLink> | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const out: Record<string, PeerLink> = {};
  let n = 0;
  for (const [peer, l] of Object.entries(v as Record<string, unknown>)) {
    if (n >= MAX_LINKS) break;
    if (typeof l !== 'object' || l === null) continue;
    const { interface: iface, up } = l as Record<string, unknown>;
    if (typeof iface !== 'string' || iface.length > 64 || typeof up !== 'boolean') continue;
    Object.defineProperty(out, peer, { value: { interface: iface, up }, enumerable: true });
    n++;
  }
  return out;
}

/** Checks the shape of a peer's answer; a string says what is wrong. */
export function parseHeartbeat(body: string): Heartbeat | string {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return 'not JSON';
  }
  if (typeof v !== 'object' || v === null) return 'not an object';
  const o = v as Record<string, unknown>;
  const str = (k: string) => typeof o[k] === 'string';
  const num = (k: string) => typeof o[k] === 'number' && Number.isFinite(o[k]);
  if (!str('cluster') || !str('node') || !str('startId')) return 'missing cluster, node or startId';
  if (!num('seq') || !num('received') || !num('sent')) return 'missing seq, received or sent';
  if (!ROLES.includes(o.role as Role)) return 'unknown role';
  const hb: Record<string, unknown> = { ...o };
  delete hb.links;
  const links = parseLinks(o.links);
  if (links !== undefined) hb.links = links;
  return hb as unknown as Heartbeat;
}

export interface ClockSample {
  /** The peer's clock minus ours, ms. */
  readonly offset: number;
  /** Round trip minus the peer's own processing time, ms. */
  readonly delay: number;
}

/**
 * NTP's on-wire estimate from one exchange: t0 we send, t1 the peer receives, t2 the peer
 * answers, t3 we receive (t0, t3 on our clock; t1, t2 on the peer's). The offset is exact when
 * both directions take as long; otherwise it is off by at most delay / 2. `roundTrip` is t3 - t0
 * as a monotonic clock measured it, when there is one.
 */
export function clockSample(
  t0: number,
  t1: number,
  t2: number,
  t3: number,
  roundTrip = t3 - t0,
): ClockSample {
  return {
    offset: (t1 - t0 + (t2 - t3)) / 2,
    delay: Math.max(0, roundTrip - (t2 - t1)),
  };
}

/**
 * NTP's clock filter, simplified: of the last few samples, the one with the smallest delay is
 * the most trustworthy offset (queueing only ever adds delay, and asymmetric delay is what
 * skews the offset).
 */
export class ClockFilter {
  readonly #size: number;
  readonly #samples: ClockSample[] = [];

  constructor(size = 8) {
    this.#size = size;
  }

  push(s: ClockSample): void {
    this.#samples.push(s);
    if (this.#samples.length > this.#size) this.#samples.shift();
  }

  best(): ClockSample | undefined {
    let best: ClockSample | undefined;
    for (const s of this.#samples) if (best === undefined || s.delay < best.delay) best = s;
    return best;
  }

  clear(): void {
    this.#samples.length = 0;
  }
}

/**
 * Request and answer signatures with the pair's shared secret: the caller sends a fresh nonce
 * and HMAC("req", cluster, path, nonce); the answer carries HMAC("resp", nonce, body). The
 * secret never travels, an answer cannot be replayed to another request, and no clock is
 * involved (the clocks are what is being measured).
 */
export function sign(secret: Buffer, parts: readonly string[]): string {
  const h = createHmac('sha256', secret);
  for (const p of parts) h.update(`${p.length}:${p}`);
  return h.digest('hex');
}

export function signatureMatches(
  secret: Buffer,
  parts: readonly string[],
  given: unknown,
): boolean {
  if (typeof given !== 'string' || !/^[0-9a-f]{64}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(sign(secret, parts), 'hex'), Buffer.from(given, 'hex'));
}

export const NONCE_HEADER = 'x-patrol-nonce';
export const SIGNATURE_HEADER = 'x-patrol-signature';
