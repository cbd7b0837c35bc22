import { z } from 'zod';
import { checkNamedDeadlines, collectorBase, duration, secretFile } from '../../config/fields.ts';
import { parseHostPort, tlsConfig } from '../probes/config.ts';
import { ENGINES, type Engine } from './metrics.ts';

/** Group and server names: label values, so short and free of spaces. */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;
/** A table, optionally schema-qualified: interpolated into SQL, so plain identifiers only. */
const TABLE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/** Where patrol keeps its own heartbeat when none is named. */
export const DEFAULT_HEARTBEAT_TABLE: Readonly<Record<Exclude<Engine, 'redis'>, string>> = {
  postgres: 'patrol_heartbeat',
  mysql: 'patrol.heartbeat',
};
export const redisHeartbeatKey = (group: string) => `patrol:heartbeat:${group}`;

const server = z
  .strictObject({
    name: z
      .string()
      .regex(NAME, 'letters, digits, _ . : -, no spaces')
      .optional()
      .meta({
        description: 'The `server` label (default: the target).',
        examples: ['db-a'],
      }),
    target: z
      .string()
      .refine((t) => parseHostPort(t) !== undefined, 'must be host:port or [ipv6]:port')
      .meta({ description: 'Where the server listens.', examples: ['10.0.0.11:3306'] }),
  })
  .meta({ description: 'One server of a replication group.' });

const heartbeat = z
  .strictObject({
    write: z.boolean().default(false).meta({
      description:
        'patrol writes the heartbeat on the primary itself, every interval (its user needs to create and update the table or key; the table is created if absent). false: read a heartbeat another writer keeps (pt-heartbeat, the application, another patrol).',
      default: false,
    }),
    interval: duration(
      '1s',
      'How often the heartbeat is written. A healthy replica reads a lag below this plus its replication delay.',
      '100ms',
    ),
    table: z.string().regex(TABLE, 'a table name, optionally schema.table').optional().meta({
      description:
        'PostgreSQL and MySQL: the heartbeat table, columns (id, ts): id text/VARCHAR(64) primary key, ts timestamptz/TIMESTAMP(6) (default patrol_heartbeat in PostgreSQL, patrol.heartbeat in MySQL/MariaDB).',
    }),
    id: z.string().min(1).max(64).optional().meta({
      description: "The heartbeat's row id (default: the group's name).",
    }),
    key: z.string().min(1).optional().meta({
      description:
        "Redis: the key holding the heartbeat, the primary's time as Unix seconds with decimals (default patrol:heartbeat:<group>).",
    }),
    query: z.string().min(1).optional().meta({
      description:
        "PostgreSQL and MySQL, read-only: a SELECT whose first column is the heartbeat's time in Unix seconds, for a heartbeat kept in another shape (pt-heartbeat: SELECT UNIX_TIMESTAMP(ts) FROM percona.heartbeat WHERE server_id = 1, with pt-heartbeat --utc).",
    }),
  })
  .meta({
    description:
      "Lag by heartbeat (pt-heartbeat's method, the one that survives partitions): the primary's time written on the primary, read back on each replica.",
  });

