import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../../core/logger.ts';
import { SampleBuffer } from '../../core/metrics.ts';
import { directoryConfig } from './config.ts';
import {
  createDirectoryCollector,
  directoryCollector,
  formatDuration,
  type DirectoryCollector,
} from './index.ts';
import { duBytes, file, KNOWN, known, tempRoot } from './test-fixtures.ts';

type Hooks = { after: (fn: () => unknown) => void };

function collector(
  t: Hooks,
  raw: Record<string, unknown>,
  lines: string[] = [],
): DirectoryCollector {
  const cfg = directoryConfig.parse({ interval: '1h', ...raw });
  const logger = createLogger({ level: 'info', format: 'json', write: (l) => lines.push(l) });
  const c = createDirectoryCollector(cfg, { logger });
  t.after(() => c.stop?.());
  return c;
}

function scrape(c: DirectoryCollector): SampleBuffer {
  const sink = new SampleBuffer();
  const r = c.collect(sink, new AbortController().signal);
  assert.equal(r, undefined, 'collect() is synchronous: it only reads memory');
  return sink;
}

/** Every `path` label value in the output. */
function pathsOf(sink: SampleBuffer): string[] {
  const paths = new Set<string>();
  for (const samples of sink.families.values())
    for (const s of samples) if (s.labels.path !== undefined) paths.add(s.labels.path);
  return [...paths].sort();
}

