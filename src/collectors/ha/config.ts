import { z } from 'zod';
import { collectorBase, duration, secretFile } from '../../config/fields.ts';

/** The shared secret's minimum length: short ones can be guessed offline from one signed answer. */
export const SECRET_MIN_LENGTH = 16;

const NAME = /^[a-zA-Z0-9_][a-zA-Z0-9_.:-]*$/;

/** A Linux interface name as /sys/class/net lists it: at most 15 bytes, no slash or space. */
const interfaceName = () =>
  z
    .string()
    .regex(
      /^(?!\.{1,2}$)[^/\s:]{1,15}$/,
      'an interface name (at most 15 characters, no / : or space)',
    );

const peer = z.strictObject({
  name: z
    .string()
    .regex(NAME, 'letters, digits and _.:- only')
    .meta({
      description: 'The peer node as its own `node` says (the `peer` label).',
      examples: ['dciuap2'],
    }),
  url: z
    .url({ protocol: /^https?$/, error: 'an http:// or https:// URL of the peer exporter' })
    .meta({
      description: "The peer exporter's base URL; its heartbeat is at /ha/heartbeat.",
      examples: ['http://10.0.0.2:9872'],
    }),
  interface: interfaceName()
    .optional()
    .meta({
      description:
        "The local interface that carries traffic to this peer (links). Default: the one the main routing table picks for the URL's host (resolved with the system resolver). Set it where policy routing or another table decides.",
      examples: ['eth1'],
    }),
});

const links = z
  .strictObject({
    enabled: z.boolean().default(true).meta({
      description:
        "Watch the pair's links from /sys/class/net (up, operstate, speed, MTU, carrier changes, errors, drops, bond slaves) and locate each peer's fault (patrol_ha_peer_fault).",
      default: true,
    }),
    interfaces: z
      .array(interfaceName())
      .default([])
      .meta({
        description:
          'More interfaces to watch by name, besides the ones towards the peers and the VIP (a dedicated heartbeat or mirror NIC). One that does not exist is reported with patrol_ha_link_present 0.',
        default: [],
        examples: [['eth2', 'bond0']],
      }),
    vip_conflict: z.boolean().default(true).meta({
      description:
        "While this node holds the VIP (role source vip), probe for another machine answering ARP for it (patrol_ha_vip_conflict) with `arping -D` on the VIP's interface, in the background. Needs iputils' arping and CAP_NET_RAW: Debian's iputils-arping carries it as a file capability, which a service whose capability bounding set lacks CAP_NET_RAW cannot use (the shipped unit does not; its drop-in deploy/patrol.service.d/vip-conflict.conf grants it: AmbientCapabilities=CAP_NET_RAW, and AF_PACKET and AF_NETLINK in RestrictAddressFamilies). Without them the state is unknown and the reason logged once. IPv4 only (ARP): an IPv6 VIP is unknown.",
      default: true,
    }),
    vip_conflict_interval: duration(
      '30s',
      'How often the VIP conflict probe runs while this node holds the VIP (one at a time; each takes up to 3 s when nobody answers).',
      '1s',
    ),
    arping: z
      .string()
      .min(1)
      .default('arping')
      .meta({
        description:
          "iputils' arping (package iputils-arping): a path, or a name searched in PATH. Thomas Habets' arping (package arping) answers differently and is reported unknown.",
        default: 'arping',
        examples: ['/usr/bin/arping'],
      }),
  })
  .prefault({})
  .meta({
    description:
      "This node's links: the interface towards each peer (routing table or the peer's interface), the one holding the VIP (role source vip) and links.interfaces; and the VIP conflict probe.",
  });

