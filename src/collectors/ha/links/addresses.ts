/**
 * Which local interface holds an address (the VIP): for IPv6 from /proc/net/if_inet6, for IPv4
 * from os.networkInterfaces() (no subprocess, no netlink from Node). The latter leaves out the
 * interfaces that are not up and running, so a VIP on a link that lost its carrier is found
 * through the routing table or the interface remembered from before (links/watch.ts).
 */
import type { NetworkInterfaceInfo } from 'node:os';
import { normalizeIPv6 } from '../role.ts';

/** /proc/net/if_inet6: `address(32 hex) ifindex prefixlen scope flags device` per line. */
export function interfaceHoldingV6(ifInet6: string, address: string): string | undefined {
  const want = normalizeIPv6(address.split('%')[0] ?? address);
  for (const line of ifInet6.split('\n')) {
    const f = line.trim().split(/\s+/);
    const hex = f[0] ?? '';
    if (f.length < 6 || !/^[0-9a-f]{32}$/i.test(hex)) continue;
    if (normalizeIPv6(hex.match(/.{4}/g)?.join(':') ?? '') === want) return f[5];
  }
  return undefined;
}

export function interfaceHoldingV4(
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>,
  address: string,
): string | undefined {
  for (const [name, addrs] of Object.entries(interfaces)) {
    if (addrs?.some((a) => a.family === 'IPv4' && a.address === address)) return name;
  }
  return undefined;
}
