import { loadConfigFile, plan, reconcileCollectors, type Config } from './collectors/index.ts';
import { describeError } from './core/errors.ts';
import { describeHostPaths, type HostPaths } from './core/host-paths.ts';
import { render } from './core/exposition.ts';
import { processRegistry as createProcessRegistry } from './core/process-metrics.ts';
import type { Logger } from './core/logger.ts';
import { family, type MetricSink } from './core/metrics.ts';
import { RouteTable } from './core/routes.ts';
import { RunbookSite } from './runbooks/site.ts';
import { CollectorRunner, stopCollectors } from './core/runner.ts';
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
  /** --path.*: where the host's root, proc and sys are; absent: patrol runs on the host. */
  hostPaths?: HostPaths;
  /** Where the runbooks served at /runbooks/ are (default: docs/runbooks of the installation). */
  runbooksDir?: string;
  logger: Logger;
}

/**
 * How long start-up and a reload wait for collectors' start() before going on without them (they
 * are then not ready, and /-/ready names them, until it returns).
 */
export const START_TIMEOUT_MS = 30_000;

export interface App {
  readonly server: RunningServer;
  /** Settles when every collector has started, or the start timeout passed. */
  readonly started: Promise<void>;
  /** Re-reads both configuration files; on error keeps what runs and reports it. */
  reload(): Promise<boolean>;
  stop(): Promise<void>;
}

/** Logs one line per collector: on or off, and why. */
export function logPlan(config: Config, logger: Logger, host?: HostPaths): void {
  for (const p of plan(config, undefined, host)) {
    logger.info(p.enabled ? 'collector on' : 'collector off', { collector: p.name, why: p.why });
  }
}

/**
 * The exporter's lifecycle without process concerns (flags, signals, exit codes), so tests can
 * run it in-process. It gets its configuration from its caller, which loaded (and reported)
 * it. The listener is bound first and collectors start behind it, so nothing outside (a slow
 * API, a database that does not answer) keeps /metrics and /-/healthy from answering.
 */
export async function startApp(opts: AppOptions, initial: Config, web: WebConfig): Promise<App> {
  const log = opts.logger;

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
  const ctx = {
    logger: log,
    routes,
    ...(opts.hostPaths === undefined ? {} : { host: opts.hostPaths }),
  };
  const hostView = opts.hostPaths === undefined ? undefined : describeHostPaths(opts.hostPaths);
  if (hostView !== undefined) log.info(hostView);

  logPlan(initial, log, opts.hostPaths);
  let active = reconcileCollectors(initial, ctx).active;
  const all = () => active.map((a) => a.collector);
  const runner = new CollectorRunner(all(), log);
  let reloading = false;
  let stopping = false;

  const runbooks = await RunbookSite.load(log, opts.runbooksDir);
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
      runbooks,
      readiness: () => {
        const waiting = runner.notReady();
        return { ready: !stopping && !reloading && waiting.length === 0, waiting };
      },
      async scrape(contentType) {
        const samples = await runner.collect();
        addSelfSamples(samples);
        return render(samples, processRegistry, contentType);
      },
    });
  } catch (err) {
    throw new Error(`cannot listen on ${opts.host ?? '*'}:${opts.port}`, { cause: err });
  }
  log.info('listening', { address: server.url, telemetry_path: opts.telemetryPath });
  const started = runner.start(all(), START_TIMEOUT_MS);

  let reloadChain: Promise<boolean> = Promise.resolve(true);
  const reloadOnce = async (): Promise<boolean> => {
    if (stopping) return false;
    try {
      const [nextConfig, nextWeb] = await Promise.all([
        loadConfigFile(opts.configFile),
        loadWebConfig(opts.webConfigFile),
      ]);
      server.updateWebConfig(nextWeb);
      logPlan(nextConfig, log, opts.hostPaths);
      // Collectors whose section is unchanged keep running with their state; the rest are
      // replaced. Scrapes switch to the new set only once it has started.
      const next = reconcileCollectors(nextConfig, ctx, active);
      reloading = true;
      await runner.start(next.created, START_TIMEOUT_MS);
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
      reloading = false;
    }
  };

  return {
    server,
    started,
    reload() {
      reloadChain = reloadChain.then(reloadOnce);
      return reloadChain;
    },
    async stop() {
      stopping = true;
      await reloadChain; // a reload under way finishes (or sees `stopping`) before collectors stop
      await server.close();
      await stopCollectors(all());
    },
  };
}
