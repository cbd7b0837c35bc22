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

  it('splits listen addresses', () => {
    assert.deepEqual(parseListenAddress(':9872'), { host: undefined, port: 9872 });
    assert.deepEqual(parseListenAddress('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
    assert.deepEqual(parseListenAddress('[::1]:9872'), { host: '::1', port: 9872 });
    assert.throws(() => parseListenAddress('host:99999'));
  });
});
