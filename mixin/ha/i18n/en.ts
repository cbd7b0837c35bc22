/**
 * The HA area's words in English, the source language: this table's shape is the type of its
 * translations (zh-CN.ts). With the shared table (mixin/i18n/) and the other areas' it makes the
 * one string table that the rule files and dashboards read.
 */
import type { AreaStrings } from '../../area.ts';

// What a link carries, from its patrol_ha_link_info series (%linkInfo%: a query in the
// template, evaluated when Prometheus renders the alert).
const CARRIES =
  '{{ range %linkInfo% }}{{ if eq (. | label "role") "peer" }} the heartbeat to peer {{ . | label "peer" }};{{ else if eq (. | label "role") "vip" }} the virtual IP;{{ else }} the traffic it is listed for in collectors.ha.links.interfaces;{{ end }}{{ end }}';

// Where the fault between the node and its peer lies, from patrol_ha_peer_fault (%where%).
const WHERE =
  '{{ with %where% }}{{ with . | first | label "where" }}{{ if eq . "local_link" }} This node\'s link {{ $labels.interface }} to the peer is down or missing: check this node\'s cable, NIC and switch port (PatrolHaLinkDown says which).{{ else if eq . "peer_or_network" }} This node\'s link {{ $labels.interface }} is up: check the peer (down, hung, its exporter) or the switch between the two.{{ else if eq . "peer_link" }} The peer reports its own link down: check the peer\'s cable, NIC and switch port.{{ else if eq . "unknown" }} No local interface is known towards the peer (no route to its address): check this node\'s routes and the peer\'s address.{{ end }}{{ end }}{{ end }}';

