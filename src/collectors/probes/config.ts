import { isIP } from 'node:net';
import { PRESET_NAMES } from './presets.ts';
import { z } from 'zod';
import {
  checkNamedDeadlines,
  collectorBase,
  duration,
  optionalDuration,
  regexText,
  secretFile,
} from '../../config/fields.ts';

/** A probe's name: the `probe` label, so short and free of spaces. */
const PROBE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;

/** `host:port`, `[v6]:port`: where a TCP probe connects. */
export function parseHostPort(text: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  if (m === null) return undefined;
  const host = (m[1] ?? m[2]) as string;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  if (m[1] !== undefined && isIP(host) !== 6) return undefined;
  return { host, port };
}

export const tlsConfig = z
  .strictObject({
    ca_file: z.string().regex(/^\//, 'must be an absolute path').optional().meta({
      description:
        "CA certificates (PEM) to verify the server with, instead of the system's (a private CA).",
    }),
    cert_file: z
      .string()
      .regex(/^\//, 'must be an absolute path')
      .optional()
      .meta({ description: 'Client certificate (PEM), for servers that ask for one.' }),
    key_file: secretFile("The client certificate's private key (PEM)."),
    server_name: z.string().min(1).optional().meta({
      description:
        "The name to ask for (SNI) and to check the certificate against (default: the target's host).",
    }),
    insecure_skip_verify: z.boolean().default(false).meta({
      description:
        'Count the probe as successful even when the certificate cannot be verified. Its expiry and patrol_probe_tls_verified are exported either way.',
      default: false,
    }),
  })
  .refine((t) => (t.cert_file === undefined) === (t.key_file === undefined), {
    message: 'cert_file and key_file go together',
    path: ['cert_file'],
  })
  .meta({ description: 'TLS settings of a probe.' });

export type ProbeTlsConfig = z.output<typeof tlsConfig>;

const common = {
  name: z
    .string()
    .regex(PROBE_NAME, 'letters, digits, _ . : -, no spaces')
    .meta({
      description: 'The `probe` label: what the service is (nginx, licence-server, redis-main).',
      examples: ['nginx'],
    }),
  timeout: duration(
    '5s',
    "Deadline of one probe: resolving, connecting, the handshake and the answer. Cut there, its connection destroyed, it counts as failed with reason timeout. Must be shorter than the collector's timeout.",
    '10ms',
  ),
  slow_threshold: duration(
    '1s',
    "Above this the probe counts as slow (exported as patrol_probe_slow_threshold_seconds, which the PatrolProbeSlow alert compares with the probe's duration).",
  ),
  interval: optionalDuration(
    'Probe in the background at this interval instead of on every scrape (slow or expensive targets); a scrape reports the last result. Unset: probed on each scrape, as blackbox_exporter does.',
    '1s',
  ),
};

const queryStep = z
  .strictObject({
    expect: regexText()
      .optional()
      .meta({
        description: 'Wait until what the server has sent (since the last match) matches this.',
        examples: ['^220 ', '^\\+PONG'],
      }),
    send: z.string().optional().meta({
      description: 'Then send this (write \\r\\n in a double-quoted YAML string for a line end).',
    }),
  })
  .refine((s) => s.expect !== undefined || s.send !== undefined, {
    message: 'a step needs expect, send, or both',
  });

const tcpProbe = z
  .strictObject({
    ...common,
    module: z.literal('tcp').meta({ description: 'Connect (and optionally talk) over TCP.' }),
    target: z
      .string()
      .refine((t) => parseHostPort(t) !== undefined, 'must be host:port or [ipv6]:port')
      .meta({ description: 'Where to connect.', examples: ['licence.plant.local:27000'] }),
    tls: z.boolean().default(false).meta({
      description: 'Do a TLS handshake after connecting.',
      default: false,
    }),
    tls_config: tlsConfig.prefault({}),
    query_response: z.array(queryStep).default([]).meta({
      description:
        "Steps of a line protocol after connecting (blackbox_exporter's query_response): each waits for its `expect`, then writes its `send`. A step that does not see its expectation fails the probe with reason protocol.",
      default: [],
    }),
  })
  .meta({ description: 'A TCP probe.' });

/** HTTP status codes: a list of codes, or empty for any 2xx. */
const statusCodes = z
  .array(z.int().min(100).max(599))
  .default([])
  .meta({ description: 'Status codes that count as success (empty: 200-299).', default: [] });

