/**
 * End to end: the VIP conflict probe (patrol_ha_vip_conflict). Two hosts as network namespaces
 * joined by a veth link (a: va 192.0.2.1, b: vb 192.0.2.2), both configured with the VIP
 * 192.0.2.100 (an IP conflict: IPv4 has no duplicate address detection in the kernel). patrol
 * runs in a with role source vip, so it holds the VIP, and probes it with the real iputils arping
 * every second:
 *
 * - conflict, and the MAC that answered is b's veth MAC as b's /sys/class/net/vb/address says;
 * - the VIP removed from b: none;
 * - unknown without the privilege: a second patrol in a with CAP_NET_RAW out of its capability
 *   bounding set and no_new_privs, as the unit runs without its VIP conflict drop-in
 *   (NoNewPrivileges=yes, CapabilityBoundingSet= empty). arping's file capability
 *   (cap_net_raw=ep) cannot be granted then, so its exec fails with EPERM, for root as for any
 *   user: the exporter keeps root's uid so that it can read a checkout in a directory only root
 *   may enter (CI clones into mktemp -d). (no_new_privs alone is not enough on every kernel: the
 *   test machine's 6.18 grants file capabilities under it. A missing arping, the other way to
 *   get unknown, is covered by the unit tests.)
 *
 * Needs root, util-linux (unshare, nsenter, setpriv), iproute2 and iputils-arping. Everything it
 * starts stops by itself (test/harness/netns.ts).
 */
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { test } from 'node:test';
import { startLinksPair } from '../harness/ha-links-env.ts';
import { findSamples } from '../harness/metrics.ts';
import { withOwnSysfs } from '../harness/netns.ts';
import { notYet } from '../harness/wait.ts';

const PORT = 9872;
/** The unprivileged exporter's port, in the same namespace. */
const PORT_NO_NET_RAW = 9873;
const CLUSTER = 'vip';
const VIP = '192.0.2.100';

test('the VIP conflict probe: conflict with the other holder’s MAC, none, unknown without CAP_NET_RAW', async (t) => {
  const env = await startLinksPair(t, {
    test: 'the VIP conflict test',
    tools: [['arping', '-V']],
    prefix: 'patrol-ha-vip-',
    a: { ifname: 'va', address: '192.0.2.1/24' },
    b: { ifname: 'vb', address: '192.0.2.2/24' },
  });
  const { nsA, nsB, elapsed } = env;
  chmodSync(env.root, 0o755); // the unprivileged exporter reads its config here
  await nsA.exec('ip', ['addr', 'add', `${VIP}/24`, 'dev', 'va']);
  await nsB.exec('ip', ['addr', 'add', `${VIP}/24`, 'dev', 'vb']);
  const bMac = await nsB.run(...withOwnSysfs(['cat', '/sys/class/net/vb/address']));
  assert.equal(bMac.code, 0, `b's MAC: ${bMac.stderr}`);
  const macOfB = bMac.stdout.trim();
  assert.match(macOfB, /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);

  const config = (name: string) =>
    env.writeHaConfig(
      name,
      {
        enabled: true,
        cluster: CLUSTER,
        node: 'a',
        // b runs no exporter: its heartbeat fails, which does not matter here.
        peers: [{ name: 'b', url: `http://192.0.2.2:${PORT}` }],
        interval: '500ms',
        timeout: '200ms',
        role: { source: 'vip', address: VIP },
        links: { vip_conflict_interval: '1s', arping: '/usr/bin/arping' },
      },
      0o644,
    );
  const start = (name: string, port: number, privileges: readonly string[]) =>
    env.startExporter({ ns: nsA, name, port, config: config(name), privileges });
  const [, unprivileged] = await Promise.all([
    start('root', PORT, []),
    start('no-net-raw', PORT_NO_NET_RAW, [
      'setpriv',
      '--inh-caps=-all',
      '--bounding-set=-net_raw',
      '--no-new-privs',
    ]),
  ]);
  t.diagnostic(`both exporters started after ${elapsed()}`);

  /** The VIP's state (the series at 1) and the MACs, as a's exporter on `port` reports them. */
  const observe = async (port: number) => {
    const res = await nsA.fetch(`http://127.0.0.1:${port}/metrics`, { timeoutMs: 5_000 });
    assert.equal(res.status, 200, `GET /metrics: ${res.status} ${res.text}`);
    const labels = { cluster: CLUSTER, vip: VIP };
    return {
      role: findSamples(res.text, 'patrol_ha_role', { cluster: CLUSTER })
        .filter((s) => s.value === 1)
        .map((s) => s.labels.role)
        .join(','),
      state: findSamples(res.text, 'patrol_ha_vip_conflict', labels)
        .filter((s) => s.value === 1)
        .map((s) => s.labels.state)
        .join(','),
      macs: findSamples(res.text, 'patrol_ha_vip_conflict_mac_info', labels)
        .map((s) => s.labels.mac)
        .join(','),
    };
  };
  const expect = async (what: string, port: number, want: { state: string; macs: string }) => {
    await env.waitSeen(
      what,
      async () => {
        const got = await observe(port);
        try {
          assert.deepEqual(got, { role: 'primary', ...want });
        } catch {
          return notYet(JSON.stringify(got));
        }
        return got;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
  };

  await expect('conflict: b holds the VIP too', PORT, { state: 'conflict', macs: macOfB });
  await expect('unknown: no CAP_NET_RAW', PORT_NO_NET_RAW, { state: 'unknown', macs: '' });
  const why = await unprivileged.waitForOutput(/cannot probe the VIP[^\n]*/, 5_000);
  t.diagnostic(`the unprivileged exporter logged: ${why[0]}`);
  assert.match(why[0], /EPERM/);

  await nsB.exec('ip', ['addr', 'del', `${VIP}/24`, 'dev', 'vb']);
  await expect('none: the VIP removed from b', PORT, { state: 'none', macs: '' });
  t.diagnostic(`done after ${elapsed()}`);
});
