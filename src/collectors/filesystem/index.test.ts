import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createLogger, silentLogger } from '../../core/logger.ts';
import { SampleBuffer } from '../../core/metrics.ts';
import { filesystemConfig } from './config.ts';
import { createFilesystemCollector } from './index.ts';
import { GuardedStatfs, type FsUsage } from './statfs.ts';

const mountinfo = [
  '27 1 8:2 / / rw,relatime - ext4 /dev/sda2 rw',
  '100 27 8:17 / /data rw - xfs /dev/sdb1 rw',
  '101 27 0:60 / /srv/nfs rw - nfs4 server:/export rw',
  '102 27 8:33 / /ro ro - ext4 /dev/sdc1 ro',
].join('\n');

const usage: FsUsage = { size: 1000, free: 400, avail: 300, files: 50, filesFree: 20 };

async function scrape(collector: ReturnType<typeof createFilesystemCollector>) {
  const sink = new SampleBuffer();
  await collector.collect(sink, new AbortController().signal);
  return sink;
}

describe('filesystem collector', () => {
  it('maps statfs results to node_exporter-shaped series', async () => {
    const c = createFilesystemCollector(
      filesystemConfig.parse({}),
      { logger: silentLogger },
      {
        readMountInfo: () => Promise.resolve(mountinfo),
        statfs: new GuardedStatfs(() => Promise.resolve(usage)),
      },
    );
    const out = await scrape(c);
    const root = { device: '/dev/sda2', mountpoint: '/', fstype: 'ext4' };
    assert.equal(out.get('patrol_filesystem_size_bytes', root), 1000);
    assert.equal(out.get('patrol_filesystem_free_bytes', root), 400);
    assert.equal(out.get('patrol_filesystem_avail_bytes', root), 300);
    assert.equal(out.get('patrol_filesystem_files', root), 50);
    assert.equal(out.get('patrol_filesystem_files_free', root), 20);
    assert.equal(out.get('patrol_filesystem_readonly', root), 0);
    assert.equal(out.get('patrol_filesystem_device_error', root), 0);
    assert.equal(out.get('patrol_filesystem_readonly', { mountpoint: '/ro' }), 1);
  });

  it('reports a failing statfs as device_error without sizes, and logs it once', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', format: 'logfmt', write: (l) => lines.push(l) });
    const c = createFilesystemCollector(
      filesystemConfig.parse({}),
      { logger },
      {
        readMountInfo: () => Promise.resolve(mountinfo),
        statfs: new GuardedStatfs((p) =>
          p === '/data'
            ? Promise.reject(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }))
            : Promise.resolve(usage),
        ),
      },
    );
    for (let i = 0; i < 3; i++) {
      const out = await scrape(c);
      assert.equal(out.get('patrol_filesystem_device_error', { mountpoint: '/data' }), 1);
      assert.equal(out.get('patrol_filesystem_size_bytes', { mountpoint: '/data' }), undefined);
      assert.equal(out.get('patrol_filesystem_size_bytes', { mountpoint: '/' }), 1000);
    }
    assert.equal(lines.filter((l) => l.includes('statfs failed') && l.includes('EIO')).length, 1);
  });

  it('cuts a hung mount at mount_timeout and skips it until its call returns', async () => {
    let nfsCalls = 0;
    let answer: (u: FsUsage) => void = () => {};
    const c = createFilesystemCollector(
      filesystemConfig.parse({ mount_timeout: '50ms' }),
      { logger: silentLogger },
      {
        readMountInfo: () => Promise.resolve(mountinfo),
        statfs: new GuardedStatfs((p) => {
          if (p !== '/srv/nfs') return Promise.resolve(usage);
          nfsCalls++;
          return new Promise((resolve) => {
            answer = resolve;
          });
        }),
      },
    );
    const started = performance.now();
    let out = await scrape(c);
    assert.ok(performance.now() - started < 1000, 'scrape must not wait for the hung mount');
    assert.equal(out.get('patrol_filesystem_device_error', { mountpoint: '/srv/nfs' }), 1);
    assert.equal(out.get('patrol_filesystem_size_bytes', { mountpoint: '/' }), 1000);

    for (let i = 0; i < 5; i++) {
      out = await scrape(c);
      assert.equal(out.get('patrol_filesystem_device_error', { mountpoint: '/srv/nfs' }), 1);
    }
    assert.equal(nfsCalls, 1, 'a stuck mount holds one call, not one per scrape');

    answer(usage);
    await new Promise((r) => setTimeout(r, 5));
    out = await scrape(c);
    assert.equal(nfsCalls, 2);
    assert.equal(
      out.get('patrol_filesystem_device_error', { mountpoint: '/srv/nfs' }),
      1,
      'the new call hangs again',
    );
  });

  it('drops series of a mount that went away', async () => {
    let text = mountinfo;
    const c = createFilesystemCollector(
      filesystemConfig.parse({}),
      { logger: silentLogger },
      {
        readMountInfo: () => Promise.resolve(text),
        statfs: new GuardedStatfs(() => Promise.resolve(usage)),
      },
    );
    assert.equal(
      (await scrape(c)).get('patrol_filesystem_size_bytes', { mountpoint: '/data' }),
      1000,
    );
    text = mountinfo
      .split('\n')
      .filter((l) => !l.includes('/data'))
      .join('\n');
    const out = await scrape(c);
    assert.equal(out.get('patrol_filesystem_size_bytes', { mountpoint: '/data' }), undefined);
    assert.equal(out.get('patrol_filesystem_readonly', { mountpoint: '/data' }), undefined);
  });

  it('with --path.rootfs, measures the host’s mounts under it and names them as the host does', async () => {
    const container = await readFile(
      new URL('./testdata/mountinfo-container.txt', import.meta.url),
      'utf8',
    );
    const asked: string[] = [];
    const c = createFilesystemCollector(
      filesystemConfig.parse({}),
      {
        logger: silentLogger,
        host: { rootfs: '/host/root', procfs: '/host/proc', sysfs: '/host/sys' },
      },
      {
        readMountInfo: () => Promise.resolve(container),
        statfs: new GuardedStatfs((p) => {
          asked.push(p);
          return Promise.resolve(usage);
        }),
      },
    );
    const out = await scrape(c);
    assert.deepEqual(asked.sort(), [
      '/host/root',
      '/host/root/boot',
      '/host/root/data/my logs',
      '/host/root/run',
      '/host/root/srv/nfs',
    ]);
    const root = { device: '/dev/sda2', mountpoint: '/', fstype: 'ext4' };
    assert.equal(out.get('patrol_filesystem_size_bytes', root), 1000);
    assert.equal(out.get('patrol_filesystem_readonly', root), 0);
    assert.equal(out.get('patrol_filesystem_size_bytes', { mountpoint: '/data/my logs' }), 1000);
    const mountpoints = new Set(
      [...out.families.values()].flatMap((samples) => samples.map((s) => s.labels.mountpoint)),
    );
    assert.deepEqual([...mountpoints].sort(), ['/', '/boot', '/data/my logs', '/run', '/srv/nfs']);
  });

  it('fails, never answers empty, when nothing is mounted at or under --path.rootfs', async () => {
    const container = await readFile(
      new URL('./testdata/mountinfo-container.txt', import.meta.url),
      'utf8',
    );
    const c = createFilesystemCollector(
      filesystemConfig.parse({}),
      { logger: silentLogger, host: { rootfs: '/host/rooot', procfs: '/proc', sysfs: '/sys' } },
      {
        readMountInfo: () => Promise.resolve(container),
        statfs: new GuardedStatfs(() => Promise.resolve(usage)),
      },
    );
    await assert.rejects(
      Promise.resolve(c.collect(new SampleBuffer(), AbortSignal.timeout(1000))),
      /no mount at or under --path\.rootfs=\/host\/rooot: is the host's \/ mounted there\?/,
    );
  });

  it('reads the mount table from <procfs>/self/mountinfo and statfs()es under rootfs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'patrol-fs-host-'));
    try {
      const rootfs = join(dir, 'root');
      await mkdir(join(dir, 'proc', 'self'), { recursive: true });
      await mkdir(rootfs);
      await writeFile(
        join(dir, 'proc', 'self', 'mountinfo'),
        `1 0 254:0 / ${rootfs} ro - ext4 /dev/host rw\n2 0 0:99 / /elsewhere rw - ext4 /dev/mine rw\n`,
      );
      const c = createFilesystemCollector(filesystemConfig.parse({}), {
        logger: silentLogger,
        host: { rootfs, procfs: join(dir, 'proc'), sysfs: '/sys' },
      });
      const out = await scrape(c);
      const labels = { device: '/dev/host', mountpoint: '/', fstype: 'ext4' };
      assert.equal(out.get('patrol_filesystem_device_error', labels), 0);
      assert.ok((out.get('patrol_filesystem_size_bytes', labels) ?? 0) > 0);
      assert.equal(out.get('patrol_filesystem_readonly', { device: '/dev/mine' }), undefined);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads this machine: / is present with plausible numbers', async () => {
    const c = createFilesystemCollector(filesystemConfig.parse({}), { logger: silentLogger });
    const out = await scrape(c);
    const size = out.get('patrol_filesystem_size_bytes', { mountpoint: '/' }) ?? 0;
    const avail = out.get('patrol_filesystem_avail_bytes', { mountpoint: '/' }) ?? -1;
    assert.ok(size > 0 && avail >= 0 && avail <= size, `size ${size} avail ${avail}`);
    assert.equal(out.get('patrol_filesystem_size_bytes', { mountpoint: '/proc' }), undefined);
  });
});
