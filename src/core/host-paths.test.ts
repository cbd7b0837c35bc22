import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeHostPaths,
  fromRootfs,
  HOST_PATHS,
  inRootfs,
  inSysfs,
  normalizeHostDir,
  procSelf,
  type HostPaths,
} from './host-paths.ts';

const container: HostPaths = { rootfs: '/host/root', procfs: '/host/proc', sysfs: '/host/sys' };

describe('host paths on the host (defaults)', () => {
  it('leaves every path as it is', () => {
    for (const p of ['/', '/data/iuap/logs', '/var/log/*.log', 'relative/dir', '/a/../b']) {
      assert.equal(inRootfs(HOST_PATHS, p), p);
      assert.equal(fromRootfs(HOST_PATHS, p), p);
    }
    assert.equal(procSelf(HOST_PATHS, 'mountinfo'), '/proc/self/mountinfo');
    assert.equal(procSelf(HOST_PATHS, 'net'), '/proc/self/net');
    assert.equal(inSysfs(HOST_PATHS, 'class/net'), '/sys/class/net');
  });
});

describe('host paths in a container', () => {
  it('opens host paths under rootfs', () => {
    assert.equal(inRootfs(container, '/'), '/host/root');
    assert.equal(inRootfs(container, '/data/iuap/logs'), '/host/root/data/iuap/logs');
    assert.equal(inRootfs(container, '/data/*/logs/*.log'), '/host/root/data/*/logs/*.log');
    assert.equal(inRootfs(container, '/data/logs/'), '/host/root/data/logs');
  });

  it('does not let .. climb out of rootfs', () => {
    assert.equal(inRootfs(container, '/../etc/shadow'), '/host/root/etc/shadow');
    assert.equal(inRootfs(container, '/data/../../..'), '/host/root');
    assert.equal(inRootfs(container, 'data/x'), '/host/root/data/x', 'relative to the host root');
  });

  it('reports mount points under rootfs as the host sees them', () => {
    assert.equal(fromRootfs(container, '/host/root'), '/');
    assert.equal(fromRootfs(container, '/host/root/boot'), '/boot');
    assert.equal(fromRootfs(container, '/host/root/data/my logs'), '/data/my logs');
  });

  it('has no host view of the container’s own mounts', () => {
    assert.equal(fromRootfs(container, '/'), undefined);
    assert.equal(fromRootfs(container, '/proc'), undefined);
    assert.equal(fromRootfs(container, '/host'), undefined);
    assert.equal(fromRootfs(container, '/host/rootfs'), undefined, 'a sibling, not under rootfs');
  });

  it('round-trips', () => {
    for (const p of ['/', '/boot', '/data/my logs', '/var/lib/docker/overlay2/x/merged']) {
      assert.equal(fromRootfs(container, inRootfs(container, p)), p);
    }
  });

  it('reads proc and sys where they are mounted', () => {
    assert.equal(procSelf(container, 'mountinfo'), '/host/proc/self/mountinfo');
    assert.equal(inSysfs(container, 'class/net'), '/host/sys/class/net');
  });
});

describe('normalizeHostDir', () => {
  it('makes one spelling per directory', () => {
    assert.equal(normalizeHostDir('/'), '/');
    assert.equal(normalizeHostDir('//'), '/');
    assert.equal(normalizeHostDir('/host/root/'), '/host/root');
    assert.equal(normalizeHostDir('/host//root/./'), '/host/root');
    assert.equal(normalizeHostDir('/host/x/../root'), '/host/root');
  });

  it('refuses relative paths and, for the root, glob characters', () => {
    assert.throws(() => normalizeHostDir('host/root'), /"host\/root" is not an absolute path/);
    assert.throws(() => normalizeHostDir(''), /is not an absolute path/);
    assert.throws(() => normalizeHostDir('/host/[x]', 'rootfs'), /glob characters/);
    assert.equal(normalizeHostDir('/host/[x]'), '/host/[x]', 'procfs and sysfs are never globbed');
  });
});

describe('describeHostPaths', () => {
  it('says nothing on the host and names what moved otherwise', () => {
    assert.equal(describeHostPaths(HOST_PATHS), undefined);
    assert.equal(
      describeHostPaths(container),
      "reading the host through rootfs /host/root, procfs /host/proc, sysfs /host/sys: the mounts, and the directory and log file paths configured, are the host's, opened under /host/root",
    );
    assert.equal(
      describeHostPaths({ ...HOST_PATHS, procfs: '/host/proc' }),
      'reading the host through procfs /host/proc',
    );
  });
});
