import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { interfaceHoldingV4, interfaceHoldingV6 } from './addresses.ts';
import { mapLink, readLinkFiles } from './sysfs.ts';

// Recorded from a network namespace: eth0 up, eth1 set down (its carrier and speed reads failed
// with EINVAL: absent here), eth2 up without carrier (its veth peer down), lo.
const tree = fileURLToPath(new URL('./testdata/sys-class-net', import.meta.url));
const link = async (name: string) => {
  const raw = await readLinkFiles(tree, name);
  return raw === undefined ? undefined : mapLink(raw);
};

describe('sysfs links', () => {
  it('maps an interface that is up', async () => {
    assert.deepEqual(await link('eth0'), {
      operstate: 'up',
      carrier: true,
      up: true,
      speedBytes: 10_000 * 125_000,
      mtu: 1500,
      carrierChanges: 2,
      rxErrors: 0,
      txErrors: 0,
      rxDropped: 0,
      txDropped: 0,
    });
  });

  it('maps an interface set down: no carrier, no speed', async () => {
    const l = await link('eth1');
    assert.equal(l?.operstate, 'down');
    assert.equal(l.carrier, false);
    assert.equal(l.up, false);
    assert.equal(l.speedBytes, undefined);
    assert.equal(l.carrierChanges, 3);
  });

  it('maps a link without carrier (lowerlayerdown)', async () => {
    const l = await link('eth2');
    assert.equal(l?.operstate, 'lowerlayerdown');
    assert.equal(l.up, false);
    assert.equal(l.speedBytes, 10_000 * 125_000);
  });

  it('takes operstate unknown with a carrier as up (lo), without speed', async () => {
    const l = await link('lo');
    assert.equal(l?.operstate, 'unknown');
    assert.equal(l.up, true);
    assert.equal(l.speedBytes, undefined);
    assert.equal(l.mtu, 65536);
  });

  it('says a missing interface is missing', async () => {
    assert.equal(await readLinkFiles(tree, 'eth9'), undefined);
    assert.equal(await readLinkFiles(tree, '..'), undefined);
    assert.equal(await readLinkFiles(tree, 'a/b'), undefined);
  });

  it('maps read errors: EINVAL carrier is no carrier, speed -1 is none', () => {
    const l = mapLink({
      operstate: 'up',
      carrier: { error: 'EINVAL' },
      speed: '-1',
      mtu: '9000',
      carrier_changes: { error: 'EIO' },
    });
    assert.equal(l.up, false);
    assert.equal(l.speedBytes, undefined);
    assert.equal(l.mtu, 9000);
    assert.equal(l.carrierChanges, undefined);
    assert.equal(mapLink({ operstate: 'dormant', carrier: '1' }).up, false);
  });
});

describe('the interface holding an address', () => {
  it('reads /proc/net/if_inet6 (recorded)', () => {
    const text = readFileSync(new URL('./testdata/if_inet6-netns.txt', import.meta.url), 'utf8');
    assert.equal(interfaceHoldingV6(text, '2001:db8:1::1'), 'eth1');
    assert.equal(interfaceHoldingV6(text, '2001:DB8:0001:0000::1'), 'eth1');
    assert.equal(interfaceHoldingV6(text, '2001:db8:1::2'), undefined);
  });

  it('reads os.networkInterfaces()', () => {
    const base = { netmask: '', mac: '', internal: false, cidr: null };
    const full = {
      lo: [{ ...base, address: '127.0.0.1', family: 'IPv4' as const }],
      eth1: [
        { ...base, address: 'fe80::1', family: 'IPv6' as const, scopeid: 2 },
        { ...base, address: '10.0.0.100', family: 'IPv4' as const },
      ],
    };
    assert.equal(interfaceHoldingV4(full, '10.0.0.100'), 'eth1');
    assert.equal(interfaceHoldingV4(full, '10.0.0.101'), undefined);
  });
});
