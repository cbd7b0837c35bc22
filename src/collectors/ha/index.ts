import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { hostname } from 'node:os';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
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
import {
  COMPARE_ERROR_REASONS,
  FAILURE_REASONS,
  haFamilies as f,
  type CompareErrorReason,
  type FailureReason,
} from './metrics.ts';
import {
  diffDirectory,
  DivergenceTracker,
  planCompare,
  type Divergence,
  type Finding,
} from './compare.ts';
import {
  entriesBody,
  manifestBody,
  parseEntries,
  parseManifest,
  type DatasetFilter,
  type DirSummary,
  type MtimeResolution,
  type WalkResult,
} from './manifest.ts';
import { ManifestWalker } from './walker.ts';
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
  readonly filter: DatasetFilter;
  /** This node's last complete walk of its copy. */
  walk: WalkResult | undefined;
  walking: Promise<WalkResult | undefined> | undefined;
  comparing: Promise<void> | undefined;
  /** Start of the last walk made as primary: files modified since are the next changed bytes. */
  changedSince: number | undefined;
  changedBytes: number;
  divergence: Divergence | undefined;
  lastCompare: number | undefined;
  readonly compareErrors: Record<CompareErrorReason, number>;
  /** The primary's last manifest, reused while its ETag holds. */
  remote: { peer: string; etag: string; manifest: RemoteManifest } | undefined;
  readonly tracker: DivergenceTracker;
  /** The compare problem being reported (logged once until it goes away). */
  compareFailing: string | undefined;
  compareTimer: NodeJS.Timeout | undefined;
}

/** The directory summaries a primary serves. */
interface RemoteManifest {
  readonly dirs: DirSummary[];
  readonly unreadable: string[];
  readonly mtimeResolution: MtimeResolution;
}

export const MANIFEST_PATH = '/ha/manifest';
/** Directories whose entries one manifest request may ask for. */
const MAX_DIRS_PER_REQUEST = 200;
/** Encoded length of the dir parameters of one request: well under Node's 16 KiB of headers. */
const MAX_DIRS_QUERY = 8 * 1024;

/** The directories to list, in requests that stay under both limits. */
function batches(dirs: readonly string[]): string[][] {
  const out: string[][] = [];
  let batch: string[] = [];
  let length = 0;
  for (const d of dirs) {
    const l = encodeURIComponent(d).length + 5; // &dir=
    if (batch.length > 0 && (batch.length >= MAX_DIRS_PER_REQUEST || length + l > MAX_DIRS_QUERY)) {
      out.push(batch);
      batch = [];
      length = 0;
    }
    batch.push(d);
    length += l;
  }
  if (batch.length > 0) out.push(batch);
  return out;
}
const gunzipAsync = promisify(gunzip);

