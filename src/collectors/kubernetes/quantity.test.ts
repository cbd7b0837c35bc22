import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseQuantity } from './quantity.ts';

it('reads quantities as the API writes them, in cores and bytes', () => {
  assert.equal(parseQuantity('500m'), 0.5);
  assert.equal(parseQuantity('2'), 2);
  assert.equal(parseQuantity('1.5'), 1.5);
  assert.equal(parseQuantity('100n'), 100e-9);
  assert.equal(parseQuantity('1Gi'), 1073741824);
  assert.equal(parseQuantity('512Mi'), 536870912);
  assert.equal(parseQuantity('129e6'), 129e6);
  assert.equal(parseQuantity('128974848'), 128974848);
  assert.equal(parseQuantity('1k'), 1000);
  assert.equal(parseQuantity('1Ki'), 1024);
  assert.equal(parseQuantity(3), 3);
  for (const bad of ['', 'lots', '1Xi', '1.2.3', null, undefined, {}, Number.NaN]) {
    assert.equal(parseQuantity(bad), undefined, JSON.stringify(bad));
  }
});
