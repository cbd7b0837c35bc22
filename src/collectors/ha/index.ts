import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { hostname } from 'node:os';
import type { Collector, CollectorContext, CollectorDefinition } from '../../core/collector.ts';
import { describeError, errorCode } from '../../core/errors.ts';
import type { MetricSink } from '../../core/metrics.ts';
import type { RouteResponse } from '../../core/routes.ts';
import type { HaConfig } from './config.ts';
import {
  ClockFilter,
  clockSample,
  HEARTBEAT_PATH,
  NONCE_HEADER,
  parseHeartbeat,
  ROLES,
  sign,
  SIGNATURE_HEADER,
  signatureMatches,
  type Heartbeat,
  type Role,
} from './heartbeat.ts';
import { FAILURE_REASONS, haFamilies as f, type FailureReason } from './metrics.ts';
import { lagMs, readCanary, readCanaryNow, writeCanary, type Canary } from './canary.ts';
import type { DatasetConfig } from './config.ts';
import { detectRole } from './role.ts';

interface DatasetState {
  readonly cfg: DatasetConfig;
  /** On the primary: the last canary written. */
  written: Canary | undefined;
  /** On the standby: the copy's canary as last read. */
  seen: Canary | undefined;
  /** When this node, as standby, started looking for the canary. */
  lookingSince: number | undefined;
  readonly errors: { write: number; read: number };
  /** The problem being reported (logged once until it goes away). */
  failing: string | undefined;
  timer: NodeJS.Timeout | undefined;
}

interface PeerState {
  readonly name: string;
  readonly url: URL;
  consecutiveFailures: number;
  everSeen: boolean;
  lastSeen: number | undefined;
  rttMs: number | undefined;
  role: Role;
  startId: string | undefined;
  restarts: number;
  readonly clock: ClockFilter;
  readonly failures: Record<FailureReason, number>;
  /** The failure being reported (logged once until the peer answers again). */
  failing: FailureReason | undefined;
}

export interface HaDeps {
  /** This node's clock, ms since the epoch (tests skew it). */
  readonly now?: () => number;
  readonly hostname?: () => string;
}

export interface HaCollector extends Collector {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Runs one round now: this node's role, then every peer's heartbeat. */
  round(): Promise<void>;
}

/**
 * Background collector: every `interval` it reads this node's role and asks each peer for its
 * heartbeat; a scrape reads memory. It also answers the peers' heartbeats, on the exporter's own
 * listener (/ha/heartbeat).
 */