const httpProbe = z
  .strictObject({
    ...common,
    module: z.literal('http').meta({ description: 'An HTTP(S) request.' }),
    target: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .meta({ description: 'The URL to request.', examples: ['http://127.0.0.1/health'] }),
    method: z
      .enum(['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS'])
      .default('GET')
      .meta({ description: 'Request method.', default: 'GET' }),
    headers: z
      .record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a header name'), z.string())
      .default({})
      .meta({ description: 'Request headers.', default: {} }),
    body: z.string().optional().meta({ description: 'Request body.' }),
    valid_status_codes: statusCodes,
    body_regex: regexText()
      .optional()
      .meta({ description: 'The body must match this (fail_if_body_not_matches_regexp).' }),
    body_not_regex: regexText()
      .optional()
      .meta({ description: 'The body must not match this (fail_if_body_matches_regexp).' }),
    basic_auth: z
      .strictObject({
        username: z.string().min(1),
        password_file: secretFile('File holding the password.'),
      })
      .optional()
      .meta({ description: 'Basic authentication; the password is read from a file.' }),
    bearer_token_file: secretFile('File holding a bearer token for the Authorization header.'),
    follow_redirects: z.boolean().default(true).meta({
      description: "Follow up to 10 redirects; the status code is the last answer's.",
      default: true,
    }),
    max_body_bytes: z
      .int()
      .min(0)
      .max(64 * 1024 * 1024)
      .default(1024 * 1024)
      .meta({
        description:
          'Read at most this much of the body; a longer body fails with reason protocol.',
        default: 1024 * 1024,
      }),
    tls_config: tlsConfig.prefault({}),
    stub_status: z.boolean().default(false).meta({
      description:
        "The target is nginx's stub_status page: export its connection and request counts (patrol_probe_nginx_*).",
      default: false,
    }),
  })
  .refine((p) => !(p.basic_auth !== undefined && p.bearer_token_file !== undefined), {
    message: 'basic_auth and bearer_token_file cannot both be set',
    path: ['bearer_token_file'],
  })
  .refine((p) => p.basic_auth === undefined || p.basic_auth.password_file !== undefined, {
    message: 'basic_auth needs a password_file',
    path: ['basic_auth', 'password_file'],
  })
  .meta({ description: 'An HTTP probe.' });

const hostPort = (example: string) =>
  z
    .string()
    .refine((t) => parseHostPort(t) !== undefined, 'must be host:port or [ipv6]:port')
    .meta({ description: 'Where the server listens.', examples: [example] });

const redisProbe = z
  .strictObject({
    ...common,
    module: z.literal('redis').meta({ description: 'Redis: AUTH, PING, INFO replication.' }),
    target: hostPort('127.0.0.1:6379'),
    username: z.string().min(1).optional().meta({
      description: 'ACL user for AUTH (Redis 6 and later); unset: the default user.',
    }),
    password_file: secretFile('File holding the password for AUTH; unset: no AUTH.'),
    tls: z.boolean().default(false).meta({ description: 'Connect with TLS.', default: false }),
    tls_config: tlsConfig.prefault({}),
  })
  .meta({ description: 'A Redis probe.' });

const postgresProbe = z
  .strictObject({
    ...common,
    module: z.literal('postgres').meta({
      description: 'PostgreSQL: connect, authenticate, SELECT pg_is_in_recovery().',
    }),
    target: hostPort('127.0.0.1:5432'),
    user: z
      .string()
      .min(1)
      .default('postgres')
      .meta({ description: 'Role to log in as.', default: 'postgres' }),
    database: z
      .string()
      .min(1)
      .default('postgres')
      .meta({ description: 'Database to connect to.', default: 'postgres' }),
    password_file: secretFile(
      'File holding the password; unset: none (trust or peer authentication).',
    ),
    tls: z.boolean().default(false).meta({
      description:
        "Ask for TLS (the protocol's SSLRequest) and verify the server's certificate per tls_config.",
      default: false,
    }),
    tls_config: tlsConfig.prefault({}),
  })
  .meta({ description: 'A PostgreSQL probe.' });

