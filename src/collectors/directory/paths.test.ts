import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOST_PATHS } from '../../core/host-paths.ts';
import { expandHostPaths, expandPaths, type ExpandDeps } from './paths.ts';

function fake(tree: Record<string, string[]>, dirs: readonly string[]): ExpandDeps {
  return {
    glob: async function* (pattern) {
      await Promise.resolve();
      yield* tree[pattern] ?? [];
    },
    isDirectory: (p) => Promise.resolve(dirs.includes(p)),
  };
}

describe('expandPaths', () => {
  it('keeps plain paths even when missing, adds the directories each glob matches, sorted', async () => {
    const deps = fake({ '/data/*/logs': ['/data/b/logs', '/data/a/logs', '/data/c/logs'] }, [
      '/data/a/logs',
      '/data/b/logs',
    ]);
    const r = await expandPaths(['/data/*/logs', '/missing/', '/data/a/logs'], 10, deps);
    assert.deepEqual(r.paths, ['/missing', '/data/a/logs', '/data/b/logs']);
    assert.equal(r.overflow, 0);
    assert.deepEqual(r.empty, []);
  });

  it('caps at max_paths and names globs that match nothing', async () => {
    const deps = fake({ '/d/*': ['/d/1', '/d/2', '/d/3'], '/none/*': [] }, [
      '/d/1',
      '/d/2',
      '/d/3',
    ]);
    const r = await expandPaths(['/d/*', '/none/*'], 2, deps);
    assert.deepEqual(r.paths, ['/d/1', '/d/2']);
    assert.equal(r.overflow, 1);
    assert.deepEqual(r.empty, ['/none/*']);
  });
});

describe('expandHostPaths', () => {
  const host = { rootfs: '/host/root', procfs: '/host/proc', sysfs: '/host/sys' };
  const deps = fake(
    {
      '/host/root/data/*/logs': ['/host/root/data/b/logs', '/host/root/data/a/logs'],
      '/host/root/none/*': [],
    },
    ['/host/root/data/a/logs', '/host/root/data/b/logs'],
  );
  const expand = (patterns: readonly string[], max: number) => expandPaths(patterns, max, deps);

  it('expands the host’s paths under rootfs and answers them as the host’s', async () => {
    const r = await expandHostPaths(['/data/*/logs', '/missing', '/none/*'], 10, host, expand);
    assert.deepEqual(r.paths, ['/missing', '/data/a/logs', '/data/b/logs']);
    assert.deepEqual(r.empty, ['/none/*'], 'the glob as configured');
  });

  it('is expandPaths on the host', async () => {
    const onHost = fake({ '/data/*/logs': ['/data/a/logs'] }, ['/data/a/logs']);
    const r = await expandHostPaths(['/data/*/logs'], 10, HOST_PATHS, (p, m) =>
      expandPaths(p, m, onHost),
    );
    assert.deepEqual(r.paths, ['/data/a/logs']);
  });
});
