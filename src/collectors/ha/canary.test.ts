import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLogger } from '../../core/logger.ts';
import { SampleBuffer } from '../../core/metrics.ts';
import { haConfig, type DatasetConfig } from './config.ts';
import { canaryStep } from './canary-loop.ts';
import { lagMs, parseCanary, readCanary, writeCanary } from './canary.ts';
import { emitHa } from './samples.ts';
import { newHaState } from './state.ts';

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

  it('writes the canary readable by the standby whatever the umask', () => {
    const old = process.umask(0o077);
    try {
      for (const mode of ['rename', 'in_place'] as const) {
        const d = datasetOf({ mode, file: `umask-${mode}` });
        writeCanary(d, { cluster: 'p', node: 'a', seq: 1, ts: 1 });
        assert.equal(statSync(join(dir, `umask-${mode}`)).mode & 0o777, 0o644, mode);
      }
    } finally {
      process.umask(old);
    }
  });

  it('reports a canary the primary cannot write (EROFS) as failed, and says what to change once', () => {
    const lines: string[] = [];
    const cfg = haConfig.parse({
      enabled: true,
      cluster: 'c1',
      peers: [{ name: 'b', url: 'http://127.0.0.1:9' }],
      datasets: [{ name: 'files', path: '/data/iuap', compare: { enabled: false } }],
    });
    const log = createLogger({ level: 'info', format: 'json', write: (l) => lines.push(l) });
    const ha = newHaState(cfg, log, 'a', () => 1_795_000_000_000);
    ha.role = 'primary';
    const ds = ha.datasets[0];
    assert.ok(ds);
    let readOnly = true;
    const write = (d: DatasetConfig, c: Parameters<typeof writeCanary>[1]) => {
      if (readOnly) {
        throw Object.assign(new Error(`EROFS: read-only file system, open '${d.path}/x.tmp'`), {
          code: 'EROFS',
        });
      }
      assert.equal(c.cluster, 'c1');
    };
    const scrape = () => {
      const buf = new SampleBuffer();
      emitHa(ha, buf);
      return buf;
    };
    const where = { cluster: 'c1', dataset: 'files' };

    canaryStep(ha, ds, write);
    canaryStep(ha, ds, write);
    let m = scrape();
    assert.equal(m.get('patrol_replication_canary_write_ok', where), 0);
    assert.equal(
      m.get('patrol_replication_canary_errors_total', { ...where, operation: 'write' }),
      2,
    );
    const errors = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const hints = errors.filter((e) => String(e.msg).includes('ReadWritePaths='));
    assert.equal(hints.length, 1, `one hint, not one per write:\n${lines.join('\n')}`);
    const hint = hints[0];
    assert.ok(hint);
    assert.equal(hint.level, 'error');
    assert.match(String(hint.msg), /ReadWritePaths=\/data\/iuap\b/);
    assert.match(String(hint.msg), /\/data\/iuap\/\.patrol-canary\b.*EROFS/);
    assert.equal(hint.path, '/data/iuap');

    readOnly = false;
    canaryStep(ha, ds, write);
    m = scrape();
    assert.equal(m.get('patrol_replication_canary_write_ok', where), 1);

    // Only the primary's writes count: a standby has no such series.
    ha.role = 'standby';
    canaryStep(ha, ds, write);
    assert.equal(scrape().get('patrol_replication_canary_write_ok', where), undefined);
  });
});
