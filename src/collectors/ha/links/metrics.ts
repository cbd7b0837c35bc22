/** The links of a pair (links/): families as data, spread into the HA collector's. */
import { family, info, stateSet } from '../../../core/metrics.ts';
import { FAULT_WHERE } from './fault.ts';
import { OPERSTATES } from './sysfs.ts';

/** The VIP duplicate-address check's outcomes (patrol_ha_vip_conflict). */
export const VIP_CONFLICT_STATES = ['none', 'conflict', 'unknown'] as const;
export type VipConflictState = (typeof VIP_CONFLICT_STATES)[number];

/** What an interface is watched for (patrol_ha_link_info's `role`). */
export const LINK_ROLES = ['peer', 'vip', 'configured'] as const;
export type LinkRole = (typeof LINK_ROLES)[number];

const link = ['cluster', 'interface'] as const;

export const linkFamilies = {
  linkInfo: info({
    name: 'patrol_ha_link_info',
    help: 'Why an interface is watched: role peer (it carries traffic to the peer named in `peer`: from the routing table or the peer’s configured interface), vip (it holds, or would hold, the virtual IP), configured (listed in links.interfaces). Also for an interface that does not exist.',
    labels: ['cluster', 'interface', 'role', 'peer'],
  }),
  linkPresent: family({
    name: 'patrol_ha_link_present',
    help: 'Whether the watched interface exists (1) or not (0: configured or found, but absent from /sys/class/net; no other patrol_ha_link_* series then).',
    type: 'gauge',
    labels: link,
  }),
  linkUp: family({
    name: 'patrol_ha_link_up',
    help: 'Whether the link is operational: carrier present and operstate up (or unknown, which the kernel documents as usable: lo, tun).',
    type: 'gauge',
    labels: link,
  }),
  linkOperstate: stateSet({
    name: 'patrol_ha_link_operstate',
    help: 'The interface’s operational state (/sys/class/net/<if>/operstate), one series per state, 1 for the current one.',
    labels: ['cluster', 'interface', 'state'],
    stateLabel: 'state',
    states: OPERSTATES,
  }),
  linkSpeed: family({
    name: 'patrol_ha_link_speed_bytes',
    help: 'The link’s speed in bytes per second (node_network_speed_bytes: Mb/s x 125000); absent while the kernel does not know it (down, or no speed: lo, some virtual NICs).',
    type: 'gauge',
    labels: link,
  }),
  linkMtu: family({
    name: 'patrol_ha_link_mtu_bytes',
    help: 'The interface’s MTU.',
    type: 'gauge',
    labels: link,
  }),
  linkCarrierChanges: family({
    name: 'patrol_ha_link_carrier_changes_total',
    help: 'Carrier changes of the interface since it was created (each down and each up is one: a flapping cable).',
    type: 'counter',
    labels: link,
  }),
  linkReceiveErrors: family({
    name: 'patrol_ha_link_receive_errors_total',
    help: 'Receive errors (statistics/rx_errors).',
    type: 'counter',
    labels: link,
  }),
  linkTransmitErrors: family({
    name: 'patrol_ha_link_transmit_errors_total',
    help: 'Transmit errors (statistics/tx_errors).',
    type: 'counter',
    labels: link,
  }),
  linkReceiveDrop: family({
    name: 'patrol_ha_link_receive_drop_total',
    help: 'Received packets dropped (statistics/rx_dropped).',
    type: 'counter',
    labels: link,
  }),
  linkTransmitDrop: family({
    name: 'patrol_ha_link_transmit_drop_total',
    help: 'Packets dropped on transmit (statistics/tx_dropped).',
    type: 'counter',
    labels: link,
  }),
  bondSlaves: family({
    name: 'patrol_ha_link_bond_slaves',
    help: 'Slaves of the bond (/proc/net/bonding/<bond>); only for watched interfaces that are bonds.',
    type: 'gauge',
    labels: link,
  }),
  bondSlaveUp: family({
    name: 'patrol_ha_link_bond_slave_up',
    help: 'Whether the bond’s slave has its link (MII status up).',
    type: 'gauge',
    labels: ['cluster', 'interface', 'slave'],
  }),
  bondSlaveFailures: family({
    name: 'patrol_ha_link_bond_slave_link_failures_total',
    help: 'Link failures of the bond’s slave counted by the bonding driver.',
    type: 'counter',
    labels: ['cluster', 'interface', 'slave'],
  }),
  bondActiveSlave: info({
    name: 'patrol_ha_link_bond_active_slave_info',
    help: 'The bond’s currently active slave (active-backup, balance-tlb/alb); absent when it has none.',
    labels: ['cluster', 'interface', 'slave'],
  }),
  peerFault: stateSet({
    name: 'patrol_ha_peer_fault',
    help: 'Where the fault between this node and the peer lies, one series per place, 1 for the current one: none (the peer answers, our link is up), local_link (this node’s interface to the peer is down or missing), peer_or_network (our link is up, the peer does not answer: the peer or the switch), peer_link (the peer’s last heartbeat says its own link towards this node is down), unknown (no interface is known for the peer and it does not answer).',
    labels: ['cluster', 'peer', 'where'],
    stateLabel: 'where',
    states: FAULT_WHERE,
  }),
  vipConflict: stateSet({
    name: 'patrol_ha_vip_conflict',
    help: 'While this node holds the VIP (role source vip): whether another machine answers ARP for it, one series per state, 1 for the current one: none (no other answer to a duplicate-address probe), conflict (another MAC answers: an IP conflict, traffic for the VIP goes astray), unknown (the probe could not run: it needs iputils’ arping and CAP_NET_RAW; always for an IPv6 VIP, ARP being IPv4 only). Probed with arping -D every links.vip_conflict_interval in the background. Absent while this node does not hold the VIP, and until its first probe.',
    labels: ['cluster', 'vip', 'state'],
    stateLabel: 'state',
    states: VIP_CONFLICT_STATES,
  }),
  vipConflictMac: info({
    name: 'patrol_ha_vip_conflict_mac_info',
    help: 'The MAC address that answered ARP for the VIP held by this node, while there is a conflict (at most a few: the first answers of the probe).',
    labels: ['cluster', 'vip', 'mac'],
  }),
} as const;
