import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatIssues } from '../../config/load.ts';
import { configSchema } from '../index.ts';
import { haConfig } from './config.ts';

const problems = (ha: unknown): string => {
  const r = configSchema.safeParse({ collectors: { ha } });
  assert.equal(r.success, false, 'expected a configuration error');
  return formatIssues(r.error.issues, configSchema).join('\n');
};

describe('ha config', () => {
  it('is off by default and needs a peer when on', () => {
    assert.equal(haConfig.parse({}).enabled, false);
    assert.match(problems({ enabled: true }), /collectors\.ha\.peers.*list the other node/);
  });

  it('names the field of each mistake', () => {
    const peers = [{ name: 'b', url: 'http://10.0.0.2:9872' }];
    assert.match(problems({ peers: [{ name: 'b', url: 'ftp://x' }] }), /peers\[0\]\.url/);
    assert.match(
      problems({ peers, interval: '1s', timeout: '2s' }),
      /collectors\.ha\.timeout.*shorter than interval/,
    );
    assert.match(
      problems({ peers, role: { source: 'vip', address: 'not-an-ip' } }),
      /role\.address/,
    );
    assert.match(problems({ peers, role: { source: 'static', value: 'boss' } }), /role\.value/);
    assert.match(problems({ peers, role: { source: 'magic' } }), /role/);
    assert.match(problems({ peers, secret_file: 'relative' }), /secret_file.*absolute/);
    const datasets = [{ name: 'd', path: '/data' }];
    assert.match(
      problems({ peers, datasets }),
      /datasets\[0\]\.compare\.enabled.*needs secret_file/,
      'file names are served to signed requests only',
    );
    assert.match(
      problems({ peers, datasets: [{ ...datasets[0], compare: { mode: 'content' } }] }),
      /compare\.mode/,
    );
    const secret = join(mkdtempSync(join(tmpdir(), 'patrol-ha-config-')), 'ha-secret');
    writeFileSync(secret, 'sixteen or more characters\n', { mode: 0o600 });
    const ok = haConfig.parse({ peers, datasets, secret_file: secret });
    assert.equal(ok.datasets[0]?.compare.interval, 60_000);
  });

  it('checks the secret file when the configuration is loaded, naming the field', () => {
    const peers = [{ name: 'b', url: 'http://10.0.0.2:9872' }];
    const dir = mkdtempSync(join(tmpdir(), 'patrol-ha-secret-'));
    const short = join(dir, 'short');
    writeFileSync(short, 'too short\n', { mode: 0o600 });
    assert.match(
      problems({ peers, secret_file: short }),
      /collectors\.ha\.secret_file: .*short: the secret must be at least 16 characters/,
    );
    assert.match(
      problems({ peers, secret_file: join(dir, 'absent') }),
      /secret_file: .*no such file/,
    );
  });

  it('accepts every role source', () => {
    const peers = [{ name: 'b', url: 'https://b.example:9872' }];
    for (const role of [
      { source: 'static', value: 'primary' },
      { source: 'vip', address: 'fe80::1' },
      { source: 'file', path: '/run/ha/role' },
      { source: 'command', command: ['/usr/local/bin/ha-role'] },
    ]) {
      assert.equal(haConfig.parse({ enabled: true, peers, role }).role?.source, role.source);
    }
  });
});
