/**
 * What a node asks its peers, over the core HTTP client: signed GETs (the heartbeat, the
 * manifest's two legs) and the checks of their answers.
 */
import { randomBytes } from 'node:crypto';
import { request } from '../../core/http-client.ts';
import { NONCE_HEADER, sign, SIGNATURE_HEADER, signatureMatches } from './heartbeat.ts';
import { parseManifest } from './manifest.ts';
import type { DatasetState, HaState, PeerState, RemoteManifest } from './state.ts';

export const MANIFEST_PATH = '/ha/manifest';
export const CHALLENGE_HEADER = 'x-patrol-challenge';
/** Directories whose entries one manifest request may ask for. */
export const MAX_DIRS_PER_REQUEST = 200;
/** Encoded length of the dir parameters of one request: well under Node's 16 KiB of headers. */
const MAX_DIRS_QUERY = 8 * 1024;

export interface PeerAnswer {
  readonly status: number;
  readonly body: string;
  readonly signature: unknown;
  readonly etag: string | undefined;
  readonly challenge: string | undefined;
  /** The nonce the request was signed over (its answer must be signed over it too). */
  readonly nonce: string;
}

/** The directories to list, in requests that stay under both limits. */
export function batches(dirs: readonly string[]): string[][] {
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

/** A GET to a peer, signed with the pair's secret when there is one (and its challenge). */
export async function signedGet(
  ha: HaState,
  url: URL,
  opts: {
    timeoutMs: number;
    maxBytes: number;
    headers?: Record<string, string>;
    challenge?: string;
  },
): Promise<PeerAnswer> {
  const nonce = randomBytes(16).toString('hex');
  const headers: Record<string, string> = { ...opts.headers, [NONCE_HEADER]: nonce };
  if (ha.secret !== undefined) {
    const parts = ['req', ha.cfg.cluster, url.pathname + url.search, nonce];
    if (opts.challenge !== undefined) {
      parts.push(opts.challenge);
      headers[CHALLENGE_HEADER] = opts.challenge;
    }
    headers[SIGNATURE_HEADER] = sign(ha.secret, parts);
  }
  const res = await request(url, {
    headers,
    timeoutMs: opts.timeoutMs,
    maxBytes: opts.maxBytes,
    signal: ha.aborter.signal,
  });
  return {
    status: res.status,
    body: res.body.toString('utf8'),
    signature: res.headers[SIGNATURE_HEADER],
    etag: res.headers.etag,
    challenge: challengeValue(res.headers[CHALLENGE_HEADER]),
    nonce,
  };
}

/** Whether an answer carries our secret's signature over its body (or no secret is set). */
export function answerSigned(ha: HaState, res: PeerAnswer): boolean {
  return (
    ha.secret === undefined ||
    signatureMatches(ha.secret, ['resp', res.nonce, res.body], res.signature)
  );
}

/** A signed manifest request to the primary; throws when it fails or is not signed. */
export async function manifestRequest(
  ha: HaState,
  peer: PeerState,
  ds: DatasetState,
  dirs: readonly string[],
  headers: Record<string, string> = {},
): Promise<PeerAnswer> {
  const url = new URL(MANIFEST_PATH, peer.url);
  url.searchParams.set('dataset', ds.cfg.name);
  for (const d of dirs) url.searchParams.append('dir', d);
  const opts = {
    // The primary may have to walk first (no recent walk), and its listings wait behind a
    // running walk (one thread): allow twice our own walk's time, a copy of the same dataset.
    timeoutMs: Math.max(30_000, ha.cfg.timeout, 2 * (ds.walk?.durationMs ?? 0) + 10_000),
    maxBytes: 256 * 1024 * 1024,
    headers,
  };
  // First leg: the primary answers a signed request with a single-use challenge.
  const first = await signedGet(ha, url, { ...opts, maxBytes: 64 * 1024 });
  if (first.status !== 401 || first.challenge === undefined) {
    throw new Error(`HTTP ${first.status} without a challenge: ${first.body.slice(0, 200)}`);
  }
  const res = await signedGet(ha, url, { ...opts, challenge: first.challenge });
  if (!answerSigned(ha, res)) throw new Error('the answer is not signed with our secret');
  if (res.status !== 200 && res.status !== 304) {
    throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
  }
  return res;
}

/** The primary's directory summaries, reused from the last fetch while its ETag holds. */
export async function fetchSummaries(
  ha: HaState,
  peer: PeerState,
  ds: DatasetState,
): Promise<RemoteManifest> {
  const cached = ds.remote?.peer === peer.name ? ds.remote : undefined;
  const res = await manifestRequest(
    ha,
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
}

function challengeValue(v: string | string[] | undefined): string | undefined {
  return typeof v === 'string' && /^[0-9a-f]{32}$/.test(v) ? v : undefined;
}
