/**
 * The HA collector (checklist H1-H6), one node of a hot-standby pair. Background: every
 * `interval` it reads this node's role and asks each peer for its heartbeat (peers.ts); each
 * dataset's canary is written or read every `canary.interval` (canary-loop.ts) and its copies
 * compared every `compare.interval` (comparing.ts); it answers the peers on the exporter's own
 * listener (serve.ts). A scrape reads memory (samples.ts).
 */
import { hostname } from 'node:os';
import { defineCollector, type Collector, type CollectorContext } from '../../core/collector.ts';
import type { MetricSink } from '../../core/metrics.ts';
import { readSecretFile } from '../../core/secret.ts';
import { startCanary, type CanaryWriter } from './canary-loop.ts';
import { MANIFEST_PATH } from './client.ts';
import { compareStep, startComparing } from './comparing.ts';
import { haConfig, SECRET_MIN_LENGTH, type HaConfig } from './config.ts';
import { HEARTBEAT_PATH } from './heartbeat.ts';
import { HaLinks, hostSources, type HaLinksOptions, type LinkSources } from './links/watch.ts';
import { haFamilies as f } from './metrics.ts';
import { round as roundOnce, updateRole } from './peers.ts';
import { emitHa, refreshCanaries } from './samples.ts';
import { peerRoutes } from './serve.ts';
import { isUp, newHaState, peerLinkUp } from './state.ts';

export { MANIFEST_PATH };

export interface HaDeps {
  /** This node's clock, ms since the epoch (tests skew it). */
  readonly now?: () => number;
  readonly hostname?: () => string;
  /** Where the links are read from (tests point them at a recorded tree). */
  readonly links?: Partial<LinkSources>;
  /** Replaces the VIP conflict probe's arping run (tests). */
  readonly runArping?: HaLinksOptions['runArping'];
  /** Replaces the canary's write (tests: a read-only dataset). */
  readonly writeCanary?: CanaryWriter;
}

export interface HaCollector extends Collector {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Runs one round now: this node's role, then every peer's heartbeat. */
  round(): Promise<void>;
  /** Walks every dataset now and, as standby, compares it with the primary's manifest. */
  compare(): Promise<void>;
}

export function createHaCollector(
  cfg: HaConfig,
  ctx: CollectorContext,
  deps: HaDeps = {},
): HaCollector {
  // --path.sysfs and --path.procfs; a `vip` role reads the system's, whatever tests record.
  const system = hostSources(ctx.host);
  const ha = newHaState(
    cfg,
    ctx.logger.child({ collector: 'ha' }),
    cfg.node ?? (deps.hostname ?? hostname)(),
    deps.now ?? Date.now,
    system.procNet,
  );
  const routes = peerRoutes(ha);
  const links = cfg.links.enabled
    ? new HaLinks(cfg, { ...system, ...deps.links }, ha.logOnce, {
        holdsVip: () => ha.role === 'primary',
        runArping: deps.runArping,
      })
    : undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  /** Every peer has been asked once (answered or not): the collector is ready. */
  let firstRoundDone = false;
  const removeRoutes: (() => void)[] = [];

  /** This node's link towards each peer, for its heartbeat answers; kept on failure. */
  const refreshOwnLinks = async (): Promise<void> => {
    if (links === undefined) return;
    try {
      ha.ownLinks = await links.ownLinks();
    } catch (err) {
      ha.log.warn('cannot read this node’s links for the heartbeat', { error: String(err) });
    }
  };

  /** One round at a time: a caller during a round shares it. */
  const round = (): Promise<void> =>
    (running ??= Promise.all([roundOnce(ha), refreshOwnLinks()])
      .then(() => undefined)
      .finally(() => {
        running = undefined;
      }));

  return {
    name: 'ha',
    timeoutMs: cfg.timeout,
    round,
    async compare() {
      for (const ds of ha.datasets) if (ds.cfg.compare.enabled) await compareStep(ha, ds);
    },
    async start() {
      if (cfg.secret_file !== undefined) {
        ha.secret = Buffer.from(readSecretFile(cfg.secret_file, SECRET_MIN_LENGTH), 'utf8');
      }
      const add = ctx.routes?.add.bind(ctx.routes);
      const ownAuth = ha.secret !== undefined;
      removeRoutes.push(add?.(HEARTBEAT_PATH, routes.heartbeat, { ownAuth }) ?? (() => {}));
      // File names leave this node only for signed requests (config requires the secret).
      if (ownAuth && ha.datasets.some((d) => d.cfg.compare.enabled)) {
        removeRoutes.push(add?.(MANIFEST_PATH, routes.manifest, { ownAuth: true }) ?? (() => {}));
      }
      links?.start();
      await updateRole(ha);
      for (const ds of ha.datasets) startCanary(ha, ds, deps.writeCanary);
      const tick = () => {
        if (ha.stopped) return;
        const started = performance.now();
        void round().finally(() => {
          if (ha.stopped) return;
          // A fixed cadence: every `interval` from the start of the last round, not from its end.
          timer = setTimeout(tick, Math.max(0, cfg.interval - (performance.now() - started)));
          // Compares start once the peers' roles are known (the first round).
          if (!firstRoundDone) {
            firstRoundDone = true;
            for (const ds of ha.datasets) if (ds.cfg.compare.enabled) startComparing(ha, ds);
          }
        });
      };
      tick();
    },
    ready: () => firstRoundDone,
    async stop() {
      ha.stopped = true;
      links?.stop();
      clearTimeout(timer);
      for (const ds of ha.datasets) {
        clearTimeout(ds.timer);
        clearTimeout(ds.compareTimer);
      }
      for (const remove of removeRoutes) remove();
      ha.aborter.abort();
      await ha.walker.close();
      await running;
      await Promise.allSettled(ha.datasets.flatMap((ds) => ds.walking ?? []));
    },
    async collect(sink: MetricSink) {
      await refreshCanaries(ha);
      emitHa(ha, sink);
      await links?.collect(
        sink,
        (name) => ha.peers.some((p) => p.name === name && isUp(ha, p)),
        (name) => peerLinkUp(ha, name),
      );
    },
  };
}

export const haCollector = defineCollector({
  name: 'ha',
  config: haConfig,
  families: Object.values(f),
  describe: (cfg) =>
    !cfg.enabled
      ? 'disabled in configuration (collectors.ha.enabled: false)'
      : `cluster ${cfg.cluster}: node ${cfg.node ?? hostname()} (role: ${cfg.role?.source ?? 'unknown'}), peers ${cfg.peers.map((p) => `${p.name} (${p.url})`).join(', ')}${cfg.secret_file === undefined ? '' : ', heartbeats signed'}`,
  create: (cfg, ctx) => createHaCollector(cfg, ctx),
});
