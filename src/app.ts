import { plan, reconcileCollectors } from './collectors/index.ts';
import { loadConfigFile } from './config/load.ts';
import type { Config } from './config/schema.ts';
import { describeError } from './core/errors.ts';
import { render } from './core/exposition.ts';
import { processRegistry as createProcessRegistry } from './core/process-metrics.ts';
import type { Logger } from './core/logger.ts';
import { family, type MetricSink } from './core/metrics.ts';
import { RouteTable } from './core/routes.ts';
import { CollectorRunner, startCollectors, stopCollectors } from './core/runner.ts';
import { startServer, type RunningServer } from './server.ts';
import { buildInfo } from './version.ts';
import { loadWebConfig, type WebConfig } from './webconfig.ts';

export const selfFamilies = {
  buildInfo: family({
    name: 'patrol_build_info',
    help: 'A metric with a constant value 1 labelled with the version, revision and Node.js version patrol runs on.',
    type: 'gauge',
    labels: ['version', 'revision', 'nodejs_version'],
  }),
  reloadSuccessful: family({
    name: 'patrol_config_last_reload_successful',
    help: 'Whether the last configuration load (start-up or SIGHUP) succeeded (1) or failed and the previous configuration is still in use (0).',
    type: 'gauge',
    labels: [],
  }),
  reloadTimestamp: family({
    name: 'patrol_config_last_reload_success_timestamp_seconds',
    help: 'When the configuration was last loaded successfully.',
    type: 'gauge',
    labels: [],
  }),
} as const;

export interface AppOptions {
  configFile: string | undefined;
  webConfigFile: string | undefined;
  host: string | undefined;
  port: number;
  telemetryPath: string;
  maxRequests: number;
  logger: Logger;
}

export interface App {
  readonly server: RunningServer;
  /** Re-reads both configuration files; on error keeps what runs and reports it. */
  reload(): Promise<boolean>;
  stop(): Promise<void>;
}

/** Logs one line per collector: on or off, and why. */
export function logPlan(config: Config, logger: Logger): void {
  for (const p of plan(config)) {
    logger.info(p.enabled ? 'collector on' : 'collector off', { collector: p.name, why: p.why });
  }
}

/**
 * The exporter's lifecycle without process concerns (flags, signals, exit codes), so tests can
 * run it in-process. Configuration errors at start-up reject before the port is bound.
 */
export async function startApp(
  opts: AppOptions,
  config?: Config,
  webConfig?: WebConfig,
): Promise<App> {
  const log = opts.logger;
  const initial = config ?? (await loadConfigFile(opts.configFile));
  const web = webConfig ?? (await loadWebConfig(opts.webConfigFile));

  const processRegistry = createProcessRegistry();

  let reloadOk = true;
  let reloadTimestamp = Date.now() / 1000;
  // The exporter's own state: read from memory, cannot fail, so not a runner-managed collector.
  const addSelfSamples = (sink: MetricSink) => {
    sink.add(selfFamilies.buildInfo, buildInfo, 1);
    sink.add(selfFamilies.reloadSuccessful, {}, reloadOk ? 1 : 0);
    sink.add(selfFamilies.reloadTimestamp, {}, reloadTimestamp);
  };
  const routes = new RouteTable();
  const ctx = { logger: log, routes };

  logPlan(initial, log);
  let active = reconcileCollectors(initial, ctx).active;
  const all = () => active.map((a) => a.collector);
  const runner = new CollectorRunner(all(), log);
  await startCollectors(all(), log);
  let ready = true;

  let server: RunningServer;
  try {
    server = await startServer({
      host: opts.host,
      port: opts.port,
      telemetryPath: opts.telemetryPath,
      maxRequests: opts.maxRequests,
      webConfig: web,
      logger: log,
      version: buildInfo.version,
      routes,
      isReady: () => ready,
      async scrape(contentType) {
        const samples = await runner.collect();
        addSelfSamples(samples);
        return render(samples, processRegistry, contentType);
      },
    });
  } catch (err) {
    await stopCollectors(all());
    throw new Error(`cannot listen on ${opts.host ?? '*'}:${opts.port}`, { cause: err });
  }
  log.info('listening', { address: server.url, telemetry_path: opts.telemetryPath });

  let reloading: Promise<boolean> = Promise.resolve(true);
  let stopping = false;
  const reloadOnce = async (): Promise<boolean> => {
    if (stopping) return false;
    try {
      const [nextConfig, nextWeb] = await Promise.all([
        loadConfigFile(opts.configFile),
        loadWebConfig(opts.webConfigFile),
      ]);
      server.updateWebConfig(nextWeb);
      logPlan(nextConfig, log);
      // Collectors whose section is unchanged keep running with their state; the rest are
      // replaced. Scrapes switch to the new set only once it has started.
      const next = reconcileCollectors(nextConfig, ctx, active);
      ready = false;
      await startCollectors(next.created, log);
      active = next.active;
      runner.setCollectors(all());
      await stopCollectors(next.retired);
      reloadOk = true;
      reloadTimestamp = Date.now() / 1000;
      log.info('configuration reloaded');
      return true;
    } catch (err) {
      reloadOk = false;
      log.error('configuration reload failed; keeping the previous configuration', {
        err: describeError(err),
      });
      return false;
    } finally {
      ready = !stopping;
    }
  };

  return {
    server,
    reload() {
      reloading = reloading.then(reloadOnce);
      return reloading;
    },
    async stop() {
      stopping = true;
      ready = false;
      await reloading; // a reload under way finishes (or sees `stopping`) before collectors stop
      await server.close();
      await stopCollectors(all());
    },
  };
}
