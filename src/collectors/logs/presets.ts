/**
 * Line classifiers ("presets") of the log collector (issue 5): the level of each log entry,
 * one line at a time, from the formats the servers we inspect actually write.
 *
 * An entry may span several lines (a Java stack trace, a RabbitMQ message repeated on several
 * lines, a legacy `=ERROR REPORT====` block, a Redis crash report): its first line decides the
 * level and the others return undefined, so the entry counts once. Nothing is buffered and
 * nothing waits for the next line, so there is no flush timeout (research notes, section 3).
 *
 * Speed: classify runs on every line read (the benchmark reads 1 GiB within 3x of grep). So each
 * preset looks at the first character before running any regex, uses one combined regex where a
 * line must be scanned (separate regexes were 2.4x slower, research 4.5), and allocates nothing
 * on the common path: sticky (`y`) regexes with `test` and `lastIndex`, and `search` for an
 * index, tell where a token is without building a match array; the level is then read from
 * character codes. Lines come decoded as latin1, so every byte is one character: the patterns
 * are ASCII and invalid UTF-8, NUL or binary garbage just fails to match.
 */
import type { Level } from './metrics.ts';

export const FORMATS = [
  'syslog',
  'klog',
  'nginx',
  'redis',
  'rabbitmq',
  'java',
  'access',
  'plain',
] as const;
export type Format = (typeof FORMATS)[number];

/** One line each, used in the config docs. */
export const FORMAT_DESCRIPTIONS: Record<Format, string> = {
  syslog:
    'rsyslog files such as /var/log/messages or /var/log/syslog (traditional or RFC 3339 time): a klog header after the tag gives the level; otherwise error, fail(ed), fatal, panic, segfault, "out of memory" or "call trace" make an error, warn(ing) a warning, anything else info.',
  klog: 'Kubernetes components (klog/glog, `E1121 10:00:00.123456 ...`): F critical, E error, W warning, I info.',
  nginx:
    'nginx error log: emerg, alert and crit are critical, error error, warn warning, notice and info info, debug debug.',
  redis:
    "Redis server log: `#` is a warning (an error when it says error, failed, can't, crashed, OOM...), `*` info, `-` and `.` debug; lines without the prefix (the crash report) belong to the entry before.",
  rabbitmq:
    'RabbitMQ 3.7+ (`[error]`, `[warning]`... after the time; a message repeated on several lines with the same prefix counts once) and legacy `=ERROR REPORT====` blocks.',
  java: 'log4j, logback, Spring Boot, Tomcat JULI: the first level word of a line that starts with a time or a level; stack traces and other lines count with their header.',
  access:
    'nginx or Apache combined/common access log, Tomcat AccessLogValve: HTTP 5xx is an error, any other status info.',
  plain: 'No level: every line counts as other (add rules to match what matters).',
};

export interface LineClassifier {
  /**
   * The level of the entry this line starts, or undefined when the line continues the previous
   * entry (it is then not counted). `line` is the line decoded as latin1 (1 byte = 1 char, so
   * invalid UTF-8 and binary bytes are harmless), without its "\n" and without a trailing "\r".
   */
  classify(line: string): Level | undefined;
  /** State that must survive a restart in the middle of an entry (RabbitMQ 3.9+'s repeated prefix); undefined when none. */
  readonly eventKey: string | undefined;
  /** Restores state saved from eventKey (called once, before the first classify, after a restart). */
  resume(eventKey: string | undefined): void;
}

/** A fresh classifier for one file (multi-line state is per file). */
export function createClassifier(format: Format): LineClassifier {
  switch (format) {
    case 'syslog':
      return new Stateless(classifySyslog);
    case 'klog':
      return new Stateless(classifyKlog);
    case 'nginx':
      return new Stateless(classifyNginx);
    case 'redis':
      return new Stateless(classifyRedis);
    case 'rabbitmq':
      return new RabbitClassifier();
    case 'java':
      return new Stateless(classifyJava);
    case 'access':
      return new Stateless(classifyAccess);
    case 'plain':
      return new Stateless(() => 'other');
  }
  // Only reachable from untyped input (the config is validated against FORMATS first).
  throw new RangeError(`unknown log format: ${String(format)}`);
}

class Stateless implements LineClassifier {
  readonly classify: (line: string) => Level | undefined;
  readonly eventKey = undefined;
  constructor(classify: (line: string) => Level | undefined) {
    this.classify = classify;
  }
  resume(): void {
    // Nothing is carried from one line to the next.
  }
}

