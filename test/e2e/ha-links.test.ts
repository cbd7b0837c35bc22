/**
 * End to end: the links of a pair and where a fault lies. Two real patrol exporters, each in
 * its own network namespace joined by a veth link (a: va 192.0.2.1, b: vb 192.0.2.2), each the
 * other's peer by IP address, so a's link to b is found from a's routing table. Then, from a's
 * side: healthy (link up, fault none), a's own link set down (local_link, while the kernel has
 * removed the route through it), a's link back, b's exporter stopped (peer_or_network), and a's
 * link flapped five times (carrier changes as the kernel counts them), b's link towards a (a
 * second veth pair, which b reaches a through) set down while b still answers over the first:
 * peer_link, from b's heartbeat. Every value is compared with what `ip -j link show` and
 * /sys/class/net say at that moment, not with constants.
 *
 * Needs root, util-linux (unshare, nsenter, setpriv) and iproute2. Nothing outlives the test:
 * the namespaces are held by agents that exit when their stdin closes, and the exporters run
 * under `setpriv --pdeathsig KILL` (test/harness/netns.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startLinksPair } from '../harness/ha-links-env.ts';
import { findSamples, sampleValue } from '../harness/metrics.ts';
import { connect, withOwnSysfs, type NetNs } from '../harness/netns.ts';
import type { ManagedProcess } from '../harness/process.ts';
import { notYet } from '../harness/wait.ts';

const PORT = 9872;
const CLUSTER = 'links';
const INTERVAL_MS = 300;
const THRESHOLD = 2;
/** A configured interface that does not exist. */
const MISSING = 'hb9';
/** a's address on the second link, and b's end of it. */
const A2 = '198.51.100.1';
const B2 = 'vb2';

interface Host {
  readonly name: 'a' | 'b';
  readonly ns: NetNs;
  readonly ifname: string;
  readonly address: string;
  proc: ManagedProcess | undefined;
}