export const en = {
  alerts: {
    PatrolHaPeerDown: {
      summary: 'A node of an HA pair gets no heartbeat from its peer.',
      description: `Node {{ $labels.node }} ({{ $labels.instance }}) of HA cluster {{ $labels.cluster }} gets no answer to its heartbeats from its peer {{ $labels.peer }} (collectors.ha.failure_threshold failures in a row): the peer host is down or hung, or the network between the two is cut.${WHERE} The mirror between them is probably stopped too, and the mirror software may fail over. patrol_ha_peer_heartbeat_failures_total says why (timeout, refused, unreachable, auth ...).`,
    },
    PatrolHaSplitBrain: {
      summary: 'Split brain: more than one node of an HA pair is primary.',
      description:
        'More than one node of HA cluster {{ $labels.cluster }} (job {{ $labels.job }}) says it is primary: both may hold the virtual IP and take writes, and their copies of the data drift apart with every write. Seen in the roles Prometheus scrapes from the nodes, or by a primary node that hears "primary" in its peer\'s heartbeat.',
    },
    PatrolHaNoPrimary: {
      summary: 'No node of an HA pair is primary: the service it carries is not served.',
      description:
        'No node of HA cluster {{ $labels.cluster }} (job {{ $labels.job }}) that Prometheus scrapes ({{ $value }} of them) says it is primary (standby or unknown), although the roles of this pair were known within the last %memory%: the failover did not happen or failed, or role detection fails. A node of the pair that Prometheus cannot scrape (PatrolExporterDown) may still be primary.',
    },
    PatrolHaFailover: {
      summary: 'A node of an HA pair changed role: check that the failover was wanted.',
      description:
        'Node {{ $labels.node }} ({{ $labels.instance }}) of HA cluster {{ $labels.cluster }} changed between primary and standby within the last %window% and is {{ $labels.role }} now. If nobody switched over on purpose, the mirror software failed over by itself: find out why it gave up the old primary, and whether the new one had all the data.',
    },
    PatrolHaClockSkew: {
      summary: 'The clocks of the nodes of an HA pair disagree.',
      description:
        "The clocks of the nodes of HA cluster {{ $labels.cluster }} (job {{ $labels.job }}) differ by {{ $value | humanizeDuration }}, more than %threshold%, as measured over their heartbeat: NTP or chrony does not keep at least one of them on time. The replication lag figure, and the timestamps of the two nodes' logs against each other, are off by as much.",
    },
    PatrolHaLinkDown: {
      summary: 'A network link of a node of an HA pair is down.',
      description: `Interface {{ $labels.interface }} of node {{ $labels.node }} ({{ $labels.instance }}), HA cluster {{ $labels.cluster }}, {{ if eq $value %missing% }}does not exist (absent from /sys/class/net: renamed, its driver not loaded, the NIC gone){{ else }}is down (no carrier, or its operstate is not up: the cable, the switch port, the NIC, or set down){{ end }}. It carries:${CARRIES} all of it is cut on this node.`,
    },
    PatrolHaLinkFlapping: {
      summary: 'A network link of a node of an HA pair keeps going down and up.',
      description: `The carrier of interface {{ $labels.interface }} of node {{ $labels.node }} ({{ $labels.instance }}), HA cluster {{ $labels.cluster }}, changed {{ $value | humanize }} times within the last %window%, more than %count% (each down and each up counts): a loose or damaged cable, a failing switch port or NIC, or speed and duplex renegotiating. It carries:${CARRIES} every drop can lose heartbeats, stall the mirror and make the mirror software fail over.`,
    },
    PatrolHaLinkErrors: {
      summary: 'A network link of a node of an HA pair has errors or drops packets.',
      description: `Interface {{ $labels.interface }} of node {{ $labels.node }} ({{ $labels.instance }}), HA cluster {{ $labels.cluster }}, {{ if eq $labels.kind "errors" }}counts {{ $value | humanize }} receive and transmit errors a second over the last %window%, more than %errors%: a bad cable or connector, a failing switch port or NIC, a duplex mismatch (a healthy link has none){{ else }}drops {{ $value | humanize }} packets a second over the last %window%, more than %drops%: more traffic than the host takes in (a flood or a broadcast storm, full receive rings), or frames it has no use for{{ end }}. It carries:${CARRIES} heartbeats and the mirror over it slow down or fail.`,
    },
    PatrolHaBondDegraded: {
      summary: 'A bond of a node of an HA pair runs with a slave down.',
      description: `Bond {{ $labels.interface }} of node {{ $labels.node }} ({{ $labels.instance }}), HA cluster {{ $labels.cluster }}, has {{ $value }} of its %slaves% slaves up:{{ range %downSlaves% }} {{ . | label "slave" }} is down;{{ end }} it runs without its redundancy, and the next failure cuts it. It carries:${CARRIES} /proc/net/bonding/{{ $labels.interface }} shows each slave's MII status and link failure count.`,
    },
    PatrolHaVipConflict: {
      summary: 'Another machine answers for the virtual IP of an HA pair: an IP conflict.',
      description: `Node {{ $labels.node }} ({{ $labels.instance }}) of HA cluster {{ $labels.cluster }} holds the virtual IP {{ $labels.vip }}, and another machine answers ARP for it too, from MAC{{ range %macs% }} {{ . | label "mac" }}{{ end }}: an IP conflict. Clients reach whichever answered last, so part of the traffic for the service goes astray. If the MAC is the peer's, both nodes hold the VIP (split brain); otherwise find the machine by its MAC in the switch's address table and take the address off it.`,
    },
    PatrolReplicationLagHigh: {
      summary:
        "The standby's copy of a mirrored dataset is far behind the primary and not catching up.",
      description:
        'The copy of dataset {{ $labels.dataset }} on standby {{ $labels.node }} ({{ $labels.instance }}) of HA cluster {{ $labels.cluster }} is {{ $value | humanizeDuration }} behind the primary, more than %threshold%, and at its trend of the last %window% it will not have caught up %horizon% from now: the mirror ships slower than the primary writes (its throttle, a busy link, a large file ahead in its queue). A failover now loses what the primary wrote in that time.',
    },
    PatrolReplicationStalled: {
      summary: 'The mirror of a dataset to the standby has stalled: its canary does not move.',
      description:
        "The copy of the canary of dataset {{ $labels.dataset }} on standby {{ $labels.node }} ({{ $labels.instance }}) of HA cluster {{ $labels.cluster }} has not changed for %window% or more, or never arrived: the copy is {{ $value | humanizeDuration }} behind and falls a second further behind every second. The mirror ships nothing: its process is stopped or hung, the link between the nodes is cut, the standby cannot write, or the primary's patrol cannot write the canary (patrol_replication_canary_errors_total). A failover now loses everything written since.",
    },
    PatrolReplicationOutOfSync: {
      summary: 'Files of a mirrored dataset differ between the primary and the standby.',
      description:
        '{{ $value }} files of dataset {{ $labels.dataset }} differ between the primary and standby {{ $labels.node }} ({{ $labels.instance }}) of HA cluster {{ $labels.cluster }} (size or modification time), or are missing on the standby, in two compares in a row and for %duration% now: not changes still on their way, but files the mirror skipped or could not write. patrol_replication_out_of_sync_bytes says how much it still has to ship.',
    },
    PatrolReplicationCompareFailing: {
      summary: 'The standby does not compare its copy of a dataset with the primary any more.',
      description:
        "Standby {{ $labels.node }} ({{ $labels.instance }}) of HA cluster {{ $labels.cluster }} has completed no compare of dataset {{ $labels.dataset }} with the primary's manifest for more than %stale%, or never has and its compares fail: the divergence figures of that dataset are out of date or missing. patrol_replication_compare_errors_total says why: local (walking its own copy fails), peer (the primary's manifest cannot be fetched or is refused), no_primary (no peer that answers says it is primary).",
    },
    PatrolReplicationStandbySpaceLow: {
      summary: "The filesystem of the standby's copy of a dataset is almost full.",
      description:
        'The filesystem holding dataset {{ $labels.dataset }} on standby {{ $labels.node }} ({{ $labels.instance }}) of HA cluster {{ $labels.cluster }} has only {{ $value | humanizePercentage }} space left, less than %threshold%. Once it is full the mirror cannot write, and the copy stops following the primary.',
    },
    PatrolReplicationCanaryUnwritable: {
      summary: "The primary's patrol cannot write the replication canary into a dataset.",
      description:
        "Primary {{ $labels.node }} ({{ $labels.instance }}) of HA cluster {{ $labels.cluster }} has failed to write the canary of dataset {{ $labels.dataset }} for %duration% (patrol_replication_canary_write_ok 0), while its HA collector still succeeds. The standby's lag of that dataset grows as if the mirror had stopped, so its lag and stall alerts no longer tell whether the mirror works: a failover would lose whatever the mirror failed to ship, unnoticed. Check on the primary: the patrol unit's ReadWritePaths= must list the dataset's path (ProtectSystem=strict leaves it read-only: EROFS; `systemctl cat patrol`, and patrol's journal names the path); user patrol must be allowed to create the canary file in that directory (EACCES/EPERM: `ls -ld` the path); and the filesystem must not be read-only or full (`findmnt` the path).",
    },
  },
  dashboards: {
    variables: {
      cluster: 'HA cluster',
    },
    /** Texts that replace 0/1 values on the tiles: one word, readable across the room. */
    values: {
      /** A node of a hot-standby pair, and the state of a whole pair. */
      ha: {
        primary: 'PRIMARY',
        standby: 'STANDBY',
        unknown: 'UNKNOWN',
        exporterDown: 'EXPORTER DOWN',
        ok: 'OK',
        splitBrain: 'SPLIT BRAIN',
        noPrimary: 'NO PRIMARY',
        peerDown: 'PEER DOWN',
        notMeasured: 'EXPORTERS DOWN',
        noPairs: 'NO HA PAIRS',
      },
      /** A link of a node of a pair, where a peer's fault lies, a bond's slave, the VIP check. */
      haLink: {
        up: 'UP',
        down: 'DOWN',
        missing: 'MISSING',
        noLinks: 'NO LINKS WATCHED',
        faultNone: 'OK',
        faultLocalLink: "THIS NODE'S LINK",
        faultPeerOrNetwork: 'PEER OR NETWORK',
        faultPeerLink: "PEER'S LINK",
        faultUnknown: 'UNKNOWN',
        noBonds: 'NO BONDS',
        vipNone: 'NONE',
        vipConflict: 'CONFLICT',
        vipUnknown: 'UNKNOWN',
        vipNotHeld: 'VIP NOT HELD',
      },
      /** A dataset mirrored from the primary to the standby: why a figure is missing, its canary. */
      replication: {
        notMeasured: 'NOT MEASURED',
        noDatasets: 'NO DATASETS',
        notCompared: 'NOT COMPARED',
        advancing: 'ADVANCING',
        waiting: 'WAITING',
        stalled: 'STALLED',
        neverArrived: 'NO CANARY',
        written: 'WRITTEN',
        cannotWrite: 'CANNOT WRITE',
      },
    },
    links: {
      ha: 'HA pairs',
      openHa: 'Open the HA pairs dashboard on this cluster',
    },
    overview: {
      rows: {
        ha: 'HA pairs',
      },
      panels: {
        haPairs: {
          title: 'State of each HA pair',
          description:
            'Each hot-standby pair (collectors.ha.cluster), worst first: SPLIT BRAIN (more than one node primary), NO PRIMARY (no node scraped is primary, in a pair whose roles are known), PEER DOWN (a node gets no heartbeat from its peer), else OK. EXPORTERS DOWN: no node of the pair is scraped now. The conditions of the HA alerts, without their wait. Click a pair for its dashboard.',
        },
        replicationLag: {
          title: 'Replication lag, worst dataset of each HA pair',
          description:
            "How far the standby's copy of each pair's most lagging dataset is behind the primary (canary age): green, orange from the limit of PatrolReplicationLagHigh's warning, red from its page. It grows by a second per second while a mirror stands still. NOT MEASURED (red): a dataset of the pair that no standby reports now (standby exporter down, or no node standby). Click a pair for its dashboard.",
        },
        datasetsOutOfSync: {
          title: 'Datasets out of sync',
          description:
            'Datasets whose standby copy has files that differ from the primary or are missing, as its last two compares found them (PatrolReplicationOutOfSync without its wait). Orange from one.',
        },
        haLinksDown: {
          title: 'HA links down',
          description:
            'Links of the nodes of the HA pairs (the interface towards each peer, the one holding the VIP, the ones listed in collectors.ha.links.interfaces) that are down or missing: PatrolHaLinkDown without its wait.',
        },
      },
    },
    ha: {
      title: 'patrol / HA pairs',
      description:
        "Hot-standby pairs (checklist H1-H6: two servers, mirror software between them, a heartbeat and a virtual IP): one row per pair with the role of each node, the heartbeat each way and where its fault lies, its round trip and clock offset, the links of each node (state, carrier changes, errors, bonds, VIP conflict), the failovers of the last day, and for each mirrored dataset the standby's lag, its canary (written by the primary, moving on the standby), the divergence of its copy and the primary's change rate; below, heartbeats and roles over time.",
      rows: {
        pair: 'HA pair $cluster',
        history: 'Heartbeats and roles over time',
      },
      /** Legends of the series that are not told apart by a label. */
      legends: {
        outOfSync: 'out of sync',
        missing: 'missing',
        extra: 'extra',
        receiveErrors: 'receive errors',
        transmitErrors: 'transmit errors',
        receiveDrops: 'receive drops',
        transmitDrops: 'transmit drops',
      },
      panels: {
        roles: {
          title: 'Role of each node',
          description:
            'What each node says it is (collectors.ha.role: virtual IP, file, command or static): PRIMARY green, STANDBY blue, UNKNOWN orange (no role detection configured, or it fails). EXPORTER DOWN: Prometheus cannot scrape the node, shown with the name it last reported; it may still be primary.',
        },
        splitBrain: {
          title: 'Split brain',
          description:
            'SPLIT BRAIN: more than one node of the pair says it is primary (both may take writes and the copies drift apart), counted across the nodes or seen by a primary node in its peer heartbeat. PatrolHaSplitBrain pages when it lasts.',
        },
        failovers: {
          title: 'Failovers (24 h)',
          description:
            'Role changes between primary and standby in the last 24 hours, as the node that changed most counted them (a failover or a switchover changes each node once). Orange from one: check it was wanted.',
        },
        heartbeat: {
          title: 'Heartbeat',
          description:
            'Whether each node gets answers to its heartbeats from each peer (node → peer): DOWN after collectors.ha.failure_threshold failures in a row, or when the peer never answered since this node started. Both directions DOWN: the link is cut or the peer is gone; one: a firewall, a route or the secret.',
        },
        fault: {
          title: 'Where the fault lies',
          description:
            "For each node's heartbeat to each peer (node → peer), where the fault lies: OK (the peer answers, this node's link to it is up), THIS NODE'S LINK (the interface towards the peer is down or missing: this node's cable, NIC or switch port), PEER OR NETWORK (this node's link is up and the peer does not answer: the peer or the switch), PEER'S LINK (the peer reports its own link down), UNKNOWN (no interface is known towards the peer and it does not answer).",
        },
        links: {
          title: 'Links of each node',
          description:
            'Each interface a node watches, with what it carries: peer (the heartbeat to that peer), vip (the virtual IP), configured (collectors.ha.links.interfaces). UP green; DOWN red (no carrier or not operational); MISSING red (configured or found, but no such interface). PatrolHaLinkDown pages on DOWN and MISSING.',
        },
        bondSlaves: {
          title: 'Bond slaves',
          description:
            'Each slave of each watched bond (/proc/net/bonding): UP or DOWN (MII status). A slave DOWN is a bond without its redundancy: PatrolHaBondDegraded warns.',
        },
        vipConflict: {
          title: 'VIP conflict',
          description:
            'On the node holding the virtual IP (role source vip): NONE (no other machine answers ARP for it), CONFLICT red (another MAC answers: an IP conflict, PatrolHaVipConflict pages), UNKNOWN grey (the check cannot run: it needs arping and CAP_NET_RAW). VIP NOT HELD: no node of the pair reports holding it, or the role does not come from a VIP.',
        },
        carrierChanges: {
          title: 'Carrier changes',
          description:
            'Carrier changes of each link (each down and each up is one), node and interface. A link that is fine stays at 0; a staircase is a flapping cable or port: PatrolHaLinkFlapping warns above its limit.',
        },
        linkErrors: {
          title: 'Link errors and drops per second',
          description:
            'Receive and transmit errors (bad cable, port or NIC: a healthy link has none) and drops (more traffic than the host takes in: a flood, full rings) per second, node and interface. PatrolHaLinkErrors warns above its limits.',
        },
        rtt: {
          title: 'Round trip',
          description:
            'Round trip of the last heartbeat that was answered, node → peer, less the time the peer took to answer. A LAN answers in about a millisecond; near collectors.ha.timeout, heartbeats start to fail.',
        },
        clockOffset: {
          title: 'Clock offset',
          description:
            "The peer's clock minus the node's, estimated from the heartbeat as NTP does (error at most half the round trip). Orange beyond the limit of PatrolHaClockSkew, either way: the replication lag figure is off by as much.",
        },
        lastSeen: {
          title: 'Last heartbeat, ago',
          description:
            'Time since each node last got an answer from each peer. A few heartbeat intervals at most while the peer is up; while it is down, how long it has been gone.',
        },
        rolesOverTime: {
          title: 'Roles over time',
          description:
            'The role of each node over the time range, in the colours of the tiles above: a failover is a change of colour on both rows at the same time, a split brain two green rows. Gaps: the exporter did not report.',
        },
        rttOverTime: {
          title: 'Round trip over time',
          description:
            'Round trip of the heartbeat, node → peer. A rising line is a busy or congested link, on which the mirror slows down too.',
        },
        clockOffsetOverTime: {
          title: 'Clock offset over time',
          description:
            "The peer's clock minus the node's. A line that walks away and jumps back is a clock that NTP or chrony steps instead of keeping it on time; the lines at the limit of PatrolHaClockSkew.",
        },
        failuresByReason: {
          title: 'Failed heartbeats per minute, by reason',
          description:
            'timeout (no answer in collectors.ha.timeout), refused (nothing listens: the peer exporter is down), unreachable (no route, reset), auth (the secrets differ), http_status, bad_response (not a patrol heartbeat), wrong_cluster (the peer is configured for another cluster).',
        },
        lag: {
          title: 'Replication lag',
          description:
            "How far the standby's copy of each dataset is behind the primary: the age of the canary the primary writes into it, on the primary's clock (corrected by the measured clock offset). Green, orange from the limit of PatrolReplicationLagHigh's warning, red from its page. It grows by a second per second while the mirror stands still, and counts from the standby's start while no canary has arrived. NOT MEASURED (red): no node is standby now, or its exporter is down.",
        },
        canaryWritten: {
          title: 'Canary written by the primary',
          description:
            "Whether the primary could write the canary into each dataset on its last try (patrol_replication_canary_write_ok): WRITTEN green; CANNOT WRITE red (the dataset is read-only to patrol: ProtectSystem=strict without the dataset's path in ReadWritePaths= fails with EROFS; or permissions, or a read-only or full filesystem). The standby's lag then grows as if the mirror had stopped, and PatrolReplicationCanaryUnwritable pages. NOT MEASURED (red): no node is primary now, its exporter is down, or it has not tried its first write yet.",
        },
        canary: {
          title: 'Canary on the standby',
          description:
            "Whether the standby's copy of the canary moves: ADVANCING (it changed within the stall window), WAITING (none arrived yet since the standby started looking, for less than that window), STALLED (it stopped moving: PatrolReplicationStalled's condition), NO CANARY (none ever arrived for longer than the window: the mirror does not ship the dataset, or not the way the canary is written).",
        },
        standbySpace: {
          title: "Space left under the standby's copy",
          description:
            "Space left on the filesystem that holds each dataset's copy on the standby. Orange below the limit of PatrolReplicationStandbySpaceLow: once it is full, the mirror cannot write.",
        },
        lagOverTime: {
          title: 'Replication lag over time',
          description:
            'The lag of each dataset on the standby (node dataset). A sawtooth up to the canary interval above the mirror delay is healthy; a line rising at 45 degrees is a mirror that ships nothing; a plateau is a mirror that ships but slower than the primary writes.',
        },
        canaryOverTime: {
          title: 'Canary sequence, primary and standby copy',
          description:
            "The canary's sequence number: the primary's last written and the standby's copy. The copy's line follows the primary's a mirror delay behind; a flat copy line under a rising primary line is a stalled mirror. Both restart from 1 when the primary's exporter restarts.",
        },
        filesOff: {
          title: 'Files out of sync or missing',
          description:
            'Files of each dataset that differ between the primary and the standby (size or modification time, or size only with compare mode size) or are missing on the standby, confirmed in two compares in a row: changes still being shipped are not counted. Orange from one. NOT COMPARED: no compare completed yet (the first is running, compare is off, or it fails).',
        },
        bytesToShip: {
          title: 'Bytes still to ship',
          description:
            "The primary's size of the files out of sync and missing on the standby: what the mirror still has to copy for the two to agree.",
        },
        extraFiles: {
          title: 'Extra files on the standby',
          description:
            'Files only on the standby: left behind by a mirror that does not delete (rsync without --delete), or written on the standby by something else. Orange from one; a failover would serve them.',
        },
        lastCompare: {
          title: 'Last compare, ago',
          description:
            "Time since the standby last completed a compare of its copy with the primary's manifest: about the compare interval (collectors.ha.datasets[].compare.interval). Orange from the limit of PatrolReplicationCompareFailing: the divergence figures are out of date; patrol_replication_compare_errors_total says why.",
        },
        divergenceOverTime: {
          title: 'Divergence over time',
          description:
            'Files out of sync, missing and extra on the standby, per dataset, as each compare found them.',
        },
        bytesToShipOverTime: {
          title: 'Bytes still to ship over time',
          description:
            "The primary's size of the files out of sync and missing on the standby. Going down: the mirror catches up; staying up: it skips them.",
        },
        changeRate: {
          title: 'Change rate on the primary',
          description:
            "Bytes of files modified on the primary per second (sizes of the files its walks found changed): what the mirror must ship. Compare it with the mirror's throttle: a change rate above it for long makes the lag grow.",
        },
        datasetSize: {
          title: 'Dataset size on each node',
          description:
            "Bytes of each dataset on each node, as of its last walk: the primary's and the standby's copy side by side. A gap that stays is data the mirror did not copy (or extra files on the standby).",
        },
        peerRestarts: {
          title: 'Peer exporter restarts (time range)',
          description:
            "Times each node saw its peer's patrol restart (a new start id in its heartbeat). Orange from one: a restart also resets the peer's own counters, role changes included.",
        },
      },
    },
  },
} satisfies AreaStrings;

export type HaStrings = typeof en;
