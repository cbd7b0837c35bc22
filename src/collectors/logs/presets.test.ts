import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { LEVELS, type Level } from './metrics.ts';
import {
  createClassifier,
  FORMAT_DESCRIPTIONS,
  FORMATS,
  type Format,
  type LineClassifier,
} from './presets.ts';

const testdata = new URL('./testdata/', import.meta.url);

/** Entries per level, plus the lines that continued an entry (not counted by the collector). */
type Counts = Record<Level | 'continuation', number>;

function counts(partial: Partial<Counts>): Counts {
  return {
    critical: 0,
    error: 0,
    warning: 0,
    info: 0,
    debug: 0,
    other: 0,
    continuation: 0,
    ...partial,
  };
}

/** The lines of a fixture, as the collector hands them over: latin1, no "\n". */
function fixtureLines(format: Format): string[] {
  const text = readFileSync(new URL(`${format}.log`, testdata)).toString('latin1');
  const lines = text.split('\n');
  assert.equal(lines.pop(), '', `${format}.log ends with a newline`);
  return lines;
}

function classifyAll(classifier: LineClassifier, lines: readonly string[]): Counts {
  const got = counts({});
  for (const line of lines) got[classifier.classify(line) ?? 'continuation']++;
  return got;
}

/** Latin1, as the collector decodes a line read from a file. */
function bytes(...parts: (string | number[])[]): string {
  return Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))),
  ).toString('latin1');
}

/*
 * Counted by hand, line by line, when the fixtures were written (the reasons are in the
 * per-line tests below and in the fixtures themselves). Every total equals the fixture's
 * line count.
 */
const EXPECTED: Record<Format, Counts> = {
  // critical: the F klog line after kube-apiserver's tag. error: Failed password, Out of memory,
  // Call Trace, segfault, I/O error, klog E after kubelet's tag, coredns [ERROR], warning then
  // failure, Kernel panic, "0 errors", raw klog E, nginx [error], FATAL, authentication
  // failure. warning: klog W (twice, once in RFC 3339), level=warning, etcd "warn", WARNING:,
  // nginx [warn], warned. info: 13 prefixed lines without a keyword, among them errors=,
  // error=, failover/nofail/fail2ban, terror/errorless, klog I despite "failed", a raw klog I,
  // a broken klog header, -- MARK --, Feb. other: nginx [notice], a blank line, a line with no
  // prefix.
  syslog: counts({ critical: 1, error: 14, warning: 7, info: 13, other: 3 }),
  // other: a goroutine dump (3 lines), a blank line, a header with milliseconds only, and the
  // 4 lines of glog's file header.
  klog: counts({ critical: 1, error: 2, warning: 2, info: 4, other: 9 }),
  // other: the 3 lines that FastCGI's stderr carried on, blank, nginx -t's stderr form, [errorx].
  nginx: counts({ critical: 3, error: 3, warning: 2, info: 4, debug: 1, other: 6 }),
  // The 13 continuations are the bug report (blank lines, its banner, stack, INFO dump, end);
  // the warnings include Redis's start banner and the somaxconn, overcommit, THP advice.
  redis: counts({ error: 9, warning: 10, info: 7, debug: 2, continuation: 13 }),
  // 3.9+: 5 repeated lines (one bare) count once, 3 more once, then a warning with the same
  // time and pid counts again; two different consecutive errors count twice. lager: one body
  // line. Legacy: 6 headers, 20 body lines.
  rabbitmq: counts({
    critical: 5,
    error: 12,
    warning: 5,
    info: 8,
    debug: 2,
    continuation: 27,
  }),
  // One Spring Boot stack trace (10 lines after its header, Caused by, ... 12 more, common
  // frames omitted, Suppressed, blank), a 2-line one after a log4j ERROR, 2 JUL SimpleFormatter
  // date lines and a LifecycleException line, an indented umlaut line: 16 continuations.
  java: counts({
    critical: 1,
    error: 5,
    warning: 4,
    info: 5,
    debug: 4,
    other: 1,
    continuation: 16,
  }),
  // error: 500, 502, 503 (after \"), Tomcat's 500, 599. info: 200s, 404, 400, 401, 408, 304, a
  // status at the end of the line. other: prose, blank, an unterminated request, an nginx error
  // line.
  access: counts({ error: 5, info: 9, other: 4 }),
  plain: counts({ other: 5 }),
};

