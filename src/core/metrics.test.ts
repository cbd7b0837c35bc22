import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addInfo, addStateSet, info, SampleBuffer, stateSet } from './metrics.ts';

describe('state sets', () => {
  const phase = stateSet({
    name: 'patrol_test_pod_phase',
    help: 'test',
    labels: ['pod', 'phase'],
    stateLabel: 'phase',
    states: ['Pending', 'Running', 'Failed'],
  });

  it('write every state, 1 for the current one', () => {
    const sink = new SampleBuffer();
    assert.equal(addStateSet(sink, phase, { pod: 'a' }, 'Running'), true);
    assert.deepEqual(
      sink.families.get(phase)?.map((s) => [s.labels.phase, s.value]),
      [
        ['Pending', 0],
        ['Running', 1],
        ['Failed', 0],
      ],
    );
  });

  it('say so when the value is not a declared state (all 0 then)', () => {
    const sink = new SampleBuffer();
    assert.equal(addStateSet(sink, phase, { pod: 'a' }, 'Succeeded'), false);
    assert.equal(addStateSet(sink, phase, { pod: 'b' }, undefined), false);
    assert.ok(sink.families.get(phase)?.every((s) => s.value === 0));
  });

  it('refuse a declaration without its state label or with repeated states', () => {
    assert.throws(
      () =>
        stateSet({
          name: 'patrol_x',
          help: 'x',
          labels: ['pod'],
          stateLabel: 'phase' as 'pod',
          states: ['a'],
        }),
      /must include its state label/,
    );
    assert.throws(
      () =>
        stateSet({
          name: 'patrol_x',
          help: 'x',
          labels: ['s'],
          stateLabel: 's',
          states: ['a', 'a'],
        }),
      /distinct/,
    );
  });
});

describe('info families', () => {
  it('end in _info and are always 1', () => {
    const f = info({ name: 'patrol_test_build_info', help: 'x', labels: ['version'] });
    assert.equal(f.type, 'gauge');
    const sink = new SampleBuffer();
    addInfo(sink, f, { version: '1.2' });
    assert.equal(sink.get('patrol_test_build_info', { version: '1.2' }), 1);
    assert.throws(() => info({ name: 'patrol_test_build', help: 'x', labels: [] }), /_info/);
  });
});