// Character codes used by the first-character dispatch.
const C_0 = 0x30;
const C_9 = 0x39;
const C_A = 0x41;
const C_Z = 0x5a;
const C_LBRACKET = 0x5b;
const C_SPACE = 0x20;
const C_ESC = 0x1b;
const C_EQUALS = 0x3d;
/** ORed into an ASCII letter's code, makes it lower case. */
const LOWER = 0x20;

function isDigit(c: number): boolean {
  return c >= C_0 && c <= C_9;
}

// ---------------------------------------------------------------------------------------------
// klog / glog. The header, from glog's logging.h comment and klog's header formatting:
// `Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg`, L one of I W E F, the thread id space-padded.

const KLOG_HEADER = /[IWEF]\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ [^\]]+\] /y;

/** The level of a klog header starting at `at`, or undefined when there is none there. */
function klogAt(line: string, at: number): Level | undefined {
  const c = line.charCodeAt(at);
  // I W E F, checked before the regex runs.
  if (c !== 0x49 && c !== 0x57 && c !== 0x45 && c !== 0x46) return undefined;
  KLOG_HEADER.lastIndex = at;
  if (!KLOG_HEADER.test(line)) return undefined;
  return c === 0x45 ? 'error' : c === 0x57 ? 'warning' : c === 0x46 ? 'critical' : 'info';
}

function classifyKlog(line: string): Level {
  return klogAt(line, 0) ?? 'other';
}

// ---------------------------------------------------------------------------------------------
// syslog, as rsyslog writes files: RSYSLOG_TraditionalFileFormat (`Nov  1 10:00:00 host tag:`,
// the day padded with a space: RHEL's /var/log/messages) or RSYSLOG_FileFormat (RFC 3339 with
// microseconds: Debian's /var/log/syslog, whose rsyslog.conf sets no default template).
// `+0000` without a colon is journalctl's short-iso.

const SYSLOG_PREFIX =
  /(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)) \S+ /y;

/*
 * The keywords, matched case-insensitively anywhere in the line, as whole words: `\b` on both
 * sides, with the word forms that count spelled out. That is what keeps the usual false
 * positives out: failover, failsafe, fail2ban (its lines name itself), nofail (a mount
 * option), errorless, terror. It cost nothing measurable against the same alternation without
 * `\b` (about 1.3 GB/s either way on the benchmark's lines; the research's 1.6 s against 1.0 s
 * per GiB was a different alternation). Choices:
 * - error and errors count, "0 errors" too: a line that talks about errors is worth a look,
 *   and telling a count of zero from a count would need a parser per message;
 * - `error=` and `errors=` do not count: that is a key, not a report. It keeps out the ext4
 *   mount line every Debian boot logs (`Opts: errors=remount-ro`) and logfmt's `error="<nil>"`;
 *   a real logfmt error still says `level=error`;
 * - "I/O error" is covered by error; "out of memory" and "call trace" (the kernel's oops
 *   header) must have single spaces;
 * - fatal and panic are errors here, not critical: a keyword cannot tell a dying service from
 *   a message quoting one.
 * One regex holds the error words and the warning words (one scan of the line, research 4.5).
 * `search` gives the first hit without allocating; the only warning words start with "w", so
 * when the first hit starts with "w" the line is a warning unless an error word follows (a
 * second, rarer scan).
 */
const SYSLOG_KEYWORDS =
  /\b(?:errors?(?!=)|fail(?:s|ed|ing|ures?)?|fatal|panic(?:s|ked|king)?|segfaults?|out of memory|call trace|warn(?:s|ed|ings?)?)\b/i;
const SYSLOG_ERROR_KEYWORDS =
  /\b(?:errors?(?!=)|fail(?:s|ed|ing|ures?)?|fatal|panic(?:s|ked|king)?|segfaults?|out of memory|call trace)\b/i;
const C_w = 0x77;