const group = z
  .strictObject({
    name: z
      .string()
      .regex(NAME, 'letters, digits, _ . : -, no spaces')
      .meta({
        description: 'The `group` label: which database this is.',
        examples: ['orders-db'],
      }),
    engine: z.enum(ENGINES).meta({
      description:
        'redis, postgres (PostgreSQL 10 and later) or mysql (MySQL 5.7 and later, MariaDB 10.2 and later).',
    }),
    primary: server,
    replicas: z.array(server).min(1).meta({ description: 'Its replicas.' }),
    expected_replicas: z.int().min(0).optional().meta({
      description:
        'How many replicas the primary should see connected (default: the number of replicas listed).',
    }),
    user: z.string().min(1).optional().meta({
      description:
        'PostgreSQL role (default postgres; needs pg_monitor), MySQL user (required; needs REPLICATION CLIENT and PROCESS, and SLAVE MONITOR on MariaDB 10.5 and later), Redis ACL user (default: the default user).',
    }),
    password_file: secretFile(
      'File holding the password of every server in the group; unset: none.',
    ),
    database: z.string().min(1).optional().meta({
      description:
        'PostgreSQL: the database to connect to and keep the heartbeat in (default postgres).',
    }),
    tls: z.boolean().default(false).meta({
      description: 'Redis and PostgreSQL: connect with TLS.',
      default: false,
    }),
    tls_config: tlsConfig.prefault({}),
    timeout: duration(
      '3s',
      "Deadline of reading one server: connecting and its queries. Cut there, its connection is closed and it counts as failed. Must be shorter than the collector's timeout.",
      '10ms',
    ),
    heartbeat: heartbeat.optional(),
  })
  .superRefine((g, ctx) => {
    const names = new Set<string>();
    [g.primary, ...g.replicas].forEach((s, i) => {
      const name = s.name ?? s.target;
      if (names.has(name)) {
        ctx.addIssue({
          code: 'custom',
          path: i === 0 ? ['primary'] : ['replicas', i - 1],
          message: `server ${JSON.stringify(name)} appears twice in the group`,
        });
      }
      names.add(name);
    });
    if (g.engine === 'mysql' && g.user === undefined) {
      ctx.addIssue({ code: 'custom', path: ['user'], message: 'mysql needs a user' });
    }
    if (g.engine === 'mysql' && g.tls) {
      ctx.addIssue({
        code: 'custom',
        path: ['tls'],
        message: 'TLS is not supported for mysql yet',
      });
    }
    if (g.engine !== 'postgres' && g.database !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['database'], message: 'only for postgres' });
    }
    const hb = g.heartbeat;
    if (hb === undefined) return;
    if (g.engine === 'redis') {
      for (const k of ['table', 'query'] as const) {
        if (hb[k] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['heartbeat', k],
            message: 'not for redis (use key)',
          });
        }
      }
    } else if (hb.key !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['heartbeat', 'key'], message: 'only for redis' });
    }
    if (hb.query !== undefined && (hb.write || hb.table !== undefined || hb.id !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['heartbeat', 'query'],
        message: 'a heartbeat query is read-only: it goes without write, table and id',
      });
    }
  })
  .meta({ description: 'A primary and its replicas.' });

export type GroupConfig = z.output<typeof group>;
export type ServerConfig = z.output<typeof server>;

export const dbReplicationConfig = z
  .strictObject({
    ...collectorBase({ enabled: true, timeout: '9s' }),
    groups: z
      .array(group)
      .default([])
      .meta({
        description: 'The replicated databases to check (none by default).',
        default: [],
        examples: [
          [
            {
              name: 'platform-mysql',
              engine: 'mysql',
              primary: { name: 'mysql-a', target: '10.0.0.11:3306' },
              replicas: [{ name: 'mysql-b', target: '10.0.0.12:3306' }],
              user: 'patrol',
              password_file: '/etc/patrol/mysql.password',
              heartbeat: { write: true },
            },
          ],
        ],
      }),
  })
  .superRefine((c, ctx) => {
    checkNamedDeadlines(ctx, c.groups, {
      list: 'groups',
      entry: 'group',
      collector: 'db_replication',
      timeout: c.timeout,
      target: 'server',
    });
  })
  .meta({
    description:
      'Database replication (checklist H7): Redis, PostgreSQL and MySQL/MariaDB replicas, their link, their lag by heartbeat (never 0 while replication is broken) and by their own view, and the replicas each primary sees.',
  });

export type DbReplicationConfig = z.output<typeof dbReplicationConfig>;

/** A server's `server` label. */
export const serverName = (s: ServerConfig): string => s.name ?? s.target;

/** A group as written in the configuration file (before defaults). */
export type GroupInput = z.input<typeof group>;