describe('presets', () => {
  it('gives every format a one-line description and a fixture', () => {
    const fixtures = new Set(readdirSync(testdata));
    for (const format of FORMATS) {
      const description = FORMAT_DESCRIPTIONS[format];
      assert.ok(description.length > 0, `${format} has a description`);
      assert.ok(!description.includes('\n'), `${format}'s description is one line`);
      assert.ok(fixtures.has(`${format}.log`), `testdata/${format}.log exists`);
    }
    assert.deepEqual(Object.keys(FORMAT_DESCRIPTIONS).sort(), [...FORMATS].sort());
    assert.throws(() => createClassifier('json' as Format), RangeError);
  });

  for (const format of FORMATS) {
    it(`counts ${format}.log's entries per level`, () => {
      const lines = fixtureLines(format);
      const expected = EXPECTED[format];
      assert.equal(
        Object.values(expected).reduce((a, b) => a + b),
        lines.length,
        'the expected counts cover every line',
      );
      assert.deepEqual(classifyAll(createClassifier(format), lines), expected);
    });
  }

  it('never throws and only returns known levels, whatever the preset and the bytes', () => {
    const garbage: string[] = [
      '',
      ' ',
      '\0',
      bytes([0xff, 0xfe, 0xfd, 0x00, 0x80, 0xc3]),
      bytes(Array.from({ length: 256 }, (_, i) => i)),
      '['.repeat(1000),
      '"'.repeat(1000),
      'a '.repeat(5000),
      '2026-11-21 10:00:00.'.repeat(100),
    ];
    for (const format of FORMATS) {
      const all = [...garbage];
      for (const other of FORMATS) all.push(...fixtureLines(other));
      const classifier = createClassifier(format);
      for (const line of all) {
        const level = classifier.classify(line);
        assert.ok(level === undefined || LEVELS.includes(level), `${format}: ${line}`);
      }
    }
  });

  it('keeps the level of a line holding invalid UTF-8 and NUL bytes', () => {
    const junk = [0x00, 0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0x00];
    const cases: [Format, string, Level][] = [
      ['syslog', bytes('Nov 21 10:00:00 node-1 app[1]: ', junk, ' segfault ', junk), 'error'],
      ['syslog', bytes('Nov 21 10:00:00 node-1 app[1]: ', junk), 'info'],
      ['syslog', bytes(junk, ' panic'), 'error'],
      ['syslog', bytes(junk), 'other'],
      ['klog', bytes('E1121 10:00:00.000000 1 a.go:1] ', junk), 'error'],
      ['klog', bytes(junk), 'other'],
      ['nginx', bytes('2026/11/21 10:00:00 [warn] 1#1: ', junk), 'warning'],
      ['redis', bytes('1:M 21 Nov 2026 10:00:00.000 # ', junk, 'Failed'), 'error'],
      ['rabbitmq', bytes('2026-11-21 10:00:00.000000+00:00 [error] <0.1.0> ', junk), 'error'],
      ['java', bytes('2026-11-21 10:00:00.000 ERROR ', junk), 'error'],
      [
        'access',
        bytes('1.2.3.4 - - [21/Nov/2026:10:00:00 +0000] "GET /', junk, '" 502 0'),
        'error',
      ],
      ['plain', bytes(junk), 'other'],
    ];
    for (const [format, line, level] of cases) {
      assert.equal(createClassifier(format).classify(line), level, `${format}: ${line}`);
    }
    // Lines that are not headers continue the entry before, binary or not.
    for (const format of ['redis', 'rabbitmq', 'java'] as const) {
      assert.equal(createClassifier(format).classify(bytes(junk)), undefined, format);
    }
  });

  describe('syslog', () => {
    const cases: [string, Level][] = [
      // Space-padded day (RSYSLOG_TraditionalFileFormat) and two-digit day.
      ['Nov  1 10:00:00 node-1 systemd[1]: Started Session 1.', 'info'],
      ['Nov 11 10:00:00 node-1 systemd[1]: Started Session 1.', 'info'],
      // RFC 3339 (RSYSLOG_FileFormat), Z, no fraction, journalctl's +0000.
      ['2026-11-21T10:00:00.123456+00:00 node-1 systemd[1]: Started.', 'info'],
      ['2026-11-21T10:00:00Z node-1 systemd[1]: Started.', 'info'],
      ['2026-11-21T10:00:00+0100 node-1 systemd[1]: Started.', 'info'],
      // klog after the tag: its letter wins over the keywords.
      [
        'Nov 21 10:00:00 n kubelet[812]: I1121 10:00:00.000000 812 a.go:1] failed, retrying',
        'info',
      ],
      ['Nov 21 10:00:00 n kubelet[812]: W1121 10:00:00.000000 812 a.go:1] ok', 'warning'],
      ['Nov 21 10:00:00 n kubelet[812]: E1121 10:00:00.000000 812 a.go:1] ok', 'error'],
      ['Nov 21 10:00:00 n kubelet[812]: F1121 10:00:00.000000 812 a.go:1] ok', 'critical'],
      ['Nov 21 10:00:00 n kubelet: E1121 10:00:00.000000 812 a.go:1] no pid', 'error'],
      // ...and at the start of a line (a klog file read as syslog).
      ['F1121 10:00:00.000000 812 a.go:1] ok', 'critical'],
      // Keywords, case-insensitive, whole words.
      ['Nov 21 10:00:00 n app: ERROR', 'error'],
      ['Nov 21 10:00:00 n app: Errors: 3', 'error'],
      ['Nov 21 10:00:00 n app: 0 errors', 'error'],
      ['Nov 21 10:00:00 n app: it fails', 'error'],
      ['Nov 21 10:00:00 n app: it failed', 'error'],
      ['Nov 21 10:00:00 n app: failing over', 'error'],
      ['Nov 21 10:00:00 n app: failures: 2', 'error'],
      ['Nov 21 10:00:00 n app: fatal', 'error'],
      ['Nov 21 10:00:00 n app: goroutine panicked', 'error'],
      ['Nov 21 10:00:00 n kernel: app[1]: segfault at 0', 'error'],
      ['Nov 21 10:00:00 n kernel: Buffer I/O error on dev sda1', 'error'],
      ['Nov 21 10:00:00 n kernel: Out of memory: Killed process 1', 'error'],
      ['Nov 21 10:00:00 n kernel: Call Trace:', 'error'],
      ['Nov 21 10:00:00 n app: warn', 'warning'],
      ['Nov 21 10:00:00 n app: Warnings: 2', 'warning'],
      ['Nov 21 10:00:00 n app: warning, then an error', 'error'],
      ['Nov 21 10:00:00 n app: an error, then a warning', 'error'],
      // Not keywords: parts of other words, option and key names.
      ['Nov 21 10:00:00 n app: failover done, failsafe on, fail2ban up, nofail', 'info'],
      ['Nov 21 10:00:00 n app: errorless terror warner', 'info'],
      ['Nov 21 10:00:00 n kernel: EXT4-fs (sda1): mounted. Opts: errors=remount-ro', 'info'],
      ['Nov 21 10:00:00 n containerd[1]: level=info msg="x" error="<nil>"', 'info'],
      ['Nov 21 10:00:00 n containerd[1]: level=error msg="x"', 'error'],
      ['Nov 21 10:00:00 n app: out  of memory', 'info'],
      // No prefix: the keywords still count, otherwise nothing tells the level.
      ['2026/11/21 10:00:00 [error] 1#1: *1 boom', 'error'],
      ['2026/11/21 10:00:00 [warn] 1#1: *1 slow', 'warning'],
      ['2026/11/21 10:00:00 [notice] 1#1: started', 'other'],
      ['', 'other'],
      ['Nov 21 10:00:00', 'other'],
    ];
    for (const [line, level] of cases) {
      it(`${level}: ${line}`, () => {
        assert.equal(createClassifier('syslog').classify(line), level);
      });
    }
  });

  describe('klog', () => {
    const cases: [string, Level][] = [
      ['I1121 10:00:00.123456   12345 file.go:12] msg', 'info'],
      ['W1121 10:00:00.123456   12345 file.go:12] msg', 'warning'],
      ['E1121 10:00:00.123456   12345 file.go:12] msg', 'error'],
      ['F1121 10:00:00.123456   12345 file.go:12] msg', 'critical'],
      ['D1121 10:00:00.123456   12345 file.go:12] msg', 'other'],
      ['E1121 10:00:00.123456   12345 file.go:12]', 'other'],
      [' E1121 10:00:00.123456   12345 file.go:12] msg', 'other'],
    ];
    for (const [line, level] of cases) {
      it(`${level}: ${line}`, () => {
        assert.equal(createClassifier('klog').classify(line), level);
      });
    }
  });

  describe('nginx', () => {
    const levels: [string, Level][] = [
      ['emerg', 'critical'],
      ['alert', 'critical'],
      ['crit', 'critical'],
      ['error', 'error'],
      ['warn', 'warning'],
      ['notice', 'info'],
      ['info', 'info'],
      ['debug', 'debug'],
      ['warning', 'other'],
      ['ERROR', 'other'],
    ];
    for (const [name, level] of levels) {
      it(`[${name}] is ${level}`, () => {
        const line = `2026/11/21 10:00:00 [${name}] 1234#1234: *5 message`;
        assert.equal(createClassifier('nginx').classify(line), level);
      });
    }
  });

  describe('redis', () => {
    const cases: [string, Level | undefined][] = [
      ['1:M 21 Nov 2026 10:00:00.000 . debug', 'debug'],
      ['1:M 21 Nov 2026 10:00:00.000 - verbose', 'debug'],
      ['1:M 21 Nov 2026 10:00:00.000 * notice', 'info'],
      ['1:M 21 Nov 2026 10:00:00.000 # warning', 'warning'],
      ['1:M 21 Nov 2026 10:00:00.000 ', undefined],
      [
        '1:X 21 Nov 2026 10:00:00.000 # +odown master mymaster 10.0.0.1 6379 #quorum 2/2',
        'warning',
      ],
      ['1:C 21 Nov 2026 10:00:00.000 # Write error saving DB on disk: No space left', 'error'],
      ['1:M 21 Nov 2026 10:00:00.000 # === ASSERTION FAILED ===', 'error'],
      ['1:M 21 Nov 2026 10:00:00.000 # Guru Meditation: Unknown encoding #object.c:123', 'error'],
      ['1:M 21 Nov 2026 10:00:00.000 # MISCONF errors writing to disk', 'error'],
      // Raised only on a `#` line.
      ['1:M 21 Nov 2026 10:00:00.000 * Background saving terminated, error count 0', 'info'],
      // The routine advice keeps its warning level.
      [
        '1:M 21 Nov 2026 10:00:00.000 # WARNING overcommit_memory is set to 0! Background save may fail under low memory condition.',
        'warning',
      ],
      // The bug report and everything else without the prefix continue the entry before.
      ['=== REDIS BUG REPORT START: Cut & paste starting from here ===', undefined],
      ['                _._                                                  ', undefined],
      ['', undefined],
      ['21 Nov 2026 10:00:00.000 # no pid', undefined],
    ];
    for (const [line, level] of cases) {
      it(`${level ?? 'continuation'}: ${line}`, () => {
        assert.equal(createClassifier('redis').classify(line), level);
      });
    }
  });

  describe('rabbitmq', () => {
    const t = '2026-11-21 10:00:00.123456+00:00';

    it('maps every level name, in full and in 3 and 4 letters, lower and upper case', () => {
      const names: [Level, string[]][] = [
        ['debug', ['debug', 'dbg', 'dbug']],
        ['info', ['info', 'inf', 'notice', 'ntc', 'noti']],
        ['warning', ['warning', 'wrn', 'warn']],
        ['error', ['error', 'err', 'erro']],
        [
          'critical',
          ['critical', 'crt', 'crit', 'alert', 'alt', 'alrt', 'emergency', 'emg', 'emgc'],
        ],
      ];
      for (const [level, list] of names) {
        for (const name of list) {
          for (const n of [name, name.toUpperCase()]) {
            const c = createClassifier('rabbitmq');
            assert.equal(c.classify(`${t} [${n}] <0.1.0> msg`), level, n);
          }
        }
      }
      assert.equal(createClassifier('rabbitmq').classify(`${t} [fatal] <0.1.0> msg`), undefined);
    });

    it('counts a message repeated on several lines with the same prefix once', () => {
      const c = createClassifier('rabbitmq');
      assert.equal(c.classify(`${t} [error] <0.9.0> ** Generic server x terminating`), 'error');
      assert.equal(c.classify(`${t} [error] <0.9.0> ** Last message in was stop`), undefined);
      assert.equal(c.classify(`${t} [error] <0.9.0>`), undefined, 'a bare prefix: an empty line');
      assert.equal(c.classify(`${t} [error] <0.9.0> ** Reason == normal`), undefined);
      // Another pid, time or level is another entry.
      assert.equal(c.classify(`${t} [error] <0.10.0> other process`), 'error');
      assert.equal(c.classify(`${t} [warning] <0.10.0> other level`), 'warning');
      assert.equal(c.classify(`${t.replace('456', '457')} [warning] <0.10.0> later`), 'warning');
    });

    it('counts lager lines with the same prefix twice when a body line is between them', () => {
      const c = createClassifier('rabbitmq');
      const prefix = '2019-05-17 09:15:31.456 [error] <0.700.0>';
      assert.equal(c.classify(`${prefix} first message`), 'error');
      assert.equal(c.classify('    its second line'), undefined);
      assert.equal(c.classify(`${prefix} second message`), 'error');
    });

    it('reads color, the pid left out, and the legacy headers strictly', () => {
      const c = createClassifier('rabbitmq');
      assert.equal(c.classify(`\x1b[38;5;160m${t} [error] <0.1.0> red\x1b[0m`), 'error');
      assert.equal(c.classify('2019-05-17 09:15:30.123 [warning]  no pid'), 'warning');
      assert.equal(c.classify('=ERROR REPORT==== 21-Jul-2016::19:21:26 ==='), 'error');
      assert.equal(c.classify('=CRASH REPORT==== 1-Jul-2016::19:21:26.838795 ==='), 'error');
      assert.equal(c.classify('=SUPERVISOR REPORT==== 21-Jul-2016::19:21:26 ==='), 'error');
      assert.equal(c.classify('=WARNING REPORT==== 21-Jul-2016::19:21:26 ==='), 'warning');
      assert.equal(c.classify('=INFO REPORT==== 21-Jul-2016::19:21:26 ==='), 'info');
      assert.equal(c.classify('=PROGRESS REPORT==== 21-Jul-2016::19:21:26 ==='), 'info');
      assert.equal(c.classify('=ERROR REPORT==== 21-Jul-2016::19:21:26 === and more'), undefined);
      assert.equal(c.classify('=DEBUG REPORT==== 21-Jul-2016::19:21:26 ==='), undefined);
    });

    it('does not count a repeated message again after a restart in its middle', () => {
      const first = `${t} [error] <0.1234.0> ** Generic server <0.1234.0> terminating`;
      const second = `${t} [error] <0.1234.0> ** Last message in was stop`;
      const before = createClassifier('rabbitmq');
      assert.equal(before.classify(first), 'error');
      const key = before.eventKey;
      assert.equal(key, `${t} [error] <0.1234.0>`);

      const after = createClassifier('rabbitmq');
      after.resume(key);
      assert.equal(after.classify(second), undefined, 'not counted again');
      assert.equal(after.classify(`${t} [error] <0.1235.0> next entry`), 'error');

      // Without the saved key the same line would have counted.
      assert.equal(createClassifier('rabbitmq').classify(second), 'error');
    });

    it('has no key after a body line or a legacy header, and resumes from none', () => {
      const c = createClassifier('rabbitmq');
      assert.equal(c.eventKey, undefined);
      c.classify(`${t} [info] <0.1.0> a`);
      assert.notEqual(c.eventKey, undefined);
      c.classify('body');
      assert.equal(c.eventKey, undefined);
      c.classify(`${t} [info] <0.1.0> a`);
      c.classify('=INFO REPORT==== 21-Jul-2016::19:21:26 ===');
      assert.equal(c.eventKey, undefined);

      const fresh = createClassifier('rabbitmq');
      fresh.resume(undefined);
      assert.equal(fresh.classify(`${t} [info] <0.1.0> a`), 'info');
    });
  });

  describe('java', () => {
    const cases: [string, Level | undefined][] = [
      ['2026-11-21T10:00:00.123Z ERROR 12345 --- [main] c.e.Foo : msg', 'error'],
      ['2026-11-21 10:00:00.123 [main] WARN c.e.Foo - msg', 'warning'],
      ['10:00:00.123 [main] INFO c.e.Foo - msg', 'info'],
      ['21-Nov-2026 10:00:00.123 SEVERE [main] o.a.c.Foo msg', 'error'],
      ['21-Nov-2026 10:00:00.123 FINEST [main] o.a.c.Foo msg', 'debug'],
      ['21-Nov-2026 10:00:00.123 FINER [main] o.a.c.Foo msg', 'debug'],
      ['FATAL [main] c.e.Foo - msg', 'critical'],
      ['WARNING: msg', 'warning'],
      // The level must start within the first 100 characters.
      [`2026-11-21 10:00:00.123 [${'x'.repeat(100)}] ERROR c.e.Foo - late`, 'other'],
      [`2026-11-21 10:00:00.123 [${'x'.repeat(60)}] ERROR c.e.Foo - in time`, 'error'],
      // Lower case or glued to another word is not a level.
      ['2026-11-21 10:00:00.123 [main] error c.e.Foo - msg', 'other'],
      ['2026-11-21 10:00:00.123 [main] ERRORS c.e.Foo - msg', 'other'],
      // Continuations.
      ['\tat com.example.Foo.bar(Foo.java:42)', undefined],
      ['    at com.example.Foo.bar(Foo.java:42)', undefined],
      ['Caused by: java.lang.RuntimeException: ERROR', undefined],
      ['\t... 12 more', undefined],
      ['\t... 3 common frames omitted', undefined],
      ['java.lang.OutOfMemoryError: Java heap space', undefined],
      ['com.example.CustomException', undefined],
      ['ERRORS are only levels as whole words', undefined],
      ['INFORMATION is not INFO', undefined],
      ['', undefined],
    ];
    for (const [line, level] of cases) {
      it(`${level ?? 'continuation'}: ${line.slice(0, 80)}`, () => {
        assert.equal(createClassifier('java').classify(line), level);
      });
    }

    it('counts a stack trace once, as its header', () => {
      const c = createClassifier('java');
      const got = [
        '2026-11-21 10:00:00.123 ERROR 1 --- [main] c.e.Foo : request failed',
        'java.lang.IllegalStateException: boom',
        '\tat com.example.Foo.bar(Foo.java:42)',
        'Caused by: java.io.IOException: ERROR: disk full',
        '\t... 12 more',
        '2026-11-21 10:00:00.124 INFO 1 --- [main] c.e.Foo : next',
      ].map((l) => c.classify(l));
      assert.deepEqual(got, ['error', undefined, undefined, undefined, undefined, 'info']);
    });
  });

  describe('access', () => {
    const cases: [string, Level][] = [
      ['1.2.3.4 - - [21/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 500 0 "-" "ua"', 'error'],
      ['1.2.3.4 - - [21/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 502 0', 'error'],
      ['1.2.3.4 - - [21/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 404 0', 'info'],
      ['1.2.3.4 - - [21/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 499 0', 'info'],
      ['1.2.3.4 - - [21/Nov/2026:10:00:00 +0000] "GET /\\" 200 1 \\" HTTP/1.1" 503 0', 'error'],
      ['1.2.3.4 - - [21/Nov/2026:10:00:00 +0000] "GET /\\x22 500 HTTP/1.1" 200 0', 'info'],
      ['1.2.3.4 - - [21/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 5000 0', 'other'],
      ['1.2.3.4 - [21/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 500 0', 'other'],
      ['"GET / HTTP/1.1" 500 0', 'other'],
    ];
    for (const [line, level] of cases) {
      it(`${level}: ${line}`, () => {
        assert.equal(createClassifier('access').classify(line), level);
      });
    }
  });

  it('keeps no state in the presets other than rabbitmq', () => {
    for (const format of ['syslog', 'klog', 'nginx', 'redis', 'java', 'access', 'plain'] as const) {
      const c = createClassifier(format);
      for (const line of fixtureLines(format)) c.classify(line);
      assert.equal(c.eventKey, undefined, format);
      c.resume('ignored');
      assert.equal(c.eventKey, undefined, format);
    }
  });
});
