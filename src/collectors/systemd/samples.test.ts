import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SampleBuffer, type Sample } from '../../core/metrics.ts';
import { systemdFamilies as f } from './metrics.ts';
import { newRecord, type UnitRecord } from './model.ts';
import { emitManager, emitTotals, emitUnit } from './samples.ts';
import { ACTIVE_STATES, LOAD_STATES, SYSTEM_STATES } from './units.ts';

function unit(name: string, over: Partial<UnitRecord> = {}): UnitRecord {
  return {
    ...newRecord(name, `/org/freedesktop/systemd1/unit/${name}`),
    loadState: 'loaded',
    activeState: 'active',
    subState: 'running',
    ...over,
  };
}

/** Every sample of a family, by its name. */
function samples(sink: SampleBuffer, name: string): readonly Sample[] {
  for (const [fam, s] of sink.families) if (fam.name === name) return s;
  return [];
}

function names(sink: SampleBuffer): string[] {
  return [...sink.families.keys()].map((fam) => fam.name).sort();
}

/** The state label of each series valued 1. */
function hot(sink: SampleBuffer, name: string): string[] {
  return samples(sink, name)
    .filter((s) => s.value === 1)
    .map((s) => s.labels.state ?? '?');
}

function emit(r: UnitRecord, required = false) {
  const sink = new SampleBuffer();
  const unknown: [string, string][] = [];
  emitUnit(sink, r, required, (p, v) => unknown.push([p, v]));
  return { sink, unknown };
}