const mysqlProbe = z
  .strictObject({
    ...common,
    module: z.literal('mysql').meta({
      description: 'MySQL or MariaDB: connect, authenticate, SELECT @@read_only.',
    }),
    target: hostPort('127.0.0.1:3306'),
    user: z.string().min(1).meta({ description: 'User to log in as (needs no privilege).' }),
    password_file: secretFile('File holding the password; unset: none.'),
    database: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'Database to select (unset: none).' }),
  })
  .meta({ description: 'A MySQL or MariaDB probe.' });

const rabbitmqProbe = z
  .strictObject({
    ...common,
    module: z.literal('rabbitmq').meta({
      description:
        "RabbitMQ: open an AMQP 0-9-1 connection with credentials; optionally ask the management API's alarms health check.",
    }),
    target: hostPort('127.0.0.1:5672'),
    user: z.string().min(1).default('guest').meta({ description: 'AMQP user.', default: 'guest' }),
    password_file: secretFile("File holding the user's password (unset: guest's default, guest)."),
    vhost: z.string().default('/').meta({ description: 'Virtual host to open.', default: '/' }),
    tls: z.boolean().default(false).meta({ description: 'AMQPS (TLS).', default: false }),
    tls_config: tlsConfig.prefault({}),
    management_url: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .optional()
      .meta({
        description:
          'The management API (e.g. http://127.0.0.1:15672): also GET /api/health/checks/alarms with the same user. A memory or disk alarm (which blocks every publisher) fails the probe at once, where /api/nodes lags by seconds.',
        examples: ['http://127.0.0.1:15672'],
      }),
  })
  .meta({ description: 'A RabbitMQ probe.' });

const probe = z.discriminatedUnion('module', [
  rabbitmqProbe,
  tcpProbe,
  httpProbe,
  redisProbe,
  postgresProbe,
  mysqlProbe,
]);

export type TcpProbe = z.output<typeof tcpProbe>;
export type HttpProbe = z.output<typeof httpProbe>;
export type RedisProbe = z.output<typeof redisProbe>;
export type PostgresProbe = z.output<typeof postgresProbe>;
export type MysqlProbe = z.output<typeof mysqlProbe>;
export type RabbitmqProbe = z.output<typeof rabbitmqProbe>;
export type ProbeConfig = z.output<typeof probe>;
/** Parses one probe (a preset's) with the defaults of the schema. */
export const parseProbe = (raw: object): ProbeConfig => probe.parse(raw);
export type ProbeModule = ProbeConfig['module'];

export const probesConfig = z
  .strictObject({
    // 9 s: answered before Prometheus' default scrape_timeout of 10 s gives up on the scrape.
    ...collectorBase({ enabled: true, timeout: '9s' }),
    max_in_flight: z.int().min(1).max(1000).default(32).meta({
      description:
        'Probes running at once, across scrapes and background probes. Probes beyond it wait; a scrape reports those it could not start before its deadline as failed (timeout).',
      default: 32,
    }),
    presets: z
      .array(z.enum(PRESET_NAMES))
      .default([])
      .meta({
        description:
          "Probes of a known set of services. iuap-middleware: nginx (http://127.0.0.1:80/, any answer below 500), redis (127.0.0.1:6379), rabbitmq (127.0.0.1:5672 and its management API on 15672, as guest), mysql (TCP 127.0.0.1:3306). A probe in `probes` with the same name replaces the preset's (to give Redis a password_file, MySQL a user).",
        default: [],
        examples: [['iuap-middleware']],
      }),
    probes: z
      .array(probe)
      .default([])
      .meta({
        description: 'The services to probe (none by default).',
        default: [],
        examples: [
          [
            {
              name: 'nginx',
              module: 'http',
              target: 'http://127.0.0.1/nginx_status',
              stub_status: true,
            },
            { name: 'licence-server', module: 'tcp', target: 'licence.plant.local:27000' },
          ],
        ],
      }),
  })
  .superRefine((c, ctx) => {
    checkNamedDeadlines(ctx, c.probes, {
      list: 'probes',
      entry: 'probe',
      collector: 'probes',
      timeout: c.timeout,
      target: 'target',
    });
  })
  .meta({
    description:
      "Is each service up, and how fast does it answer (checklist C7): TCP and HTTP(S) probes in blackbox_exporter's shape, certificate expiry kept even when verification fails.",
  });

export type ProbesConfig = z.output<typeof probesConfig>;
