/**
 * The filesystem collector against real mounts: tmpfs, a bind mount of a subtree, and a
 * read-only filesystem, made in a private mount namespace that dies with the test.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;

interface Row {
  name: string;
  labels: Record<string, string>;
  value: number;
}

describe('filesystem collector on real mounts', () => {
  it('measures tmpfs exactly, counts a bind mount once, sees a read-only superblock', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'patrol-mounts-'));
    const script = `
      set -e
      mkdir -p ${dir}/a ${dir}/b ${dir}/c
      mount -t tmpfs -o size=4m,nr_inodes=1000 patrol-a ${dir}/a
      mkdir ${dir}/a/sub
      mount --bind ${dir}/a/sub ${dir}/b
      mount -t tmpfs -o ro,size=2m patrol-c ${dir}/c
      head -c 1048576 /dev/zero > ${dir}/a/sub/one-mib
      exec "${process.execPath}" ${root}test/harness/collect-once.ts filesystem '{"mount_points_include": "^${dir}/"}'
    `;
    const { stdout } = await run('unshare', [
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      script,
    ]);
    const rows = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Row);
    const value = (name: string, mountpoint: string) =>
      rows.find((r) => r.name === name && r.labels.mountpoint === mountpoint)?.value;

    assert.equal(value('patrol_filesystem_size_bytes', `${dir}/a`), 4 * 1024 * 1024);
    assert.equal(value('patrol_filesystem_free_bytes', `${dir}/a`), 3 * 1024 * 1024);
    assert.equal(value('patrol_filesystem_files', `${dir}/a`), 1000);
    assert.equal(
      value('patrol_filesystem_files_free', `${dir}/a`),
      1000 - 3,
      'root, sub and one-mib use inodes',
    );
    assert.equal(value('patrol_filesystem_readonly', `${dir}/a`), 0);
    assert.equal(rows.find((r) => r.labels.mountpoint === `${dir}/a`)?.labels.device, 'patrol-a');
    assert.equal(rows.find((r) => r.labels.mountpoint === `${dir}/a`)?.labels.fstype, 'tmpfs');

    assert.equal(
      value('patrol_filesystem_size_bytes', `${dir}/b`),
      undefined,
      'bind mount of the same tmpfs is not counted twice',
    );
    assert.equal(value('patrol_filesystem_readonly', `${dir}/c`), 1);
    assert.equal(value('patrol_filesystem_device_error', `${dir}/c`), 0);
  });
});
