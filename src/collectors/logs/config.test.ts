import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configSchema } from '../index.ts';
import { formatIssues } from '../../config/load.ts';
import { HOST_PATHS } from '../../core/host-paths.ts';
import { fileSourcesOnly, logsConfig, SEED_EXAMPLE, underRootfs } from './config.ts';

const problems = (logs: unknown): string => {
  const r = configSchema.safeParse({ collectors: { logs } });
  assert.equal(r.success, false, 'expected a configuration error');
  return formatIssues(r.error.issues, configSchema).join('\n');
};

describe('logs config', () => {
  it('defaults to the host syslog files, not required', () => {
    const cfg = logsConfig.parse({});
    assert.deepEqual(
      cfg.sources.map((s) => [s.name, s.paths, s.format, s.required, s.start_at]),
      [['syslog', ['/var/log/messages', '/var/log/syslog'], 'syslog', false, 'end']],
    );
    assert.equal(cfg.max_line_bytes, 65_536);
    assert.equal(cfg.poll_interval, 1000);
  });

  it('accepts the seed example shown in config.example.yaml', () => {
    const cfg = logsConfig.parse({ sources: SEED_EXAMPLE });
    assert.equal(cfg.sources.length, 6);
    assert.equal(cfg.sources[0]?.max_silence, 3_600_000);
    assert.equal(cfg.sources[1]?.rules[0]?.max_values, 20);
  });

  it('names the field of each mistake', () => {
    const src = { name: 'a', paths: ['/x.log'], format: 'syslog' };
    assert.match(
      problems({ sources: [src, src] }),
      /collectors\.logs\.sources\[1\]\.name.*duplicate source name "a"/,
    );
    assert.match(
      problems({ sources: [{ ...src, paths: ['x.log'] }] }),
      /collectors\.logs\.sources\[0\]\.paths\[0\].*absolute/,
    );
    assert.match(
      problems({ sources: [{ ...src, format: 'apache' }] }),
      /collectors\.logs\.sources\[0\]\.format/,
    );
    assert.match(
      problems({ sources: [{ ...src, rules: [{ name: 'r', regex: '(unclosed' }] }] }),
      /collectors\.logs\.sources\[0\]\.rules\[0\]\.regex.*not a valid regular expression/,
    );
    assert.match(
      problems({
        sources: [{ ...src, rules: [{ name: 'r', regex: '(?<u>x)', labels: ['user'] }] }],
      }),
      /sources\[0\]\.rules\[0\]\.labels\[0\].*no named capture \(\?<user>/,
    );
    assert.match(
      problems({
        sources: [{ ...src, rules: [{ name: 'r', regex: '(?<source>x)', labels: ['source'] }] }],
      }),
      /labels\[0\].*cannot be a label name/,
    );
    assert.match(
      problems({ sources: [{ ...src, max_silence: 'soon' }] }),
      /max_silence.*invalid duration/,
    );
    assert.match(problems({ max_line_bytes: 10 }), /collectors\.logs\.max_line_bytes/);
  });
});

describe('file sources under --path.rootfs', () => {
  const cfg = fileSourcesOnly(
    logsConfig.parse({
      positions_file: '/var/lib/patrol/pos.json',
      sources: [
        { name: 'nginx', paths: ['/data/nginx/error.log', '/data/*/logs/*.log'], format: 'nginx' },
        { name: 'kubelet', format: 'journal', journal: { units: ['kubelet.service'] } },
      ],
    }),
  );

  it('opens the host’s paths and globs under rootfs; names and positions stay', () => {
    const moved = underRootfs(cfg, { rootfs: '/host/root', procfs: '/proc', sysfs: '/sys' });
    assert.deepEqual(
      moved.sources.map((s) => [s.name, s.paths]),
      [['nginx', ['/host/root/data/nginx/error.log', '/host/root/data/*/logs/*.log']]],
    );
    assert.equal(moved.positions_file, '/var/lib/patrol/pos.json');
    assert.deepEqual(cfg.sources[0]?.paths, ['/data/nginx/error.log', '/data/*/logs/*.log']);
  });

  it('is the configuration itself on the host', () => {
    assert.equal(underRootfs(cfg, HOST_PATHS), cfg);
  });
});
