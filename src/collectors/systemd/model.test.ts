import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  fingerprint,
  isKnown,
  newRecord,
  SERVICE_IFACE,
  UNIT_IFACE,
  UnitTable,
  type ListedUnit,
  type UnitRecord,
  type VariantLike,
} from './model.ts';

const P = '/org/freedesktop/systemd1/unit/';
const OK = `${P}ok_2eservice`;
const WEB = `${P}web_2esocket`;
const ROOT = `${P}_2d_2emount`;

/** One row of Manager.ListUnits as the D-Bus library hands it over. */
function row(
  name: string,
  path: string,
  load = 'loaded',
  active = 'active',
  sub = 'running',
): ListedUnit {
  return [name, 'desc', load, active, sub, '', path, 0, '', '/'];
}

// PropertiesChanged values: Variant-like objects, 't' as bigint, 'u' as number.
const s = (value: string): VariantLike => ({ signature: 's', value });
const t = (value: bigint): VariantLike => ({ signature: 't', value });
const u = (value: number): VariantLike => ({ signature: 'u', value });

function mustGet(table: UnitTable, name: string): UnitRecord {
  const r = table.get(name);
  assert.ok(r !== undefined, `${name} is not in the table`);
  return r;
}

function filled(): UnitTable {
  const table = new UnitTable();
  table.replaceAll([
    row('ok.service', OK),
    row('web.socket', WEB, 'loaded', 'active', 'listening'),
  ]);
  table.apply(
    OK,
    UNIT_IFACE,
    {
      StateChangeTimestamp: t(1_700_000_000_000_000n),
      ActiveEnterTimestamp: t(1_699_999_999_000_000n),
    },
    false,
  );
  table.apply(OK, SERVICE_IFACE, { Type: s('notify'), NRestarts: u(2) }, false);
  return table;
}

describe('UnitTable.replaceAll', () => {
  it('holds every listed unit with the states of the answer, and no details yet', () => {
    const table = new UnitTable();
    table.replaceAll([
      row('ok.service', OK),
      row('-.mount', ROOT, 'loaded', 'active', 'mounted'),
      row('gone.service', `${P}gone_2eservice`, 'not-found', 'inactive', 'dead'),
    ]);
    assert.equal(table.size, 3);
    const ok = mustGet(table, 'ok.service');
    assert.equal(ok.path, OK);
    assert.equal(ok.loadState, 'loaded');
    assert.equal(ok.activeState, 'active');
    assert.equal(ok.subState, 'running');
    assert.equal(ok.serviceType, '');
    assert.equal(ok.restarts, undefined);
    assert.equal(ok.stateChangeUs, undefined);
    assert.equal(ok.activeEnterUs, undefined);
    assert.ok(isKnown(ok));
    assert.equal(mustGet(table, 'gone.service').loadState, 'not-found');
    assert.equal(mustGet(table, '-.mount').subState, 'mounted');
  });

  it('keeps the details of a unit still listed under the same path, with the new states', () => {
    const table = filled();
    table.replaceAll([row('ok.service', OK, 'loaded', 'failed', 'failed')]);
    const ok = mustGet(table, 'ok.service');
    assert.equal(ok.activeState, 'failed');
    assert.equal(ok.subState, 'failed');
    assert.equal(ok.serviceType, 'notify');
    assert.equal(ok.restarts, 2);
    assert.equal(ok.stateChangeUs, 1_700_000_000_000_000);
    assert.equal(ok.activeEnterUs, 1_699_999_999_000_000);
  });

  it('drops units no longer listed, by name and by path', () => {
    const table = filled();
    table.replaceAll([row('ok.service', OK)]);
    assert.equal(table.size, 1);
    assert.equal(table.get('web.socket'), undefined);
    assert.deepEqual(
      [...table.values()].map((r) => r.name),
      ['ok.service'],
    );
    assert.equal(table.apply(WEB, UNIT_IFACE, { ActiveState: s('failed') }, true), false);
  });

  it('starts afresh for a unit listed under another path', () => {
    const table = filled();
    const other = `${P}ok_2eservice2`;
    table.replaceAll([row('ok.service', other)]);
    const ok = mustGet(table, 'ok.service');
    assert.equal(ok.path, other);
    assert.equal(ok.restarts, undefined);
    assert.equal(ok.serviceType, '');
    assert.equal(table.apply(OK, SERVICE_IFACE, { NRestarts: u(9) }, true), false);
    assert.equal(table.apply(other, SERVICE_IFACE, { NRestarts: u(9) }, true), true);
    assert.equal(mustGet(table, 'ok.service').restarts, 9);
  });

  it('an empty answer empties the table', () => {
    const table = filled();
    table.replaceAll([]);
    assert.equal(table.size, 0);
  });
});

