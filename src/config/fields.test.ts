import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDuration } from './fields.ts';

describe('duration fields', () => {
  it('parses durations in Prometheus style', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('2h'), 7_200_000);
    assert.equal(parseDuration('1d'), 86_400_000);
    assert.equal(parseDuration('10'), undefined);
    assert.equal(parseDuration('-1s'), undefined);
    assert.equal(parseDuration('1.5s'), undefined);
  });
});
