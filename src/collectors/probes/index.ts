import { defineCollector, type Collector, type CollectorContext } from '../../core/collector.ts';
import { describeError } from '../../core/errors.ts';
import { LogOnce } from '../../core/log-once.ts';
import type { MetricSink } from '../../core/metrics.ts';
import { parseProbe, probesConfig, type ProbeConfig, type ProbesConfig } from './config.ts';
import { systemLookup, type Lookup } from './dial.ts';
import { probeHttp } from './http.ts';
import { probeFamilies } from './metrics.ts';
import { failureReason, PhaseTimer, type ProbeContext, type ProbeResult } from './outcome.ts';
import { effectiveProbes } from './presets.ts';
import { writeProbe } from './samples.ts';
import { ProbeScheduler } from './schedule.ts';
import { probeMysql } from './mysql.ts';
import { probePostgres } from './postgres.ts';
import { probeRabbitmq } from './rabbitmq.ts';
import { probeRedis } from './redis.ts';
import { probeTcp } from './tcp.ts';

/** A scrape stops starting probes this long before the runner would cut the collector. */
const SCRAPE_MARGIN_MS = 250;

export interface ProbesAdapters {
  readonly lookup: Lookup;
}

/** Each module's prober, by name. */
const MODULES: {
  readonly [M in ProbeConfig['module']]: (
    p: Extract<ProbeConfig, { module: M }>,
    ctx: ProbeContext,
    lookup: Lookup,
  ) => Promise<void>;
} = {
  tcp: probeTcp,
  http: probeHttp,
  redis: probeRedis,
  postgres: probePostgres,
  mysql: probeMysql,
  rabbitmq: probeRabbitmq,
};

/** Runs one probe under its deadline and turns whatever happened into a result. */
export async function attemptProbe(
  p: ProbeConfig,
  signal: AbortSignal,
  lookup: Lookup = systemLookup,
): Promise<ProbeResult> {
  const ctx: ProbeContext = { signal, timer: new PhaseTimer(), facts: {} };
  try {
    await MODULES[p.module](p as never, ctx, lookup);
    ctx.timer.end();
    return result(ctx, true, undefined, undefined);
  } catch (err) {
    ctx.timer.end();
    return result(ctx, false, err, signal.aborted ? 'timeout' : undefined);
  }
}

function result(
  ctx: ProbeContext,
  ok: boolean,
  err: unknown,
  forced: 'timeout' | undefined,
): ProbeResult {
  return {
    ok,
    reason: ok ? 'none' : (forced ?? failureReason(err)),
    message: ok ? undefined : describeError(err),
    seconds: ctx.timer.elapsed(),
    phases: ctx.timer.seconds,
    facts: ctx.facts,
    at: Date.now(),
  };
}

/**
 * Scrape-time collector (background for probes with an interval): every configured probe
 * reports on every scrape, within the collector's timeout, whatever its targets do.
 */
export function createProbesCollector(
  cfg: ProbesConfig,
  ctx: CollectorContext,
  adapters: ProbesAdapters = { lookup: systemLookup },
): Collector & { readonly scheduler: ProbeScheduler } {
  const log = ctx.logger.child({ collector: 'probes' });
  const probes = effectiveProbes(cfg, parseProbe);
  const failing = new LogOnce(log);
  const scheduler = new ProbeScheduler(
    (p, signal) => attemptProbe(p, signal, adapters.lookup),
    cfg.max_in_flight,
  );
  const note = (p: ProbeConfig, r: ProbeResult) => {
    if (r.ok) {
      failing.recover(p.name, 'probe succeeds again', { probe: p.name, target: p.target });
    } else {
      failing.fail(p.name, r.reason, 'probe failed', {
        probe: p.name,
        target: p.target,
        reason: r.reason,
        err: r.message,
      });
    }
  };
  return {
    name: 'probes',
    timeoutMs: cfg.timeout,
    scheduler,
    start() {
      scheduler.startBackground(probes);
      return Promise.resolve();
    },
    ready: () => scheduler.backgroundReady(probes),
    stop: () => scheduler.stop(),
    async collect(sink: MetricSink) {
      const deadline = performance.now() + cfg.timeout - SCRAPE_MARGIN_MS;
      await Promise.all(
        probes.map(async (p) => {
          const r = await scheduler.forScrape(p, deadline);
          note(p, r);
          writeProbe(sink, p, r, scheduler.isStuck(p.name));
        }),
      );
    },
  };
}

export const probesCollector = defineCollector({
  name: 'probes',
  config: probesConfig,
  families: Object.values(probeFamilies),
  describe: (cfg) => {
    if (!cfg.enabled) return 'disabled in configuration (collectors.probes.enabled: false)';
    const probes = effectiveProbes(cfg, parseProbe);
    const background = probes.filter((p) => p.interval !== undefined).length;
    const modules = [...new Set(probes.map((p) => p.module))].join(', ');
    const presets = cfg.presets.length === 0 ? '' : ` (presets ${cfg.presets.join(', ')})`;
    return `${probes.length} probes${presets}: ${modules}; ${probes.length - background} on each scrape and ${background} in the background, at most ${cfg.max_in_flight} at once`;
  },
  unavailable: (cfg) =>
    cfg.probes.length === 0 && cfg.presets.length === 0
      ? 'no probes configured (collectors.probes.probes and presets are empty)'
      : undefined,
  create: (cfg, ctx) => createProbesCollector(cfg, ctx),
});
