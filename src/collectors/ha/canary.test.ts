import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { haConfig, type DatasetConfig } from './config.ts';
import { lagMs, parseCanary, readCanary, writeCanary } from './canary.ts';

const dir = mkdtempSync(join(tmpdir(), 'patrol-canary-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

function datasetOf(canary: object): DatasetConfig {
  const d = haConfig.parse({
    datasets: [{ name: 'd', path: dir, canary, compare: { enabled: false } }],
  }).datasets[0];
  assert.ok(d);
  return d;
}
const dataset = (mode: 'rename' | 'in_place') => datasetOf({ mode, file: `c-${mode}` });

describe('replication canary', () => {
  it('computes lag against the writer clock, never below 0', () => {
    // Written at 10,000 on the primary, whose clock is 3 s behind ours; seen at 14,500 here.
    assert.equal(lagMs(14_500, 10_000, -3000), 1500);
    assert.equal(lagMs(10_000, 10_100, 0), 0);
  });

  it('writes atomically by rename, or in place on the same inode', () => {
    const c = { cluster: 'p', node: 'a', seq: 1, ts: 1_795_000_000_000 };
    for (const mode of ['rename', 'in_place'] as const) {
      const d = dataset(mode);
      writeCanary(d, c);
      const ino = statSync(join(dir, `c-${mode}`)).ino;
      writeCanary(d, { ...c, seq: 2 });
      assert.deepEqual(readCanary(d), { ...c, seq: 2 });
      const same = statSync(join(dir, `c-${mode}`)).ino === ino;
      assert.equal(same, mode === 'in_place', `${mode} keeps the inode: ${same}`);
    }
    assert.match(readFileSync(join(dir, 'c-rename'), 'utf8'), /^\{"cluster":"p"/);
  });

  it('tells a missing copy from one that is not a canary', () => {
    const d = datasetOf({ file: 'nothing' });
    assert.equal(readCanary(d), 'missing');
    writeFileSync(join(dir, 'nothing'), '{"cluster":"p","node":"a","se');
    assert.equal(readCanary(d), 'unreadable');
    assert.equal(parseCanary('{"cluster":"p","node":"a","seq":1,"ts":"soon"}'), undefined);
  });
});