const role = z
  .discriminatedUnion('source', [
    z.strictObject({
      source: z.literal('static'),
      value: z.enum(['primary', 'standby']),
    }),
    z.strictObject({
      source: z.literal('vip'),
      address: z.union([z.ipv4(), z.ipv6()]).meta({
        description: 'The virtual IP: primary while a local interface holds it.',
      }),
    }),
    z.strictObject({
      source: z.literal('file'),
      path: z.string().regex(/^\//, 'must be an absolute path'),
    }),
    z.strictObject({
      source: z.literal('command'),
      command: z.array(z.string()).min(1, 'the program and its arguments'),
      timeout: duration('5s', 'How long the command may run.'),
    }),
  ])
  .optional()
  .meta({
    examples: [{ source: 'vip', address: '10.0.0.100' }],
    description:
      'How this node knows its role (absent: unknown, heartbeat only): static (value), vip (primary while a local interface holds address), file (its content: primary or standby; also master/slave, active/passive), command (exit 0 and output primary|standby, or just exit 0 = primary, 1 = standby). Anything else, or an error, is unknown.',
  });
export type RoleConfig = z.output<typeof role>;

const dataset = z.strictObject({
  name: z.string().regex(NAME, 'letters, digits and _.:- only').meta({
    description: 'The `dataset` label.',
  }),
  path: z.string().regex(/^\//, 'must be an absolute path').meta({
    description: 'The mirrored directory, at the same path on both nodes.',
  }),
  include: z.array(z.string().min(1)).default([]).meta({
    description:
      'Glob patterns of the files the mirror copies (none: every file). A pattern without a slash matches the file name at any depth (`*.dat`), one with a slash the path inside the dataset (`db/**`). Applies to the divergence compare.',
    default: [],
  }),
  exclude: z
    .array(z.string().min(1))
    .default([])
    .meta({
      description:
        'Glob patterns of files and directories the mirror leaves out (`*.tmp`, `cache`), matched like include. Applies to the divergence compare.',
      default: [],
      examples: [['*.tmp', '*.swp', 'cache']],
    }),
  compare: z
    .strictObject({
      enabled: z.boolean().default(true).meta({
        description:
          "Compare the standby's copy with the primary's manifest (file names, sizes and mtimes; never contents). Needs secret_file: the manifest is served to signed requests only.",
        default: true,
      }),
      interval: duration(
        '1m',
        'How often each node walks its copy: the standby compares, the primary refreshes the manifest it serves and counts the bytes changed since its last walk.',
        '1s',
      ),
      mode: z.enum(['size_and_mtime', 'size']).default('size_and_mtime').meta({
        description:
          'size_and_mtime: a copy differs when its size or modification time (to the nanosecond) differs, as for rsync -a and lsyncd. size: only sizes, for mirror software that does not keep modification times (writes replayed on the standby, FAT targets).',
        default: 'size_and_mtime',
      }),
      mtime_resolution: z.enum(['ns', 'us', 'ms', 's']).default('ns').meta({
        description:
          'How precisely the mirror keeps modification times (size_and_mtime): times closer than this are equal. ns for rsync -a, lsyncd and cp -a; us or ms for tools that copy them with utimes() or to the millisecond; s for whole seconds. Must be the same on both nodes.',
        default: 'ns',
      }),
      max_entries_per_second: z.int().min(0).default(50_000).meta({
        description:
          'I/O budget of one walk: files and directories examined per second (0: unlimited). 100,000 files take about 2 s at the default.',
        default: 50_000,
      }),
    })
    .prefault({}),
  canary: z
    .strictObject({
      // At least 1 s: rsync (under lsyncd and most mirror scripts) skips a file whose size and
      // whole-second mtime did not change, so faster canaries of the same length go unshipped.
      interval: duration(
        '5s',
        'How often the primary writes the canary (at least 1s: rsync-based mirrors compare mtimes to the second).',
        '1s',
      ),
      file: z
        .string()
        .regex(/^[^/]+$/, 'a file name inside the dataset, without a slash')
        .default('.patrol-canary')
        .meta({
          description: 'The canary file, inside the dataset (so the mirror copies it).',
          default: '.patrol-canary',
        }),
      mode: z.enum(['rename', 'in_place']).default('rename').meta({
        description:
          'How the primary writes it: rename (a temporary file renamed over it, atomic) or in_place (rewritten in place, for mirror software that ships modifications but not renames).',
        default: 'rename',
      }),
    })
    .prefault({}),
});
export type DatasetConfig = z.output<typeof dataset>;

export const haConfig = z
  .strictObject({
    ...collectorBase({ enabled: false, timeout: '2s' }),
    cluster: z.string().regex(NAME, 'letters, digits and _.:- only').default('ha').meta({
      description: 'The pair (the `cluster` label): the same on both nodes.',
      default: 'ha',
    }),
    node: z.string().regex(NAME, 'letters, digits and _.:- only').optional().meta({
      description: "This node's name, as the peers list it. Default: the host name.",
    }),
    peers: z
      .array(peer)
      .default([])
      .meta({
        description: 'The other nodes of the pair.',
        default: [],
        examples: [[{ name: 'dciuap2', url: 'http://10.0.0.2:9872' }]],
      }),
    interval: duration('5s', 'How often each peer is asked for its heartbeat.', '100ms'),
    // Replaces collectorBase's scrape timeout on purpose (the issue's `timeout`): a scrape of this
    // collector only reads memory, so one duration is enough for both.
    timeout: duration(
      '2s',
      "How long a heartbeat may take before it counts as failed (also this collector's scrape timeout; a scrape only reads memory).",
      '10ms',
    ),
    failure_threshold: z.int().min(1).max(100).default(3).meta({
      description:
        'Heartbeats in a row that must fail before a peer is reported down (patrol_ha_peer_up 0).',
      default: 3,
    }),
    secret_file: secretFile(
      'A file holding a secret shared by the pair (at least 16 characters, not readable by every user). When set, heartbeat requests and answers are signed with it (HMAC-SHA256 over a fresh nonce) and anyone without it gets 401 and nothing else. Without it, use TLS with client certificates in the web config.',
      SECRET_MIN_LENGTH,
    ),
    role,
    links,
    datasets: z
      .array(dataset)
      .default([])
      .meta({
        description:
          "Directories the mirror software copies from the primary to the standby. Each gets a canary that measures replication lag end to end, and the standby compares its copy with the primary's manifest (divergence).",
        default: [],
        examples: [[{ name: 'iuap-data', path: '/data/iuap' }]],
      }),
  })
  .superRefine((c, ctx) => {
    const names = new Set<string>();
    c.datasets.forEach((d, i) => {
      if (names.has(d.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['datasets', i, 'name'],
          message: `duplicate dataset name ${JSON.stringify(d.name)}`,
        });
      }
      names.add(d.name);
    });
    if (c.secret_file === undefined) {
      c.datasets.forEach((d, i) => {
        if (!d.compare.enabled) return;
        ctx.addIssue({
          code: 'custom',
          path: ['datasets', i, 'compare', 'enabled'],
          message:
            'comparing copies needs secret_file: the manifest lists file names and is served to signed requests only (or set enabled: false)',
        });
      });
    }
    if (c.enabled && c.peers.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['peers'], message: 'list the other node of the pair' });
    }
    if (c.timeout >= c.interval) {
      ctx.addIssue({
        code: 'custom',
        path: ['timeout'],
        message: 'must be shorter than interval (one heartbeat at a time per peer)',
      });
    }
  })
  .meta({
    description:
      'Hot-standby pairs (checklist H2, H6): heartbeat between the nodes, roles, failovers, split brain.',
  });

export type HaConfig = z.output<typeof haConfig>;
