import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { StuckGuard } from './stuck-guard.ts';

describe('StuckGuard', () => {
  it('passes results and errors through', async () => {
    const g = new StuckGuard();
    assert.deepEqual(await g.call('a', () => Promise.resolve(42), 100), { kind: 'ok', value: 42 });
    const err = new Error('EIO');
    assert.deepEqual(await g.call('a', () => Promise.reject(err), 100), {
      kind: 'error',
      error: err,
    });
    const thrown = await g.call(
      'a',
      () => {
        throw err;
      },
      100,
    );
    assert.equal(thrown.kind, 'error', 'a synchronous throw is an error, not a crash');
  });

  it('cuts a call at its deadline and does not call that key again until it returns', async () => {
    const g = new StuckGuard();
    const recovered: string[] = [];
    g.onRecovered = (k) => recovered.push(k);
    let release: () => void = () => {};
    let calls = 0;
    const hang = () => {
      calls++;
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    };
    const t = performance.now();
    assert.deepEqual(await g.call('/mnt/nfs', hang, 30), { kind: 'timeout' });
    assert.ok(performance.now() - t >= 29);
    const t2 = performance.now();
    assert.deepEqual(await g.call('/mnt/nfs', hang, 30), { kind: 'stuck' });
    assert.ok(performance.now() - t2 < 10, 'the caller gets its answer at once');
    assert.equal(calls, 1, 'the stuck call is not repeated');
    assert.deepEqual([...g.stuck], ['/mnt/nfs']);
    assert.equal((await g.call('/other', () => Promise.resolve(1), 30)).kind, 'ok');
    release();
    await sleep(5);
    assert.deepEqual(recovered, ['/mnt/nfs']);
    assert.equal(g.stuck.size, 0);
    assert.equal((await g.call('/mnt/nfs', () => Promise.resolve(1), 30)).kind, 'ok');
  });
});
