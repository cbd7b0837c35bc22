/**
 * The log collector against real files, a real worker thread and the real exporter process.
 *
 * The torture test (issue 5): a writer process appends 10,000 lines/s over 20 files and rotates
 * them every few seconds by rename-and-create, copytruncate, delete-and-create and new daily
 * files, while the collector is stopped and started again in the middle. Once the writer stops
 * and the reader has caught up, the lines counted equal the lines written, exactly, for every
 * kind of rotation but copytruncate; for copytruncate the count lies between "written minus the
 * lines written in logrotate's copy window" and "written": never above.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { logsConfig } from '../../src/collectors/logs/config.ts';
import { createLogsCollector, type LogsCollector } from '../../src/collectors/logs/index.ts';
import { LEVELS } from '../../src/collectors/logs/metrics.ts';
import type { TailerSnapshot } from '../../src/collectors/logs/snapshot.ts';
import { createLogger } from '../../src/core/logger.ts';
import { onlyCollectors } from '../harness/config.ts';
import { startExporter } from '../harness/exporter.ts';
import { sampleValue } from '../harness/metrics.ts';
import { ManagedProcess } from '../harness/process.ts';
import { tempDir } from '../harness/tmp.ts';
import { waitFor } from '../harness/wait.ts';

const WRITER = new URL('../harness/log-writer.ts', import.meta.url).pathname;
const GROUPS = ['rot', 'ct', 're', 'daily'] as const;
type Group = (typeof GROUPS)[number];

interface Written {
  written: Record<Group, number>;
  errors: Record<Group, number>;
  ctWindow: number;
  rotations: number;
}

const logger = createLogger({ level: 'warn', format: 'logfmt', write: () => {} });
const ERROR = LEVELS.indexOf('error');

function counts(snap: TailerSnapshot): Record<Group, { lines: number; errors: number }> {
  const out = {} as Record<Group, { lines: number; errors: number }>;
  for (const g of GROUPS) {
    const s = snap.sources.find((x) => x.name === g);
    assert.ok(s, `source ${g}`);
    out[g] = { lines: s.lines.reduce((a, b) => a + b, 0), errors: s.lines[ERROR] ?? 0 };
  }
  return out;
}

describe('log collector', () => {
  it('counts every line of 20 files written at 10,000 lines/s through rotations and a restart', async (t) => {
    const dir = await tempDir(t, 'patrol-torture-');
    const cfg = logsConfig.parse({
      positions_file: join(dir, 'state', 'positions.json'),
      poll_interval: '250ms',
      rescan_interval: '1s',
      save_interval: '1s',
      sources: GROUPS.map((g) => ({
        name: g,
        paths: [join(dir, g === 'daily' ? 'daily-*.log' : `${g}-*.log`)],
        format: 'syslog',
        start_at: 'beginning',
      })),
    });
    const DURATION = 16_000;
    const RESTART_AT = 7_000;
    const DOWN_FOR = 1_500;
    const writer = new ManagedProcess(
      'log-writer',
      process.execPath,
      // No deletes from a little before the restart to a little after: what a deleted file got
      // while no reader held it open is gone for any reader.
      [
        WRITER,
        dir,
        String(DURATION),
        '10000',
        String(RESTART_AT - 1000),
        String(RESTART_AT + DOWN_FOR + 1000),
      ],
      {},
    );
    t.after(() => writer.kill());
    const started = Date.now();
    await waitFor('the writer to create its files', () =>
      existsSync(join(dir, 'daily-2.2026-11-01.log')),
    );
    let collector: LogsCollector = createLogsCollector(cfg, { logger });
    t.after(() => collector.stop());
    await collector.start();

    await sleep(Math.max(0, RESTART_AT - (Date.now() - started)));
    await collector.stop();
    const before = counts(await collector.snapshot());
    await sleep(DOWN_FOR);
    collector = createLogsCollector(cfg, { logger });
    await collector.start();

    const exit = await writer.exited;
    assert.deepEqual(exit, { code: 0, signal: null }, writer.describe());
    const report = JSON.parse(writer.stdout.trim()) as Written;
    assert.ok(report.rotations >= 60, `rotations: ${report.rotations}`);
    const total = Object.values(report.written).reduce((a, b) => a + b, 0);
    assert.ok(total >= 140_000, `only ${total} lines written in ${DURATION} ms`);

    // Caught up: nothing left to read, and the count does not move any more.
    let last = '';
    await waitFor(
      'the collector to catch up',
      async () => {
        const snap = await collector.snapshot();
        const key = JSON.stringify(counts(snap));
        const idle = snap.sources.every((s) => s.lagBytes === 0) && key === last;
        last = key;
        return idle;
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
    await collector.stop();
    const after = counts(await collector.snapshot());
    const counted = (g: Group) => before[g].lines + after[g].lines;
    const errors = (g: Group) => before[g].errors + after[g].errors;
    t.diagnostic(
      `written ${JSON.stringify(report)}; counted ${JSON.stringify(Object.fromEntries(GROUPS.map((g) => [g, counted(g)])))}`,
    );
    for (const g of ['rot', 're', 'daily'] as const) {
      assert.equal(counted(g), report.written[g], `${g}: lines`);
      assert.equal(errors(g), report.errors[g], `${g}: error lines`);
    }
    // copytruncate: the copy window may be lost (measured by the writer), never counted twice.
    assert.ok(counted('ct') <= report.written.ct, `ct: ${counted('ct')} > ${report.written.ct}`);
    assert.ok(
      counted('ct') >= report.written.ct - report.ctWindow,
      `ct: ${counted('ct')} < ${report.written.ct} - window ${report.ctWindow}`,
    );
    t.diagnostic(
      `copytruncate: ${report.written.ct - counted('ct')} of ${report.ctWindow} window lines lost`,
    );
  });

  it('resumes exactly where it stopped across an exporter restart (SIGTERM), lines written while down included', async (t) => {
    const dir = await tempDir(t, 'patrol-logs-e2e-');
    const log = join(dir, 'app.log');
    writeFileSync(log, 'Nov 21 10:00:00 host app[1]: old line, error before the first start\n');
    const configFile = join(dir, 'patrol.yml');
    writeFileSync(
      configFile,
      stringify(
        onlyCollectors({
          logs: {
            positions_file: join(dir, 'positions.json'),
            poll_interval: '100ms',
            sources: [
              { name: 'app', paths: [log], format: 'syslog' },
              { name: 'gone', paths: [join(dir, 'missing-*.log')], format: 'nginx' },
            ],
          },
        }),
      ),
    );
    const line = (i: number, word: string) =>
      `Nov 21 10:00:${String(i % 60).padStart(2, '0')} host app[1]: line ${i} ${word}\n`;
    const count = async (exp: Awaited<ReturnType<typeof startExporter>>, level: string) =>
      sampleValue(await exp.scrape(), 'patrol_log_lines_total', { source: 'app', level });

    let exp = await startExporter(t, { configFile });
    appendFileSync(log, line(1, 'segfault at 0') + line(2, 'ok') + line(3, 'ok'));
    await waitFor(
      '3 lines',
      async () => (await count(exp, 'info')) === 2 && (await count(exp, 'error')) === 1,
    );
    const text = await exp.scrape();
    assert.equal(sampleValue(text, 'patrol_log_files', { source: 'app' }), 1);
    assert.equal(sampleValue(text, 'patrol_log_files', { source: 'gone' }), 0);
    assert.equal(
      sampleValue(text, 'patrol_log_source_info', {
        source: 'gone',
        format: 'nginx',
        required: 'true',
      }),
      1,
    );
    assert.equal(sampleValue(text, 'patrol_collector_success', { collector: 'logs' }), 1);
    await exp.stop();

    appendFileSync(log, line(4, 'Out of memory: killed process') + line(5, 'ok'));
    exp = await startExporter(t, { configFile });
    appendFileSync(log, line(6, 'ok'));
    await waitFor(
      'the 3 lines written since the stop, and nothing more',
      async () => (await count(exp, 'info')) === 2 && (await count(exp, 'error')) === 1,
    );
    await sleep(500);
    assert.equal(await count(exp, 'info'), 2);
    assert.equal(await count(exp, 'error'), 1);
    await exp.stop();
  });
});
