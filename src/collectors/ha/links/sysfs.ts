/**
 * One network interface as /sys/class/net/<if>/ shows it: the adapter reads the files (no
 * subprocess, a few small reads of kernel memory), and mapLink() turns what was read, error codes
 * included, into the link's state. Tests point the adapter at a recorded tree.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorCode } from '../../../core/errors.ts';

/** The kernel's operational states (RFC 2863 as in Documentation/networking/operstates.rst). */
export const OPERSTATES = [
  'unknown',
  'notpresent',
  'down',
  'lowerlayerdown',
  'testing',
  'dormant',
  'up',
] as const;
export type Operstate = (typeof OPERSTATES)[number];

export const LINK_FILES = [
  'operstate',
  'carrier',
  'speed',
  'mtu',
  'carrier_changes',
  'statistics/rx_errors',
  'statistics/tx_errors',
  'statistics/rx_dropped',
  'statistics/tx_dropped',
] as const;
export type LinkFile = (typeof LINK_FILES)[number];

/** Each file's content, or the error code its read failed with (EINVAL, ENOENT...). */
export type RawLink = Partial<Record<LinkFile, string | { readonly error: string }>>;

export interface LinkState {
  /** The operstate as the kernel wrote it (one of OPERSTATES unless a newer kernel adds one). */
  readonly operstate: string;
  readonly carrier: boolean;
  /** Operational: carrier present and operstate up (or unknown: see mapLink). */
  readonly up: boolean;
  /** node_exporter's speed_bytes (Mb/s x 125000); undefined when the kernel does not know it. */
  readonly speedBytes: number | undefined;
  readonly mtu: number | undefined;
  readonly carrierChanges: number | undefined;
  readonly rxErrors: number | undefined;
  readonly txErrors: number | undefined;
  readonly rxDropped: number | undefined;
  readonly txDropped: number | undefined;
}

const IFNAME = /^(?!\.{1,2}$)[^/\s]{1,15}$/;

/**
 * Reads an interface's files under `sysClassNet` (normally /sys/class/net). Undefined when the
 * interface does not exist (its directory is absent). Reads that fail are kept as their error
 * code: `carrier` and `speed` fail with EINVAL while an interface is administratively down, and
 * `speed` on interfaces without one (lo).
 */
export async function readLinkFiles(
  sysClassNet: string,
  name: string,
): Promise<RawLink | undefined> {
  if (!IFNAME.test(name)) return undefined;
  const dir = join(sysClassNet, name);
  const read = (file: LinkFile) =>
    readFile(join(dir, file), 'utf8').then(
      (text) => text.trim(),
      (err: unknown) => ({ error: errorCode(err) ?? 'EIO' }),
    );
  const operstate = await read('operstate');
  if (typeof operstate === 'object' && ['ENOENT', 'ENOTDIR'].includes(operstate.error)) {
    return undefined;
  }
  const rest = await Promise.all(LINK_FILES.slice(1).map(read));
  return Object.fromEntries(
    [operstate, ...rest].map((v, i) => [LINK_FILES[i], v] as const),
  ) as RawLink;
}

function int(v: RawLink[LinkFile]): number | undefined {
  if (typeof v !== 'string' || !/^-?\d+$/.test(v)) return undefined;
  return Number(v);
}

/**
 * What was read, as the link's state. The carrier is present only when `carrier` reads 1: its
 * read fails (EINVAL) on an interface that is administratively down, which has no carrier.
 * `up` needs the carrier and operstate `up`, or `unknown`: the kernel documents unknown as
 * "neither driver nor userspace has set operational state" and that such an interface "must be
 * considered for user data" (lo, tun and some virtual drivers never set it).
 */
export function mapLink(raw: RawLink): LinkState {
  const operstate = typeof raw.operstate === 'string' ? raw.operstate : 'unknown';
  const carrier = raw.carrier === '1';
  const speed = int(raw.speed);
  return {
    operstate,
    carrier,
    up: carrier && (operstate === 'up' || operstate === 'unknown'),
    speedBytes: speed === undefined || speed < 0 ? undefined : speed * 125_000,
    mtu: int(raw.mtu),
    carrierChanges: int(raw.carrier_changes),
    rxErrors: int(raw['statistics/rx_errors']),
    txErrors: int(raw['statistics/tx_errors']),
    rxDropped: int(raw['statistics/rx_dropped']),
    txDropped: int(raw['statistics/tx_dropped']),
  };
}
