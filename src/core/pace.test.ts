import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pace, paceDelayMs } from './pace.ts';

describe('Pace (the I/O budget of the walks)', () => {
  it('paces entries at the rate', () => {
    assert.equal(paceDelayMs(100, 0, 0), 0, 'unlimited');
    assert.equal(paceDelayMs(100, 0, 100), 1000);
    assert.equal(paceDelayMs(100, 400, 100), 600);
    assert.equal(paceDelayMs(100, 2000, 100), 0, 'behind schedule: no pause');
  });

  it('checks often enough for small budgets and rarely for large ones', () => {
    assert.equal(new Pace(0).every, 1024);
    assert.equal(new Pace(10).every, 1);
    assert.equal(new Pace(1000).every, 50);
    assert.equal(new Pace(1_000_000).every, 1024);
  });

  it('answers only at checks, with the pause the budget asks for then', () => {
    let t = 0;
    const pace = new Pace(1000, () => t); // checks every 50 entries
    assert.equal(pace.tick(10), undefined, 'between checks');
    t = 20;
    assert.equal(pace.tick(50), 30, '50 entries take 50 ms at 1000/s; 20 ms spent');
    assert.equal(pace.tick(60), undefined, 'next check at 100');
    t = 200;
    assert.equal(pace.tick(100), 0, 'behind schedule');
  });

  it('still checks without a limit, so a walk can look for cancellation', () => {
    const pace = new Pace(0, () => 0);
    assert.equal(pace.tick(1023), undefined);
    assert.equal(pace.tick(1024), 0);
  });
});