test('the links of a pair and where a fault lies, in two network namespaces', async (t) => {
  const env = await startLinksPair(t, {
    test: 'the links netns test',
    prefix: 'patrol-ha-links-',
    a: { ifname: 'va', address: '192.0.2.1/24' },
    b: { ifname: 'vb', address: '192.0.2.2/24' },
  });
  const { nsA, nsB, elapsed } = env;
  const a: Host = { name: 'a', ns: nsA, ifname: 'va', address: '192.0.2.1', proc: undefined };
  const b: Host = { name: 'b', ns: nsB, ifname: 'vb', address: '192.0.2.2', proc: undefined };
  // A second link, which b reaches a through (b's peer a is a's address on it): b's link
  // towards a can go down while a's towards b (va-vb) carries the heartbeats b answers.
  await connect(
    { ns: a.ns, ifname: 'va2', address: `${A2}/24` },
    { ns: b.ns, ifname: B2, address: '198.51.100.2/24' },
  );

  const startPatrol = async (h: Host, other: Host) => {
    const config = env.writeHaConfig(h.name, {
      enabled: true,
      cluster: CLUSTER,
      node: h.name,
      peers: [
        {
          name: other.name,
          url: `http://${other.name === 'a' ? A2 : other.address}:${PORT}`,
        },
      ],
      interval: `${INTERVAL_MS}ms`,
      timeout: '200ms',
      failure_threshold: THRESHOLD,
      links: { interfaces: [MISSING] },
    });
    h.proc = await env.startExporter({ ns: h.ns, name: h.name, port: PORT, config });
  };
  await startPatrol(a, b);
  await startPatrol(b, a);
  t.diagnostic(`both exporters started after ${elapsed()}`);

  const scrape = async () => {
    const res = await a.ns.fetch(`http://127.0.0.1:${PORT}/metrics`, { timeoutMs: 5_000 });
    assert.equal(res.status, 200, `GET /metrics on a: ${res.status} ${res.text}`);
    return res.text;
  };
  const value = (text: string, name: string, labels: Record<string, string> = {}) =>
    sampleValue(text, name, { cluster: CLUSTER, ...labels });
  const link = (text: string, name: string) => value(text, name, { interface: a.ifname });
  const fault = (text: string) =>
    findSamples(text, 'patrol_ha_peer_fault', { cluster: CLUSTER, peer: 'b' })
      .filter((s) => s.value === 1)
      .map((s) => s.labels.where)
      .join(',');
  /** The kernel's view of a's link: `ip -j link show` and /sys/class/net. */
  const kernel = async () => {
    const [j] = JSON.parse(await a.ns.exec('ip', ['-j', 'link', 'show', a.ifname])) as {
      operstate: string;
      mtu: number;
      flags: string[];
    }[];
    assert.ok(j !== undefined);
    const sys = (f: string) =>
      a.ns.run(...withOwnSysfs(['cat', `/sys/class/net/${a.ifname}/${f}`]));
    const changes = await sys('carrier_changes');
    assert.equal(changes.code, 0, `carrier_changes: ${changes.stderr}`);
    const carrierChanges = Number(changes.stdout);
    const speed = await sys('speed');
    return {
      operstate: j.operstate.toLowerCase(),
      up: j.operstate === 'UP' && j.flags.includes('LOWER_UP'),
      mtu: j.mtu,
      carrierChanges,
      speedBytes:
        speed.code === 0 && Number(speed.stdout) >= 0 ? Number(speed.stdout) * 125_000 : undefined,
    };
  };
  /** Waits until patrol's view of a's link and fault agree with the kernel's and `where`. */
  const expect = (what: string, where: string, linkUp: 0 | 1) =>
    env.waitSeen(
      what,
      async () => {
        const k = await kernel();
        const text = await scrape();
        const got = {
          where: fault(text),
          up: link(text, 'patrol_ha_link_up'),
          operstate: findSamples(text, 'patrol_ha_link_operstate', { interface: a.ifname })
            .filter((s) => s.value === 1)
            .map((s) => s.labels.state)
            .join(','),
          mtu: link(text, 'patrol_ha_link_mtu_bytes'),
          speedBytes: link(text, 'patrol_ha_link_speed_bytes'),
          carrierChanges: link(text, 'patrol_ha_link_carrier_changes_total'),
          present: link(text, 'patrol_ha_link_present'),
          missing: value(text, 'patrol_ha_link_present', { interface: MISSING }),
          role: value(text, 'patrol_ha_link_info', {
            interface: a.ifname,
            role: 'peer',
            peer: 'b',
          }),
        };
        const want = {
          where,
          up: linkUp,
          operstate: k.operstate,
          mtu: k.mtu,
          speedBytes: k.speedBytes,
          carrierChanges: k.carrierChanges,
          present: 1,
          missing: 0,
          role: 1,
        };
        if ((k.up ? 1 : 0) !== linkUp) return notYet(`kernel: ${JSON.stringify(k)}`);
        try {
          assert.deepEqual(got, want);
        } catch {
          return notYet(`patrol ${JSON.stringify(got)} kernel ${JSON.stringify(want)}`);
        }
        return got;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );

  await expect('healthy', 'none', 1);

  // a's own link set down: the kernel drops the route through it (nothing routes to 192.0.2.2
  // now), and the fault stays on the interface that carried it.
  await a.ns.exec('ip', ['link', 'set', a.ifname, 'down']);
  const routes = await a.ns
    .exec('ip', ['-j', 'route', 'get', b.address])
    .catch((e: unknown) => String(e));
  t.diagnostic(`a's route to b with ${a.ifname} down: ${routes.trim()}`);
  await expect(`${a.ifname} set down`, 'local_link', 0);
  await a.ns.exec('ip', ['link', 'set', a.ifname, 'up']);
  await expect(`${a.ifname} up again`, 'none', 1);

  // Five flaps of a's link: each is two carrier changes, as the kernel counts them.
  const before = (await kernel()).carrierChanges;
  const beforePatrol = link(await scrape(), 'patrol_ha_link_carrier_changes_total');
  assert.equal(beforePatrol, before);
  for (let i = 0; i < 5; i++) {
    await a.ns.exec('ip', ['link', 'set', a.ifname, 'down']);
    await a.ns.exec('ip', ['link', 'set', a.ifname, 'up']);
  }
  const flapped = await expect('after 5 flaps', 'none', 1);
  const after = (await kernel()).carrierChanges;
  t.diagnostic(
    `carrier changes: kernel ${before} -> ${after}, patrol ${beforePatrol} -> ${flapped.carrierChanges}`,
  );
  assert.ok(after - before >= 10, `the kernel counted ${after - before} changes for 5 flaps`);
  assert.ok((flapped.carrierChanges ?? 0) - before >= 10);

  // b's link towards a (vb2) down: b still answers a's heartbeats over va-vb and says so.
  await b.ns.exec('ip', ['link', 'set', B2, 'down']);
  await expect(`b’s ${B2} set down (its heartbeat says so)`, 'peer_link', 1);
  await b.ns.exec('ip', ['link', 'set', B2, 'up']);
  await expect(`b’s ${B2} up again`, 'none', 1);

  // b's exporter stopped, a's link up: the peer or the network.
  await b.proc?.kill();
  await expect('b’s exporter stopped', 'peer_or_network', 1);
  t.diagnostic(`done after ${elapsed()}`);
});
