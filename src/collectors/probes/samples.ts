import { addInfo, addStateSet, type MetricSink } from '../../core/metrics.ts';
import { addOutcome } from '../../core/outcomes.ts';
import type { ProbeConfig } from './config.ts';
import { PHASES, probeFamilies as f, RABBITMQ_ALARMS } from './metrics.ts';
import type { ProbeResult } from './outcome.ts';

/**
 * One probe's series from its last result. Every series a probe of its module and settings can
 * have is written whether it succeeded or not (0 when not reached), so an unreachable target
 * is a 0 and never a gap; only facts that were never seen (no certificate was presented) are
 * left out.
 */
export function writeProbe(sink: MetricSink, p: ProbeConfig, r: ProbeResult, stuck: boolean): void {
  const labels = { probe: p.name, module: p.module, target: p.target };
  addOutcome(sink, f, labels, { ok: r.ok, seconds: r.seconds });
  addStateSet(sink, f.failure, labels, r.reason);
  sink.add(f.slowThreshold, labels, p.slow_threshold / 1000);
  for (const phase of PHASES[p.module]) {
    sink.add(f.phase, { ...labels, phase }, r.phases.get(phase) ?? 0);
  }
  sink.add(f.stuck, labels, stuck ? 1 : 0);
  const usesTls =
    p.module === 'http'
      ? p.target.startsWith('https:')
      : p.module === 'tcp' || p.module === 'redis' || p.module === 'rabbitmq'
        ? p.tls
        : false;
  if (p.module === 'http') {
    sink.add(f.httpStatus, labels, r.facts.httpStatus ?? 0);
    sink.add(f.httpRedirects, labels, r.facts.redirects ?? 0);
  }
  const tls = r.facts.tls;
  if (usesTls || tls !== undefined) sink.add(f.tlsVerified, labels, tls?.verified === true ? 1 : 0);
  if (tls !== undefined) {
    if (tls.leafNotAfter !== undefined) {
      sink.add(f.certNotAfter, { ...labels, cert: 'leaf' }, tls.leafNotAfter);
    }
    if (tls.earliestNotAfter !== undefined) {
      sink.add(f.certNotAfter, { ...labels, cert: 'earliest' }, tls.earliestNotAfter);
    }
    if (tls.version !== undefined) addInfo(sink, f.tlsVersion, { ...labels, version: tls.version });
  }
  const redis = r.facts.redis;
  if (redis !== undefined) {
    addStateSet(sink, f.redisRole, labels, redis.role);
    if (redis.connectedSlaves !== undefined) {
      sink.add(f.redisConnectedSlaves, labels, redis.connectedSlaves);
    }
    if (redis.masterLinkUp !== undefined) sink.add(f.redisMasterLinkUp, labels, redis.masterLinkUp);
  }
  if (r.facts.postgresInRecovery !== undefined) {
    sink.add(f.postgresInRecovery, labels, r.facts.postgresInRecovery);
  }
  if (r.facts.mysqlReadOnly !== undefined) sink.add(f.mysqlReadOnly, labels, r.facts.mysqlReadOnly);
  if (p.module === 'rabbitmq' && p.management_url !== undefined) {
    const alarms = r.facts.rabbitmqAlarms;
    // Unknown (the API did not answer) is no series rather than a reassuring 0.
    if (alarms !== undefined) {
      for (const resource of RABBITMQ_ALARMS) {
        sink.add(f.rabbitmqAlarm, { ...labels, resource }, alarms.has(resource) ? 1 : 0);
      }
    }
  }
  const nginx = r.facts.nginx;
  if (nginx !== undefined) {
    sink.add(f.nginxConnections, { ...labels, state: 'active' }, nginx.active);
    sink.add(f.nginxConnections, { ...labels, state: 'reading' }, nginx.reading);
    sink.add(f.nginxConnections, { ...labels, state: 'writing' }, nginx.writing);
    sink.add(f.nginxConnections, { ...labels, state: 'waiting' }, nginx.waiting);
    sink.add(f.nginxAccepted, labels, nginx.accepted);
    sink.add(f.nginxHandled, labels, nginx.handled);
    sink.add(f.nginxRequests, labels, nginx.requests);
  }
}
