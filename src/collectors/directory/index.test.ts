import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger, silentLogger } from '../../core/logger.ts';
import { SampleBuffer, type Sample } from '../../core/metrics.ts';
import { filesystemConfig } from '../filesystem/config.ts';
import { createFilesystemCollector } from '../filesystem/index.ts';
import { GuardedStatfs, readMountInfo } from '../filesystem/statfs.ts';
import { directoryConfig } from './config.ts';
import { deviceNumber } from './filesystem.ts';
import {
  createDirectoryCollector,
  directoryCollector,
  formatDuration,
  type DirectoryCollector,
  type DirectoryDeps,
} from './index.ts';
import { duBytes, file, KNOWN, known, tempRoot } from './test-fixtures.ts';

type Hooks = { after: (fn: () => unknown) => void };

function collector(
  t: Hooks,
  raw: Record<string, unknown>,
  lines: string[] = [],
  deps: DirectoryDeps = {},
): DirectoryCollector {
  const cfg = directoryConfig.parse({ interval: '1h', ...raw });
  const logger = createLogger({ level: 'debug', format: 'json', write: (l) => lines.push(l) });
  const c = createDirectoryCollector(cfg, { logger }, deps);
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

/** The samples of one family. */
function samplesOf(sink: SampleBuffer, name: string): readonly Sample[] {
  for (const [fam, samples] of sink.families) if (fam.name === name) return samples;
  return [];
}

/** One line of `findmnt -n -r` (raw: spaces in a path come out as \x20). */
function findmnt(...args: string[]): string[] {
  const r = spawnSync('findmnt', ['-n', '-r', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`findmnt ${args.join(' ')} failed: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  // Several mounts on one path: the last one is on top.
  return (lines.at(-1) ?? '').split(' ').map((f) => f.replace(/\\x20/g, ' '));
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
    assert.equal(sink.get('patrol_directory_filesystem_info'), undefined);

    // It appears: measured; it goes again: up 0, sizes gone, the last completed scan stays.
    file(join(root, 'x'), 1, 1_000_000_000);
    mkdirSync(missing);
    await c.runCycle();
    assert.equal(scrape(c).get('patrol_directory_up', { path: missing }), 1);
    assert.equal(scrape(c).get('patrol_directory_filesystem_info', { path: missing }), 1);
    rmSync(missing, { recursive: true });
    await c.runCycle();
    sink = scrape(c);
    assert.equal(sink.get('patrol_directory_up', { path: missing }), 0);
    assert.equal(sink.get('patrol_directory_files', { path: missing }), undefined);
    assert.equal(sink.get('patrol_directory_filesystem_info', { path: missing }), undefined);
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

  it('names the filesystem holding a real directory as the filesystem collector does', async (t) => {
    const root = tempRoot(t);
    const c = collector(t, { paths: [root] });
    await c.runCycle();
    const info = samplesOf(scrape(c), 'patrol_directory_filesystem_info');
    assert.equal(info.length, 1);
    const { path, device, mountpoint } = info[0]?.labels ?? {};
    assert.equal(path, root);
    assert.equal(info[0]?.value, 1);

    // The mount it names is of the filesystem findmnt finds under the directory (the same
    // mount, unless the directory sits in a bind mount and the filesystem is also mounted
    // whole elsewhere).
    const [holderDevno, holder] = findmnt('-o', 'MAJ:MIN,TARGET', '--target', root);
    assert.ok(device !== undefined && mountpoint !== undefined && holder !== undefined);
    assert.ok(root === holder || root.startsWith(holder === '/' ? '/' : `${holder}/`));
    assert.equal(findmnt('-o', 'MAJ:MIN', '--mountpoint', mountpoint)[0], holderDevno);

    // And the filesystem collector, every mount let through, has a series with those labels.
    const fsc = createFilesystemCollector(
      filesystemConfig.parse({ mount_points_exclude: '', fs_types_exclude: '' }),
      { logger: silentLogger },
      {
        readMountInfo,
        statfs: new GuardedStatfs(() =>
          Promise.resolve({ size: 1, free: 1, avail: 1, files: 1, filesFree: 1 }),
        ),
      },
    );
    const fsSink = new SampleBuffer();
    await fsc.collect(fsSink, new AbortController().signal);
    assert.equal(fsSink.get('patrol_filesystem_avail_bytes', { device, mountpoint }), 1);
  });

  it('with --path.rootfs, scans host paths under it and labels them with the host path', async (t) => {
    const rootfs = tempRoot(t);
    mkdirSync(join(rootfs, 'data', 'app'), { recursive: true });
    mkdirSync(join(rootfs, 'data', 'globbed'));
    known(join(rootfs, 'data', 'app'));
    file(join(rootfs, 'data', 'globbed', 'one'), 7, 1_600_000_000);
    const devno = deviceNumber(statSync(rootfs, { bigint: true }).dev);
    // The host's root as this container sees it, and a mount of the container's own.
    const mountinfo = `1 0 ${devno} / ${rootfs} ro - ext4 /dev/host rw\n2 0 0:999 / / rw - overlay overlay rw\n`;
    const cfg = directoryConfig.parse({
      interval: '1h',
      paths: ['/data/app', '/data/glob*', '/data/missing'],
    });
    const c = createDirectoryCollector(
      cfg,
      { logger: silentLogger, host: { rootfs, procfs: '/proc', sysfs: '/sys' } },
      { readMountInfo: () => Promise.resolve(mountinfo) },
    );
    t.after(() => c.stop?.());
    await c.runCycle();
    const sink = scrape(c);
    assert.deepEqual(pathsOf(sink), ['/data/app', '/data/globbed', '/data/missing']);
    assert.equal(sink.get('patrol_directory_up', { path: '/data/app' }), 1);
    assert.equal(sink.get('patrol_directory_files', { path: '/data/app' }), KNOWN.files);
    assert.equal(sink.get('patrol_directory_size_bytes', { path: '/data/app' }), KNOWN.sizeBytes);
    assert.equal(sink.get('patrol_directory_size_bytes', { path: '/data/globbed' }), 7);
    assert.equal(sink.get('patrol_directory_up', { path: '/data/missing' }), 0);
    assert.deepEqual(
      samplesOf(sink, 'patrol_directory_filesystem_info').map((s) => s.labels),
      [
        { path: '/data/app', device: '/dev/host', mountpoint: '/' },
        { path: '/data/globbed', device: '/dev/host', mountpoint: '/' },
      ],
    );
  });

  it('omits filesystem_info, and only that, when it cannot be told', async (t) => {
    const root = tempRoot(t);
    const a = join(root, 'a');
    const b = join(root, 'b');
    mkdirSync(a);
    mkdirSync(b);
    const missing = join(root, 'missing');
    const mountinfo = readFileSync(
      new URL('../filesystem/testdata/mountinfo.txt', import.meta.url),
      'utf8',
    );
    let table: () => Promise<string> = () => Promise.resolve(mountinfo);
    const lines: string[] = [];
    const c = collector(t, { paths: [a, b, missing] }, lines, {
      readMountInfo: () => table(),
      // a: on the xfs of the fixture (8:17, makedev(8, 17)); b: stat fails.
      locate: (p) =>
        p === a
          ? Promise.resolve({ dev: 0x811n, realPath: '/var/lib/app/logs/a' })
          : Promise.reject(Object.assign(new Error(`EACCES: ${p}`), { code: 'EACCES' })),
    });
    await c.runCycle();
    await c.runCycle();
    let sink = scrape(c);
    assert.deepEqual(
      samplesOf(sink, 'patrol_directory_filesystem_info').map((s) => s.labels),
      [{ path: a, device: '/dev/sdb1', mountpoint: '/data/my logs' }],
    );
    assert.equal(sink.get('patrol_directory_up', { path: b }), 1, 'the scan is unaffected');
    assert.equal(lines.filter((l) => l.includes('cannot stat directory')).length, 2, 'b, missing');

    table = () => Promise.reject(new Error('EACCES: /proc/self/mountinfo'));
    await c.runCycle();
    await c.runCycle();
    sink = scrape(c);
    assert.deepEqual(samplesOf(sink, 'patrol_directory_filesystem_info'), []);
    assert.equal(sink.get('patrol_directory_up', { path: a }), 1);
    assert.equal(lines.filter((l) => l.includes('cannot read the mount table')).length, 1);
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
    assert.equal(directoryCollector.families.length, 10);
  });
});