describe('emitUnit', () => {
  it('one-hot: one series per documented state, exactly one of them 1', () => {
    for (const activeState of ACTIVE_STATES) {
      for (const loadState of LOAD_STATES) {
        const { sink, unknown } = emit(unit('a.service', { activeState, loadState }), true);
        const st = samples(sink, f.unitState.name);
        assert.deepEqual(
          st.map((s) => s.labels.state),
          [...ACTIVE_STATES],
        );
        assert.deepEqual(hot(sink, f.unitState.name), [activeState]);
        const ld = samples(sink, f.loadState.name);
        assert.deepEqual(
          ld.map((s) => s.labels.state),
          [...LOAD_STATES],
        );
        assert.deepEqual(hot(sink, f.loadState.name), [loadState]);
        assert.ok(
          [...st, ...ld].every((s) => s.value === 0 || s.value === 1),
          'values are 0 or 1',
        );
        assert.deepEqual(unknown, []);
      }
    }
  });

  it('labels a service with its Type and the unit name', () => {
    const { sink } = emit(
      unit('kubelet.service', { serviceType: 'notify', activeState: 'failed' }),
      true,
    );
    for (const s of samples(sink, f.unitState.name)) {
      assert.equal(s.labels.name, 'kubelet.service');
      assert.equal(s.labels.type, 'notify');
    }
    assert.equal(sink.get(f.unitState.name, { state: 'failed' }), 1);
    assert.equal(sink.get(f.unitState.name, { state: 'active' }), 0);
    assert.deepEqual(samples(sink, f.loadState.name)[0]?.labels, {
      name: 'kubelet.service',
      state: 'loaded',
    });
  });

  it('gives an empty type to a service whose Type is not known yet', () => {
    const { sink } = emit(unit('x.service'));
    assert.ok(samples(sink, f.unitState.name).every((s) => s.labels.type === ''));
  });

  it('gives an empty type to units other than services', () => {
    for (const name of ['docker.socket', 'backup.timer', '-.mount', 'multi-user.target']) {
      // A record's serviceType is never filled for these, but even if it were: not a service.
      const { sink } = emit(unit(name, { serviceType: 'simple', subState: 'running' }));
      const st = samples(sink, f.unitState.name);
      assert.equal(st.length, ACTIVE_STATES.length);
      assert.ok(st.every((s) => s.labels.type === '' && s.labels.name === name));
      assert.deepEqual(samples(sink, f.serviceRunning.name), [], `${name}: no service_running`);
      assert.deepEqual(samples(sink, f.restarts.name), []);
    }
  });

  it('marks required units, and only them', () => {
    assert.deepEqual(samples(emit(unit('a.service'), true).sink, f.requiredInfo.name), [
      { labels: { name: 'a.service' }, value: 1 },
    ]);
    assert.deepEqual(samples(emit(unit('a.service'), false).sink, f.requiredInfo.name), []);
  });

  it('service_running follows the sub-state', () => {
    const running = (subState: string, activeState = 'active') =>
      emit(unit('a.service', { subState, activeState })).sink.get(f.serviceRunning.name, {
        name: 'a.service',
      });
    assert.equal(running('running'), 1);
    assert.equal(running('exited'), 0);
    assert.equal(running('dead', 'inactive'), 0);
    assert.equal(running('auto-restart', 'activating'), 0);
    assert.equal(running('failed', 'failed'), 0);
    assert.equal(running('start', 'activating'), 0);
    // Reloading, the main process runs on.
    assert.equal(running('reload', 'reloading'), 1);
    assert.equal(running('reload-notify', 'reloading'), 1);
    assert.equal(running('stop-sigterm', 'deactivating'), 0);
  });

  it('exports restarts and timestamps only when known, timestamps in seconds', () => {
    const none = emit(unit('a.service')).sink;
    assert.deepEqual(samples(none, f.restarts.name), []);
    assert.deepEqual(samples(none, f.stateChange.name), []);
    assert.deepEqual(samples(none, f.activeEnter.name), []);

    const all = emit(
      unit('a.service', {
        restarts: 4,
        stateChangeUs: 1_700_000_000_250_000,
        activeEnterUs: 1_699_999_000_000_000,
      }),
    ).sink;
    assert.deepEqual(samples(all, f.restarts.name), [{ labels: { name: 'a.service' }, value: 4 }]);
    assert.deepEqual(samples(all, f.stateChange.name), [
      { labels: { name: 'a.service' }, value: 1_700_000_000.25 },
    ]);
    assert.deepEqual(samples(all, f.activeEnter.name), [
      { labels: { name: 'a.service' }, value: 1_699_999_000 },
    ]);
  });

  it('exports 0 restarts and a 0 ("never") timestamp', () => {
    const { sink } = emit(
      unit('a.service', {
        activeState: 'inactive',
        restarts: 0,
        stateChangeUs: 0,
        activeEnterUs: 0,
      }),
    );
    assert.equal(sink.get(f.restarts.name, { name: 'a.service' }), 0);
    assert.equal(sink.get(f.stateChange.name, { name: 'a.service' }), 0);
    assert.equal(sink.get(f.activeEnter.name, { name: 'a.service' }), 0);
  });

  it('exports timestamps of units other than services, but no restarts', () => {
    const { sink } = emit(unit('-.mount', { stateChangeUs: 3_000_000, restarts: 5 }));
    assert.equal(sink.get(f.stateChange.name, { name: '-.mount' }), 3);
    assert.deepEqual(samples(sink, f.restarts.name), []);
  });

  it('emits the whole set of a service and nothing else', () => {
    const { sink } = emit(
      unit('a.service', { restarts: 1, stateChangeUs: 1, activeEnterUs: 1 }),
      true,
    );
    assert.deepEqual(
      names(sink),
      [
        f.unitState.name,
        f.loadState.name,
        f.requiredInfo.name,
        f.serviceRunning.name,
        f.restarts.name,
        f.stateChange.name,
        f.activeEnter.name,
      ].sort(),
    );
  });

  it('an unknown ActiveState gives all zeros and is reported once per call', () => {
    const r = unit('a.service', { activeState: 'refreshing' });
    const first = emit(r, true);
    const st = samples(first.sink, f.unitState.name);
    assert.equal(st.length, ACTIVE_STATES.length);
    assert.ok(st.every((s) => s.value === 0));
    assert.deepEqual(hot(first.sink, f.loadState.name), ['loaded']);
    assert.deepEqual(first.unknown, [['ActiveState', 'refreshing']]);
    // The callback decides about logging once; emitUnit reports on every call.
    assert.deepEqual(emit(r, true).unknown, [['ActiveState', 'refreshing']]);
  });

  it('gives load state series to required units only (the others are loaded by definition)', () => {
    const { sink } = emit(unit('cron.service'));
    assert.deepEqual(samples(sink, f.loadState.name), []);
    assert.deepEqual(samples(sink, f.requiredInfo.name), []);
    assert.equal(samples(emit(unit('cron.service'), true).sink, f.loadState.name).length, 5);
  });

  it('an unknown LoadState gives all zeros in its family', () => {
    const { sink, unknown } = emit(unit('a.service', { loadState: 'stub' }), true);
    assert.ok(samples(sink, f.loadState.name).every((s) => s.value === 0));
    assert.deepEqual(hot(sink, f.unitState.name), ['active']);
    assert.deepEqual(unknown, [['LoadState', 'stub']]);
  });

  it('reports a not-found required unit as such', () => {
    const { sink } = emit(
      unit('kubelet.service', {
        loadState: 'not-found',
        activeState: 'inactive',
        subState: 'dead',
      }),
      true,
    );
    assert.deepEqual(hot(sink, f.loadState.name), ['not-found']);
    assert.deepEqual(hot(sink, f.unitState.name), ['inactive']);
    assert.equal(sink.get(f.requiredInfo.name, { name: 'kubelet.service' }), 1);
    assert.equal(sink.get(f.serviceRunning.name, { name: 'kubelet.service' }), 0);
  });
});

