/**
 * bench/db-replication.ts, the exporters: patrol with the three groups, the three Debian
 * exporters each on a replica, and what each one's scrape says about its pair.
 */
import { readFile, readlink, realpath, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { onlyCollectors } from '../../test/harness/config.ts';
import { groupFor } from '../../test/harness/db-replication.ts';
import { freePort } from '../../test/harness/http.ts';
import type { Engine, Pair } from '../../test/harness/replication.ts';
import { get, NODE, Proc, startPatrol, waitUntilAnswers, type Running } from '../lib/peers.ts';

export const ENGINES: readonly Engine[] = ['redis', 'postgres', 'mysql'];

export const BINARIES: Readonly<Record<Engine, string>> = {
  redis: process.env.REDIS_EXPORTER ?? '/usr/bin/prometheus-redis-exporter',
  postgres: process.env.POSTGRES_EXPORTER ?? '/usr/bin/prometheus-postgres-exporter',
  mysql: process.env.MYSQLD_EXPORTER ?? '/usr/bin/prometheus-mysqld-exporter',
};
export const PEER_NAMES: Readonly<Record<Engine, string>> = {
  redis: 'redis_exporter',
  postgres: 'postgres_exporter',
  mysql: 'mysqld_exporter',
};
/** postgres_exporter 0.11.1 has no lag of its own: Debian ships this query file as the example. */
const PG_QUERIES = '/usr/share/doc/prometheus-postgres-exporter/examples/queries.yaml';

// ---------------------------------------------------------------------------------------------
// Prometheus text

/** Every sample of a scrape: name -> [labels text, value]. */
export type Samples = ReadonlyMap<string, readonly { labels: string; value: number }[]>;

export function parseSamples(body: string): Samples {
  const out = new Map<string, { labels: string; value: number }[]>();
  for (const line of body.split('\n')) {
    // No timestamps in these exporters' output; a label value may hold spaces.
    const m = /^([A-Za-z_:][A-Za-z0-9_:]*)(\{.*\})?\s+(\S+)$/.exec(line);
    if (m?.[1] === undefined || m[3] === undefined) continue;
    const list = out.get(m[1]) ?? [];
    list.push({ labels: m[2] ?? '', value: Number(m[3]) });
    out.set(m[1], list);
  }
  return out;
}

/** The first sample of `name` whose labels include every `k="v"` of `labels`; undefined if none. */
export function value(
  samples: Samples,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return samples.get(name)?.find((s) => want.every((w) => s.labels.includes(w)))?.value;
}

export function seriesCount(samples: Samples): number {
  let n = 0;
  for (const list of samples.values()) n += list.length;
  return n;
}

// ---------------------------------------------------------------------------------------------
// what each exporter says

export interface PatrolView {
  heartbeat: number | undefined;
  native: number | undefined;
  linkUp: number | undefined;
}

export function patrolView(samples: Samples, engine: Engine): PatrolView {
  const at = { group: engine, server: 'replica' };
  return {
    heartbeat: value(samples, 'patrol_db_replication_lag_seconds', { ...at, method: 'heartbeat' }),
    native: value(samples, 'patrol_db_replication_lag_seconds', { ...at, method: 'native' }),
    linkUp: value(samples, 'patrol_db_replication_link_up', at),
  };
}

export interface PeerView {
  /**
   * The peer's lag of the replica, the series an alert on it would use (redis_exporter: the
   * replica's seconds since its last I/O with the primary); undefined when absent.
   */
  lag: number | undefined;
  /** The primary's view of the replica's lag (redis_exporter only). */
  primaryLag?: number | undefined;
  /** Its link series says up; undefined when it has none or it is absent. */
  linkUp: boolean | undefined;
  /** The series, as printed on each line. */
  text: string;
}

const show = (v: number | undefined): string => (v === undefined ? 'absent' : String(v));

/** The peer's series of its replica (and, for redis_exporter, of the primary). */
export function peerView(engine: Engine, replica: Samples, primary?: Samples): PeerView {
  switch (engine) {
    case 'redis': {
      const lag = value(replica, 'redis_master_last_io_seconds_ago');
      const link = value(replica, 'redis_master_link_up');
      const p = primary ?? new Map();
      const primaryLag = value(p, 'redis_connected_slave_lag_seconds');
      const slaves = value(p, 'redis_connected_slaves');
      return {
        lag,
        primaryLag,
        linkUp: link === undefined ? undefined : link === 1,
        text: `replica: master_last_io_seconds_ago ${show(lag)}, master_link_up ${show(link)}; primary: connected_slave_lag_seconds ${show(primaryLag)}, connected_slaves ${show(slaves)}`,
      };
    }
    case 'postgres': {
      const lag = value(replica, 'pg_replication_lag');
      return {
        lag,
        linkUp: undefined,
        text: `pg_replication_lag ${lag === undefined ? 'absent' : lag.toFixed(2)} (no link series)`,
      };
    }
    case 'mysql': {
      const lag = value(replica, 'mysql_slave_status_seconds_behind_master');
      const io = value(replica, 'mysql_slave_status_slave_io_running');
      const sql = value(replica, 'mysql_slave_status_slave_sql_running');
      return {
        lag,
        linkUp: io === undefined ? undefined : io === 1,
        text: `slave_status_seconds_behind_master ${show(lag)}, slave_io_running ${show(io)}, slave_sql_running ${show(sql)}`,
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// starting them

export interface Exporter extends Running {
  name: string;
  /** Keep-alive, one connection: as Prometheus scrapes. */
  agent: http.Agent;
}

export interface Exporters {
  patrol: Exporter;
  peers: Record<Engine, Exporter>;
  /** redis_exporter's multi-target endpoint for the primary (its /scrape?target=). */
  redisPrimaryUrl: string;
  all(): Exporter[];
  stop(): Promise<void>;
}

const keepAlive = () => new http.Agent({ keepAlive: true, maxSockets: 1 });

/** The pg_replication entry of Debian's example queries.yaml, verbatim. */
async function pgReplicationQuery(): Promise<string> {
  const text = await readFile(PG_QUERIES, 'utf8').catch(() => {
    throw new Error(
      `${PG_QUERIES} is missing: postgres_exporter 0.11.1 exposes no replication lag without it (reinstall prometheus-postgres-exporter)`,
    );
  });
  const m = /^pg_replication:\n(?:[ \t].*\n|\n)*/m.exec(text);
  if (m === null) throw new Error(`no pg_replication query in ${PG_QUERIES}`);
  return m[0].trimEnd() + '\n';
}

async function startPeer(
  engine: Engine,
  pair: Pair,
  dir: string,
): Promise<{ exporter: Exporter; args: string[] }> {
  const port = await freePort();
  const listen = `--web.listen-address=127.0.0.1:${port}`;
  const [host, dbPort] = pair.replicaTarget.split(':');
  let args: string[];
  let env: Record<string, string>;
  switch (engine) {
    case 'redis':
      args = [`--redis.addr=redis://${pair.replicaTarget}`, listen];
      env = { REDIS_PASSWORD: pair.password };
      break;
    case 'postgres': {
      const queries = join(dir, 'pg-queries.yaml');
      await writeFile(queries, await pgReplicationQuery());
      args = [`--extend.query-path=${queries}`, listen];
      env = {
        DATA_SOURCE_NAME: `postgresql://postgres:${pair.password}@${host ?? ''}:${dbPort ?? ''}/postgres?sslmode=disable`,
      };
      break;
    }
    case 'mysql':
      args = ['--collect.slave_status', listen];
      env = { DATA_SOURCE_NAME: `${pair.user ?? ''}:${pair.password}@(${pair.replicaTarget})/` };
      break;
  }
  const proc = new Proc(PEER_NAMES[engine], BINARIES[engine], args, env);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilAnswers(proc, `${url}/metrics`);
  return { exporter: { name: PEER_NAMES[engine], proc, url, agent: keepAlive() }, args };
}

/** The process measured must be the binary itself, not a wrapper. */
async function checkExe(e: Exporter, bin: string): Promise<void> {
  const exe = await readlink(`/proc/${e.proc.pid}/exe`);
  if (exe !== (await realpath(bin)))
    throw new Error(`${e.name}: /proc/${e.proc.pid}/exe is ${exe}, not ${bin}`);
}

export async function startExporters(pairs: Record<Engine, Pair>, dir: string): Promise<Exporters> {
  const config = onlyCollectors({ db_replication: {} });
  config.collectors.db_replication = {
    enabled: true,
    groups: ENGINES.map((e) => groupFor(pairs[e])),
  };
  const configFile = join(dir, 'patrol.yml');
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const started: Running[] = [];
  try {
    const p = await startPatrol([`--config.file=${configFile}`]);
    started.push(p);
    const patrol: Exporter = { ...p, name: 'patrol', agent: keepAlive() };
    const peers = {} as Record<Engine, Exporter>;
    for (const engine of ENGINES) {
      const { exporter, args } = await startPeer(engine, pairs[engine], dir);
      started.push(exporter);
      peers[engine] = exporter;
      console.log(
        `${exporter.name}: ${BINARIES[engine]} ${args.join(' ')} (pid ${exporter.proc.pid})`,
      );
    }
    await checkExe(patrol, NODE);
    for (const engine of ENGINES) await checkExe(peers[engine], BINARIES[engine]);
    const all = () => [patrol, peers.redis, peers.postgres, peers.mysql];
    return {
      patrol,
      peers,
      redisPrimaryUrl: `${peers.redis.url}/scrape?target=${encodeURIComponent(`redis://${pairs.redis.primaryTarget}`)}`,
      all,
      async stop() {
        for (const e of all()) e.agent.destroy();
        await Promise.all(all().map((e) => e.proc.stop()));
      },
    };
  } catch (err) {
    await Promise.all(started.map((r) => r.proc.stop()));
    throw err;
  }
}

/** GET a scrape; anything but 200 throws with the exporter's log. */
export async function scrape(e: Exporter, url = `${e.url}/metrics`): Promise<Samples> {
  const res = await get(url, e.agent, {}, 10_000);
  if (res.status !== 200)
    throw new Error(`${e.name} ${url}: HTTP ${res.status}\n${res.body.slice(0, 500)}`);
  return parseSamples(res.body);
}
