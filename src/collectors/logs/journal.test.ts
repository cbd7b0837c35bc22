import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { logsConfig, type JournalSourceConfig } from './config.ts';
import { appendJournal as append } from './test-journal.ts';
import {
  CursorStore,
  journalctlArgs,
  journalLevel,
  JournalReader,
  messageBytes,
} from './journal.ts';
import { LEVELS } from './metrics.ts';
import type { SourceSnapshot } from './snapshot.ts';

const root = mkdtempSync(join(tmpdir(), 'patrol-journal-'));
after(() => {
  rmSync(root, { recursive: true, force: true });
});
function source(dir: string, extra: object = {}): JournalSourceConfig {
  const cfg = logsConfig.parse({
    sources: [
      {
        name: 'app',
        format: 'journal',
        journal: { directory: dir, units: ['app.service'] },
        start_at: 'beginning',
        rules: [{ name: 'timeout', regex: 'timed out' }],
        ...extra,
      },
    ],
  });
  return cfg.sources[0] as JournalSourceConfig;
}

const count = (s: SourceSnapshot, level: (typeof LEVELS)[number]) =>
  s.lines[LEVELS.indexOf(level)] ?? 0;
const total = (s: SourceSnapshot) => s.lines.reduce((a, b) => a + b, 0);

async function until(reader: JournalReader, want: number): Promise<SourceSnapshot> {
  for (let i = 0; i < 200; i++) {
    const s = reader.snapshot();
    if (total(s) >= want) return s;
    await sleep(50);
  }
  return reader.snapshot();
}

describe('journal sources', () => {
  it('maps PRIORITY to levels and MESSAGE to bytes as journalctl prints them', () => {
    assert.deepEqual(['0', '2', '3', '4', '5', '6', '7', undefined, '9', 3].map(journalLevel), [
      'critical',
      'critical',
      'error',
      'warning',
      'info',
      'info',
      'debug',
      'other',
      'other',
      'other',
    ]);
    assert.equal(messageBytes('caf\u00e9').toString('utf8'), 'caf\u00e9');
    assert.deepEqual([...messageBytes([98, 255])], [98, 255]);
    assert.deepEqual([...messageBytes([[97], 'b'])], [97]);
    assert.equal(messageBytes(null).length, 0);
  });

  it('starts after the saved cursor, else at the end or the beginning', () => {
    const s = source('/j');
    assert.deepEqual(journalctlArgs(s, 'c1').slice(-3), [
      '--directory=/j',
      '--unit=app.service',
      '--after-cursor=c1',
    ]);
    assert.equal(journalctlArgs(s, undefined).at(-1), '--no-tail');
    assert.equal(journalctlArgs(source('/j', { start_at: 'end' }), undefined).at(-1), '--lines=0');
  });

  it('follows a real journal: levels, one unit only, invalid UTF-8, rules, and a restart after its cursor', async () => {
    const dir = join(root, 'follow');
    mkdirSync(dir);
    append(dir, [
      { priority: 3, unit: 'app.service', message: 'upstream timed out' },
      { priority: 6, unit: 'app.service', message: 'ok' },
      { priority: 3, unit: 'other.service', message: 'not ours, timed out' },
      { priority: 2, unit: 'app.service', message: Buffer.from([0x62, 0xff, 0x0a, 0x00, 0x41]) },
      { unit: 'app.service', message: 'no priority' },
    ]);
    const cursorsPath = join(dir, 'state', 'cursors.json'); // the directory is made on save
    const logs: string[] = [];
    const cursors = new CursorStore(cursorsPath);
    const reader = new JournalReader(source(dir), {
      cursors,
      log: (_l, msg) => logs.push(msg),
    });
    reader.start();
    let s = await until(reader, 4);
    assert.deepEqual(
      {
        critical: count(s, 'critical'),
        error: count(s, 'error'),
        info: count(s, 'info'),
        other: count(s, 'other'),
      },
      { critical: 1, error: 1, info: 1, other: 1 },
    );
    assert.equal(s.files, 1);
    // Written while it follows: seen without a restart.
    append(dir, [{ priority: 4, unit: 'app.service', message: 'request timed out' }]);
    s = await until(reader, 5);
    assert.equal(count(s, 'warning'), 1);
    assert.deepEqual(
      s.matches.map((m) => [m.rule, m.count]),
      [['timeout', 2]],
    );
    assert.ok((s.lastWrite ?? 0) > 1.79e9);
    await reader.stop();
    cursors.save(); // as the collector does at stop

    // Down: two entries of ours and one of another unit are written. Back: exactly those two.
    append(dir, [
      { priority: 3, unit: 'app.service', message: 'while down' },
      { priority: 3, unit: 'other.service', message: 'not ours' },
      { priority: 6, unit: 'app.service', message: 'while down too' },
    ]);
    const again = new JournalReader(source(dir), {
      cursors: new CursorStore(cursorsPath),
      log: (_l, msg) => logs.push(msg),
    });
    again.start();
    s = await until(again, 2);
    await sleep(300);
    s = again.snapshot();
    assert.equal(total(s), 2);
    assert.equal(count(s, 'error'), 1);
    await again.stop();
    assert.deepEqual(logs, []);
  });

  it('says once that journalctl cannot run, and reports no journal followed', async () => {
    const logs: string[] = [];
    const reader = new JournalReader(
      source(root, { journal: { journalctl: '/nonexistent/journalctl' } }),
      {
        cursors: new CursorStore(undefined),
        log: (_l, msg) => logs.push(msg),
      },
    );
    reader.start();
    await sleep(1500); // one retry after 1 s
    const s = reader.snapshot();
    await reader.stop();
    assert.equal(s.files, 0);
    assert.equal(s.errors.io, 1);
    assert.equal(logs.filter((m) => m.startsWith('cannot follow the journal')).length, 1);
  });
});
