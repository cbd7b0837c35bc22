import { family, info, stateSet } from '../../core/metrics.ts';
import { outcomeFamilies } from '../../core/outcomes.ts';

const labels = ['probe', 'module', 'target'] as const;

/** Why a probe failed, bounded: `none` when it succeeded. */
export const FAILURE_REASONS = [
  'none',
  'refused',
  'timeout',
  'dns',
  'tls',
  'auth',
  'protocol',
  'unexpected_status',
  'other',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** The phases of each module, all exported (0 when not reached) so a series never vanishes. */
export const PHASES = {
  tcp: ['resolve', 'connect', 'tls', 'processing'],
  http: ['resolve', 'connect', 'tls', 'processing', 'transfer'],
  redis: ['resolve', 'connect', 'tls', 'auth', 'query'],
  // pg negotiates TLS inside the protocol: its handshake is part of auth.
  postgres: ['resolve', 'connect', 'auth', 'query'],
  mysql: ['resolve', 'connect', 'auth', 'query'],
  // amqplib owns its socket: connect covers TCP and the AMQP handshake; query is the
  // management API's health check.
  rabbitmq: ['resolve', 'connect', 'query'],
} as const;

/** RabbitMQ's resource alarms (rabbit_alarm): each blocks every publishing connection. */
export const RABBITMQ_ALARMS = ['memory', 'disk'] as const;
export type Phase = (typeof PHASES)[keyof typeof PHASES][number];

// blackbox_exporter's probe_* shapes under patrol_probe_, with the probe's configured name as a
// label since one patrol runs many probes per scrape.
export const probeFamilies = {
  ...outcomeFamilies('probe', labels, 'probe'),
  slowThreshold: family({
    name: 'patrol_probe_slow_threshold_seconds',
    help: "The probe's configured slow_threshold: a duration above it is slow (PatrolProbeSlow).",
    type: 'gauge',
    labels,
  }),
  phase: family({
    name: 'patrol_probe_phase_duration_seconds',
    help: "Time the last probe spent in each phase (blackbox_exporter's probe_http_duration_seconds); summed over redirects; 0 for a phase not reached.",
    type: 'gauge',
    labels: [...labels, 'phase'],
  }),
  failure: stateSet({
    name: 'patrol_probe_failure_reason',
    help: 'Why the last probe failed, one-hot: none (it succeeded), refused, timeout, dns, tls, auth, protocol (an answer that is not what was expected), unexpected_status, other.',
    labels: [...labels, 'reason'],
    stateLabel: 'reason',
    states: FAILURE_REASONS,
  }),
  httpStatus: family({
    name: 'patrol_probe_http_status_code',
    help: 'Status code of the last HTTP answer (after redirects); 0 when there was none.',
    type: 'gauge',
    labels,
  }),
  httpRedirects: family({
    name: 'patrol_probe_http_redirects',
    help: 'Redirects followed by the last HTTP probe.',
    type: 'gauge',
    labels,
  }),
  tlsVerified: family({
    name: 'patrol_probe_tls_verified',
    help: 'Whether the last TLS handshake presented a certificate that verified against the CAs and the name (1), or did not or did not complete (0).',
    type: 'gauge',
    labels,
  }),
  certNotAfter: family({
    name: 'patrol_probe_tls_cert_not_after_timestamp_seconds',
    help: 'Expiry (notAfter, Unix seconds) of the certificate the server presented: cert="leaf", and cert="earliest" for the first to expire in its chain. Exported whether or not verification succeeded, so an expired certificate shows its date.',
    type: 'gauge',
    labels: [...labels, 'cert'],
  }),
  tlsVersion: info({
    name: 'patrol_probe_tls_version_info',
    help: 'The TLS version the last handshake agreed on (TLS 1.2, TLS 1.3).',
    labels: [...labels, 'version'],
  }),
  nginxConnections: family({
    name: 'patrol_probe_nginx_connections',
    help: "nginx stub_status: connections by state (active, reading, writing, waiting), as nginx-prometheus-exporter's nginx_connections_*.",
    type: 'gauge',
    labels: [...labels, 'state'],
  }),
  nginxAccepted: family({
    name: 'patrol_probe_nginx_connections_accepted_total',
    help: 'nginx stub_status: connections accepted since nginx started.',
    type: 'counter',
    labels,
  }),
  nginxHandled: family({
    name: 'patrol_probe_nginx_connections_handled_total',
    help: 'nginx stub_status: connections handled since nginx started (fewer than accepted: a resource limit was hit).',
    type: 'counter',
    labels,
  }),
  nginxRequests: family({
    name: 'patrol_probe_nginx_http_requests_total',
    help: 'nginx stub_status: client requests since nginx started.',
    type: 'counter',
    labels,
  }),
  redisRole: stateSet({
    name: 'patrol_probe_redis_role',
    help: "Redis' replication role from INFO replication, one-hot (redis_exporter's role label): master or slave.",
    labels: [...labels, 'role'],
    stateLabel: 'role',
    states: ['master', 'slave'],
  }),
  redisConnectedSlaves: family({
    name: 'patrol_probe_redis_connected_slaves',
    help: 'Replicas connected to this Redis primary (INFO connected_slaves). A replica whose link timed out is no longer counted.',
    type: 'gauge',
    labels,
  }),
  redisMasterLinkUp: family({
    name: 'patrol_probe_redis_master_link_up',
    help: "On a Redis replica, whether its link to the primary is up (master_link_status). Redis keeps it up until repl-timeout after the primary goes silent: database replication lag is the replication collector's, by heartbeat.",
    type: 'gauge',
    labels,
  }),
  postgresInRecovery: family({
    name: 'patrol_probe_postgres_in_recovery',
    help: 'Whether the PostgreSQL server is a standby in recovery (1) or a primary (0): pg_is_in_recovery().',
    type: 'gauge',
    labels,
  }),
  mysqlReadOnly: family({
    name: 'patrol_probe_mysql_read_only',
    help: 'Whether the MySQL/MariaDB server is read-only (@@read_only 1, as replicas usually are).',
    type: 'gauge',
    labels,
  }),
  rabbitmqAlarm: family({
    name: 'patrol_probe_rabbitmq_alarm',
    help: "Whether RabbitMQ's management API reports this resource alarm in effect (memory, disk): publishers are blocked while it is.",
    type: 'gauge',
    labels: [...labels, 'resource'],
  }),
  stuck: family({
    name: 'patrol_probe_stuck',
    help: 'Whether an attempt of this probe outlived its deadline and has not returned yet (a resolver that does not answer): it is not started again until it does, and reports failure meanwhile.',
    type: 'gauge',
    labels,
  }),
};
