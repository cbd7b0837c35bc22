import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Collector, CollectorDefinition } from '../core/collector.ts';
import { HOST_PATHS } from '../core/host-paths.ts';
import { silentLogger } from '../core/logger.ts';
import { collectors, parseConfig, plan, reconcileCollectors } from './index.ts';
import { systemdConfig } from './systemd/config.ts';
import { busAddress, systemdDefinition } from './systemd/index.ts';

const ctx = { logger: silentLogger };

/** The registry with the systemd definition replaced. */
const withSystemd = (def: CollectorDefinition) =>
  collectors.map((d): CollectorDefinition => (d.name === 'systemd' ? def : d));

/** Only the systemd collector on, with these settings. */
function config(systemd: Record<string, unknown> = {}) {
  return parseConfig({
    collectors: {
      filesystem: { enabled: false },
      directory: { enabled: false },
      logs: { enabled: false },
      systemd,
    },
  });
}

/** A stand-in for the systemd definition that records what the registry asks of it. */
function fake(reason: string | undefined) {
  const calls = { create: 0, describe: 0, unavailable: 0 };
  const def: CollectorDefinition = {
    name: 'systemd',
    config: systemdConfig,
    families: [],
    describe: () => {
      calls.describe++;
      return 'would watch units';
    },
    unavailable: () => {
      calls.unavailable++;
      return reason;
    },
    create: (): Collector => {
      calls.create++;
      return { name: 'systemd', timeoutMs: 1000, collect: () => undefined };
    },
  };
  return { def, calls };
}

const systemdPlan = (cfg: ReturnType<typeof config>, defs: readonly CollectorDefinition[]) =>
  plan(cfg, defs).find((p) => p.name === 'systemd');

describe('collectors that cannot run on this host', () => {
  it('plan() reports an unavailable collector off, with its reason', () => {
    const { def, calls } = fake('no systemd here');
    const defs = withSystemd(def);
    assert.deepEqual(systemdPlan(config(), defs), {
      name: 'systemd',
      enabled: false,
      why: 'no systemd here',
    });
    assert.equal(calls.describe, 0);
  });

  it('plan() describes an available collector as enabled', () => {
    const { def } = fake(undefined);
    const defs = withSystemd(def);
    assert.deepEqual(systemdPlan(config(), defs), {
      name: 'systemd',
      enabled: true,
      why: 'would watch units',
    });
  });

  it('plan() does not ask a disabled collector whether it could run', () => {
    const { def, calls } = fake('no systemd here');
    const defs = withSystemd(def);
    assert.deepEqual(systemdPlan(config({ enabled: false }), defs), {
      name: 'systemd',
      enabled: false,
      why: 'would watch units',
    });
    assert.equal(calls.unavailable, 0);
  });

  it('reconcileCollectors() does not create an unavailable collector', () => {
    const { def, calls } = fake('no systemd here');
    const defs = withSystemd(def);
    const r = reconcileCollectors(config(), ctx, [], defs);
    assert.equal(calls.create, 0);
    assert.deepEqual(r.active, []);
    assert.deepEqual(r.created, []);
    assert.deepEqual(r.retired, []);
  });

  it('reconcileCollectors() creates it when available (the same fake, another answer)', () => {
    const { def, calls } = fake(undefined);
    const defs = withSystemd(def);
    const r = reconcileCollectors(config(), ctx, [], defs);
    assert.equal(calls.create, 1);
    assert.deepEqual(
      r.active.map((a) => a.name),
      ['systemd'],
    );
    assert.equal(r.created.length, 1);
  });

  it('reconcileCollectors() retires a running collector that has become unavailable', () => {
    const available = fake(undefined);
    const defs = withSystemd(available.def);
    const first = reconcileCollectors(config(), ctx, [], defs);
    const running = first.created[0];
    assert.ok(running !== undefined);

    const gone = fake('no systemd here');
    const defs2 = withSystemd(gone.def);
    const second = reconcileCollectors(config(), ctx, first.active, defs2);
    assert.deepEqual(second.active, []);
    assert.deepEqual(second.created, []);
    assert.deepEqual(second.retired, [running]);
    assert.equal(gone.calls.create, 0);
  });
});

