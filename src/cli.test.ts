import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PORT, parseFlags, parseListenAddress, UsageError } from './cli.ts';

describe('flags', () => {
  it('has Prometheus-style defaults', () => {
    const f = parseFlags([]);
    assert.equal(f.listenAddress, `:${DEFAULT_PORT}`);
    assert.equal(f.telemetryPath, '/metrics');
    assert.equal(f.configFile, undefined);
    assert.equal(f.logLevel, 'info');
    assert.equal(f.logFormat, 'logfmt');
    assert.equal(f.maxRequests, 40);
    assert.equal(f.checkConfig, false);
  });

  it('takes --name=value and --name value', () => {
    const f = parseFlags([
      '--config.file=/etc/patrol.yml',
      '--web.listen-address',
      '127.0.0.1:1234',
      '--log.format=json',
      '--check-config',
    ]);
    assert.equal(f.configFile, '/etc/patrol.yml');
    assert.equal(f.listenAddress, '127.0.0.1:1234');
    assert.equal(f.logFormat, 'json');
    assert.equal(f.checkConfig, true);
  });

  it('rejects unknown flags and bad values with the flag name', () => {
    assert.throws(() => parseFlags(['--nope']), UsageError);
    assert.throws(
      () => parseFlags(['--log.level=verbose']),
      /--log\.level: "verbose" is not one of debug, info, warn, error/,
    );
    assert.throws(() => parseFlags(['--web.telemetry-path=metrics']), /must start with "\/"/);
    assert.throws(() => parseFlags(['--web.listen-address=9872']), /--web\.listen-address/);
    assert.throws(() => parseFlags(['--web.max-requests=-1']), /--web\.max-requests/);
  });

  it('takes the host paths, absolute and normalised, defaulting to the host itself', () => {
    assert.deepEqual(parseFlags([]).hostPaths, { rootfs: '/', procfs: '/proc', sysfs: '/sys' });
    assert.deepEqual(
      parseFlags([
        '--path.rootfs=/host/root/',
        '--path.procfs',
        '/host/proc',
        '--path.sysfs=/host//sys',
      ]).hostPaths,
      { rootfs: '/host/root', procfs: '/host/proc', sysfs: '/host/sys' },
    );
  });

  it('rejects relative host paths, naming the flag', () => {
    assert.throws(
      () => parseFlags(['--path.rootfs=host']),
      (err: unknown) =>
        err instanceof UsageError &&
        /^--path\.rootfs: "host" is not an absolute path$/.test(err.message),
    );
    assert.throws(
      () => parseFlags(['--path.procfs=proc']),
      /--path\.procfs: "proc" is not an absolute path/,
    );
    assert.throws(() => parseFlags(['--path.sysfs=']), /--path\.sysfs: "" is not an absolute path/);
    assert.throws(
      () => parseFlags(['--path.rootfs=/host/*']),
      /--path\.rootfs: "\/host\/\*" contains glob characters/,
    );
  });

  it('splits listen addresses', () => {
    assert.deepEqual(parseListenAddress(':9872'), { host: undefined, port: 9872 });
    assert.deepEqual(parseListenAddress('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
    assert.deepEqual(parseListenAddress('[::1]:9872'), { host: '::1', port: 9872 });
    assert.throws(() => parseListenAddress('host:99999'));
  });
});

describe('--print-rules and --rules.runbook-url', () => {
  it('take a language (default en) and a checked base URL', () => {
    assert.equal(parseFlags([]).printRules, undefined);
    assert.equal(parseFlags(['--print-rules']).printRules, 'en');
    assert.equal(parseFlags(['--print-rules', 'zh-CN']).printRules, 'zh-CN');
    assert.equal(parseFlags(['--print-rules=zh-CN']).printRules, 'zh-CN');
    const f = parseFlags(['--print-rules', '--rules.runbook-url', 'http://h:9872/runbooks/']);
    assert.equal(f.printRules, 'en');
    assert.equal(f.runbookUrl, 'http://h:9872/runbooks');
  });

  it('reject a language, URL or combination that cannot work, naming the flag', () => {
    assert.throws(
      () => parseFlags(['--print-rules=fr']),
      /--print-rules: "fr" is not one of en, zh-CN/,
    );
    assert.throws(
      () => parseFlags(['--print-rules', '--rules.runbook-url=patrol:9872/runbooks']),
      /--rules\.runbook-url: "patrol:9872\/runbooks" is not an http/,
    );
    assert.throws(
      () => parseFlags(['--rules.runbook-url=http://h/runbooks']),
      /--rules\.runbook-url: only applies with --print-rules/,
    );
  });
});
