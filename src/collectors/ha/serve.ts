/**
 * What a node answers its peers on the exporter's own listener: GET /ha/heartbeat, and
 * GET /ha/manifest for the standby's compares (signed requests only, over a single-use
 * challenge).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogOnce } from '../../core/log-once.ts';
import type { RouteResponse } from '../../core/routes.ts';
import { CHALLENGE_HEADER, MAX_DIRS_PER_REQUEST } from './client.ts';
import { walkOnce } from './comparing.ts';
import {
  NONCE_HEADER,
  sign,
  SIGNATURE_HEADER,
  signatureMatches,
  type Heartbeat,
} from './heartbeat.ts';
import { entriesBody, manifestBody } from './manifest.ts';
import type { Endpoint, HaState } from './state.ts';

const UNAUTHORIZED: RouteResponse = {
  status: 401,
  type: 'text/plain; charset=utf-8',
  body: 'Unauthorized\n',
  headers: { 'WWW-Authenticate': 'Patrol-HMAC' },
};

/** The routes of one node: its answers, and the challenges it has issued. */
export function peerRoutes(ha: HaState) {
  /**
   * Whether a request to one of our routes is signed with the pair's secret (or none is set),
   * over the challenge this node issued when one is given.
   */
  const authorized = (req: IncomingMessage, challenge?: string): boolean => {
    if (ha.secret === undefined) return true;
    const nonce = req.headers[NONCE_HEADER];
    const parts = ['req', ha.cfg.cluster, req.url ?? '', nonce as string];
    if (challenge !== undefined) parts.push(challenge);
    return (
      typeof nonce === 'string' && signatureMatches(ha.secret, parts, req.headers[SIGNATURE_HEADER])
    );
  };

  /** Refuses a request, saying nothing; counted, and logged once per endpoint and caller. */
  const refuse = (req: IncomingMessage, endpoint: Endpoint): RouteResponse => {
    ha.refusals[endpoint]++;
    refusalLog.fail(
      `${endpoint} ${req.socket.remoteAddress ?? ''}`,
      'unsigned',
      'refused a request not signed with the pair’s secret (logged once per caller)',
      { cluster: ha.cfg.cluster, endpoint, from: req.socket.remoteAddress },
    );
    return UNAUTHORIZED;
  };
  // Callers are outside input: at most 100 of them are remembered (and logged).
  const refusalLog = new LogOnce(ha.log, 100);

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
    req: IncomingMessage,
    status: number,
    body: string,
    extra: Record<string, string> = {},
  ): RouteResponse => {
    const nonce = req.headers[NONCE_HEADER];
    const headers: Record<string, string> = { 'Cache-Control': 'no-store', ...extra };
    if (ha.secret !== undefined && typeof nonce === 'string') {
      headers[SIGNATURE_HEADER] = sign(ha.secret, ['resp', nonce, body]);
    }
    return { status, body, headers };
  };

  const heartbeat = (req: IncomingMessage): RouteResponse => {
    const received = ha.now();
    if (!authorized(req)) return refuse(req, 'heartbeat');
    const hb: Heartbeat = {
      cluster: ha.cfg.cluster,
      node: ha.node,
      role: ha.role,
      startId: ha.startId,
      seq: ++ha.seq,
      received,
      sent: ha.now(),
      ...(ha.ownLinks === undefined ? {} : { links: ha.ownLinks }),
    };
    return signed(req, 200, JSON.stringify(hb));
  };

  /**
   * GET /ha/manifest?dataset=NAME: the directory summaries of this node's last walk of the
   * dataset (ETag: their root hash; If-None-Match gives 304). With &dir=PATH (repeated): those
   * directories' entries now. Served only to requests signed with the pair's secret.
   */
  const manifest = async (req: IncomingMessage): Promise<RouteResponse> => {
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
    const ds = ha.datasets.find((d) => d.cfg.name === name && d.cfg.compare.enabled);
    if (ds === undefined) return signed(req, 404, '{"error":"no such dataset"}');
    const dirs = query.getAll('dir');
    if (dirs.length === 0) {
      let w = ds.walk;
      if (w === undefined || ha.now() - w.startedAt > 2 * ds.cfg.compare.interval) {
        w = await walkOnce(ha, ds);
      }
      if (w === undefined) return signed(req, 503, '{"error":"the dataset cannot be walked"}');
      const etag = `"${w.rootHash}"`;
      if (req.headers['if-none-match'] === etag) return signed(req, 304, '', { ETag: etag });
      return signed(req, 200, manifestBody(ds.cfg.name, ha.node, w, ds.filter.mtimeResolution), {
        ETag: etag,
      });
    }
    const unique = [...new Set(dirs)];
    if (unique.length > MAX_DIRS_PER_REQUEST) {
      return signed(req, 400, `{"error":"at most ${MAX_DIRS_PER_REQUEST} dir parameters"}`);
    }
    // listDirectories lists only paths inside the dataset that include and exclude admit.
    const listed = await ha.walker.list({ root: ds.cfg.path, dirs: unique, filter: ds.filter });
    return signed(req, 200, entriesBody(ds.cfg.name, listed));
  };

  return { heartbeat, manifest };
}