describe('the systemd definition on a host not booted with systemd', () => {
  const notBooted = systemdDefinition({ bootedWithSystemd: () => false, env: {} });
  const booted = systemdDefinition({ bootedWithSystemd: () => true, env: {} });
  const cfg = (bus: string) => config({ bus }).collectors.systemd;

  it('is unavailable with bus system, saying why and what to do', () => {
    const why = notBooted.unavailable?.(cfg('system'), HOST_PATHS);
    assert.ok(why !== undefined);
    assert.match(why, /not booted with systemd/);
    assert.match(why, /collectors\.systemd\.bus/);
  });

  it('is available with bus user or an explicit address', () => {
    assert.equal(notBooted.unavailable?.(cfg('user'), HOST_PATHS), undefined);
    assert.equal(
      notBooted.unavailable?.(cfg('unix:path=/run/systemd/private'), HOST_PATHS),
      undefined,
    );
    assert.equal(
      notBooted.unavailable?.(cfg('unix:path=/run/dbus/system_bus_socket'), HOST_PATHS),
      undefined,
    );
  });

  it('is available on a host booted with systemd', () => {
    assert.equal(booted.unavailable?.(cfg('system'), HOST_PATHS), undefined);
  });

  it('in a container, asks the host under --path.rootfs, not the container', () => {
    const real = systemdDefinition({ env: {} });
    const rootfs = mkdtempSync(join(tmpdir(), 'patrol-rootfs-'));
    try {
      const host = { ...HOST_PATHS, rootfs };
      const why = real.unavailable?.(cfg('system'), host);
      assert.match(why ?? '', new RegExp(`\\(${rootfs}/run/systemd/system is missing\\)`));
      mkdirSync(join(rootfs, 'run', 'systemd', 'system'), { recursive: true });
      assert.equal(real.unavailable?.(cfg('system'), host), undefined);
      assert.equal(
        plan(config(), withSystemd(real), host).find((p) => p.name === 'systemd')?.enabled,
        true,
      );
    } finally {
      rmSync(rootfs, { recursive: true, force: true });
    }
  });

  it('plan() reports it off with that reason; reconcileCollectors() leaves it out', () => {
    const defs = withSystemd(notBooted);
    const p = systemdPlan(config(), defs);
    assert.equal(p?.enabled, false);
    assert.match(p?.why ?? '', /not booted with systemd/);
    assert.deepEqual(reconcileCollectors(config(), ctx, [], defs).active, []);

    const user = systemdPlan(config({ bus: 'user' }), defs);
    assert.equal(user?.enabled, true);
    assert.match(user?.why ?? '', /from the manager on unix:path=/);
  });

  it('describes what it watches and where', () => {
    assert.equal(
      booted.describe(config({ presets: ['k8s-node'], units: ['chronyd'] }).collectors.systemd),
      'loaded services, sockets, timers, targets and mounts and 5 required units (presets k8s-node), from the manager on unix:path=/run/dbus/system_bus_socket',
    );
  });
});

describe('busAddress', () => {
  it('system: $DBUS_SYSTEM_BUS_ADDRESS, else the well-known socket', () => {
    assert.equal(busAddress('system', {}), 'unix:path=/run/dbus/system_bus_socket');
    assert.equal(
      busAddress('system', {
        DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/host/run/dbus/system_bus_socket',
      }),
      'unix:path=/host/run/dbus/system_bus_socket',
    );
    assert.equal(
      busAddress('system', { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus' }),
      'unix:path=/run/dbus/system_bus_socket',
      'the session bus variable does not move the system bus',
    );
  });

  it('user: $DBUS_SESSION_BUS_ADDRESS first', () => {
    assert.equal(
      busAddress('user', {
        DBUS_SESSION_BUS_ADDRESS: 'unix:path=/tmp/dbus-abc,guid=0123',
        XDG_RUNTIME_DIR: '/run/user/1000',
        DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/elsewhere',
      }),
      'unix:path=/tmp/dbus-abc,guid=0123',
    );
  });

  it('user: else $XDG_RUNTIME_DIR/bus', () => {
    assert.equal(
      busAddress('user', { XDG_RUNTIME_DIR: '/run/user/1000' }),
      'unix:path=/run/user/1000/bus',
    );
  });

  it("user: else /run/user/<patrol's uid>/bus", () => {
    const uid = process.getuid?.() ?? 0;
    assert.equal(busAddress('user', {}), `unix:path=/run/user/${uid}/bus`);
  });

  it('passes an explicit address through unchanged, whatever the environment says', () => {
    const env = {
      DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/x',
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/y',
    };
    assert.equal(
      busAddress('unix:path=/run/systemd/private', env),
      'unix:path=/run/systemd/private',
    );
    assert.equal(busAddress('tcp:host=10.0.0.1,port=5555', env), 'tcp:host=10.0.0.1,port=5555');
  });
});