function classifySyslog(line: string): Level {
  const c = line.charCodeAt(0);
  let prefixed = false;
  if ((c >= C_A && c <= C_Z) || isDigit(c)) {
    SYSLOG_PREFIX.lastIndex = 0;
    if (SYSLOG_PREFIX.test(line)) {
      prefixed = true;
      // kubelet and the other kube-* units log klog lines through journald into
      // /var/log/messages: `... kubelet[812]: E1121 10:00:00.123456 ...`. Their own letter is
      // the level: an I line that mentions "failed" (kubelet's retries do) is info. The tag
      // ends at the first ": " (the time, host and `tag[pid]` have none).
      const colon = line.indexOf(': ', SYSLOG_PREFIX.lastIndex);
      if (colon !== -1) {
        const level = klogAt(line, colon + 2);
        if (level !== undefined) return level;
      }
    } else {
      // A klog file read with the syslog preset.
      const level = klogAt(line, 0);
      if (level !== undefined) return level;
    }
  }
  const at = line.search(SYSLOG_KEYWORDS);
  // Without the prefix and without a keyword, nothing tells the level (garbage, another
  // format); with the prefix, a line that reports nothing wrong is info.
  if (at === -1) return prefixed ? 'info' : 'other';
  if ((line.charCodeAt(at) | LOWER) !== C_w) return 'error';
  return SYSLOG_ERROR_KEYWORDS.test(line) ? 'error' : 'warning';
}

// ---------------------------------------------------------------------------------------------
// nginx error log (ngx_log.c): ngx_cached_err_log_time (`%4d/%02d/%02d %02d:%02d:%02d`), then
// ` [level] `, then `pid#tid: ` and `*connid ` when there is a connection. Every entry is one
// line; a line without the header (FastCGI stderr that held a newline, garbage) is 'other'.

const NGINX_HEADER =
  /\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[(?:emerg|alert|crit|error|warn|notice|info|debug)\] /y;
/** Where the level name starts: after `yyyy/mm/dd hh:mm:ss [`. */
const NGINX_LEVEL_AT = 21;

function classifyNginx(line: string): Level {
  if (!isDigit(line.charCodeAt(0))) return 'other';
  NGINX_HEADER.lastIndex = 0;
  if (!NGINX_HEADER.test(line)) return 'other';
  switch (line.charCodeAt(NGINX_LEVEL_AT)) {
    case 0x65: // e: emerg or error
      return line.charCodeAt(NGINX_LEVEL_AT + 1) === 0x6d ? 'critical' : 'error';
    case 0x61: // alert
    case 0x63: // crit
      return 'critical';
    case 0x77: // warn
      return 'warning';
    case 0x64: // debug
      return 'debug';
    default: // notice, info
      return 'info';
  }
}

// ---------------------------------------------------------------------------------------------
// Redis, serverLogRaw in server.c: `"%d:%c %s %c %s\n"`: pid, role (X sentinel, C child, S
// replica, M master), `%d %b %Y %H:%M:%S.` plus milliseconds, and a marker from ".-*#" for
// debug, verbose, notice and warning. Redis 3.x had no year; 2.x wrote `[pid] ` and no role,
// 2.4 no milliseconds either.
//
// LL_RAW output (the bug report between `=== REDIS BUG REPORT START` and its end, the INFO dump
// inside it, the ASCII logo) has no prefix: those lines continue the entry before them rather
// than counting as 'other', or one crash would add a hundred 'other' lines. A crash still
// counts: its `crashed by signal` line has the prefix and `#`.

