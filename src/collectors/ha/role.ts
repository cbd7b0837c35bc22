import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HOST_PATHS, procSelf } from '../../core/host-paths.ts';
import type { RoleConfig } from './config.ts';
import type { Role } from './heartbeat.ts';

/** Words HA software writes for the two roles (RoseMirrorHA, keepalived, Pacemaker, DRBD). */
export function roleFromText(text: string): Role {
  const word = text.trim().toLowerCase();
  if (['primary', 'master', 'active', 'main'].includes(word)) return 'primary';
  if (['standby', 'secondary', 'slave', 'backup', 'passive'].includes(word)) return 'standby';
  return 'unknown';
}

/**
 * The host's local IPv4 addresses from /proc/net/fib_trie: an address listed as "/32 host
 * LOCAL". Not os.networkInterfaces(), which leaves out the addresses of an interface without
 * carrier: a primary whose link went down still holds its virtual IP.
 */
export function localIPv4(fibTrie: string): Set<string> {
  const out = new Set<string>();
  let last: string | undefined;
  for (const line of fibTrie.split('\n')) {
    const addr = /^\s*\|-- (\d+\.\d+\.\d+\.\d+)$/.exec(line);
    if (addr !== null) {
      last = addr[1];
      continue;
    }
    if (last !== undefined && /^\s*\/32 host LOCAL$/.test(line)) out.add(last);
  }
  return out;
}

/** The host's IPv6 addresses from /proc/net/if_inet6 (32 hex digits each), normalised. */
export function localIPv6(ifInet6: string): Set<string> {
  const out = new Set<string>();
  for (const line of ifInet6.split('\n')) {
    const hex = line.trim().split(/\s+/)[0] ?? '';
    if (!/^[0-9a-f]{32}$/.test(hex)) continue;
    out.add(normalizeIPv6(hex.match(/.{4}/g)?.join(':') ?? ''));
  }
  return out;
}

/** One spelling per IPv6 address: eight groups, no leading zeros, lower case. */
export function normalizeIPv6(address: string): string {
  const [head = '', tail] = address.toLowerCase().split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => g.replace(/^0+(?=.)/, '')).join(':');
}

/** Where the network's proc files are: <procfs>/self/net (see links/watch.ts hostSources). */
export const PROC_NET = procSelf(HOST_PATHS, 'net');

/**
 * Whether this host holds `address` (the virtual IP follows the primary). Read under
 * /proc/self/net, what /proc/net links to: deploy/patrol.service's ProcSubset=pid hides the link.
 */
export async function holdsAddress(address: string, procNet = PROC_NET): Promise<boolean> {
  if (address.includes(':')) {
    const text = await readFile(join(procNet, 'if_inet6'), 'utf8').catch(() => '');
    return localIPv6(text).has(normalizeIPv6(address));
  }
  const text = await readFile(join(procNet, 'fib_trie'), 'utf8').catch(() => '');
  return localIPv4(text).has(address);
}

function runCommand(argv: readonly string[], timeoutMs: number): Promise<Role> {
  const [cmd = '', ...args] = argv;
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 }, (err, stdout) => {
      const out = roleFromText(stdout);
      if (err === null) {
        resolve(out === 'unknown' ? 'primary' : out);
        return;
      }
      // Exit 1 with no role word: standby. Anything else (timeout, not found, other codes):
      // unknown, never a guess.
      const code = (err as { code?: unknown }).code;
      resolve(out !== 'unknown' ? out : code === 1 ? 'standby' : 'unknown');
    });
  });
}

/** This node's role now, per the configuration; errors make it unknown. */
export async function detectRole(cfg: RoleConfig | undefined, procNet = PROC_NET): Promise<Role> {
  if (cfg === undefined) return 'unknown';
  switch (cfg.source) {
    case 'static':
      return cfg.value;
    case 'vip':
      return (await holdsAddress(cfg.address, procNet)) ? 'primary' : 'standby';
    case 'file':
      return readFile(cfg.path, 'utf8').then(roleFromText, () => 'unknown' as const);
    case 'command':
      return runCommand(cfg.command, cfg.timeout);
  }
}
