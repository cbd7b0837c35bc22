import assert from 'node:assert/strict';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SampleBuffer } from '../../core/metrics.ts';
import { createLogger } from '../../core/logger.ts';
import { logsConfig } from './config.ts';
import { createLogsCollector, positionsPath } from './index.ts';
import { appendJournal } from './test-journal.ts';

const dir = mkdtempSync(join(tmpdir(), 'patrol-logs-index-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});
const logger = createLogger({ level: 'error', format: 'logfmt', write: () => {} });

async function scrape(c: ReturnType<typeof createLogsCollector>): Promise<SampleBuffer> {
  const buf = new SampleBuffer();
  await c.collect(buf, new AbortController().signal);
  return buf;
}

describe('logs collector', () => {
  it('exports every source from the start, and follows a file that appears later', async () => {
    const cfg = logsConfig.parse({
      rescan_interval: '100ms',
      poll_interval: '100ms',
      sources: [
        { name: 'app', paths: [join(dir, 'app-*.log')], format: 'klog', max_silence: '5m' },
      ],
    });
    const c = createLogsCollector(cfg, { logger }, { positionsPath: join(dir, 'pos.json') });
    await c.start();
    try {
      let buf = await scrape(c);
      assert.equal(buf.get('patrol_log_files', { source: 'app' }), 0);
      assert.equal(buf.get('patrol_log_lines_total', { source: 'app', level: 'error' }), 0);
      assert.equal(buf.get('patrol_log_max_silence_seconds', { source: 'app' }), 300);
      assert.equal(
        buf.get('patrol_log_source_info', { source: 'app', format: 'klog', required: 'true' }),
        1,
      );
      assert.equal(
        buf.get('patrol_log_last_write_timestamp_seconds', { source: 'app' }),
        undefined,
      );
      writeFileSync(join(dir, 'app-1.log'), 'E1121 10:00:00.000000 1 x.go:1] boom\n');
      for (let i = 0; i < 100; i++) {
        buf = await scrape(c);
        if (buf.get('patrol_log_lines_total', { source: 'app', level: 'error' }) === 1) break;
        await sleep(50);
      }
      assert.equal(buf.get('patrol_log_lines_total', { source: 'app', level: 'error' }), 1);
      assert.equal(buf.get('patrol_log_files', { source: 'app' }), 1);
      assert.ok(
        (buf.get('patrol_log_last_write_timestamp_seconds', { source: 'app' }) ?? 0) > 1.7e9,
      );
      appendFileSync(join(dir, 'app-1.log'), 'W1121 10:00:01.000000 1 x.go:2] hmm\n');
    } finally {
      await c.stop();
    }
    // After stop, scrapes report the counts as they were at the end.
    const end = await scrape(c);
    assert.equal(end.get('patrol_log_lines_total', { source: 'app', level: 'error' }), 1);
  });

  it('with --path.rootfs, follows the host’s files under it and keeps positions where set', async () => {
    const rootfs = join(dir, 'host-root');
    mkdirSync(join(rootfs, 'srv', 'app'), { recursive: true });
    writeFileSync(join(rootfs, 'srv', 'app', 'plain.log'), '');
    const cfg = logsConfig.parse({
      rescan_interval: '100ms',
      poll_interval: '100ms',
      sources: [
        { name: 'plain', paths: ['/srv/app/plain.log'], format: 'klog' },
        { name: 'globbed', paths: ['/srv/app/g-*.log'], format: 'klog' },
      ],
    });
    const positions = join(dir, 'rootfs-pos.json');
    const c = createLogsCollector(
      cfg,
      { logger, host: { rootfs, procfs: '/proc', sysfs: '/sys' } },
      { positionsPath: positions },
    );
    await c.start();
    const errors = (source: string, buf: SampleBuffer) =>
      buf.get('patrol_log_lines_total', { source, level: 'error' });
    try {
      appendFileSync(
        join(rootfs, 'srv', 'app', 'plain.log'),
        'E1121 10:00:00.000000 1 x.go:1] a\n',
      );
      writeFileSync(join(rootfs, 'srv', 'app', 'g-1.log'), 'E1121 10:00:00.000000 1 x.go:1] b\n');
      let buf = await scrape(c);
      for (let i = 0; i < 100; i++) {
        buf = await scrape(c);
        if (errors('plain', buf) === 1 && errors('globbed', buf) === 1) break;
        await sleep(50);
      }
      assert.equal(errors('plain', buf), 1);
      assert.equal(errors('globbed', buf), 1);
      assert.equal(buf.get('patrol_log_files', { source: 'globbed' }), 1);
    } finally {
      await c.stop();
    }
    const saved = readFileSync(positions, 'utf8');
    assert.match(saved, /g-1\.log/, 'positions are kept at the configured path, not under rootfs');
  });

  it('keeps positions under $STATE_DIRECTORY unless positions_file says otherwise', () => {
    const cfg = logsConfig.parse({});
    assert.equal(
      positionsPath(cfg, { STATE_DIRECTORY: '/var/lib/patrol2:/x' }),
      '/var/lib/patrol2/log-positions.json',
    );
    assert.equal(positionsPath(cfg, {}), '/var/lib/patrol/log-positions.json');
    assert.equal(positionsPath(logsConfig.parse({ positions_file: '/p.json' }), {}), '/p.json');
  });
});

describe('logs collector waiting for a first file', () => {
  it('counts every line of a writer that starts after it on an empty directory and rotates at once', async () => {
    const logs = mkdtempSync(join(dir, 'late-'));
    const cfg = logsConfig.parse({
      // The default rescan: before the directories were watched, the first look came 10 s
      // late, when everything had been rotated away, and 0 of 50,000 lines were counted.
      sources: [{ name: 'late', paths: [join(logs, 'app.log')], format: 'plain' }],
    });
    const c = createLogsCollector(cfg, { logger }, { positionsPath: null });
    await c.start();
    const lines = 50_000;
    try {
      // A writer of its own (a real process, running while the collector waits): 10,000 lines
      // to app.log, then app.log renamed to app.log.N, five times; no app.log is left.
      const writer = spawnSync(
        process.execPath,
        [
          '-e',
          `const fs = require('node:fs'); const p = ${JSON.stringify(join(logs, 'app.log'))};
           const line = 'some line of a log file\\n';
           for (let r = 1; r <= 5; r++) {
             for (let k = 0; k < 10; k++) fs.appendFileSync(p, line.repeat(1000));
             fs.renameSync(p, p + '.' + r);
           }`,
        ],
        { stdio: 'inherit' },
      );
      assert.equal(writer.status, 0);
      const counted = async () =>
        (await scrape(c)).get('patrol_log_lines_total', { source: 'late', level: 'other' }) ?? 0;
      const deadline = performance.now() + 20_000;
      while ((await counted()) < lines && performance.now() < deadline) await sleep(50);
      assert.equal(await counted(), lines);
      await sleep(300);
      assert.equal(await counted(), lines, 'and none twice');
    } finally {
      await c.stop();
    }
  });
});

describe('logs collector with a journal source', () => {
  it('exports the journal source next to the file sources, in configuration order', async () => {
    const jdir = join(dir, 'journal');
    mkdirSync(jdir);
    appendJournal(jdir, [
      { priority: 3, unit: 'kubelet.service', message: 'E1121 failed' },
      { priority: 6, unit: 'kubelet.service', message: 'fine' },
    ]);
    const cfg = logsConfig.parse({
      sources: [
        { name: 'files', paths: [join(dir, 'none-*.log')], format: 'syslog', required: false },
        {
          name: 'kubelet',
          format: 'journal',
          start_at: 'beginning',
          journal: { directory: jdir, units: ['kubelet.service'] },
        },
      ],
    });
    const c = createLogsCollector(cfg, { logger }, { positionsPath: join(dir, 'jpos.json') });
    await c.start();
    let buf = await scrape(c);
    for (
      let i = 0;
      i < 100 && buf.get('patrol_log_lines_total', { source: 'kubelet', level: 'info' }) !== 1;
      i++
    ) {
      await sleep(50);
      buf = await scrape(c);
    }
    await c.stop();
    assert.equal(buf.get('patrol_log_lines_total', { source: 'kubelet', level: 'error' }), 1);
    assert.equal(buf.get('patrol_log_files', { source: 'kubelet' }), 1);
    assert.equal(
      buf.get('patrol_log_source_info', { source: 'kubelet', format: 'journal', required: 'true' }),
      1,
    );
    assert.equal(buf.get('patrol_log_files', { source: 'files' }), 0);
    assert.match(readFileSync(join(dir, 'jpos.journal.json'), 'utf8'), /"kubelet":"s=/);
  });
});