describe('UnitTable.add / remove', () => {
  it('UnitNew creates a record whose states are unknown until its properties arrive', () => {
    const table = new UnitTable();
    const rec = table.add('new.service', `${P}new_2eservice`);
    assert.equal(table.size, 1);
    assert.equal(table.get('new.service'), rec);
    assert.equal(rec.loadState, '');
    assert.equal(rec.activeState, '');
    assert.equal(isKnown(rec), false);

    assert.equal(
      table.apply(
        `${P}new_2eservice`,
        UNIT_IFACE,
        { LoadState: s('loaded'), ActiveState: s('activating'), SubState: s('start') },
        false,
      ),
      true,
    );
    assert.equal(isKnown(rec), true);
    assert.equal(rec.loadState, 'loaded');
    assert.equal(rec.activeState, 'activating');
    assert.equal(rec.subState, 'start');
  });

  it('is known only once both the load and the active state are', () => {
    const table = new UnitTable();
    const rec = table.add('n.service', `${P}n_2eservice`);
    table.apply(rec.path, UNIT_IFACE, { ActiveState: s('active') }, true);
    assert.equal(isKnown(rec), false);
    table.apply(rec.path, UNIT_IFACE, { LoadState: s('loaded') }, true);
    assert.equal(isKnown(rec), true);
  });

  it('UnitNew for a unit already held under the same path keeps it as it is', () => {
    const table = filled();
    const before = mustGet(table, 'ok.service');
    const again = table.add('ok.service', OK);
    assert.equal(again, before);
    assert.equal(again.activeState, 'active');
    assert.equal(again.restarts, 2);
  });

  it('UnitRemoved forgets the unit; later news about its path is dropped', () => {
    const table = filled();
    table.remove('ok.service');
    assert.equal(table.get('ok.service'), undefined);
    assert.equal(table.size, 1);
    assert.equal(table.apply(OK, UNIT_IFACE, { ActiveState: s('active') }, true), false);
    assert.equal(table.get('ok.service'), undefined);
    table.remove('never-there.service');
    assert.equal(table.size, 1);
  });

  it('clear() empties both indexes', () => {
    const table = filled();
    table.clear();
    assert.equal(table.size, 0);
    assert.equal(table.apply(OK, UNIT_IFACE, { ActiveState: s('active') }, true), false);
  });
});

describe('UnitTable.apply', () => {
  it('drops news about a path the table does not hold', () => {
    const table = filled();
    const seq = table.seq;
    assert.equal(
      table.apply(`${P}stranger_2eservice`, UNIT_IFACE, { ActiveState: s('failed') }, true),
      false,
    );
    assert.equal(table.size, 2);
    assert.equal(table.get('stranger.service'), undefined);
    assert.equal(table.seq, seq, 'a dropped signal does not advance the sequence');
  });

  it('leaves the last values after a sequence of signals applied in order', () => {
    const table = filled();
    // systemctl restart ok.service, which then crashes and is restarted by Restart=on-failure.
    const signals: [string, Record<string, VariantLike>][] = [
      [UNIT_IFACE, { ActiveState: s('deactivating'), SubState: s('stop-sigterm') }],
      [
        UNIT_IFACE,
        {
          ActiveState: s('inactive'),
          SubState: s('dead'),
          StateChangeTimestamp: t(1_700_000_100_000_000n),
        },
      ],
      [UNIT_IFACE, { ActiveState: s('activating'), SubState: s('start') }],
      [
        UNIT_IFACE,
        {
          ActiveState: s('active'),
          SubState: s('running'),
          StateChangeTimestamp: t(1_700_000_101_000_000n),
          ActiveEnterTimestamp: t(1_700_000_101_000_000n),
        },
      ],
      [
        UNIT_IFACE,
        {
          ActiveState: s('activating'),
          SubState: s('auto-restart'),
          StateChangeTimestamp: t(1_700_000_200_500_000n),
        },
      ],
      [SERVICE_IFACE, { NRestarts: u(3) }],
      [
        UNIT_IFACE,
        {
          ActiveState: s('active'),
          SubState: s('running'),
          StateChangeTimestamp: t(1_700_000_201_250_000n),
          ActiveEnterTimestamp: t(1_700_000_201_250_000n),
        },
      ],
    ];
    for (const [iface, props] of signals) assert.equal(table.apply(OK, iface, props, true), true);
    const ok = mustGet(table, 'ok.service');
    assert.equal(ok.activeState, 'active');
    assert.equal(ok.subState, 'running');
    assert.equal(ok.loadState, 'loaded');
    assert.equal(ok.restarts, 3);
    assert.equal(ok.serviceType, 'notify');
    assert.equal(ok.stateChangeUs, 1_700_000_201_250_000);
    assert.equal(ok.activeEnterUs, 1_700_000_201_250_000);
    // The other unit is untouched.
    assert.equal(mustGet(table, 'web.socket').subState, 'listening');
  });

  it('ignores values of an unexpected type and properties it does not report', () => {
    const table = filled();
    table.apply(
      OK,
      UNIT_IFACE,
      {
        ActiveState: { signature: 'u', value: 3 },
        SubState: { signature: 'b', value: true },
        LoadState: undefined,
        StateChangeTimestamp: s('yesterday'),
        ActiveEnterTimestamp: { signature: 'as', value: ['x'] },
        Description: s('changed'),
      },
      true,
    );
    table.apply(OK, SERVICE_IFACE, { NRestarts: s('5'), Type: u(1) }, true);
    const ok = mustGet(table, 'ok.service');
    assert.equal(ok.activeState, 'active');
    assert.equal(ok.subState, 'running');
    assert.equal(ok.loadState, 'loaded');
    assert.equal(ok.stateChangeUs, 1_700_000_000_000_000);
    assert.equal(ok.activeEnterUs, 1_699_999_999_000_000);
    assert.equal(ok.restarts, 2);
    assert.equal(ok.serviceType, 'notify');
  });

  it('reads each interface only for its own properties', () => {
    const table = filled();
    table.apply(OK, SERVICE_IFACE, { ActiveState: s('failed') }, true);
    table.apply(OK, UNIT_IFACE, { NRestarts: u(7), Type: s('oneshot') }, true);
    table.apply(OK, 'org.freedesktop.systemd1.Socket', { ActiveState: s('failed') }, true);
    const ok = mustGet(table, 'ok.service');
    assert.equal(ok.activeState, 'active');
    assert.equal(ok.restarts, 2);
    assert.equal(ok.serviceType, 'notify');
  });

  it('accepts a 0 restart count and a 0 ("never") timestamp', () => {
    const table = filled();
    table.apply(OK, SERVICE_IFACE, { NRestarts: u(0) }, true);
    table.apply(OK, UNIT_IFACE, { ActiveEnterTimestamp: t(0n) }, true);
    const ok = mustGet(table, 'ok.service');
    assert.equal(ok.restarts, 0);
    assert.equal(ok.activeEnterUs, 0);
  });
});

