import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { filesystemConfig } from './config.ts';
import { compileFilter, hostMounts, parseMountInfo, selectMounts } from './mounts.ts';
import { HOST_PATHS } from '../../core/host-paths.ts';

const fixture = readFileSync(new URL('./testdata/mountinfo.txt', import.meta.url), 'utf8');
// A container started with `docker run -v /:/host/root:ro,rslave ...`: its own overlay root,
// /proc, /dev, /sys and /etc/hosts, then the host's mounts under /host/root.
const container = readFileSync(
  new URL('./testdata/mountinfo-container.txt', import.meta.url),
  'utf8',
);
const inContainer = { rootfs: '/host/root', procfs: '/host/proc', sysfs: '/host/sys' };
const defaults = compileFilter(filesystemConfig.parse({}));

describe('mountinfo', () => {
  it('parses fields, optional tags and octal escapes, and sets aside bad lines', () => {
    const { mounts, bad } = parseMountInfo(fixture);
    assert.equal(bad.length, 1);
    const data = mounts.find((m) => m.mountpoint === '/data/my logs');
    assert.deepEqual(data, {
      mountId: 100,
      deviceNumber: '8:17',
      root: '/',
      mountpoint: '/data/my logs',
      fstype: 'xfs',
      device: '/dev/sdb1',
      readonly: false,
    });
    assert.equal(mounts.find((m) => m.mountpoint === '/mnt/cdrom-ro')?.readonly, true);
    assert.equal(mounts.find((m) => m.mountpoint === '/srv/nfs')?.fstype, 'nfs4');
  });

  it('selects real filesystems with node_exporter default exclusions', () => {
    const chosen = selectMounts(parseMountInfo(fixture).mounts, defaults).map((m) => m.mountpoint);
    assert.deepEqual(chosen, ['/run', '/', '/boot', '/data/my logs', '/mnt/cdrom-ro', '/srv/nfs']);
  });

  it('counts a bind mount of the same filesystem once, preferring the mount of its root', () => {
    const chosen = selectMounts(parseMountInfo(fixture).mounts, defaults);
    assert.equal(chosen.filter((m) => m.deviceNumber === '8:17').length, 1);
    assert.equal(chosen.find((m) => m.deviceNumber === '8:17')?.mountpoint, '/data/my logs');
    assert.ok(!chosen.some((m) => m.mountpoint === '/var/lib/app/logs'));
  });

  it('keeps only the top mount on a path mounted twice', () => {
    const text =
      '1 0 8:1 / / rw - ext4 /dev/sda1 rw\n2 1 0:50 / /mnt rw - tmpfs first rw\n3 1 0:51 / /mnt rw - tmpfs second rw\n';
    const chosen = selectMounts(parseMountInfo(text).mounts, defaults);
    assert.deepEqual(
      chosen.map((m) => m.device),
      ['/dev/sda1', 'second'],
    );
  });

  it('applies include and exclude regexes', () => {
    const only = compileFilter(
      filesystemConfig.parse({ mount_points_include: '^/data', fs_types_exclude: '' }),
    );
    assert.deepEqual(
      selectMounts(parseMountInfo(fixture).mounts, only).map((m) => m.mountpoint),
      ['/data/my logs'],
    );
    const noTmpfs = compileFilter(
      filesystemConfig.parse({
        fs_types_exclude: '^(tmpfs|nfs4|proc|sysfs|overlay|cgroup2|devtmpfs|devpts)$',
      }),
    );
    assert.ok(
      !selectMounts(parseMountInfo(fixture).mounts, noTmpfs).some((m) => m.fstype === 'tmpfs'),
    );
  });
});

describe('read-only', () => {
  it('follows the superblock, not a read-only view of a writable filesystem', () => {
    const text = [
      '1 0 8:1 / / ro,relatime - ext4 /dev/sda1 rw', // ProtectSystem=strict view
      '2 1 8:2 / /data rw,relatime - ext4 /dev/sda2 ro,errors=remount-ro', // remounted ro after errors
    ].join('\n');
    const { mounts } = parseMountInfo(text);
    assert.deepEqual(
      mounts.map((m) => [m.mountpoint, m.readonly]),
      [
        ['/', false],
        ['/data', true],
      ],
    );
  });
});

describe('host mounts seen under --path.rootfs', () => {
  it('keeps the mounts under rootfs with the host’s mount points, drops the container’s', () => {
    const mounts = hostMounts(parseMountInfo(container).mounts, inContainer);
    assert.deepEqual(
      mounts.map((m) => m.mountpoint),
      [
        '/',
        '/dev',
        '/proc',
        '/sys',
        '/run',
        '/boot',
        '/data/my logs',
        '/var/lib/app/logs',
        '/var/lib/docker/overlay2/abc/merged',
        '/srv/nfs',
      ],
    );
    assert.deepEqual(mounts[0], {
      mountId: 1010,
      deviceNumber: '8:2',
      root: '/',
      mountpoint: '/',
      fstype: 'ext4',
      device: '/dev/sda2',
      readonly: false, // a read-only bind of a writable filesystem
    });
  });

  it('selects what patrol on the host selects, the filters applying to the host’s view', () => {
    const chosen = selectMounts(
      hostMounts(parseMountInfo(container).mounts, inContainer),
      defaults,
    );
    assert.deepEqual(
      chosen.map((m) => m.mountpoint),
      ['/', '/run', '/boot', '/data/my logs', '/srv/nfs'],
    );
    const onlyData = compileFilter(filesystemConfig.parse({ mount_points_include: '^/data/' }));
    assert.deepEqual(
      selectMounts(hostMounts(parseMountInfo(container).mounts, inContainer), onlyData).map(
        (m) => m.mountpoint,
      ),
      ['/data/my logs'],
    );
  });

  it('is the table as it is on the host itself', () => {
    const { mounts } = parseMountInfo(fixture);
    assert.deepEqual(hostMounts(mounts, HOST_PATHS), mounts);
  });
});