describe('emitTotals', () => {
  it('counts known units per active state and emits all seven states', () => {
    const sink = new SampleBuffer();
    emitTotals(sink, [
      unit('a.service'),
      unit('b.service'),
      unit('c.socket', { activeState: 'failed' }),
      unit('d.service', { loadState: 'not-found', activeState: 'inactive', subState: 'dead' }),
      unit('e.service', { activeState: 'activating' }),
      // Not known yet (UnitNew, properties pending): not counted.
      newRecord('f.service', '/f'),
      { ...newRecord('g.service', '/g'), activeState: 'active' },
      { ...newRecord('h.service', '/h'), loadState: 'loaded' },
      // A state patrol does not know: not counted anywhere.
      unit('i.service', { activeState: 'refreshing' }),
    ]);
    const got = samples(sink, f.units.name);
    assert.deepEqual(
      got.map((s) => s.labels.state),
      [...ACTIVE_STATES],
    );
    assert.deepEqual(Object.fromEntries(got.map((s) => [s.labels.state, s.value])), {
      active: 2,
      activating: 1,
      deactivating: 0,
      inactive: 1,
      failed: 1,
      reloading: 0,
      maintenance: 0,
    });
    assert.deepEqual(names(sink), [f.units.name]);
  });

  it('emits zeros for an empty table', () => {
    const sink = new SampleBuffer();
    emitTotals(sink, []);
    const got = samples(sink, f.units.name);
    assert.equal(got.length, 7);
    assert.ok(got.every((s) => s.value === 0));
  });
});

describe('emitManager', () => {
  it('emits up, the version and the one-hot system state', () => {
    const sink = new SampleBuffer();
    const unknown: string[] = [];
    emitManager(sink, 'degraded', '255.4-1ubuntu8', (p, v) => unknown.push(`${p}=${v}`));
    assert.equal(sink.get(f.up.name), 1);
    assert.deepEqual(samples(sink, f.versionInfo.name), [
      { labels: { version: '255.4-1ubuntu8' }, value: 1 },
    ]);
    const st = samples(sink, f.systemState.name);
    assert.deepEqual(
      st.map((s) => s.labels.state),
      [...SYSTEM_STATES],
    );
    assert.deepEqual(hot(sink, f.systemState.name), ['degraded']);
    assert.deepEqual(unknown, []);
    assert.deepEqual(names(sink), [f.up.name, f.systemState.name, f.versionInfo.name].sort());
  });

  it('reports an unknown system state with all zeros', () => {
    const sink = new SampleBuffer();
    const unknown: string[] = [];
    emitManager(sink, 'hibernating', '256', (p, v) => unknown.push(`${p}=${v}`));
    assert.ok(samples(sink, f.systemState.name).every((s) => s.value === 0));
    assert.equal(samples(sink, f.systemState.name).length, SYSTEM_STATES.length);
    assert.deepEqual(unknown, ['SystemState=hibernating']);
  });
});
