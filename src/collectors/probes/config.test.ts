import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatIssues } from '../../config/load.ts';
import { configSchema } from '../index.ts';
import { parseHostPort, parseProbe, probesConfig } from './config.ts';
import { effectiveProbes } from './presets.ts';

const problems = (probes: unknown): string => {
  const r = configSchema.safeParse({ collectors: { probes } });
  assert.equal(r.success, false, 'expected a configuration error');
  return formatIssues(r.error.issues, configSchema).join('\n');
};

describe('probes config', () => {
  it('has no probes by default, and fills each probe in', () => {
    assert.deepEqual(probesConfig.parse({}).probes, []);
    const cfg = probesConfig.parse({
      probes: [
        { name: 'nginx', module: 'http', target: 'http://127.0.0.1/health' },
        { name: 'licence', module: 'tcp', target: '[::1]:27000', interval: '1m' },
      ],
    });
    const [http, tcp] = cfg.probes;
    assert.equal(http?.module === 'http' && http.method, 'GET');
    assert.equal(http?.module === 'http' && http.follow_redirects, true);
    assert.equal(http?.timeout, 5000);
    assert.equal(tcp?.interval, 60_000);
    assert.equal(tcp?.module === 'tcp' && tcp.tls_config.insecure_skip_verify, false);
  });

  it('names the field of each mistake', () => {
    const out = problems({
      timeout: '5s',
      probes: [
        { name: 'a', module: 'tcp', target: 'nohost' },
        { name: 'a2', module: 'http', target: 'ftp://x/' },
        { name: 'b c', module: 'smtp', target: 'x:25' },
        { name: 'd', module: 'tcp', target: 'x:1', query_response: [{}] },
      ],
    });
    assert.match(out, /collectors\.probes\.probes\[0\]\.target: must be host:port/);
    assert.match(
      out,
      /collectors\.probes\.probes\[1\]\.target: must be an http:\/\/ or https:\/\/ URL/,
    );
    assert.match(out, /collectors\.probes\.probes\[2\]\.module: .*'tcp' \| 'http'/);
    assert.match(
      out,
      /collectors\.probes\.probes\[3\]\.query_response\[0\]: a step needs expect, send, or both/,
    );
  });

  it('refuses a name used twice and a probe deadline the scrape would cut first', () => {
    const out = problems({
      timeout: '5s',
      probes: [
        { name: 'a', module: 'tcp', target: 'x:1' },
        { name: 'a', module: 'http', target: 'http://x/', timeout: '5s' },
      ],
    });
    assert.match(out, /collectors\.probes\.probes\[1\]\.name: probe name "a" is used twice/);
    assert.match(
      out,
      /collectors\.probes\.probes\[1\]\.timeout: must be shorter than collectors\.probes\.timeout/,
    );
  });

  it('checks secret files when the configuration is loaded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'patrol-probes-config-'));
    const open = join(dir, 'open');
    writeFileSync(open, 'pw\n');
    chmodSync(open, 0o644);
    const out = problems({
      probes: [
        {
          name: 'web',
          module: 'http',
          target: 'http://127.0.0.1/',
          basic_auth: { username: 'u', password_file: open },
        },
        {
          name: 'api',
          module: 'http',
          target: 'https://127.0.0.1/',
          bearer_token_file: join(dir, 'none'),
        },
      ],
    });
    assert.match(out, /probes\[0\]\.basic_auth\.password_file: .*readable by every user/);
    assert.match(out, /probes\[1\]\.bearer_token_file: .*no such file/);
  });

  it('reads host:port, bracketed IPv6 included', () => {
    assert.deepEqual(parseHostPort('redis.local:6379'), { host: 'redis.local', port: 6379 });
    assert.deepEqual(parseHostPort('[fe80::1]:80'), { host: 'fe80::1', port: 80 });
    assert.equal(parseHostPort('fe80::1:80'), undefined);
    assert.equal(parseHostPort('host:0'), undefined);
    assert.equal(parseHostPort('host:70000'), undefined);
    assert.equal(parseHostPort('[notip]:80'), undefined);
  });
});

describe('probe presets', () => {
  it('iuap-middleware: the seed middleware on its usual ports, each replaceable by name', () => {
    const cfg = probesConfig.parse({
      presets: ['iuap-middleware'],
      probes: [
        { name: 'mysql', module: 'mysql', target: '127.0.0.1:3306', user: 'patrol' },
        { name: 'licence', module: 'tcp', target: 'licence.plant.local:27000' },
      ],
    });
    const probes = effectiveProbes(cfg, parseProbe);
    assert.deepEqual(
      probes.map((p) => [p.name, p.module, p.target]),
      [
        ['nginx', 'http', 'http://127.0.0.1:80/'],
        ['redis', 'redis', '127.0.0.1:6379'],
        ['rabbitmq', 'rabbitmq', '127.0.0.1:5672'],
        ['mysql', 'mysql', '127.0.0.1:3306'],
        ['licence', 'tcp', 'licence.plant.local:27000'],
      ],
    );
    const nginx = probes[0];
    assert.ok(nginx?.module === 'http');
    assert.ok(nginx.valid_status_codes.includes(404) && !nginx.valid_status_codes.includes(502));
    const rabbit = probes[2];
    assert.equal(rabbit?.module === 'rabbitmq' && rabbit.management_url, 'http://127.0.0.1:15672');
    assert.match(problems({ presets: ['nope'] }), /collectors\.probes\.presets\[0\]/);
  });
});
