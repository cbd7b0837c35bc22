/**
 * The links of a pair, read at each scrape (a few reads of kernel memory under /proc/net and
 * /sys/class/net, no subprocess): which interface carries traffic to each peer, the VIP's
 * interface, the configured ones; their state, bonds' slaves, and where a peer's fault lies.
 * Peer host names are resolved in the background (at start, then again when a scrape finds the
 * last answer older than RESOLVE_EVERY_MS), never during a scrape.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { join } from 'node:path';
import { describeError } from '../../../core/errors.ts';
import { HOST_PATHS, inSysfs, procSelf, type HostPaths } from '../../../core/host-paths.ts';
import type { LogOnce } from '../../../core/log-once.ts';
import { addInfo, addStateSet, type MetricSink } from '../../../core/metrics.ts';
import type { HaConfig } from '../config.ts';
import { interfaceHoldingV4, interfaceHoldingV6 } from './addresses.ts';
import { parseBonding } from './bonding.ts';
import type { PeerLink } from '../heartbeat.ts';
import { locateFault, type LinkView } from './fault.ts';
import { linkFamilies as f, type LinkRole } from './metrics.ts';
import { lookupRoute, parseAddress, parseRoutes4, parseRoutes6, type Route } from './routes.ts';
import { mapLink, readLinkFiles, type LinkState } from './sysfs.ts';
import { VipConflictWatch, type runArping } from './vip-conflict.ts';

export const RESOLVE_EVERY_MS = 60_000;

/** Where the links are read from: the system's, or a recorded tree in tests. */
export interface LinkSources {
  /** /sys/class/net */
  readonly sysClassNet: string;
  /** /proc/net: route, ipv6_route, if_inet6, bonding/ */
  readonly procNet: string;
  readonly networkInterfaces: () => NodeJS.Dict<NetworkInterfaceInfo[]>;
  /** The system resolver: a host name's first address. */
  readonly resolve: (host: string) => Promise<string>;
  /** Monotonic ms. */
  readonly monoNow: () => number;
}

/**
 * The system's sources under --path.sysfs and --path.procfs. In a container these show the
 * network namespace patrol runs in: the host's links need the host's (docker --network=host).
 */
export function hostSources(host: HostPaths = HOST_PATHS): LinkSources {
  return {
    sysClassNet: inSysfs(host, 'class/net'),
    // /proc/net is a symlink to it; the unit's ProcSubset=pid hides the symlink, not the target.
    procNet: procSelf(host, 'net'),
    networkInterfaces,
    resolve: async (name) => (await dnsLookup(name)).address,
    monoNow: () => performance.now(),
  };
}

export const systemSources: LinkSources = hostSources();

/**
 * The interface to report for a target found through the routing table. The kernel removes the
 * routes through an interface set administratively down, so the lookup then answers another
 * interface (the default route's) or none: the interface found before is kept while it is down
 * or missing, and a route that really moved is followed once the old link is up again.
 */
export function chooseInterface(
  learned: string | undefined,
  found: string | undefined,
  learnedUp: boolean,
): string | undefined {
  if (found === undefined || learned === undefined || found === learned) return found ?? learned;
  return learnedUp ? found : learned;
}

interface PeerTarget {
  readonly name: string;
  readonly host: string;
  readonly override: string | undefined;
  address: string | undefined;
  resolvedAt: number | undefined;
  resolving: boolean;
  learned: string | undefined;
}

/** What the links know of the rest of the collector. */
export interface HaLinksOptions {
  /** Whether this node holds the VIP now (its role, when the role comes from the VIP). */
  readonly holdsVip?: () => boolean;
  /** Replaces the arping run of the VIP conflict probe (tests). */
  readonly runArping?: typeof runArping | undefined;
}

/** One read of the links: every watched interface's state, why it is watched, each peer's. */
interface Survey {
  readonly states: ReadonlyMap<string, LinkState | undefined>;
  readonly roles: ReadonlyMap<string, readonly { role: LinkRole; peer: string }[]>;
  readonly peers: readonly { name: string; iface: string | undefined; link: LinkView }[];
}

export class HaLinks {
  readonly #cfg: HaConfig;
  readonly #src: LinkSources;
  readonly #logOnce: LogOnce | undefined;
  readonly #peers: PeerTarget[];
  #vipLearned: string | undefined;
  readonly #vipConflict: VipConflictWatch | undefined;
  #stopped = false;