interface PeerState {
  readonly name: string;
  readonly url: URL;
  consecutiveFailures: number;
  everSeen: boolean;
  lastSeen: number | undefined;
  /** performance.now() of the last answered heartbeat. */
  lastSuccessMono: number | undefined;
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
  /** Walks every dataset now and, as standby, compares it with the primary's manifest. */
  compare(): Promise<void>;
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
  let removeManifestRoute: (() => void) | undefined;
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
    filter: {
      include: d.include,
      exclude: d.exclude,
      canary: d.canary.file,
      mtimeResolution: d.compare.mtime_resolution,
    },
    walk: undefined,
    walking: undefined,
    comparing: undefined,
    changedSince: undefined,
    changedBytes: 0,
    divergence: undefined,
    lastCompare: undefined,
    compareErrors: Object.fromEntries(COMPARE_ERROR_REASONS.map((r) => [r, 0])) as Record<
      CompareErrorReason,
      number
    >,
    remote: undefined,
    tracker: new DivergenceTracker(),
    compareFailing: undefined,
    compareTimer: undefined,
  }));
  const walker = new ManifestWalker();
  /** Aborts the requests to peers still in flight at stop(). */
  const aborter = new AbortController();
  const refusals: Record<Endpoint, number> = { heartbeat: 0, manifest: 0 };
  const refusalsLogged = new Set<string>();
  const downAfterMs = cfg.interval * cfg.failure_threshold + Math.min(cfg.timeout, 500);
  const peers: PeerState[] = cfg.peers.map((p) => ({
    name: p.name,
    url: new URL(HEARTBEAT_PATH, p.url),
    consecutiveFailures: 0,
    everSeen: false,
    lastSeen: undefined,
    lastSuccessMono: undefined,
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

  /**
   * Whether a request to one of our routes is signed with the pair's secret (or none is set),
   * over the challenge this node issued when one is given.
   */
  const authorized = (req: http.IncomingMessage, challenge?: string): boolean => {
    if (secret === undefined) return true;
    const nonce = req.headers[NONCE_HEADER];
    const parts = ['req', cfg.cluster, req.url ?? '', nonce as string];
    if (challenge !== undefined) parts.push(challenge);
    return (
      typeof nonce === 'string' && signatureMatches(secret, parts, req.headers[SIGNATURE_HEADER])
    );
  };

  /** Refuses a request, saying nothing; counted, and logged once per endpoint and caller. */
  const refuse = (req: http.IncomingMessage, endpoint: Endpoint): RouteResponse => {
    refusals[endpoint]++;
    const key = `${endpoint} ${req.socket.remoteAddress ?? ''}`;
    if (!refusalsLogged.has(key) && refusalsLogged.size < 100) {
      refusalsLogged.add(key);
      log.warn('refused a request not signed with the pair’s secret (logged once per caller)', {
        cluster: cfg.cluster,
        endpoint,
        from: req.socket.remoteAddress,
      });
    }
    return UNAUTHORIZED;
  };

  /**
   * Single-use challenges for manifest requests: a signed request without one gets 401 and a
   * fresh challenge, and is repeated signed over it. A captured request can then never be
   * replayed to read the file names again; the heartbeat has no such step (a replayed one gets
   * the role and clock an eavesdropper saw anyway: use TLS to hide them).
   */
  const challenges = new Map<string, number>();
  const issueChallenge = (): string => {
    const t = performance.now();
    for (const [c, expires] of challenges) if (expires < t) challenges.delete(c);
    if (challenges.size >= 256) {
      const oldest = challenges.keys().next().value;
      if (oldest !== undefined) challenges.delete(oldest);
    }
    const c = randomBytes(16).toString('hex');
    challenges.set(c, t + 30_000);
    return c;
  };
  const takeChallenge = (c: string): boolean => {
    const expires = challenges.get(c);
    challenges.delete(c);
    return expires !== undefined && expires >= performance.now();
  };

  /** A signed answer: its signature binds the body to the caller's nonce. */
  const signed = (
    req: http.IncomingMessage,
    status: number,
    body: string,
    extra: Record<string, string> = {},
  ): RouteResponse => {
    const nonce = req.headers[NONCE_HEADER];
    const headers: Record<string, string> = { 'Cache-Control': 'no-store', ...extra };
    if (secret !== undefined && typeof nonce === 'string') {
      headers[SIGNATURE_HEADER] = sign(secret, ['resp', nonce, body]);
    }
    return { status, body, headers };
  };

  const answer = (req: http.IncomingMessage): RouteResponse => {
    const received = now();
    if (!authorized(req)) return refuse(req, 'heartbeat');
    const hb: Heartbeat = {
      cluster: cfg.cluster,
      node,
      role,
      startId,
      seq: ++seq,
      received,
      sent: now(),
    };
    return signed(req, 200, JSON.stringify(hb));
  };

  /**
   * GET /ha/manifest?dataset=NAME: the directory summaries of this node's last walk of the
   * dataset (ETag: their root hash; If-None-Match gives 304). With &dir=PATH (repeated): those
   * directories' entries now. Served only to requests signed with the pair's secret.
   */
  const serveManifest = async (req: http.IncomingMessage): Promise<RouteResponse> => {
    const offered = req.headers[CHALLENGE_HEADER];
    if (typeof offered !== 'string') {
      if (!authorized(req)) return refuse(req, 'manifest');
      return {
        ...UNAUTHORIZED,
        headers: { ...UNAUTHORIZED.headers, [CHALLENGE_HEADER]: issueChallenge() },
      };
    }
    if (!authorized(req, offered) || !takeChallenge(offered)) return refuse(req, 'manifest');
    const query = new URL(req.url ?? '/', 'http://patrol.invalid').searchParams;
    const name = query.get('dataset');
    const ds = datasets.find((d) => d.cfg.name === name && d.cfg.compare.enabled);
    if (ds === undefined) return signed(req, 404, '{"error":"no such dataset"}');
    const dirs = query.getAll('dir');
    if (dirs.length === 0) {
      let w = ds.walk;
      if (w === undefined || now() - w.startedAt > 2 * ds.cfg.compare.interval) {
        w = await walkOnce(ds);
      }
      if (w === undefined) return signed(req, 503, '{"error":"the dataset cannot be walked"}');
      const etag = `"${w.rootHash}"`;
      if (req.headers['if-none-match'] === etag) return signed(req, 304, '', { ETag: etag });
      return signed(req, 200, manifestBody(ds.cfg.name, node, w, ds.filter.mtimeResolution), {
        ETag: etag,
      });
    }
    const unique = [...new Set(dirs)];
    if (unique.length > MAX_DIRS_PER_REQUEST) {
      return signed(req, 400, `{"error":"at most ${MAX_DIRS_PER_REQUEST} dir parameters"}`);
    }
    // listDirectories lists only paths inside the dataset that include and exclude admit.
    const listed = await walker.list({ root: ds.cfg.path, dirs: unique, filter: ds.filter });
    return signed(req, 200, entriesBody(ds.cfg.name, listed));
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

  /** A GET to a peer, signed with the pair's secret when there is one (and its challenge). */
  const signedGet = async (
    url: URL,
    opts: {
      timeoutMs: number;
      maxBytes: number;
      headers?: Record<string, string>;
      challenge?: string;
    },
  ): Promise<PeerAnswer & { nonce: string }> => {
    const nonce = randomBytes(16).toString('hex');
    const headers: Record<string, string> = { ...opts.headers, [NONCE_HEADER]: nonce };
    if (secret !== undefined) {
      const parts = ['req', cfg.cluster, url.pathname + url.search, nonce];
      if (opts.challenge !== undefined) {
        parts.push(opts.challenge);
        headers[CHALLENGE_HEADER] = opts.challenge;
      }
      headers[SIGNATURE_HEADER] = sign(secret, parts);
    }
    return { ...(await get(url, headers, opts.timeoutMs, opts.maxBytes, aborter.signal)), nonce };
  };

  /** Whether an answer carries our secret's signature over its body (or no secret is set). */
  const answerSigned = (res: PeerAnswer & { nonce: string }) =>
    secret === undefined || signatureMatches(secret, ['resp', res.nonce, res.body], res.signature);

  const probe = async (p: PeerState): Promise<void> => {
    const t0 = now();
    const m0 = performance.now();
    let res: PeerAnswer & { nonce: string };
    try {
      res = await signedGet(p.url, { timeoutMs: cfg.timeout, maxBytes: 64 * 1024 });
    } catch (err) {
      const code = errorCode(err);
      const reason: FailureReason =
        code === 'ETIMEDOUT' ? 'timeout' : code === 'ECONNREFUSED' ? 'refused' : 'unreachable';
      failed(p, reason, describeError(err));
      return;
    }
    const t3 = now();
    const m3 = performance.now();
    if (res.status === 401 || res.status === 403) {
      failed(p, 'auth', `HTTP ${res.status}`);
      return;
    }
    if (res.status !== 200) {
      failed(p, 'http_status', `HTTP ${res.status}`);
      return;
    }
    if (!answerSigned(res)) {
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
      // Alongside, not before: a slow role command must not delay the heartbeats.
      await Promise.all([updateRole(), ...peers.map(probe)]);
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

  /**
   * Up while it answers: down after failure_threshold failed heartbeats in a row, or as soon as
   * no heartbeat was answered for interval x failure_threshold (+ a little for the answer's own
   * round trip), whichever comes first. The time rule keeps the bound when heartbeats are slow
   * to fail (each may wait up to `timeout`).
   */
  const isUp = (p: PeerState) =>
    p.everSeen &&
    p.consecutiveFailures < cfg.failure_threshold &&
    p.lastSuccessMono !== undefined &&
    performance.now() - p.lastSuccessMono < downAfterMs;

  const compareProblem = (
    ds: DatasetState,
    reason: CompareErrorReason | undefined,
    problem: string | undefined,
    fields: object = {},
  ) => {
    if (reason !== undefined) ds.compareErrors[reason]++;
    if (problem === ds.compareFailing) return;
    if (problem !== undefined) {
      log.warn(problem, { cluster: cfg.cluster, dataset: ds.cfg.name, ...fields });
    } else if (ds.compareFailing !== undefined) {
      log.info('the copies of the dataset are compared again', {
        cluster: cfg.cluster,
        dataset: ds.cfg.name,
      });
    }
    ds.compareFailing = problem;
  };

  /** Walks this node's copy (one walk at a time per dataset; callers share a running one). */
  const walkOnce = (ds: DatasetState): Promise<WalkResult | undefined> =>
    (ds.walking ??= (async () => {
      const asPrimary = role === 'primary';
      const changedSince = asPrimary ? ds.changedSince : undefined;
      let outcome;
      try {
        outcome = await walker.walk({
          root: ds.cfg.path,
          filter: ds.filter,
          rate: ds.cfg.compare.max_entries_per_second,
          changedSince,
        });
      } catch (err) {
        if (stopped) return undefined;
        throw err;
      }
      if (outcome.kind === 'cancelled') return undefined;
      if (outcome.kind === 'failed') {
        compareProblem(ds, 'local', 'cannot walk this node’s copy of the dataset', {
          error: outcome.error,
        });
        return undefined;
      }
      const w = outcome.result;
      if (asPrimary && changedSince !== undefined) ds.changedBytes += w.changedBytes;
      ds.changedSince = asPrimary ? w.startedAt : undefined;
      ds.walk = w;
      return w;
    })().finally(() => {
      ds.walking = undefined;
    }));

  /** A signed manifest request to the primary; throws when it fails or is not signed. */
  const manifestRequest = async (
    peer: PeerState,
    ds: DatasetState,
    dirs: readonly string[],
    headers: Record<string, string> = {},
  ) => {
    const url = new URL(MANIFEST_PATH, peer.url);
    url.searchParams.set('dataset', ds.cfg.name);
    for (const d of dirs) url.searchParams.append('dir', d);
    const opts = {
      // The primary may have to walk first (no recent walk), and its listings wait behind a
      // running walk (one thread): allow twice our own walk's time, a copy of the same dataset.
      timeoutMs: Math.max(30_000, cfg.timeout, 2 * (ds.walk?.durationMs ?? 0) + 10_000),
      maxBytes: 256 * 1024 * 1024,
      headers: { 'Accept-Encoding': 'gzip', ...headers },
    };
    // First leg: the primary answers a signed request with a single-use challenge.
    const first = await signedGet(url, { ...opts, maxBytes: 64 * 1024 });
    if (first.status !== 401 || first.challenge === undefined) {
      throw new Error(`HTTP ${first.status} without a challenge: ${first.body.slice(0, 200)}`);
    }
    const res = await signedGet(url, { ...opts, challenge: first.challenge });
    if (!answerSigned(res)) throw new Error('the answer is not signed with our secret');
    if (res.status !== 200 && res.status !== 304) {
      throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
    }
    return res;
  };

  /** The primary's directory summaries, reused from the last fetch while its ETag holds. */
  const fetchSummaries = async (peer: PeerState, ds: DatasetState): Promise<RemoteManifest> => {
    const cached = ds.remote?.peer === peer.name ? ds.remote : undefined;
    const res = await manifestRequest(
      peer,
      ds,
      [],
      cached === undefined ? {} : { 'If-None-Match': cached.etag },
    );
    if (res.status === 304) {
      if (cached === undefined) throw new Error('HTTP 304 to a request without If-None-Match');
      return cached.manifest;
    }
    const manifest = parseManifest(res.body);
    if (cached === undefined) ds.tracker.reset(); // another primary: start counting anew
    ds.remote = { peer: peer.name, etag: res.etag ?? '', manifest };
    return manifest;
  };

  /** One compare round of a dataset at a time: a second caller shares the running one. */
  const compareStep = (ds: DatasetState): Promise<void> =>
    (ds.comparing ??= compareOnce(ds).finally(() => {
      ds.comparing = undefined;
    }));

  /** One compare round of a dataset: every role walks; the standby then compares. */
  const compareOnce = async (ds: DatasetState): Promise<void> => {
    const local = await walkOnce(ds);
    if (role !== 'standby') {
      // Findings from before a failover must not be confirmed by the first compare after it.
      ds.tracker.reset();
      return;
    }
    if (local === undefined) return;
    // Chosen after the walk, which may take seconds: the roles may have moved meanwhile.
    const primary = peers.find((p) => isUp(p) && p.role === 'primary');
    if (primary === undefined) {
      compareProblem(ds, 'no_primary', 'no peer that answers is primary: nothing to compare with');
      return;
    }
    let remote: RemoteManifest;
    try {
      remote = await fetchSummaries(primary, ds);
    } catch (err) {
      compareProblem(ds, 'peer', 'cannot fetch the primary’s manifest of the dataset', {
        peer: primary.name,
        error: describeError(err),
      });
      return;
    }
    if (remote.mtimeResolution !== ds.filter.mtimeResolution) {
      compareProblem(
        ds,
        'peer',
        'the nodes list modification times differently: set the same compare.mtime_resolution on both',
        {
          peer: primary.name,
          primary: remote.mtimeResolution,
          standby: ds.filter.mtimeResolution,
        },
      );
      return;
    }
    const unreadable = new Set([...local.unreadable, ...remote.unreadable]);
    const fetch = planCompare(remote.dirs, local.dirs, unreadable, ds.cfg.compare.mode);
    const findings: Finding[] = [];
    try {
      for (const batch of batches(fetch)) {
        // Both sides listed at about the same instant, so only the mirror's delay separates them.
        const [theirs, mine] = await Promise.all([
          manifestRequest(primary, ds, batch).then((r) => parseEntries(r.body)),
          walker.list({ root: ds.cfg.path, dirs: batch, filter: ds.filter }),
        ]);
        for (const dir of batch) {
          // null: the directory is not there (or cannot be read) on that side.
          const p = Object.hasOwn(theirs, dir) ? theirs[dir] : undefined;
          const m = Object.hasOwn(mine, dir) ? mine[dir] : undefined;
          if (p === undefined || m === undefined || (p === null && m === null)) continue;
          findings.push(
            ...diffDirectory(dir, p ?? [], m ?? [], ds.cfg.compare.mode, ds.filter.mtimeResolution),
          );
        }
      }
    } catch (err) {
      compareProblem(ds, 'peer', 'cannot fetch directory entries from the primary', {
        peer: primary.name,
        error: describeError(err),
      });
      return;
    }
    ds.divergence = ds.tracker.confirm(findings);
    ds.lastCompare = now();
    if (local.unreadable.length > 0) {
      compareProblem(ds, 'local', 'parts of this node’s copy cannot be read; compared the rest', {
        unreadable: local.unreadable.slice(0, 10),
      });
    } else {
      compareProblem(ds, undefined, undefined);
    }
  };

  return {
    name: 'ha',
    timeoutMs: cfg.timeout,
    round,
    async compare() {
      for (const ds of datasets) if (ds.cfg.compare.enabled) await compareStep(ds);
    },
    async start() {
      if (cfg.secret_file !== undefined) {
        const text = (await readFile(cfg.secret_file, 'utf8')).trim();
        if (text.length < 16) {
          throw new Error(`${cfg.secret_file}: the shared secret must be at least 16 characters`);
        }
        secret = Buffer.from(text, 'utf8');
      }
      removeRoute = ctx.routes?.add(HEARTBEAT_PATH, answer, { ownAuth: secret !== undefined });
      // File names leave this node only for signed requests (config requires the secret).
      if (secret !== undefined && datasets.some((d) => d.cfg.compare.enabled)) {
        removeManifestRoute = ctx.routes?.add(MANIFEST_PATH, serveManifest, { ownAuth: true });
      }
      await updateRole();
      for (const ds of datasets) {
        const step = () => {
          if (stopped) return;
          canaryStep(ds);
          ds.timer = setTimeout(step, ds.cfg.canary.interval);
        };
        step();
      }
      const compareLoop = (ds: DatasetState) => {
        if (stopped) return;
        compareStep(ds)
          .catch((err: unknown) => {
            compareProblem(ds, 'local', 'comparing the dataset failed', {
              error: describeError(err),
            });
          })
          .finally(() => {
            if (!stopped) ds.compareTimer = setTimeout(compareLoop, ds.cfg.compare.interval, ds);
          });
      };
      let first = true;
      const tick = () => {
        if (stopped) return;
        const started = performance.now();
        void round().finally(() => {
          if (stopped) return;
          // A fixed cadence: every `interval` from the start of the last round, not from its end.
          timer = setTimeout(tick, Math.max(0, cfg.interval - (performance.now() - started)));
          // Compares start once the peers' roles are known (the first round).
          if (first) for (const ds of datasets) if (ds.cfg.compare.enabled) compareLoop(ds);
          first = false;
        });
      };
      tick();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      for (const ds of datasets) {
        clearTimeout(ds.timer);
        clearTimeout(ds.compareTimer);
      }
      removeRoute?.();
      removeManifestRoute?.();
      aborter.abort();
      await walker.close();
      await running;
      await Promise.allSettled(datasets.flatMap((ds) => ds.walking ?? []));
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
      for (const endpoint of ENDPOINTS) {
        sink.add(f.unauthorized, { cluster, endpoint }, refusals[endpoint]);
      }
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
        if (!ds.cfg.compare.enabled) continue;
        const w = ds.walk;
        if (w !== undefined) {
          sink.add(f.datasetFiles, { cluster, dataset }, w.files);
          sink.add(f.datasetBytes, { cluster, dataset }, w.bytes);
          sink.add(f.walkDuration, { cluster, dataset }, w.durationMs / 1000);
          if (w.filesystem !== undefined) {
            sink.add(f.filesystemAvail, { cluster, dataset }, w.filesystem.avail);
            sink.add(f.filesystemSize, { cluster, dataset }, w.filesystem.size);
          }
        }
        sink.add(f.changedBytes, { cluster, dataset }, ds.changedBytes);
        const d = ds.divergence;
        if (role === 'standby' && d !== undefined && ds.lastCompare !== undefined) {
          sink.add(f.outOfSyncFiles, { cluster, dataset }, d.outOfSyncFiles);
          sink.add(f.outOfSyncBytes, { cluster, dataset }, d.outOfSyncBytes);
          sink.add(f.missingFiles, { cluster, dataset }, d.missingFiles);
          sink.add(f.extraFiles, { cluster, dataset }, d.extraFiles);
          sink.add(f.lastCompare, { cluster, dataset }, ds.lastCompare / 1000);
        }
        for (const reason of COMPARE_ERROR_REASONS) {
          sink.add(f.compareErrors, { cluster, dataset, reason }, ds.compareErrors[reason]);
        }
      }
    },
  };
}

interface PeerAnswer {
  readonly status: number;
  readonly body: string;
  readonly signature: unknown;
  readonly etag: string | undefined;
  readonly challenge: string | undefined;
}

const UNAUTHORIZED: RouteResponse = {
  status: 401,
  type: 'text/plain; charset=utf-8',
  body: 'Unauthorized\n',
  headers: { 'WWW-Authenticate': 'Patrol-HMAC' },
};

const CHALLENGE_HEADER = 'x-patrol-challenge';
const ENDPOINTS = ['heartbeat', 'manifest'] as const;
type Endpoint = (typeof ENDPOINTS)[number];

/** One GET with a deadline for the whole exchange; the body is capped, gzip is undone. */
function get(
  url: URL,
  headers: Record<string, string>,
  timeoutMs: number,
  maxBytes: number,
  signal: AbortSignal,
): Promise<PeerAnswer> {
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const deadline = setTimeout(() => {
      req.destroy(
        Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }),
      );
    }, timeoutMs);
    const req = lib.request(url, { method: 'GET', headers, signal }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (d: Buffer) => {
        size += d.length;
        if (size > maxBytes) req.destroy(new Error(`answer larger than ${maxBytes} bytes`));
        else chunks.push(d);
      });
      res.on('end', () => {
        clearTimeout(deadline);
        const raw = Buffer.concat(chunks);
        const gz = res.headers['content-encoding'] === 'gzip';
        (gz ? gunzipAsync(raw, { maxOutputLength: maxBytes }) : Promise.resolve(raw)).then(
          (body) => {
            resolve({
              status: res.statusCode ?? 0,
              body: body.toString('utf8'),
              signature: res.headers[SIGNATURE_HEADER],
              etag: res.headers.etag,
              challenge: headerValue(res.headers[CHALLENGE_HEADER]),
            });
          },
          reject,
        );
      });
      res.on('error', reject);
    });
    req.on('error', (err) => {
      clearTimeout(deadline);
      reject(err);
    });
    req.end();
  });
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return typeof v === 'string' && /^[0-9a-f]{32}$/.test(v) ? v : undefined;
}

export const haCollector: CollectorDefinition<HaConfig> = {
  name: 'ha',
  families: Object.values(f),
  describe: (cfg) =>
    !cfg.enabled
      ? 'disabled in configuration (collectors.ha.enabled: false)'
      : `cluster ${cfg.cluster}: node ${cfg.node ?? hostname()} (role: ${cfg.role?.source ?? 'unknown'}), peers ${cfg.peers.map((p) => `${p.name} (${p.url})`).join(', ')}${cfg.secret_file === undefined ? '' : ', heartbeats signed'}`,
  create: (cfg, ctx) => createHaCollector(cfg, ctx),
};
