import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { SampleBuffer } from '../../../core/metrics.ts';
import { haConfig } from '../config.ts';
import { HaLinks, hostSources, systemSources, type LinkSources } from './watch.ts';

const testdata = fileURLToPath(new URL('./testdata', import.meta.url));
const proc = mkdtempSync(join(tmpdir(), 'patrol-ha-links-'));
after(() => {
  rmSync(proc, { recursive: true, force: true });
});
/** /proc/net as recorded: eth1's routes present, or removed with eth1 set down. */
const tables = (eth1: 'up' | 'down') => {
  const suffix = eth1 === 'up' ? '' : '-eth1-down';
  copyFileSync(join(testdata, `route-netns${suffix}.txt`), join(proc, 'route'));
  copyFileSync(join(testdata, `ipv6_route-netns${suffix}.txt`), join(proc, 'ipv6_route'));
};
mkdirSync(join(proc, 'bonding'));
copyFileSync(join(testdata, 'bonding', 'active-backup.txt'), join(proc, 'bonding', 'eth0'));

let resolved = 0;
const sources: LinkSources = {
  sysClassNet: join(testdata, 'sys-class-net'),
  procNet: proc,
  networkInterfaces: () => ({}),
  resolve: (host) => {
    resolved++;
    return host === 'b.example'
      ? Promise.resolve('10.1.9.9')
      : Promise.reject(new Error('NXDOMAIN'));
  },
  monoNow: () => performance.now(),
};

const cfg = haConfig.parse({
  enabled: true,
  cluster: 'c',
  peers: [
    { name: 'a', url: 'http://10.1.2.50:9872' }, // eth1 (set down in the sysfs tree)
    { name: 'b', url: 'http://b.example:9872' }, // resolves to 10.1.9.9: eth0
    { name: 'c', url: 'http://[2001:db8:1::7]:9872' }, // host route: eth2 (no carrier)
    { name: 'd', url: 'http://10.1.0.9:9872', interface: 'eth7' }, // configured, absent
    { name: 'e', url: 'http://nowhere.example:9872' }, // never resolves
  ],
  role: { source: 'vip', address: '10.1.0.100' },
  links: { interfaces: ['lo', 'hb0'] },
});

async function scrape(
  links: HaLinks,
  up: readonly string[],
  peerLinkUp: (peer: string) => boolean | undefined = () => undefined,
) {
  const buf = new SampleBuffer();
  await links.collect(buf, (p) => up.includes(p), peerLinkUp);
  const get = (name: string, labels: Record<string, string>) =>
    [...buf.families]
      .find(([fam]) => fam.name === name)?.[1]
      .filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  const one = (name: string, labels: Record<string, string>) => {
    const s = get(name, labels) ?? [];
    assert.ok(s.length <= 1, `${name} ${JSON.stringify(labels)}: ${s.length} samples`);
    return s[0]?.value;
  };
  const where = (peer: string) =>
    get('patrol_ha_peer_fault', { peer })?.find((s) => s.value === 1)?.labels.where;
  return { buf, get, one, where };
}

