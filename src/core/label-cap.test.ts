import assert from 'node:assert/strict';
import { it } from 'node:test';
import { LabelCap, OVERFLOW_VALUE } from './label-cap.ts';

it('keeps the first max values of a scope and turns later ones into "other"', () => {
  const cap = new LabelCap();
  assert.equal(cap.value('rule:user', 'alice', 2), 'alice');
  assert.equal(cap.value('rule:user', 'bob', 2), 'bob');
  assert.equal(cap.value('rule:user', 'carol', 2), OVERFLOW_VALUE);
  assert.equal(cap.value('rule:user', 'alice', 2), 'alice', 'a value seen keeps its series');
  assert.equal(cap.full('rule:user', 2), true);
  assert.equal(cap.value('other:scope', 'carol', 2), 'carol', 'scopes are separate');
});
