import { parseArgs } from 'node:util';
import { normalizeHostDir, type HostPaths } from './core/host-paths.ts';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from './core/logger.ts';
import { LANGS, parseRunbookBase, type Lang } from './rules/runbook-url.ts';

export interface Flags {
  configFile: string | undefined;
  listenAddress: string;
  telemetryPath: string;
  webConfigFile: string | undefined;
  maxRequests: number;
  logLevel: LogLevel;
  logFormat: LogFormat;
  checkConfig: boolean;
  /** --print-rules[=LANG]: print the shipped rule file of LANG and exit. */
  printRules: Lang | undefined;
  /** --rules.runbook-url: the runbook base for --print-rules, checked, without a trailing slash. */
  runbookUrl: string | undefined;
  /** --path.rootfs, --path.procfs, --path.sysfs: where the host is (core/host-paths.ts). */
  hostPaths: HostPaths;
  version: boolean;
  help: boolean;
}

export const DEFAULT_PORT = 9872;

export const HELP = `usage: patrol [flags]

Prometheus exporter for the daily inspection checklist.

Flags:
  --config.file=PATH          YAML configuration (absent: the embedded default)
  --web.listen-address=ADDR   address to listen on (default ":${DEFAULT_PORT}")
  --web.telemetry-path=PATH   path under which metrics are exposed (default "/metrics")
  --web.config.file=PATH      TLS and basic-auth configuration (exporter-toolkit web config format)
  --web.max-requests=N        scrapes served in parallel; more get 503 (default 40, 0 = unbounded)
  --log.level=LEVEL           debug, info, warn or error (default "info")
  --log.format=FORMAT         logfmt or json (default "logfmt")
  --path.rootfs=PATH          where the host's root is mounted, in a container (default "/")
  --path.procfs=PATH          proc filesystem to read (default "/proc")
  --path.sysfs=PATH           sys filesystem to read (default "/sys")
  --check-config              validate the configuration, print what would run, and exit
  --print-rules[=LANG]        print the shipped alerting rules, LANG en (default) or zh-CN, and exit
  --rules.runbook-url=URL     with --print-rules: where the runbooks are, e.g.
                              "http://patrol-host:${DEFAULT_PORT}/runbooks" (patrol serves them there)
  --version                   print the version and exit
  --help                      print this help and exit
`;

export class UsageError extends Error {
  override name = 'UsageError';
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag}: ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
}

function hostDir(flag: string, value: string, kind: 'rootfs' | 'other' = 'other'): string {
  try {
    return normalizeHostDir(value, kind);
  } catch (err) {
    throw new UsageError(`--${flag}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * `--name` alone, for a flag whose value is optional: `--name=fallback`, unless the next argument
 * is one of its values (`--name value`).
 */
function bareFlagValue(
  argv: readonly string[],
  name: string,
  fallback: string,
  values: readonly string[],
): string[] {
  return argv.map((arg, i) =>
    arg === `--${name}` && !values.includes(argv[i + 1] ?? '') ? `--${name}=${fallback}` : arg,
  );
}

/** Parses flags in Prometheus' style (--name=value or --name value). */
export function parseFlags(argv: readonly string[]): Flags {
  let values;
  try {
    ({ values } = parseArgs({
      args: bareFlagValue(argv, 'print-rules', LANGS[0], LANGS),
      strict: true,
      allowPositionals: false,
      options: {
        'config.file': { type: 'string' },
        'web.listen-address': { type: 'string', default: `:${DEFAULT_PORT}` },
        'web.telemetry-path': { type: 'string', default: '/metrics' },
        'web.config.file': { type: 'string' },
        'web.max-requests': { type: 'string', default: '40' },
        'log.level': { type: 'string', default: 'info' },
        'log.format': { type: 'string', default: 'logfmt' },
        'path.rootfs': { type: 'string', default: '/' },
        'path.procfs': { type: 'string', default: '/proc' },
        'path.sysfs': { type: 'string', default: '/sys' },
        'check-config': { type: 'boolean', default: false },
        'print-rules': { type: 'string' },
        'rules.runbook-url': { type: 'string' },
        version: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message, { cause: err });
  }
  const telemetryPath = values['web.telemetry-path'];
  if (!telemetryPath.startsWith('/')) {
    throw new UsageError(
      `--web.telemetry-path: ${JSON.stringify(telemetryPath)} must start with "/"`,
    );
  }
  const maxRequests = Number(values['web.max-requests']);
  if (!Number.isInteger(maxRequests) || maxRequests < 0) {
    throw new UsageError(
      `--web.max-requests: ${JSON.stringify(values['web.max-requests'])} is not a non-negative integer`,
    );
  }
  parseListenAddress(values['web.listen-address']);
  const printRules =
    values['print-rules'] === undefined
      ? undefined
      : oneOf('print-rules', values['print-rules'], LANGS);
  let runbookUrl: string | undefined;
  if (values['rules.runbook-url'] !== undefined) {
    if (printRules === undefined) {
      throw new UsageError('--rules.runbook-url: only applies with --print-rules');
    }
    try {
      runbookUrl = parseRunbookBase(values['rules.runbook-url']);
    } catch (err) {
      throw new UsageError(`--rules.runbook-url: ${(err as Error).message}`, { cause: err });
    }
  }
  return {
    configFile: values['config.file'],
    listenAddress: values['web.listen-address'],
    telemetryPath,
    webConfigFile: values['web.config.file'],
    maxRequests,
    logLevel: oneOf('log.level', values['log.level'], LOG_LEVELS),
    logFormat: oneOf('log.format', values['log.format'], LOG_FORMATS),
    checkConfig: values['check-config'],
    printRules,
    runbookUrl,
    hostPaths: {
      rootfs: hostDir('path.rootfs', values['path.rootfs'], 'rootfs'),
      procfs: hostDir('path.procfs', values['path.procfs']),
      sysfs: hostDir('path.sysfs', values['path.sysfs']),
    },
    version: values.version,
    help: values.help,
  };
}

/** Splits "host:port", ":port" or "[::1]:port"; an empty host means every address. */
export function parseListenAddress(addr: string): { host: string | undefined; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(addr);
  const port = Number(m?.[3]);
  if (!m || port > 65535) {
    throw new UsageError(
      `--web.listen-address: ${JSON.stringify(addr)} is not host:port (e.g. ":${DEFAULT_PORT}", "127.0.0.1:${DEFAULT_PORT}")`,
    );
  }
  const host = m[1] ?? m[2];
  return { host: host === '' || host === undefined ? undefined : host, port };
}