export function createHaCollector(
  cfg: HaConfig,
  ctx: CollectorContext,
  deps: HaDeps = {},
): HaCollector {
  const log = ctx.logger.child({ collector: 'ha' });
  const now = deps.now ?? Date.now;
  const node = cfg.node ?? (deps.hostname ?? hostname)();
  const startId = randomBytes(8).toString('hex');
  let seq = 0;
  let secret: Buffer | undefined;
  let role: Role = 'unknown';
  let lastKnownRole: Role | undefined;
  let roleChanges = 0;
  let roleLastChange: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let removeRoute: (() => void) | undefined;
  let stopped = false;
  let canarySeq = 0;
  const datasets: DatasetState[] = cfg.datasets.map((d) => ({
    cfg: d,
    written: undefined,
    seen: undefined,
    lookingSince: undefined,
    errors: { write: 0, read: 0 },
    failing: undefined,
    timer: undefined,
  }));
  const peers: PeerState[] = cfg.peers.map((p) => ({
    name: p.name,
    url: new URL(HEARTBEAT_PATH, p.url),
    consecutiveFailures: 0,
    everSeen: false,
    lastSeen: undefined,
    rttMs: undefined,
    role: 'unknown',
    startId: undefined,
    restarts: 0,
    clock: new ClockFilter(),
    failures: Object.fromEntries(FAILURE_REASONS.map((r) => [r, 0])) as Record<
      FailureReason,
      number
    >,
    failing: undefined,
  }));

  const answer = (req: http.IncomingMessage): RouteResponse => {
    const received = now();
    const nonce = req.headers[NONCE_HEADER];
    if (secret !== undefined) {
      const given = req.headers[SIGNATURE_HEADER];
      if (
        typeof nonce !== 'string' ||
        !signatureMatches(secret, ['req', cfg.cluster, HEARTBEAT_PATH, nonce], given)
      ) {
        return { status: 401, type: 'text/plain; charset=utf-8', body: 'Unauthorized\n' };
      }
    }
    const hb: Heartbeat = {
      cluster: cfg.cluster,
      node,
      role,
      startId,
      seq: ++seq,
      received,
      sent: now(),
    };
    const body = JSON.stringify(hb);
    const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
    if (secret !== undefined && typeof nonce === 'string') {
      headers[SIGNATURE_HEADER] = sign(secret, ['resp', nonce, body]);
    }
    return { status: 200, body, headers };
  };

  const failed = (p: PeerState, reason: FailureReason, detail: string) => {
    p.failures[reason]++;
    p.consecutiveFailures++;
    if (p.failing !== reason) {
      log.warn('heartbeat to peer failed (logged once per reason until it answers)', {
        cluster: cfg.cluster,
        peer: p.name,
        url: p.url.href,
        reason,
        detail,
      });
      p.failing = reason;
    }
  };

  const probe = async (p: PeerState): Promise<void> => {
    const nonce = randomBytes(16).toString('hex');
    const headers: Record<string, string> = { [NONCE_HEADER]: nonce };
    if (secret !== undefined) {
      headers[SIGNATURE_HEADER] = sign(secret, ['req', cfg.cluster, HEARTBEAT_PATH, nonce]);
    }
    const t0 = now();
    let res: { status: number; body: string; signature: unknown };
    try {
      res = await get(p.url, headers, cfg.timeout);
    } catch (err) {
      const code = errorCode(err);
      const reason: FailureReason =
        code === 'ETIMEDOUT' ? 'timeout' : code === 'ECONNREFUSED' ? 'refused' : 'unreachable';
      failed(p, reason, describeError(err));
      return;
    }
    const t3 = now();
    if (res.status === 401 || res.status === 403) {
      failed(p, 'auth', `HTTP ${res.status}`);
      return;
    }
    if (res.status !== 200) {
      failed(p, 'http_status', `HTTP ${res.status}`);
      return;
    }
    if (
      secret !== undefined &&
      !signatureMatches(secret, ['resp', nonce, res.body], res.signature)
    ) {
      failed(p, 'auth', 'the answer is not signed with our secret');
      return;
    }
    const hb = parseHeartbeat(res.body);
    if (typeof hb === 'string') {
      failed(p, 'bad_response', hb);
      return;
    }
    if (hb.cluster !== cfg.cluster) {
      failed(p, 'wrong_cluster', `the peer is in cluster ${hb.cluster}`);
      return;
    }
    const sample = clockSample(t0, hb.received, hb.sent, t3);
    if (p.startId !== undefined && p.startId !== hb.startId) {
      p.restarts++;
      p.clock.clear(); // a restart may come with another clock (another host behind the name)
    }
    p.startId = hb.startId;
    p.clock.push(sample);
    p.rttMs = sample.delay;
    p.lastSeen = t3;
    p.role = hb.role;
    p.everSeen = true;
    p.consecutiveFailures = 0;
    if (p.failing !== undefined) {
      log.info('peer answers its heartbeat again', { cluster: cfg.cluster, peer: p.name });
      p.failing = undefined;
    }
  };

  const updateRole = async () => {
    let next: Role;
    try {
      next = await detectRole(cfg.role);
    } catch (err) {
      log.warn('cannot tell this node’s role', { error: describeError(err) });
      next = 'unknown';
    }
    if (next !== 'unknown') {
      if (lastKnownRole !== undefined && lastKnownRole !== next) {
        roleChanges++;
        roleLastChange = now();
        log.warn('this node’s role changed', {
          cluster: cfg.cluster,
          from: lastKnownRole,
          to: next,
        });
      }
      lastKnownRole = next;
    }
    role = next;
  };

  const round = (): Promise<void> => {
    running ??= (async () => {
      await updateRole();
      await Promise.all(peers.map(probe));
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  const datasetProblem = (ds: DatasetState, problem: string | undefined, fields: object = {}) => {
    if (problem === ds.failing) return;
    if (problem !== undefined) {
      log.warn(problem, { cluster: cfg.cluster, dataset: ds.cfg.name, ...fields });
    } else if (ds.failing !== undefined) {
      log.info('canary works again', { cluster: cfg.cluster, dataset: ds.cfg.name });
    }
    ds.failing = problem;
  };

  /** One canary step: the primary writes, the standby reads its copy; unknown does neither. */
  const canaryStep = (ds: DatasetState) => {
    if (role === 'primary') {
      ds.lookingSince = undefined;
      const c: Canary = { cluster: cfg.cluster, node, seq: ++canarySeq, ts: now() };
      try {
        writeCanary(ds.cfg, c);
        ds.written = c;
        datasetProblem(ds, undefined);
      } catch (err) {
        ds.errors.write++;
        datasetProblem(ds, 'cannot write the replication canary', { error: describeError(err) });
      }
      return;
    }
    if (role !== 'standby') return;
    ds.lookingSince ??= now();
    const got = readCanary(ds.cfg);
    if (got === 'missing') {
      datasetProblem(ds, 'no replication canary in the mirrored copy yet (lag counts from now)');
      return;
    }
    if (got === 'unreadable') {
      ds.errors.read++;
      datasetProblem(ds, 'the mirrored replication canary cannot be read or is not a canary');
      return;
    }
    ds.seen = got;
    datasetProblem(ds, undefined);
  };

  /** The writer's clock minus ours, from the heartbeat with that peer (0 if never measured). */
  const offsetTo = (writer: string) =>
    peers.find((p) => p.name === writer)?.clock.best()?.offset ?? 0;

  const isUp = (p: PeerState) => p.everSeen && p.consecutiveFailures < cfg.failure_threshold;

  return {
    name: 'ha',
    timeoutMs: cfg.timeout,
    round,
    async start() {
      if (cfg.secret_file !== undefined) {
        const text = (await readFile(cfg.secret_file, 'utf8')).trim();
        if (text.length < 16) {
          throw new Error(`${cfg.secret_file}: the shared secret must be at least 16 characters`);
        }
        secret = Buffer.from(text, 'utf8');
      }
      removeRoute = ctx.routes?.add(HEARTBEAT_PATH, answer, { ownAuth: secret !== undefined });
      await updateRole();
      for (const ds of datasets) {
        const step = () => {
          if (stopped) return;
          canaryStep(ds);
          ds.timer = setTimeout(step, ds.cfg.canary.interval);
        };
        step();
      }
      const tick = () => {
        if (stopped) return;
        void round().finally(() => {
          if (!stopped) timer = setTimeout(tick, cfg.interval);
        });
      };
      tick();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      for (const ds of datasets) clearTimeout(ds.timer);
      removeRoute?.();
      await running;
    },
    async collect(sink: MetricSink) {
      const cluster = cfg.cluster;
      // The standby's copy as it is now: read at the scrape, the lag is not staled by the
      // reading interval on top of the canary's.
      if (role === 'standby') {
        await Promise.all(
          datasets.map(async (ds) => {
            if (ds.lookingSince === undefined) return;
            const got = await readCanaryNow(ds.cfg);
            if (typeof got === 'object') ds.seen = got;
          }),
        );
      }
      for (const r of ROLES) sink.add(f.role, { cluster, node, role: r }, role === r ? 1 : 0);
      sink.add(f.roleChanges, { cluster }, roleChanges);
      if (roleLastChange !== undefined) {
        sink.add(f.roleLastChange, { cluster }, roleLastChange / 1000);
      }
      let splitBrain = false;
      for (const p of peers) {
        const peer = p.name;
        const up = isUp(p);
        sink.add(f.peerUp, { cluster, peer }, up ? 1 : 0);
        if (p.lastSeen !== undefined)
          sink.add(f.peerLastSeen, { cluster, peer }, p.lastSeen / 1000);
        if (p.rttMs !== undefined) sink.add(f.peerRtt, { cluster, peer }, p.rttMs / 1000);
        const offset = p.clock.best();
        if (offset !== undefined) {
          sink.add(f.peerClockOffset, { cluster, peer }, offset.offset / 1000);
        }
        for (const reason of FAILURE_REASONS) {
          sink.add(f.peerFailures, { cluster, peer, reason }, p.failures[reason]);
        }
        for (const r of ROLES) {
          sink.add(f.peerRole, { cluster, peer, role: r }, up && p.role === r ? 1 : 0);
        }
        sink.add(f.peerRestarts, { cluster, peer }, p.restarts);
        if (up && p.role === 'primary' && role === 'primary') splitBrain = true;
      }
      sink.add(f.splitBrain, { cluster }, splitBrain ? 1 : 0);
      const t = now();
      for (const ds of datasets) {
        const dataset = ds.cfg.name;
        if (role === 'primary' && ds.written !== undefined) {
          sink.add(f.canaryTimestamp, { cluster, dataset }, ds.written.ts / 1000);
          sink.add(f.canarySequence, { cluster, dataset }, ds.written.seq);
        }
        if (role === 'standby' && ds.lookingSince !== undefined) {
          if (ds.seen === undefined) {
            sink.add(f.replicationLag, { cluster, dataset }, (t - ds.lookingSince) / 1000);
          } else {
            const offset = offsetTo(ds.seen.node);
            sink.add(f.replicationLag, { cluster, dataset }, lagMs(t, ds.seen.ts, offset) / 1000);
            sink.add(f.canaryTimestamp, { cluster, dataset }, (ds.seen.ts - offset) / 1000);
            sink.add(f.canarySequence, { cluster, dataset }, ds.seen.seq);
          }
        }
        sink.add(f.canaryErrors, { cluster, dataset, operation: 'write' }, ds.errors.write);
        sink.add(f.canaryErrors, { cluster, dataset, operation: 'read' }, ds.errors.read);
      }
    },
  };
}

/** One GET with a deadline; the body is capped (a heartbeat is a few hundred bytes). */
function get(
  url: URL,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ status: number; body: string; signature: unknown }> {
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, { method: 'GET', headers, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
        if (body.length > 64 * 1024) req.destroy(new Error('heartbeat answer too large'));
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body, signature: res.headers[SIGNATURE_HEADER] });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => {
      req.destroy(
        Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

export const haCollector: CollectorDefinition<HaConfig> = {
  name: 'ha',
  families: Object.values(f),
  describe: (cfg) =>
    `cluster ${cfg.cluster}: node ${cfg.node ?? hostname()} (role: ${cfg.role?.source ?? 'unknown'}), peers ${cfg.peers.map((p) => `${p.name} (${p.url})`).join(', ')}${cfg.secret_file === undefined ? '' : ', heartbeats signed'}`,
  create: (cfg, ctx) => createHaCollector(cfg, ctx),
};