describe('HaLinks on a recorded tree', () => {
  it('finds each peer’s link, the VIP’s and the configured ones, and locates faults', async () => {
    tables('up');
    const links = new HaLinks(cfg, sources);
    links.start();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const s = await scrape(links, ['b']);
    const roles = (s.get('patrol_ha_link_info', {}) ?? []).map(
      (x) => `${x.labels.interface} ${x.labels.role} ${x.labels.peer}`,
    );
    assert.deepEqual(roles.sort(), [
      'eth0 peer b',
      'eth0 vip ',
      'eth1 peer a',
      'eth2 peer c',
      'eth7 peer d',
      'hb0 configured ',
      'lo configured ',
    ]);
    assert.equal(s.where('a'), 'local_link'); // eth1 is down
    assert.equal(s.where('b'), 'none');
    assert.equal(s.where('c'), 'local_link'); // eth2 has no carrier
    assert.equal(s.where('d'), 'local_link'); // eth7 does not exist
    assert.equal(s.where('e'), 'unknown');
    assert.equal(s.one('patrol_ha_link_present', { interface: 'eth7' }), 0);
    assert.equal(s.one('patrol_ha_link_present', { interface: 'hb0' }), 0);
    assert.equal(s.one('patrol_ha_link_up', { interface: 'hb0' }), undefined, 'no other series');
    assert.equal(s.one('patrol_ha_link_up', { interface: 'eth0' }), 1);
    assert.equal(s.one('patrol_ha_link_up', { interface: 'eth1' }), 0);
    assert.equal(s.one('patrol_ha_link_up', { interface: 'lo' }), 1);
    assert.equal(
      s.one('patrol_ha_link_operstate', { interface: 'eth2', state: 'lowerlayerdown' }),
      1,
    );
    assert.equal(s.one('patrol_ha_link_operstate', { interface: 'eth2', state: 'up' }), 0);
    assert.equal(s.one('patrol_ha_link_speed_bytes', { interface: 'eth0' }), 1.25e9);
    assert.equal(s.one('patrol_ha_link_speed_bytes', { interface: 'eth1' }), undefined);
    assert.equal(s.one('patrol_ha_link_carrier_changes_total', { interface: 'eth1' }), 3);
    assert.equal(s.one('patrol_ha_link_mtu_bytes', { interface: 'lo' }), 65536);
    // eth0 has a bonding file in the recorded /proc/net (a bond's view, whatever its name).
    assert.equal(s.one('patrol_ha_link_bond_slaves', { interface: 'eth0' }), 2);
    assert.equal(s.one('patrol_ha_link_bond_slave_up', { interface: 'eth0', slave: 'eth2' }), 0);
    assert.equal(s.one('patrol_ha_link_bond_active_slave_info', { slave: 'eth1' }), 1);
    assert.equal(s.one('patrol_ha_link_bond_slaves', { interface: 'eth1' }), undefined);

    // eth1's routes go with it when it is set down: the lookup now says eth0 (the /16), but the
    // fault is still on eth1.
    tables('down');
    const d = await scrape(links, ['b']);
    assert.equal(d.where('a'), 'local_link');
    assert.equal(d.one('patrol_ha_link_info', { peer: 'a' }), 1);
    assert.equal(d.get('patrol_ha_link_info', { peer: 'a' })?.[0]?.labels.interface, 'eth1');
    const peerDown = await scrape(links, []);
    assert.equal(peerDown.where('b'), 'peer_or_network');
    links.stop();
    assert.equal(resolved, 2, 'each name resolved once (again after RESOLVE_EVERY_MS only)');
  });
});

describe('HaLinks: the heartbeat’s link view', () => {
  it('tells the peers this node’s link to each, and places the fault on the peer’s link', async () => {
    tables('up');
    const links = new HaLinks(cfg, sources);
    links.start();
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(await links.ownLinks(), {
      a: { interface: 'eth1', up: false },
      b: { interface: 'eth0', up: true },
      c: { interface: 'eth2', up: false },
      d: { interface: 'eth7', up: false },
    });
    // b answers and says its link towards us is down: peer_link; a's own link down still wins.
    const s = await scrape(links, ['a', 'b'], (p) => (p === 'e' ? undefined : false));
    assert.equal(s.where('b'), 'peer_link');
    assert.equal(s.where('a'), 'local_link');
    const ok = await scrape(links, ['b'], () => true);
    assert.equal(ok.where('b'), 'none');
    links.stop();
  });
});

describe('link sources', () => {
  it('reads sysfs and procfs where --path.sysfs and --path.procfs say', () => {
    assert.equal(systemSources.sysClassNet, '/sys/class/net');
    assert.equal(systemSources.procNet, '/proc/self/net');
    const moved = hostSources({ rootfs: '/host/root', procfs: '/host/proc', sysfs: '/host/sys' });
    assert.equal(moved.sysClassNet, '/host/sys/class/net');
    assert.equal(moved.procNet, '/host/proc/self/net');
  });
});
