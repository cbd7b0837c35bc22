/**
 * The in-memory state of one node of a pair, shared by the modules that keep it (peers.ts,
 * canary-loop.ts, comparing.ts), answer from it (serve.ts) and export it (samples.ts).
 */
import { randomBytes } from 'node:crypto';
import { LogOnce } from '../../core/log-once.ts';
import type { Logger } from '../../core/logger.ts';
import type { Divergence } from './compare.ts';
import { DivergenceTracker } from './compare.ts';
import type { Canary } from './canary.ts';
import type { DatasetConfig, HaConfig } from './config.ts';
import { ClockFilter, HEARTBEAT_PATH, type PeerLink, type Role } from './heartbeat.ts';
import { PROC_NET } from './role.ts';
import type { DatasetFilter, DirSummary, MtimeResolution, WalkResult } from './manifest.ts';
import {
  COMPARE_ERROR_REASONS,
  FAILURE_REASONS,
  type CompareErrorReason,
  type FailureReason,
} from './metrics.ts';
import { ManifestWalker } from './walker.ts';

export interface PeerState {
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
  /** The peer's view of its own links, from its last heartbeat (undefined: it sent none). */
  links: Readonly<Record<string, PeerLink>> | undefined;
  readonly clock: ClockFilter;
  readonly failures: Record<FailureReason, number>;
}

/** The directory summaries a primary serves. */
export interface RemoteManifest {
  readonly dirs: DirSummary[];
  readonly unreadable: string[];
  readonly mtimeResolution: MtimeResolution;
}

export interface DatasetState {
  readonly cfg: DatasetConfig;
  readonly filter: DatasetFilter;
  // --- the canary (canary-loop.ts) ---
  /** On the primary: the last canary written. */
  written: Canary | undefined;
  /** On the standby: the copy's canary as last read. */
  seen: Canary | undefined;
  /** When this node, as standby, started looking for the canary. */
  lookingSince: number | undefined;
  readonly errors: { write: number; read: number };
  /** On the primary: whether its last canary write succeeded (undefined: none tried as primary). */
  writeOk: boolean | undefined;
  /** The access hint (ReadWritePaths=) was logged: once per dataset and process. */
  writeHinted: boolean;
  timer: NodeJS.Timeout | undefined;
  // --- divergence and change rate (comparing.ts) ---
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
  compareTimer: NodeJS.Timeout | undefined;
}

export const ENDPOINTS = ['heartbeat', 'manifest'] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

/** One node of a pair: its identity, its view of the peers and of each dataset. */
export interface HaState {
  readonly cfg: HaConfig;
  readonly node: string;
  /** Random per start: a peer that sees another one knows this exporter restarted. */
  readonly startId: string;
  readonly log: Logger;
  /** Problems logged when they start or change and once when they clear. */
  readonly logOnce: LogOnce;
  /** This node's clock, ms since the epoch (tests skew it). */
  readonly now: () => number;
  /** The pair's shared secret, once read at start. */
  secret: Buffer | undefined;
  role: Role;
  lastKnownRole: Role | undefined;
  roleChanges: number;
  roleLastChange: number | undefined;
  /** Heartbeats answered since start. */
  seq: number;
  /** This node's link towards each peer, as its heartbeat answers tell them (links/). */
  ownLinks: Readonly<Record<string, PeerLink>> | undefined;
  canarySeq: number;
  stopped: boolean;
  readonly peers: PeerState[];
  readonly datasets: DatasetState[];
  readonly walker: ManifestWalker;
  /** Aborts the requests to peers still in flight at stop(). */
  readonly aborter: AbortController;
  readonly refusals: Record<Endpoint, number>;
  /** A peer is down after this long without an answered heartbeat (monotonic ms). */
  readonly downAfterMs: number;
  /** <procfs>/self/net, where a `vip` role looks for the address. */
  readonly procNet: string;
}

export function newHaState(
  cfg: HaConfig,
  log: Logger,
  node: string,
  now: () => number,
  procNet = PROC_NET,
): HaState {
  return {
    procNet,
    cfg,
    node,
    startId: randomBytes(8).toString('hex'),
    log,
    logOnce: new LogOnce(log),
    now,
    secret: undefined,
    role: 'unknown',
    lastKnownRole: undefined,
    roleChanges: 0,
    roleLastChange: undefined,
    seq: 0,
    ownLinks: undefined,
    canarySeq: 0,
    stopped: false,
    peers: cfg.peers.map((p) => ({
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
      links: undefined,
      clock: new ClockFilter(),
      failures: zeroes(FAILURE_REASONS),
    })),
    datasets: cfg.datasets.map(newDatasetState),
    walker: new ManifestWalker(),
    aborter: new AbortController(),
    refusals: { heartbeat: 0, manifest: 0 },
    downAfterMs: cfg.interval * cfg.failure_threshold + Math.min(cfg.timeout, 500),
  };
}

function newDatasetState(d: DatasetConfig): DatasetState {
  return {
    cfg: d,
    filter: {
      include: d.include,
      exclude: d.exclude,
      canary: d.canary.file,
      mtimeResolution: d.compare.mtime_resolution,
    },
    written: undefined,
    seen: undefined,
    lookingSince: undefined,
    errors: { write: 0, read: 0 },
    writeOk: undefined,
    writeHinted: false,
    timer: undefined,
    walk: undefined,
    walking: undefined,
    comparing: undefined,
    changedSince: undefined,
    changedBytes: 0,
    divergence: undefined,
    lastCompare: undefined,
    compareErrors: zeroes(COMPARE_ERROR_REASONS),
    remote: undefined,
    tracker: new DivergenceTracker(),
    compareTimer: undefined,
  };
}

function zeroes<const K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

/**
 * Up while it answers: down after failure_threshold failed heartbeats in a row, or as soon as
 * no heartbeat was answered for interval x failure_threshold (+ a little for the answer's own
 * round trip), whichever comes first. The time rule keeps the bound when heartbeats are slow
 * to fail (each may wait up to `timeout`).
 */
export function isUp(ha: HaState, p: PeerState): boolean {
  return (
    p.everSeen &&
    p.consecutiveFailures < ha.cfg.failure_threshold &&
    p.lastSuccessMono !== undefined &&
    performance.now() - p.lastSuccessMono < ha.downAfterMs
  );
}

/**
 * The peer's own report of its link towards this node (its config names this node `node`), from
 * its last heartbeat; undefined when it sent none. Kept while the peer is silent: the last thing
 * heard from it is the best guess of where the fault lies.
 */
export function peerLinkUp(ha: HaState, peer: string): boolean | undefined {
  const links = ha.peers.find((p) => p.name === peer)?.links;
  return links !== undefined && Object.hasOwn(links, ha.node) ? links[ha.node]?.up : undefined;
}

/** The writer's clock minus ours, from the heartbeat with that peer (0 if never measured). */
export function offsetTo(ha: HaState, writer: string): number {
  return ha.peers.find((p) => p.name === writer)?.clock.best()?.offset ?? 0;
}