const REDIS_HEADER =
  /(?:\d+:[XCSM]|\[\d+\]) \d\d [A-Z][a-z]{2}(?: \d{4})? \d\d:\d\d:\d\d(?:\.\d{3})? [.\-*#] /y;

/*
 * Redis has no error level: `#` (LL_WARNING) is the highest, and every start logs a few
 * (`Redis is starting`, `Configuration loaded`, the overcommit, THP and somaxconn advice). So a
 * `#` line is a warning, raised to error only by words that routine warnings never use (case
 * insensitive, whole words): error(s), failed, failure, fatal, crash(ed), can't, unrecoverable,
 * "bad file format", OOM, "out of memory", MISCONF, "bug report", "guru meditation". Not "fail"
 * nor "failures", nor "cannot": the overcommit advice says a save "may fail" and "can also cause
 * failures", and the somaxconn one that the backlog "cannot be enforced".
 */
const REDIS_ERROR_KEYWORDS =
  /\b(?:errors?|failed|failure|fatal|crash(?:ed)?|can't|unrecoverable|bad file format|oom|out of memory|misconf|bug report|guru meditation)\b/i;

function classifyRedis(line: string): Level | undefined {
  const c = line.charCodeAt(0);
  if (!isDigit(c) && c !== C_LBRACKET) return undefined;
  REDIS_HEADER.lastIndex = 0;
  if (!REDIS_HEADER.test(line)) return undefined;
  switch (line.charCodeAt(REDIS_HEADER.lastIndex - 2)) {
    case 0x23: // #
      return REDIS_ERROR_KEYWORDS.test(line) ? 'error' : 'warning';
    case 0x2a: // *
      return 'info';
    default: // - (verbose) and . (debug)
      return 'debug';
  }
}

// ---------------------------------------------------------------------------------------------
// RabbitMQ.
// 3.9+ (rabbit_logger_text_fmt.erl): the prefix is `io_lib:format("~ts [~ts] ~p", [Time,
// LevelName, Pid])`, the time RFC 3339 with microseconds and a space (or T, or epoch seconds or
// microseconds, by time_format), the level full (lc/uc) or in 3 or 4 letters (lc3 uc3 lc4 uc4:
// err, WRN, erro, crit...). The message is split on "\n" and EVERY line gets the same prefix
// (the bare prefix for an empty line), and with color on, an SGR sequence before it. So an
// entry is the run of consecutive lines with the same prefix: only the first counts.
// Two entries of the same process at the same microsecond with the same level would count
// once; that is the price of not parsing messages.
// 3.7 and 3.8 (lager): `2019-05-17 09:15:30.123 [error] <0.123.0> msg`, the same shape with
// milliseconds and no zone, the pid left out when unknown; a multi-line message has the prefix
// on its first line only, the other lines are continuations.
// 3.6 and older (OTP error_logger): `=ERROR REPORT==== 21-Jul-2016::19:21:26 ===` (newer OTP
// adds microseconds), then the body up to the next header.

const RABBIT_HEADER =
  /(?:\x1b\[[\d;]*m)*(?:\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?|\d+(?:\.\d+)?) \[(?:debug|dbug|dbg|info|inf|notice|noti|ntc|warning|warn|wrn|error|erro|err|critical|crit|crt|alert|alrt|alt|emergency|emgc|emg)\](?: <[^>\s]*>)?/iy;
const RABBIT_LEGACY_HEADER =
  /=(?:INFO|WARNING|ERROR|CRASH|SUPERVISOR|PROGRESS) REPORT==== \d{1,2}-[A-Za-z]{3}-\d{4}::\d\d:\d\d:\d\d(?:\.\d+)? ===$/y;

function rabbitLevel(line: string): Level {
  // The level name follows the first " [" (the time has none, an SGR sequence has no space).
  const at = line.indexOf(' [') + 2;
  switch (line.charCodeAt(at) | LOWER) {
    case 0x64: // debug dbug dbg
      return 'debug';
    case 0x77: // warning warn wrn
      return 'warning';
    case 0x65: // error erro err, or emergency emgc emg
      return (line.charCodeAt(at + 1) | LOWER) === 0x72 ? 'error' : 'critical';
    case 0x63: // critical crit crt
    case 0x61: // alert alrt alt
      return 'critical';
    default: // info inf, notice noti ntc
      return 'info';
  }
}

function rabbitLegacyLevel(line: string): Level {
  switch (line.charCodeAt(1)) {
    case 0x45: // ERROR
    case 0x43: // CRASH
    case 0x53: // SUPERVISOR
      return 'error';
    case 0x57: // WARNING
      return 'warning';
    default: // INFO, PROGRESS
      return 'info';
  }
}

class RabbitClassifier implements LineClassifier {
  /** The prefix (time, level, pid) of the last line, when it had one. */
  #key: string | undefined = undefined;

  get eventKey(): string | undefined {
    return this.#key;
  }

  resume(eventKey: string | undefined): void {
    this.#key = eventKey;
  }

  classify(line: string): Level | undefined {
    const c = line.charCodeAt(0);
    if (isDigit(c) || c === C_ESC) {
      RABBIT_HEADER.lastIndex = 0;
      if (RABBIT_HEADER.test(line)) {
        const end = RABBIT_HEADER.lastIndex;
        const key = this.#key;
        // The same prefix again: the next line of the same message. Compared in place, so a
        // continuation allocates nothing.
        if (key !== undefined && end === key.length && line.startsWith(key)) return undefined;
        this.#key = line.slice(0, end);
        return rabbitLevel(line);
      }
    } else if (c === C_EQUALS) {
      RABBIT_LEGACY_HEADER.lastIndex = 0;
      if (RABBIT_LEGACY_HEADER.test(line)) {
        this.#key = undefined;
        return rabbitLegacyLevel(line);
      }
    }
    // A body line (lager's later lines, a legacy block's body, or the middle of an entry a
    // restart resumed in). It also ends any run of equal prefixes: in 3.9+ a message never has
    // a line without it, and with lager two messages around a body are two entries.
    this.#key = undefined;
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Java: log4j, logback, Spring Boot, Tomcat JULI. A header is a line that starts with a time
// (an optional "[" first):
//   `2026-11-21 10:00:00,123` log4j ISO8601 and logback `%d` (comma), `.123` too,
//   `2026-11-21T10:00:00.123Z ERROR 1 --- [main] c.e.Foo : msg` Spring Boot 3,
//   `10:00:00.123 [main] ERROR c.e.Foo - msg` logback's TTLLLayout and log4j2's default,
//   `21-Nov-2026 10:00:00.123 SEVERE [main] ...` Tomcat JULI's OneLineFormatter,
//   `123 [main] ERROR c.e.Foo - msg` log4j 1 TTCC (milliseconds since start),
// or with a level word (`ERROR [main] ...`, and `SEVERE: msg`, the second line of
// java.util.logging's SimpleFormatter: its first line, `Nov 21, 2026 10:00:00 AM
// org.apache.Foo method`, is not a header, so such an entry counts once, with its level).
// Every other line continues the entry: `\tat ...`, `Caused by:`, `Suppressed:`, `... 12 more`,
// `java.lang.IllegalStateException: ...`, indented and blank lines, message text. A stack trace
// therefore counts once, as its ERROR header, and one in the middle of which a restart resumed
// does not count at all.

const JAVA_TIME_HEADER =
  /\[?(?:\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d|\d\d:\d\d:\d\d[.,]\d{3}|\d\d-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d|\d+ \[)/y;
const JAVA_LEVEL_HEADER =
  /(?:TRACE|DEBUG|INFO|WARN(?:ING)?|ERROR|FATAL|SEVERE|CONFIG|FINE(?:R|ST)?)\b/y;
/** Level names (java.util.logging's too), upper case as every layout prints them. */
const JAVA_LEVEL = /\b(?:TRACE|DEBUG|INFO|WARN(?:ING)?|ERROR|FATAL|SEVERE|CONFIG|FINE(?:R|ST)?)\b/;
/** How far into a header its level word may start (a thread or logger name can come first). */
const JAVA_LEVEL_WITHIN = 100;

function classifyJava(line: string): Level | undefined {
  const c = line.charCodeAt(0);
  if (isDigit(c) || c === C_LBRACKET) {
    JAVA_TIME_HEADER.lastIndex = 0;
    if (!JAVA_TIME_HEADER.test(line)) return undefined;
  } else if (c >= C_A && c <= C_Z) {
    JAVA_LEVEL_HEADER.lastIndex = 0;
    if (!JAVA_LEVEL_HEADER.test(line)) return undefined;
  } else {
    return undefined;
  }
  const at = line.search(JAVA_LEVEL);
  if (at === -1 || at >= JAVA_LEVEL_WITHIN) return 'other';
  switch (line.charCodeAt(at)) {
    case 0x45: // ERROR
    case 0x53: // SEVERE
      return 'error';
    case 0x57: // WARN, WARNING
      return 'warning';
    case 0x49: // INFO
    case 0x43: // CONFIG
      return 'info';
    case 0x46: // FATAL, or FINE FINER FINEST
      return line.charCodeAt(at + 1) === 0x41 ? 'critical' : 'debug';
    default: // TRACE, DEBUG
      return 'debug';
  }
}

// ---------------------------------------------------------------------------------------------
// Access logs: combined and common (`%h %l %u %t "%r" %>s %b`), as nginx and Apache write them
// and Tomcat's AccessLogValve `common` pattern. Inside the request nginx escapes `"` as `\x22`
// and Apache as `\"`; the alternation reads both. A 4xx is info: 404s from scanners are noise,
// a 5xx is the server failing.

const ACCESS_LINE = /\S+ \S+ \S+ \[[^\]]+\] "(?:[^"\\]|\\.)*" \d{3}(?: |$)/y;

function classifyAccess(line: string): Level {
  ACCESS_LINE.lastIndex = 0;
  if (!ACCESS_LINE.test(line)) return 'other';
  const end = ACCESS_LINE.lastIndex;
  // The status is the three digits before the match's end (and its space, when one follows).
  const status = line.charCodeAt(end - 1) === C_SPACE ? end - 4 : end - 3;
  return line.charCodeAt(status) === 0x35 ? 'error' : 'info';
}
