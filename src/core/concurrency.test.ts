import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { it } from 'node:test';
import { mapLimit, Semaphore } from './concurrency.ts';

it('runs at most `limit` at a time and keeps the order of the results', async () => {
  let running = 0;
  let most = 0;
  const out = await mapLimit([5, 1, 4, 2, 3], 2, async (x) => {
    running++;
    most = Math.max(most, running);
    await sleep(x * 3);
    running--;
    return x * 10;
  });
  assert.deepEqual(out, [50, 10, 40, 20, 30]);
  assert.equal(most, 2);
  assert.deepEqual(await mapLimit([], 4, () => Promise.resolve(1)), []);
});

it('Semaphore: holds at most `size`, hands slots over in order, drops waiters that give up', async () => {
  const sem = new Semaphore(2);
  assert.equal(await sem.acquire(), true);
  assert.equal(await sem.acquire(), true);
  assert.equal(sem.held, 2);
  const order: string[] = [];
  const third = sem.acquire().then((ok) => order.push(`third ${ok}`));
  const gaveUp = new AbortController();
  const fourth = sem.acquire(gaveUp.signal).then((ok) => order.push(`fourth ${ok}`));
  const fifth = sem.acquire().then((ok) => order.push(`fifth ${ok}`));
  gaveUp.abort();
  await fourth;
  sem.release();
  await third;
  sem.release();
  await fifth;
  assert.deepEqual(order, ['fourth false', 'third true', 'fifth true']);
  assert.equal(sem.held, 2);
  assert.equal(await sem.acquire(AbortSignal.abort()), false);
});
