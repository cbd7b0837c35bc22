import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { filesystemConfig } from '../filesystem/config.ts';
import { compileFilter, parseMountInfo, selectMounts } from '../filesystem/mounts.ts';
import { deviceNumber, filesystemOf, indexMounts } from './filesystem.ts';

const fixture = readFileSync(
  new URL('../filesystem/testdata/mountinfo.txt', import.meta.url),
  'utf8',
);
const index = (text: string) => indexMounts(parseMountInfo(text).mounts);

describe('filesystemOf', () => {
  const fx = index(fixture);

  it('names the mount holding a directory on a plain mount', () => {
    assert.deepEqual(filesystemOf('8:2', '/var/log/nginx', fx), {
      device: '/dev/sda2',
      mountpoint: '/',
    });
    assert.deepEqual(filesystemOf('8:17', '/data/my logs/app', fx), {
      device: '/dev/sdb1',
      mountpoint: '/data/my logs',
    });
  });

  it('names a bind mount of a subtree by the mount the filesystem collector reports', () => {
    // /var/lib/app/logs shows /nginx of the xfs that is mounted whole on "/data/my logs".
    assert.deepEqual(filesystemOf('8:17', '/var/lib/app/logs/today', fx), {
      device: '/dev/sdb1',
      mountpoint: '/data/my logs',
    });
    // Only a subtree mounted (a container's volume): that mount.
    const volume = index(
      '1 0 0:90 / / rw - overlay overlay rw\n2 1 8:17 /nginx /logs rw - xfs /dev/sdb1 rw\n',
    );
    assert.deepEqual(filesystemOf('8:17', '/logs', volume), {
      device: '/dev/sdb1',
      mountpoint: '/logs',
    });
  });

  it('agrees with the filesystem collector on every filesystem it reports', () => {
    const reported = selectMounts(
      parseMountInfo(fixture).mounts,
      compileFilter(filesystemConfig.parse({})),
    );
    assert.ok(reported.length > 0);
    for (const m of reported) {
      assert.deepEqual(filesystemOf(m.deviceNumber, m.mountpoint, fx), {
        device: m.device,
        mountpoint: m.mountpoint,
      });
    }
  });

  it('takes the top mount on a path mounted twice, and nothing for the hidden one', () => {
    const twice = index(
      [
        '1 0 8:1 / / rw - ext4 /dev/sda1 rw',
        '2 1 8:17 / /mnt rw - xfs /dev/sdb1 rw',
        '3 1 0:51 / /mnt rw - tmpfs scratch rw',
      ].join('\n'),
    );
    assert.deepEqual(filesystemOf('0:51', '/mnt/x', twice), {
      device: 'scratch',
      mountpoint: '/mnt',
    });
    // A directory of the hidden xfs (opened before the tmpfs went over it): the filesystem
    // collector does not report that xfs, and the path prefix would wrongly name the tmpfs.
    assert.equal(filesystemOf('8:17', '/mnt/x', twice), undefined);
  });

  it('falls back to the longest mount point prefix for a btrfs subvolume', () => {
    // Fedora's layout: subvolumes "root" and "home" of one btrfs; mountinfo shows 0:33 for
    // both, but stat() reports each subvolume's own anonymous device.
    const btrfs = index(
      [
        '60 1 0:33 /root / rw,relatime shared:1 - btrfs /dev/nvme0n1p3 rw,compress=zstd:1,subvolid=257,subvol=/root',
        '92 60 259:2 / /boot rw,relatime shared:53 - ext4 /dev/nvme0n1p2 rw',
        '95 60 0:33 /home /home rw,relatime shared:55 - btrfs /dev/nvme0n1p3 rw,compress=zstd:1,subvolid=256,subvol=/home',
        '96 60 0:52 / /homework rw - tmpfs tmpfs rw',
      ].join('\n'),
    );
    // Neither mount shows the filesystem root, so the filesystem collector reports the
    // shorter mount point, "/", for both subvolumes.
    const root = { device: '/dev/nvme0n1p3', mountpoint: '/' };
    assert.deepEqual(filesystemOf('0:41', '/home/alice/logs', btrfs), root);
    assert.deepEqual(filesystemOf('0:41', '/home', btrfs), root);
    assert.deepEqual(filesystemOf('0:40', '/var/log', btrfs), root);
    // A prefix is a whole path component: /homework is not under /home.
    assert.deepEqual(filesystemOf('0:52', '/homework/x', btrfs), {
      device: 'tmpfs',
      mountpoint: '/homework',
    });
    assert.deepEqual(filesystemOf('0:77', '/homework/x', btrfs), {
      device: 'tmpfs',
      mountpoint: '/homework',
    });
    assert.deepEqual(filesystemOf('0:77', '/boot/efi', btrfs), {
      device: '/dev/nvme0n1p2',
      mountpoint: '/boot',
    });
  });

  it('answers undefined without mounts', () => {
    assert.equal(filesystemOf('8:1', '/x', index('')), undefined);
  });
});

describe('deviceNumber', () => {
  /** glibc's makedev(). */
  const makedev = (major: bigint, minor: bigint) =>
    ((major & 0xfffn) << 8n) |
    ((major & ~0xfffn) << 32n) |
    (minor & 0xffn) |
    ((minor & ~0xffn) << 12n);

  it('decodes st_dev as mountinfo writes it', () => {
    assert.equal(deviceNumber(65024n), '254:0'); // /dev/vda
    assert.equal(deviceNumber(2049n), '8:1'); // /dev/sda1
    assert.equal(deviceNumber(0x2an), '0:42'); // anonymous (tmpfs, overlay, btrfs subvolume)
    for (const [major, minor] of [
      [259n, 3n],
      [8n, 300n],
      [0n, 1_048_575n],
      [4096n, 5n],
      [0xfffff123n, 0xffffffffn],
    ] as const)
      assert.equal(deviceNumber(makedev(major, minor)), `${major}:${minor}`);
  });
});
