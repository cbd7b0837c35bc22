import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { lookupRoute, parseAddress, parseRoutes4, parseRoutes6 } from './routes.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');

// Recorded in a network namespace: eth0 10.1.0.1/16 with the default route via 10.1.0.254,
// eth1 10.1.2.1/24 (more specific), a host route 10.1.2.7 on eth2, and 10.9.0.0/16 twice
// (metric 50 via eth3, 100 via eth0); IPv6 the same shape under 2001:db8::/32.
const netns = [
  ...parseRoutes4(fixture('route-netns.txt'), 'LE'),
  ...parseRoutes6(fixture('ipv6_route-netns.txt')),
];
const via = (routes: typeof netns, a: string) => lookupRoute(routes, a)?.iface;

describe('route lookup', () => {
  it('parses /proc/net/route (little-endian hex)', () => {
    const r = parseRoutes4(fixture('route-netns.txt'), 'LE');
    assert.equal(r.length, 7);
    assert.deepEqual(
      r.map((x) => `${x.iface} ${x.prefixLen} ${x.metric}`),
      ['eth0 0 0', 'eth0 16 0', 'eth1 24 0', 'eth2 32 0', 'eth3 16 50', 'eth0 16 100', 'eth3 24 0'],
    );
    assert.equal(r[3]?.dest, parseAddress('10.1.2.7')?.value);
  });

  it('picks the longest prefix: default, a more specific route, a host route (IPv4)', () => {
    assert.equal(via(netns, '8.8.8.8'), 'eth0'); // default
    assert.equal(via(netns, '10.1.9.9'), 'eth0'); // 10.1.0.0/16
    assert.equal(via(netns, '10.1.2.50'), 'eth1'); // 10.1.2.0/24 inside it
    assert.equal(via(netns, '10.1.2.7'), 'eth2'); // host route inside that
    assert.equal(via(netns, '172.16.0.9'), 'eth3');
    assert.equal(via(netns, '::ffff:10.1.2.7'), 'eth2'); // IPv4-mapped
  });

  it('then the lowest metric', () => {
    assert.equal(via(netns, '10.9.3.4'), 'eth3');
    assert.equal(via(netns, '2001:db8:9::1'), 'eth3');
  });

  it('does the same for IPv6 and leaves out reject routes', () => {
    assert.equal(via(netns, '2001:4860::8888'), 'eth0'); // default
    assert.equal(via(netns, '2001:db8:5::1'), 'eth0'); // 2001:db8::/32
    assert.equal(via(netns, '2001:db8:1::50'), 'eth1'); // /48 inside it
    assert.equal(via(netns, '2001:db8:1::7'), 'eth2'); // host route
    assert.equal(via(netns, '[2001:db8:1:0::7]'), 'eth2');
    const rejects = parseRoutes6(fixture('ipv6_route-netns.txt')).filter((r) => r.iface === 'lo');
    assert.deepEqual(
      rejects.map((r) => r.prefixLen),
      [128],
      'only ::1 on lo: the unreachable ::/0 is left out',
    );
  });

  it('follows the routes the kernel removes with an interface set down', () => {
    const down = [
      ...parseRoutes4(fixture('route-netns-eth1-down.txt'), 'LE'),
      ...parseRoutes6(fixture('ipv6_route-netns-eth1-down.txt')),
    ];
    assert.equal(via(down, '10.1.2.50'), 'eth0', 'the /24 went with eth1: the /16 answers');
    assert.equal(via(down, '2001:db8:1::50'), 'eth0');
  });

  it('reads this machine’s tables (recorded)', () => {
    const host = [
      ...parseRoutes4(fixture('route-host.txt'), 'LE'),
      ...parseRoutes6(fixture('ipv6_route-host.txt')),
    ];
    assert.equal(via(host, '192.0.2.1'), 'eth0');
    assert.equal(via(host, '1.1.1.1'), 'eth0');
    assert.equal(via(host, 'fd00::1'), 'eth0');
    assert.equal(via(host, '::1'), 'lo');
  });

  it('reads big-endian tables and finds nothing without a route or an address', () => {
    const be = parseRoutes4(
      'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n' +
        'eth5\tC0000200\t00000000\t0001\t0\t0\t0\tFFFFFF00\t0\t0\t0\n' +
        '*\t0A000000\t00000000\t0201\t0\t0\t0\tFF000000\t0\t0\t0\n',
      'BE',
    );
    assert.equal(via(be, '192.0.2.9'), 'eth5');
    assert.equal(via(be, '10.0.0.1'), undefined, 'the reject route is left out');
    assert.equal(via(netns, 'peer.example'), undefined);
    assert.equal(via([], '10.0.0.1'), undefined);
  });
});
