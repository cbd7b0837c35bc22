/**
 * Which local interface carries traffic to an address, from the kernel's main routing table as
 * /proc/net/route (IPv4) and /proc/net/ipv6_route (IPv6) print it: the longest matching prefix,
 * then the lowest metric, as the kernel's FIB lookup picks among routes of the main table.
 * Policy routing (ip rule) and other tables than main are not seen: configure the peer's
 * `interface` where they decide.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { endianness } from 'node:os';
import { normalizeIPv6 } from '../role.ts';

export interface Route {
  readonly family: 4 | 6;
  /** The destination's first address, as an unsigned integer (32 or 128 bits). */
  readonly dest: bigint;
  readonly prefixLen: number;
  readonly metric: number;
  readonly iface: string;
}

// <linux/route.h> and <linux/ipv6_route.h>
const RTF_UP = 0x0001;
const RTF_REJECT = 0x0200;

/** An IPv4 or IPv6 address as an integer and its family; undefined when it is neither. */
export function parseAddress(address: string): { family: 4 | 6; value: bigint } | undefined {
  const a = address.replace(/^\[(.*)\]$/, '$1');
  if (isIPv4(a)) {
    return { family: 4, value: a.split('.').reduce((acc, o) => (acc << 8n) | BigInt(o), 0n) };
  }
  if (!isIPv6(a)) return undefined;
  // An IPv4-mapped address (::ffff:192.0.2.1) is routed as IPv4.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped?.[1] !== undefined) return parseAddress(mapped[1]);
  const groups = normalizeIPv6(a.split('%')[0] ?? a).split(':');
  return { family: 6, value: groups.reduce((acc, g) => (acc << 16n) | BigInt(`0x${g}`), 0n) };
}

/**
 * /proc/net/route: `Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT`, the
 * addresses and mask in hex as the kernel stores them (network byte order read as a host
 * integer: byte-swapped on little-endian machines). Routes not up, reject routes and lines that
 * do not parse are left out.
 */
export function parseRoutes4(text: string, order: 'LE' | 'BE' = endianness()): Route[] {
  const out: Route[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const [iface = '', destHex = '', , flagsHex = '', , , metricText = '', maskHex = ''] = f;
    const flags = Number.parseInt(flagsHex, 16);
    if (iface === '*' || !(flags & RTF_UP) || flags & RTF_REJECT) continue;
    const dest = hex32(destHex, order);
    const mask = hex32(maskHex, order);
    const metric = Number(metricText);
    if (dest === undefined || mask === undefined || !Number.isInteger(metric)) continue;
    const prefixLen = prefixOf(mask);
    if (prefixLen === undefined) continue;
    out.push({ family: 4, dest, prefixLen, metric, iface });
  }
  return out;
}

function hex32(text: string, order: 'LE' | 'BE'): bigint | undefined {
  if (!/^[0-9a-fA-F]{8}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'hex');
  return BigInt(order === 'LE' ? bytes.readUInt32LE() : bytes.readUInt32BE());
}

/** The prefix length of a contiguous IPv4 mask; undefined for a mask with holes. */
function prefixOf(mask: bigint): number | undefined {
  const bits = mask.toString(2).padStart(32, '0');
  const len = bits.indexOf('0') === -1 ? 32 : bits.indexOf('0');
  return /^1*0*$/.test(bits) ? len : undefined;
}

/**
 * /proc/net/ipv6_route: `dest dest_len src src_len next_hop metric refcnt use flags device`, all
 * hex (addresses as 32 digits in network order). Every table is listed (local and main); reject
 * routes (the unreachable default on lo) are left out.
 */
export function parseRoutes6(text: string): Route[] {
  const out: Route[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const [destHex = '', lenHex = '', , , , metricHex = '', , , flagsHex = '', iface = ''] = f;
    if (!/^[0-9a-f]{32}$/i.test(destHex)) continue;
    const flags = Number.parseInt(flagsHex, 16);
    if (!(flags & RTF_UP) || flags & RTF_REJECT) continue;
    const prefixLen = Number.parseInt(lenHex, 16);
    const metric = Number.parseInt(metricHex, 16);
    if (!(prefixLen >= 0 && prefixLen <= 128) || Number.isNaN(metric)) continue;
    out.push({ family: 6, dest: BigInt(`0x${destHex}`), prefixLen, metric, iface });
  }
  return out;
}

/**
 * The route the main table would pick for `address`: the longest prefix that contains it, then
 * the lowest metric (the first listed among equals). Undefined when nothing matches (no default
 * route) or the address is not an IP address.
 */
export function lookupRoute(routes: readonly Route[], address: string): Route | undefined {
  const a = parseAddress(address);
  if (a === undefined) return undefined;
  const width = a.family === 4 ? 32 : 128;
  let best: Route | undefined;
  for (const r of routes) {
    if (r.family !== a.family) continue;
    const shift = BigInt(width - r.prefixLen);
    if (a.value >> shift !== r.dest >> shift) continue;
    if (
      best === undefined ||
      r.prefixLen > best.prefixLen ||
      (r.prefixLen === best.prefixLen && r.metric < best.metric)
    ) {
      best = r;
    }
  }
  return best;
}
