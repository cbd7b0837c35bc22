import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { it } from 'node:test';
import { mapLimit } from './concurrency.ts';

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