describe('directory collector', () => {
  it('exports the measurements of a known tree', async (t) => {
    const root = tempRoot(t);
    known(root);
    const c = collector(t, { paths: [root] });
    await c.runCycle();
    const sink = scrape(c);
    const path = { path: root };
    assert.equal(sink.get('patrol_directory_up', path), 1);
    assert.equal(sink.get('patrol_directory_size_bytes', path), KNOWN.sizeBytes);
    assert.equal(sink.get('patrol_directory_disk_usage_bytes', path), duBytes(root));
    assert.equal(sink.get('patrol_directory_files', path), KNOWN.files);
    assert.equal(
      sink.get('patrol_directory_oldest_file_timestamp_seconds', path),
      KNOWN.oldestSeconds,
    );
    assert.equal(
      sink.get('patrol_directory_newest_file_timestamp_seconds', path),
      KNOWN.newestSeconds,
    );
    const last = sink.get('patrol_directory_last_scan_timestamp_seconds', path);
    assert.ok(last !== undefined && Math.abs(last - Date.now() / 1000) < 60);
    assert.ok((sink.get('patrol_directory_scan_duration_seconds', path) ?? -1) >= 0);
    for (const reason of ['permission', 'vanished', 'loop', 'other']) {
      assert.equal(
        sink.get('patrol_directory_scan_errors_total', { path: root, reason }),
        0,
        reason,
      );
    }
  });

  it('omits oldest/newest for a directory without files', async (t) => {
    const root = tempRoot(t);
    mkdirSync(join(root, 'empty'));
    const c = collector(t, { paths: [root] });
    await c.runCycle();
    const sink = scrape(c);
    assert.equal(sink.get('patrol_directory_files', { path: root }), 0);
    assert.equal(sink.get('patrol_directory_oldest_file_timestamp_seconds'), undefined);
    assert.equal(sink.get('patrol_directory_newest_file_timestamp_seconds'), undefined);
  });

  it('shows a configured directory that is missing as up 0, with a vanished error per scan', async (t) => {
    const root = tempRoot(t);
    const missing = join(root, 'not-there');
    const lines: string[] = [];
    const c = collector(t, { paths: [missing] }, lines);
    await c.runCycle();
    await c.runCycle();
    let sink = scrape(c);
    assert.equal(sink.get('patrol_directory_up', { path: missing }), 0);
    assert.equal(
      sink.get('patrol_directory_scan_errors_total', { path: missing, reason: 'vanished' }),
      2,
    );
    assert.equal(sink.get('patrol_directory_size_bytes'), undefined);
    assert.equal(
      sink.get('patrol_directory_last_scan_timestamp_seconds'),
      undefined,
      'never completed',
    );
    assert.equal(lines.filter((l) => l.includes('cannot scan directory')).length, 1, 'logged once');

    // It appears: measured; it goes again: up 0, sizes gone, the last completed scan stays.
    file(join(root, 'x'), 1, 1_000_000_000);
    mkdirSync(missing);
    await c.runCycle();
    assert.equal(scrape(c).get('patrol_directory_up', { path: missing }), 1);
    rmSync(missing, { recursive: true });
    await c.runCycle();
    sink = scrape(c);
    assert.equal(sink.get('patrol_directory_up', { path: missing }), 0);
    assert.equal(sink.get('patrol_directory_files', { path: missing }), undefined);
    assert.ok(
      sink.get('patrol_directory_last_scan_timestamp_seconds', { path: missing }) !== undefined,
    );
    assert.equal(
      sink.get('patrol_directory_scan_errors_total', { path: missing, reason: 'vanished' }),
      3,
    );
  });

  it('expands globs each scan: series of a directory that stops matching vanish', async (t) => {
    const root = tempRoot(t);
    const a = join(root, 'app-a');
    const b = join(root, 'app-b');
    mkdirSync(a);
    mkdirSync(b);
    writeFileSync(join(root, 'app-file'), 'not a directory');
    file(join(a, 'one'), 100, 1_000_000_000);
    const c = collector(t, { paths: [join(root, 'app-*')] });
    await c.runCycle();
    assert.deepEqual(pathsOf(scrape(c)), [a, b]);
    assert.equal(scrape(c).get('patrol_directory_size_bytes', { path: a }), 100);
    rmSync(b, { recursive: true });
    await c.runCycle();
    assert.deepEqual(pathsOf(scrape(c)), [a]);
  });

  it('caps the matched directories at max_paths and logs it once', async (t) => {
    const root = tempRoot(t);
    for (const d of ['d1', 'd2', 'd3']) mkdirSync(join(root, d));
    const lines: string[] = [];
    const c = collector(t, { paths: [join(root, 'd*')], max_paths: 2 }, lines);
    await c.runCycle();
    await c.runCycle();
    assert.deepEqual(pathsOf(scrape(c)), [join(root, 'd1'), join(root, 'd2')]);
    assert.equal(lines.filter((l) => l.includes('max_paths')).length, 1);
  });

  it('counts loops when following symlinks and logs each kind of problem once per path', async (t) => {
    const root = tempRoot(t);
    known(root);
    symlinkSync(root, join(root, 'sub', 'up'));
    const lines: string[] = [];
    const c = collector(t, { paths: [root], follow_symlinks: true }, lines);
    await c.runCycle();
    await c.runCycle();
    const sink = scrape(c);
    assert.equal(sink.get('patrol_directory_scan_errors_total', { path: root, reason: 'loop' }), 2);
    assert.equal(sink.get('patrol_directory_up', { path: root }), 1);
    assert.equal(sink.get('patrol_directory_files', { path: root }), KNOWN.files);
    const warned = lines.filter((l) => l.includes('skipped entries'));
    assert.equal(warned.length, 1);
    assert.match(warned[0] ?? '', /"reason":"loop"/);
  });

  it('answers scrapes from memory only', async (t) => {
    const root = tempRoot(t);
    known(root);
    const c = collector(t, { paths: [root] });
    await c.runCycle();
    // The tree is gone, but until the next scan collect() reports what the last scan saw:
    // it never touches the disk.
    rmSync(root, { recursive: true });
    const sink = scrape(c);
    assert.equal(sink.get('patrol_directory_up', { path: root }), 1);
    assert.equal(sink.get('patrol_directory_files', { path: root }), KNOWN.files);
  });

  it('scans in the background after start() and stops a running scan', async (t) => {
    const root = tempRoot(t);
    known(root);
    const slow = tempRoot(t);
    for (let i = 0; i < 100; i++) writeFileSync(join(slow, `f${i}`), 'x');
    // The first path is quick, the second takes 10 s at 10 entries/s.
    const c = collector(t, { paths: [root, slow], max_entries_per_second: 10 });
    assert.deepEqual(pathsOf(scrape(c)), [], 'nothing before the first scan');
    await c.start?.();
    for (
      let i = 0;
      i < 200 && scrape(c).get('patrol_directory_up', { path: root }) === undefined;
      i++
    )
      await sleep(25);
    assert.equal(scrape(c).get('patrol_directory_files', { path: root }), KNOWN.files);
    await c.stop?.();
    assert.equal(
      scrape(c).get('patrol_directory_up', { path: slow }),
      undefined,
      'the cancelled scan recorded nothing',
    );
  });

  it('describes what it will do', () => {
    const cfg = (raw: Record<string, unknown>) => directoryConfig.parse(raw);
    assert.equal(
      directoryCollector.describe(cfg({})),
      'watching 0 paths (set collectors.directory.paths to measure directories)',
    );
    assert.equal(
      directoryCollector.describe(cfg({ paths: ['/data/iuap/logs/nginx'] })),
      '1 path (/data/iuap/logs/nginx), every 1m, at most 50000 entries/s',
    );
    assert.match(directoryCollector.describe(cfg({ enabled: false })), /disabled/);
    assert.equal(formatDuration(90_000), '1m30s');
    assert.equal(directoryCollector.families.length, 9);
  });
});