  constructor(
    cfg: HaConfig,
    src: LinkSources = systemSources,
    logOnce?: LogOnce,
    opts: HaLinksOptions = {},
  ) {
    this.#cfg = cfg;
    this.#src = src;
    this.#logOnce = logOnce;
    const vip = cfg.role?.source === 'vip' ? cfg.role.address : undefined;
    if (vip !== undefined && cfg.links.vip_conflict && opts.holdsVip !== undefined) {
      this.#vipConflict = new VipConflictWatch({
        cluster: cfg.cluster,
        vip,
        arping: cfg.links.arping,
        intervalMs: cfg.links.vip_conflict_interval,
        holdsVip: opts.holdsVip,
        // Held, so listed by networkInterfaces() unless its link lost the carrier (then the
        // interface found at the last scrape: arping there fails or hears nothing).
        vipInterface: () =>
          (vip.includes(':')
            ? undefined
            : interfaceHoldingV4(this.#src.networkInterfaces(), vip)) ?? this.#vipLearned,
        logOnce,
        run: opts.runArping,
      });
    }
    this.#peers = cfg.peers.map((p) => {
      const host = new URL(p.url).hostname.replace(/^\[(.*)\]$/, '$1');
      const literal = parseAddress(host) !== undefined;
      return {
        name: p.name,
        host,
        override: p.interface,
        address: literal ? host : undefined,
        resolvedAt: undefined,
        resolving: false,
        learned: undefined,
      };
    });
  }

  /** Starts resolving the peers' host names (not waited for). */
  start(): void {
    for (const p of this.#peers) this.#resolve(p);
    this.#vipConflict?.start();
  }

  stop(): void {
    this.#stopped = true;
    this.#vipConflict?.stop();
  }

  #resolve(p: PeerTarget): void {
    if (p.override !== undefined || parseAddress(p.host) !== undefined || p.resolving) return;
    if (p.resolvedAt !== undefined && this.#src.monoNow() - p.resolvedAt < RESOLVE_EVERY_MS) {
      return;
    }
    p.resolving = true;
    const key = `link peer ${p.name}`;
    this.#src.resolve(p.host).then(
      (address) => {
        p.resolving = false;
        if (this.#stopped) return;
        p.address = address;
        p.resolvedAt = this.#src.monoNow();
        this.#logOnce?.recover(key, 'peer host name resolves again', { peer: p.name });
      },
      (err: unknown) => {
        p.resolving = false;
        if (this.#stopped) return;
        // Tried again at the next scrape after RESOLVE_EVERY_MS; the last address is kept.
        p.resolvedAt = this.#src.monoNow();
        this.#logOnce?.fail(
          key,
          describeError(err),
          'cannot resolve the peer’s host name: its link is found from the last address, if any',
          { cluster: this.#cfg.cluster, peer: p.name, host: p.host, error: describeError(err) },
        );
      },
    );
  }

  async #text(path: string): Promise<string> {
    return readFile(join(this.#src.procNet, path), 'utf8').catch(() => '');
  }

  /**
   * This node's link towards each peer, for its heartbeat answers (peers without a known
   * interface are left out; a missing interface is down).
   */
  async ownLinks(): Promise<Record<string, PeerLink>> {
    const out: Record<string, PeerLink> = {};
    for (const p of (await this.#survey()).peers) {
      if (p.iface === undefined) continue;
      Object.defineProperty(out, p.name, {
        value: { interface: p.iface, up: p.link === 'up' },
        enumerable: true,
      });
    }
    return out;
  }

  /**
   * Reads the links now and writes their series, each peer's fault location (with the peer's
   * own report of its link towards this node, when its heartbeat carries one) and the VIP
   * conflict probe's last answer.
   */
  async collect(
    sink: MetricSink,
    peerUp: (peer: string) => boolean,
    peerLinkUp: (peer: string) => boolean | undefined = () => undefined,
  ): Promise<void> {
    const { cluster } = this.#cfg;
    const { states, roles, peers } = await this.#survey();
    for (const p of peers) {
      const where = locateFault({
        link: p.link,
        peerUp: peerUp(p.name),
        peerLinkUp: peerLinkUp(p.name),
      });
      addStateSet(sink, f.peerFault, { cluster, peer: p.name }, where);
    }
    this.#vipConflict?.collect(sink);
    await Promise.all(
      [...roles].map(async ([iface, why]) => {
        for (const r of why) addInfo(sink, f.linkInfo, { cluster, interface: iface, ...r });
        const s = states.get(iface);
        const labels = { cluster, interface: iface };
        sink.add(f.linkPresent, labels, s === undefined ? 0 : 1);
        if (s === undefined) return;
        emitLink(sink, labels, s);
        const bond = await this.#text(join('bonding', iface));
        if (bond === '') return;
        const b = parseBonding(bond);
        sink.add(f.bondSlaves, labels, b.slaves.length);
        for (const sl of b.slaves) {
          sink.add(f.bondSlaveUp, { ...labels, slave: sl.name }, sl.up ? 1 : 0);
          if (sl.linkFailures !== undefined) {
            sink.add(f.bondSlaveFailures, { ...labels, slave: sl.name }, sl.linkFailures);
          }
        }
        if (b.activeSlave !== undefined) {
          addInfo(sink, f.bondActiveSlave, { ...labels, slave: b.activeSlave });
        }
      }),
    );
  }

  /** Reads the routing tables and the watched interfaces, and learns each peer's interface. */
  async #survey(): Promise<Survey> {
    for (const p of this.#peers) this.#resolve(p);
    const needRoutes = this.#peers.some((p) => p.override === undefined);
    const vip = this.#cfg.role?.source === 'vip' ? this.#cfg.role.address : undefined;
    const [route4, route6, ifInet6] = await Promise.all([
      needRoutes || vip !== undefined ? this.#text('route') : '',
      needRoutes || vip !== undefined ? this.#text('ipv6_route') : '',
      vip?.includes(':') === true ? this.#text('if_inet6') : '',
    ]);
    const routes: Route[] = [...parseRoutes4(route4), ...parseRoutes6(route6)];
    const routeTo = (address: string | undefined) =>
      address === undefined ? undefined : lookupRoute(routes, address)?.iface;

    // Candidates first, then every interface they or the remembered ones name is read once.
    const peerFound = this.#peers.map((p) => p.override ?? routeTo(p.address));
    let vipFound: string | undefined;
    if (vip !== undefined) {
      vipFound = vip.includes(':')
        ? interfaceHoldingV6(ifInet6, vip)
        : interfaceHoldingV4(this.#src.networkInterfaces(), vip);
      // Not held (the standby), or on a link without carrier (hidden by networkInterfaces):
      // the interface the VIP's subnet is routed to.
      vipFound ??= routeTo(vip);
    }
    const names = new Set<string>(this.#cfg.links.interfaces);
    for (const n of [
      ...peerFound,
      vipFound,
      this.#vipLearned,
      ...this.#peers.map((p) => p.learned),
    ])
      if (n !== undefined) names.add(n);
    const states = new Map<string, LinkState | undefined>();
    await Promise.all(
      [...names].map(async (n) => {
        const raw = await readLinkFiles(this.#src.sysClassNet, n);
        states.set(n, raw === undefined ? undefined : mapLink(raw));
      }),
    );
    const isUpNow = (n: string | undefined) => n !== undefined && states.get(n)?.up === true;

    // What each interface is watched for.
    const roles = new Map<string, { role: LinkRole; peer: string }[]>();
    const watch = (n: string, role: LinkRole, peer = '') => {
      const list = roles.get(n) ?? [];
      if (!list.some((r) => r.role === role && r.peer === peer)) list.push({ role, peer });
      roles.set(n, list);
    };
    for (const n of this.#cfg.links.interfaces) watch(n, 'configured');
    if (vip !== undefined) {
      this.#vipLearned = chooseInterface(this.#vipLearned, vipFound, isUpNow(this.#vipLearned));
      if (this.#vipLearned !== undefined) watch(this.#vipLearned, 'vip');
    }
    const peers = this.#peers.map((p, i) => {
      p.learned = p.override ?? chooseInterface(p.learned, peerFound[i], isUpNow(p.learned));
      let link: LinkView = 'not_found';
      if (p.learned !== undefined) {
        watch(p.learned, 'peer', p.name);
        const s = states.get(p.learned);
        link = s === undefined ? 'missing' : s.up ? 'up' : 'down';
      }
      return { name: p.name, iface: p.learned, link };
    });
    return { states, roles, peers };
  }
}

function emitLink(
  sink: MetricSink,
  labels: { cluster: string; interface: string },
  s: LinkState,
): void {
  sink.add(f.linkUp, labels, s.up ? 1 : 0);
  addStateSet(sink, f.linkOperstate, labels, s.operstate);
  const optional = [
    [f.linkSpeed, s.speedBytes],
    [f.linkMtu, s.mtu],
    [f.linkCarrierChanges, s.carrierChanges],
    [f.linkReceiveErrors, s.rxErrors],
    [f.linkTransmitErrors, s.txErrors],
    [f.linkReceiveDrop, s.rxDropped],
    [f.linkTransmitDrop, s.txDropped],
  ] as const;
  for (const [fam, v] of optional) if (v !== undefined) sink.add(fam, labels, v);
}
