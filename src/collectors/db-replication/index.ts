import { defineCollector, type Collector, type CollectorContext } from '../../core/collector.ts';
import { describeError } from '../../core/errors.ts';
import { LogOnce } from '../../core/log-once.ts';
import type { MetricSink } from '../../core/metrics.ts';
import { deadlineSignal } from '../probes/dial.ts';
import { newMemory, writeGroup, type GroupMemory, type ReadResult } from './assess.ts';
import {
  dbReplicationConfig,
  serverName,
  type DbReplicationConfig,
  type GroupConfig,
} from './config.ts';
import { HeartbeatWriter } from './heartbeat.ts';
import { dbFamilies, type Engine } from './metrics.ts';
import { connectMysql } from './mysql.ts';
import { connectPostgres } from './postgres.ts';
import { connectRedis } from './redis.ts';
import { ServerLink, type Connect, type Role } from './session.ts';

export const CONNECTORS: Readonly<Record<Engine, Connect>> = {
  redis: connectRedis,
  postgres: connectPostgres,
  mysql: connectMysql,
};

interface Group {
  readonly g: GroupConfig;
  readonly primary: ServerLink;
  readonly replicas: readonly ServerLink[];
  readonly memory: GroupMemory;
  readonly writer: HeartbeatWriter | undefined;
}

/**
 * Scrape-time collector with a background heartbeat writer: each scrape reads every server of
 * every group at once (each under its group's timeout, over a connection kept open), so the
 * lag it reports is the lag at the scrape; the writers keep the heartbeats moving between
 * scrapes.
 */
export function createDbReplicationCollector(
  cfg: DbReplicationConfig,
  ctx: CollectorContext,
  connectors: Readonly<Record<Engine, Connect>> = CONNECTORS,
): Collector {
  const log = ctx.logger.child({ collector: 'db_replication' });
  const failing = new LogOnce(log);
  const writing = new LogOnce(log);
  const now = Date.now() / 1000;
  const groups: Group[] = cfg.groups.map((g) => {
    const connect = connectors[g.engine];
    const link = (server: GroupConfig['primary']) =>
      new ServerLink((signal) => connect(g, server, signal));
    const hb = g.heartbeat;
    return {
      g,
      primary: link(g.primary),
      replicas: g.replicas.map(link),
      memory: newMemory(now),
      writer:
        hb?.write === true
          ? new HeartbeatWriter({
              link: link(g.primary),
              intervalMs: hb.interval,
              timeoutMs: g.timeout,
              failing: writing,
              key: g.name,
            })
          : undefined,
    };
  });

  const read = async (
    grp: Group,
    link: ServerLink,
    server: GroupConfig['primary'],
    role: Role,
  ): Promise<ReadResult> => {
    const t0 = performance.now();
    const signal = deadlineSignal(grp.g.timeout);
    const key = `${grp.g.name}/${serverName(server)}`;
    try {
      const view = await link.use((s) => s.read(role, signal), signal);
      failing.recover(key, 'server answers again', {
        group: grp.g.name,
        server: serverName(server),
      });
      return { ok: true, view, seconds: (performance.now() - t0) / 1000 };
    } catch (err) {
      const why = signal.aborted ? `no answer within ${grp.g.timeout} ms` : describeError(err);
      failing.fail(key, why, 'reading replication state failed', {
        group: grp.g.name,
        server: serverName(server),
        target: server.target,
        err: why,
      });
      return { ok: false, seconds: (performance.now() - t0) / 1000 };
    }
  };

  return {
    name: 'db_replication',
    timeoutMs: cfg.timeout,
    start() {
      for (const grp of groups) grp.writer?.start();
      return Promise.resolve();
    },
    async stop() {
      await Promise.all(groups.map((grp) => grp.writer?.stop() ?? Promise.resolve()));
      for (const grp of groups) {
        grp.primary.close();
        for (const r of grp.replicas) r.close();
      }
    },
    async collect(sink: MetricSink) {
      await Promise.all(
        groups.map(async (grp) => {
          const [primary, ...replicas] = await Promise.all([
            read(grp, grp.primary, grp.g.primary, 'primary'),
            ...grp.replicas.map((link, i) =>
              read(grp, link, grp.g.replicas[i] as GroupConfig['primary'], 'replica'),
            ),
          ]);
          writeGroup(
            sink,
            grp.g,
            primary,
            replicas,
            grp.memory,
            Date.now() / 1000,
            grp.writer?.counts,
          );
        }),
      );
    },
  };
}

export const dbReplicationCollector = defineCollector({
  name: 'db_replication',
  config: dbReplicationConfig,
  families: Object.values(dbFamilies),
  describe: (cfg) => {
    if (!cfg.enabled) return 'disabled in configuration (collectors.db_replication.enabled: false)';
    const engines = [...new Set(cfg.groups.map((g) => g.engine))].join(', ');
    const servers = cfg.groups.reduce((n, g) => n + 1 + g.replicas.length, 0);
    const writers = cfg.groups.filter((g) => g.heartbeat?.write === true).length;
    return `${cfg.groups.length} replication groups (${engines}), ${servers} servers, heartbeat written by patrol in ${writers}`;
  },
  unavailable: (cfg) =>
    cfg.groups.length === 0
      ? 'no replication groups configured (collectors.db_replication.groups is empty)'
      : undefined,
  create: (cfg, ctx) => createDbReplicationCollector(cfg, ctx),
});