describe('UnitTable sequence numbers', () => {
  it('advances signalSeq and seq only for signals, not for replies', () => {
    const table = filled();
    const ok = mustGet(table, 'ok.service');
    const seq0 = table.seq;
    const sig0 = ok.signalSeq;

    table.apply(OK, UNIT_IFACE, { ActiveState: s('reloading') }, false);
    assert.equal(table.seq, seq0);
    assert.equal(ok.signalSeq, sig0);
    assert.equal(ok.activeState, 'reloading', 'a reply is still applied');

    table.apply(OK, UNIT_IFACE, { ActiveState: s('active') }, true);
    assert.equal(table.seq, seq0 + 1);
    assert.equal(ok.signalSeq, seq0 + 1);

    table.apply(WEB, UNIT_IFACE, { SubState: s('running') }, true);
    assert.equal(table.seq, seq0 + 2);
    assert.equal(ok.signalSeq, seq0 + 1, 'another unit’s signal does not touch this one');
    assert.equal(mustGet(table, 'web.socket').signalSeq, seq0 + 2);
  });

  it('replaceAll does not advance the sequence; UnitNew and UnitRemoved do', () => {
    const table = new UnitTable();
    table.replaceAll([row('ok.service', OK)]);
    assert.equal(table.seq, 0);
    const rec = table.add('n.service', `${P}n_2eservice`);
    assert.equal(table.seq, 1);
    assert.equal(rec.signalSeq, 1);
    table.remove('n.service');
    assert.equal(table.seq, 2);
  });
});

describe('fingerprint', () => {
  const base = (): UnitRecord => ({
    ...newRecord('ok.service', OK),
    loadState: 'loaded',
    activeState: 'active',
    subState: 'running',
    serviceType: 'simple',
    restarts: 1,
    stateChangeUs: 10,
    activeEnterUs: 5,
  });

  it('is the same for equal records, whatever their signal sequence', () => {
    assert.equal(fingerprint(base()), fingerprint({ ...base(), signalSeq: 42 }));
  });

  const changes: [string, Partial<UnitRecord>][] = [
    ['loadState', { loadState: 'masked' }],
    ['activeState', { activeState: 'failed' }],
    ['subState', { subState: 'exited' }],
    ['serviceType', { serviceType: 'notify' }],
    ['restarts', { restarts: 2 }],
    ['restarts unknown', { restarts: undefined }],
    ['stateChangeUs', { stateChangeUs: 11 }],
    ['activeEnterUs', { activeEnterUs: 6 }],
    ['activeEnterUs unknown', { activeEnterUs: undefined }],
  ];
  for (const [what, change] of changes) {
    it(`changes when ${what} changes`, () => {
      assert.notEqual(fingerprint({ ...base(), ...change }), fingerprint(base()));
    });
  }

  it('tells restarts 0 from restarts unknown', () => {
    assert.notEqual(
      fingerprint({ ...base(), restarts: 0 }),
      fingerprint({ ...base(), restarts: undefined }),
    );
  });
});
