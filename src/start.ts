// The exporter itself, loaded by main.ts once the Node.js version is known to be enough.
// Must run before anything queues work on libuv's thread pool (see docs/architecture.md:
// a hung NFS mount holds one pool thread until it answers).
import './runtime.ts';
import { startApp, logPlan, type App } from './app.ts';
import { HELP, parseFlags, parseListenAddress, UsageError } from './cli.ts';
import { loadConfigFile } from './collectors/index.ts';
import { ConfigError } from './config/load.ts';
import { describeError } from './core/errors.ts';
import { describeHostPaths } from './core/host-paths.ts';
import { createLogger } from './core/logger.ts';
import { buildInfo } from './version.ts';
import { loadWebConfig } from './webconfig.ts';
import { printRulesCommand } from './rules/print.ts';

// `patrol --check-config | head -1`: the reader leaving early is not an error of patrol's.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

async function main(argv: readonly string[]): Promise<number> {
  let flags;
  try {
    flags = parseFlags(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`patrol: ${err.message}\n\n${HELP}`);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (flags.version) {
    process.stdout.write(
      `patrol, version ${buildInfo.version} (revision: ${buildInfo.revision})\n  nodejs: ${buildInfo.nodejs_version}\n`,
    );
    return 0;
  }
  // `--print-rules=en --rules.runbook-url=URL > patrol.rules.yml`: needs no configuration.
  if (flags.printRules !== undefined) return printRulesCommand(flags.printRules, flags.runbookUrl);
  const logger = createLogger({ level: flags.logLevel, format: flags.logFormat });
  let config;
  let webConfig;
  try {
    config = await loadConfigFile(flags.configFile);
    webConfig = await loadWebConfig(flags.webConfigFile);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // Said once: the file, then one problem per line, each with its field's path.
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
  if (flags.checkConfig) {
    process.stdout.write(`configuration ${flags.configFile ?? '(embedded default)'} is valid\n`);
    const host = describeHostPaths(flags.hostPaths);
    if (host !== undefined) process.stdout.write(`${host}\n`);
    logPlan(
      config,
      createLogger({
        level: 'info',
        format: 'logfmt',
        write: (l) => process.stdout.write(l + '\n'),
      }),
      flags.hostPaths,
    );
    return 0;
  }
  // Signals are handled from here on, before start-up finishes: a SIGHUP during start is
  // applied once the app runs, a SIGTERM stops it as soon as it can be stopped.
  let reloadRequested = false;
  let app: App | undefined;
  process.on('SIGHUP', () => {
    logger.info('SIGHUP received, reloading configuration');
    if (app === undefined) reloadRequested = true;
    else void app.reload();
  });
  const stopRequested = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => {
      resolve('SIGTERM');
    });
    process.once('SIGINT', () => {
      resolve('SIGINT');
    });
  });

  logger.info('starting patrol', { ...buildInfo, config: flags.configFile ?? 'embedded default' });
  const { host, port } = parseListenAddress(flags.listenAddress);
  try {
    app = await startApp(
      {
        configFile: flags.configFile,
        webConfigFile: flags.webConfigFile,
        host,
        port,
        telemetryPath: flags.telemetryPath,
        maxRequests: flags.maxRequests,
        hostPaths: flags.hostPaths,
        logger,
      },
      config,
      webConfig,
    );
  } catch (err) {
    logger.error('cannot start', { err: describeError(err) });
    return 1;
  }
  if (reloadRequested) void app.reload();
  const signal = await stopRequested;
  logger.info('shutting down', { signal });
  await app.stop();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`patrol: unexpected error: ${describeError(err)}\n`);
    process.exitCode = 1;
  },
);
