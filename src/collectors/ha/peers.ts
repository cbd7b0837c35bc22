/**
 * Asking the peers: every round, this node's role and each peer's heartbeat (its role, its
 * clock, whether it answers at all).
 */
import { describeError, errorCode } from '../../core/errors.ts';
import { answerSigned, signedGet, type PeerAnswer } from './client.ts';
import { clockSample, parseHeartbeat, type Role } from './heartbeat.ts';
import type { FailureReason } from './metrics.ts';
import { detectRole } from './role.ts';
import type { HaState, PeerState } from './state.ts';

/** One round: this node's role and every peer's heartbeat, alongside each other. */
export async function round(ha: HaState): Promise<void> {
  // Alongside, not before: a slow role command must not delay the heartbeats.
  await Promise.all([updateRole(ha), ...ha.peers.map((p) => probe(ha, p))]);
}

export async function updateRole(ha: HaState): Promise<void> {
  let next: Role;
  try {
    next = await detectRole(ha.cfg.role, ha.procNet);
  } catch (err) {
    ha.log.warn('cannot tell this node’s role', { error: describeError(err) });
    next = 'unknown';
  }
  if (next !== 'unknown') {
    if (ha.lastKnownRole !== undefined && ha.lastKnownRole !== next) {
      ha.roleChanges++;
      ha.roleLastChange = ha.now();
      ha.log.warn('this node’s role changed', {
        cluster: ha.cfg.cluster,
        from: ha.lastKnownRole,
        to: next,
      });
    }
    ha.lastKnownRole = next;
  }
  ha.role = next;
}

function failed(ha: HaState, p: PeerState, reason: FailureReason, detail: string): void {
  p.failures[reason]++;
  p.consecutiveFailures++;
  ha.logOnce.fail(
    `peer ${p.name}`,
    reason,
    'heartbeat to peer failed (logged once per reason until it answers)',
    { cluster: ha.cfg.cluster, peer: p.name, url: p.url.href, reason, detail },
  );
}

/** One heartbeat to a peer; whatever goes wrong is counted by reason. */
async function probe(ha: HaState, p: PeerState): Promise<void> {
  const t0 = ha.now();
  const m0 = performance.now();
  let res: PeerAnswer;
  try {
    res = await signedGet(ha, p.url, { timeoutMs: ha.cfg.timeout, maxBytes: 64 * 1024 });
  } catch (err) {
    const code = errorCode(err);
    const reason: FailureReason =
      code === 'ETIMEDOUT' ? 'timeout' : code === 'ECONNREFUSED' ? 'refused' : 'unreachable';
    failed(ha, p, reason, describeError(err));
    return;
  }
  const t3 = ha.now();
  const m3 = performance.now();
  if (res.status === 401 || res.status === 403) {
    failed(ha, p, 'auth', `HTTP ${res.status}`);
    return;
  }
  if (res.status !== 200) {
    failed(ha, p, 'http_status', `HTTP ${res.status}`);
    return;
  }
  if (!answerSigned(ha, res)) {
    failed(ha, p, 'auth', 'the answer is not signed with our secret');
    return;
  }
  const hb = parseHeartbeat(res.body);
  if (typeof hb === 'string') {
    failed(ha, p, 'bad_response', hb);
    return;
  }
  if (hb.cluster !== ha.cfg.cluster) {
    failed(ha, p, 'wrong_cluster', `the peer is in cluster ${hb.cluster}`);
    return;
  }
  // The round trip from the monotonic clock: sub-millisecond, and a wall clock stepped during
  // the exchange cannot make it 0 (a 0-delay sample would win the clock filter).
  const sample = clockSample(t0, hb.received, hb.sent, t3, m3 - m0);
  if (p.startId !== undefined && p.startId !== hb.startId) {
    p.restarts++;
    p.clock.clear(); // a restart may come with another clock (another host behind the name)
  }
  p.startId = hb.startId;
  p.clock.push(sample);
  p.rttMs = sample.delay;
  p.lastSeen = t3;
  p.lastSuccessMono = m3;
  p.role = hb.role;
  p.links = hb.links;
  p.everSeen = true;
  p.consecutiveFailures = 0;
  ha.logOnce.recover(`peer ${p.name}`, 'peer answers its heartbeat again', {
    cluster: ha.cfg.cluster,
    peer: p.name,
  });
}
