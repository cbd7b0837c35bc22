/**
 * A small structured logger in the Prometheus ecosystem's formats (logfmt by default, json on
 * request). Written by hand: pino and winston speak JSON only and their logfmt transports are
 * unmaintained, and the whole thing is a few dozen lines.
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['logfmt', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(fields: Fields): Logger;
}

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  write?: (line: string) => void;
  now?: () => Date;
}

function logfmtValue(v: unknown): string {
  const s =
    v instanceof Error ? v.message : typeof v === 'string' ? v : (JSON.stringify(v) ?? 'undefined');
  return /^[^\s"=\\]+$/.test(s) ? s : JSON.stringify(s);
}

export function createLogger(opts: LoggerOptions, bound: Fields = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(opts.level);
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const now = opts.now ?? (() => new Date());
  const log = (level: LogLevel, msg: string, fields: Fields = {}): void => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const record: Fields = { ts: now().toISOString(), level, msg, ...bound, ...fields };
    if (opts.format === 'json') {
      write(JSON.stringify(record, (_k, v: unknown) => (v instanceof Error ? v.message : v)));
    } else {
      write(
        Object.entries(record)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${k}=${logfmtValue(v)}`)
          .join(' '),
      );
    }
  };
  return {
    debug: (m, f) => {
      log('debug', m, f);
    },
    info: (m, f) => {
      log('info', m, f);
    },
    warn: (m, f) => {
      log('warn', m, f);
    },
    error: (m, f) => {
      log('error', m, f);
    },
    child: (fields) => createLogger(opts, { ...bound, ...fields }),
  };
}

/** A logger that drops everything, for tests. */
export const silentLogger: Logger = createLogger({
  level: 'error',
  format: 'logfmt',
  write: () => {},
});
