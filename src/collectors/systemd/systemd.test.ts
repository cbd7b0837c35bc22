/**
 * The systemd collector against a real systemd: a user manager in a private mount namespace,
 * reached over its real session bus or private socket (test/harness/systemd.ts). What patrol
 * reports is compared with what `systemctl --user show` says at the same moment.
 * Needs root, util-linux (unshare, nsenter), systemd and dbus (Debian 12 has them).
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseConfig } from '../index.ts';
import { createLogger } from '../../core/logger.ts';
import { SampleBuffer } from '../../core/metrics.ts';
import type { Collector } from '../../core/collector.ts';
import { CollectorRunner, runnerFamilies } from '../../core/runner.ts';
import { ManagedProcess, run, type Scope } from '../../../test/harness/process.ts';
import { startSystemd, type SystemdManager } from '../../../test/harness/systemd.ts';
import { tempDir } from '../../../test/harness/tmp.ts';
import { waitFor } from '../../../test/harness/wait.ts';
import { NODE, ROOT } from '../../../test/harness/exporter.ts';
import { createSystemdCollector } from './index.ts';
import type { WatcherStatus } from './watcher.ts';
import { DEFAULT_EXCLUDE, DEFAULT_INCLUDE } from './config.ts';
import { ACTIVE_STATES, compileUnitFilter, isWatched } from './units.ts';

function collectorFor(scope: Scope, systemd: Record<string, unknown>, lines: string[] = []) {
  const cfg = parseConfig({ collectors: { systemd } });
  const logger = createLogger({
    level: 'info',
    format: 'logfmt',
    write: (l) => lines.push(l),
  });
  const collector = createSystemdCollector(cfg.collectors.systemd, { logger });
  scope.after(() => collector.stop?.() ?? Promise.resolve());
  // Another collector beside it: systemd's troubles must not touch it.
  const other: Collector = {
    name: 'other',
    timeoutMs: 1000,
    collect(sink) {
      sink.add(runnerFamilies.success, { collector: 'other-sample' }, 1);
    },
  };
  return { collector, lines, logger, runner: new CollectorRunner([collector, other], logger) };
}

/** The first attempt may time out on a loaded machine; the watcher retries by itself. */
async function connected(c: { watcher: { status: WatcherStatus } }): Promise<void> {
  await waitFor('the collector to connect', () => c.watcher.status.up, {
    context: () => JSON.stringify(c.watcher.status),
  });
}

async function scrape(c: { collect(s: SampleBuffer, a: AbortSignal): unknown }) {
  const sink = new SampleBuffer();
  await c.collect(sink, new AbortController().signal);
  return sink;
}

interface Reported {
  activeState: string;
  loadState: string;
  restarts: number | undefined;
}

/** Per unit: the active state whose one-hot series is 1, the load state, NRestarts. */
function reported(sink: SampleBuffer): Map<string, Reported> {
  const out = new Map<string, Reported>();
  // Every series once: a unit reported twice (an alias and its unit) would hide behind get().
  const seen = new Set<string>();
  for (const [fam, samples] of sink.families) {
    for (const s of samples) {
      const key = `${fam.name}${JSON.stringify(s.labels)}`;
      assert.ok(!seen.has(key), `duplicate series ${key}`);
      seen.add(key);
    }
  }
  const get = (name: string) => {
    let r = out.get(name);
    if (r === undefined) {
      r = { activeState: '', loadState: '', restarts: undefined };
      out.set(name, r);
    }
    return r;
  };
  for (const [fam, samples] of sink.families) {
    for (const s of samples) {
      const name = s.labels.name;
      if (name === undefined) continue;
      if (fam.name === 'patrol_systemd_unit_state' && s.value === 1) {
        get(name).activeState = s.labels.state ?? '';
      } else if (fam.name === 'patrol_systemd_unit_load_state' && s.value === 1) {
        get(name).loadState = s.labels.state ?? '';
      } else if (fam.name === 'patrol_systemd_service_restarts_total') {
        get(name).restarts = s.value;
      }
    }
  }
  return out;
}

/**
 * Scrapes between two `systemctl show` of every unit patrol reports, until both agree (nothing
 * changed meanwhile); then every unit must match. A unit in an auto-restart loop changes every
 * second, so this retries rather than comparing with whatever a single show happened to see.
 */
const DEFAULT_FILTER = compileUnitFilter({ include: DEFAULT_INCLUDE, exclude: DEFAULT_EXCLUDE });

/** `systemctl --user list-units --all`, kept as the collector's default include/exclude keep it. */
async function watchedByDefault(sd: SystemdManager): Promise<string[]> {
  const r = await sd.systemctl(['list-units', '--all', '--plain', '--no-legend', '--full']);
  return r.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(
      ([name, load]) =>
        name !== undefined && name !== '' && isWatched(DEFAULT_FILTER, name, load ?? ''),
    )
    .map(([name]) => name ?? '')
    .sort();
}

async function assertMatchesSystemctl(
  sd: SystemdManager,
  collector: { collect(s: SampleBuffer, a: AbortSignal): unknown },
): Promise<Map<string, Reported>> {
  const props = ['ActiveState', 'LoadState', 'NRestarts'];
  let lastMismatch = '';
  for (let attempt = 0; attempt < 40; attempt++) {
    const firstSink = await scrape(collector);
    reported(firstSink); // checks for duplicate series
    const required = [...firstSink.families]
      .filter(([f]) => f.name === 'patrol_systemd_unit_required_info')
      .flatMap(([, samples]) => samples.map((s) => s.labels.name ?? ''));
    const listedBefore = await watchedByDefault(sd);
    // Every unit patrol should report: the loaded ones the default filter keeps, the required.
    const units = [...new Set([...listedBefore, ...required])].sort();
    const before = await sd.show(units, props);
    const mine = reported(await scrape(collector));
    const after = await sd.show(units, props);
    const listedAfter = await watchedByDefault(sd);
    if (JSON.stringify([...before]) !== JSON.stringify([...after])) continue;
    if (JSON.stringify(listedBefore) !== JSON.stringify(listedAfter)) continue;
    const mismatches: string[] = [...mine.keys()]
      .filter((u) => !units.includes(u))
      .map((u) => `${u}: reported, but systemctl lists no such loaded unit and none is required`);
    for (const u of units) {
      const want = after.get(u) ?? {};
      const got = mine.get(u);
      if (got === undefined) {
        mismatches.push(`${u}: not reported`);
        continue;
      }
      if (got.activeState !== want.ActiveState) {
        mismatches.push(`${u}: ActiveState ${got.activeState} != ${want.ActiveState}`);
      }
      // Only required units carry load_state series; any other unit is reported only while
      // loaded, which systemctl must confirm.
      const loadState = got.loadState === '' ? 'loaded' : got.loadState;
      if (loadState !== want.LoadState) {
        mismatches.push(`${u}: LoadState ${loadState} != ${want.LoadState}`);
      }
      if (u.endsWith('.service') && String(got.restarts) !== want.NRestarts) {
        mismatches.push(`${u}: NRestarts ${got.restarts} != ${want.NRestarts}`);
      }
    }
    if (mismatches.length === 0) return mine;
    lastMismatch = mismatches.join('\n');
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`patrol never agreed with systemctl show:\n${lastMismatch}`);
}

const SERVICES: Record<string, string> = {
  'web.service': '[Service]\nExecStart=/bin/sleep 600\n',
  'broken.service': '[Service]\nExecStart=/bin/false\n',
  // Restarts forever: StartLimitIntervalSec=0 lifts the 5-starts-in-10s limit.
  'flapping.service':
    '[Unit]\nStartLimitIntervalSec=0\n[Service]\nExecStart=/bin/false\nRestart=always\nRestartSec=300ms\n',
  'stopped.service': '[Service]\nExecStart=/bin/sleep 600\n',
  'oneshot.service': '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n',
};

async function installServices(sd: SystemdManager): Promise<void> {
  for (const [name, text] of Object.entries(SERVICES)) {
    await writeFile(join(sd.unitDir, name), text);
  }
  await sd.systemctl(['daemon-reload']);
  await sd.systemctl(['start', 'web', 'flapping', 'stopped', 'oneshot']);
  await sd.systemctl(['start', 'broken'], { allowFail: true });
  await sd.systemctl(['stop', 'stopped']);
}

describe('systemd collector against a real systemd manager', () => {
  it('reports running, failed, restarting, stopped and missing units as systemctl does', async (t) => {
    const sd = await startSystemd(t);
    await installServices(sd);
    const { collector } = collectorFor(t, {
      bus: sd.busAddress,
      units: [
        'web',
        'stopped.service',
        'nosuch.service',
        { any_of: ['absent.service', 'oneshot'] },
      ],
    });
    await collector.start?.();
    await connected(collector);

    const units = await assertMatchesSystemctl(sd, collector);
    assert.deepEqual(units.get('web.service'), {
      activeState: 'active',
      loadState: 'loaded',
      restarts: 0,
    });
    assert.equal(units.get('broken.service')?.activeState, 'failed');
    assert.equal(units.get('stopped.service')?.activeState, 'inactive');
    assert.deepEqual(units.get('nosuch.service'), {
      activeState: 'inactive',
      loadState: 'not-found',
      restarts: 0,
    });
    assert.equal(units.get('oneshot.service')?.activeState, 'active', 'any_of picks oneshot');
    assert.equal(units.has('absent.service'), false, 'an unused alternative is not reported');
    // Generated units are not reported by default.
    assert.equal(
      [...units.keys()].some((u) => /\.(scope|slice|device)$/.test(u)),
      false,
    );

    const sink = await scrape(collector);
    const required = [...sink.families]
      .filter(([f]) => f.name === 'patrol_systemd_unit_required_info')
      .flatMap(([, samples]) => samples.map((s) => s.labels.name))
      .sort();
    assert.deepEqual(required, [
      'nosuch.service',
      'oneshot.service',
      'stopped.service',
      'web.service',
    ]);
    assert.equal(sink.get('patrol_systemd_service_running', { name: 'web.service' }), 1);
    assert.equal(
      sink.get('patrol_systemd_service_running', { name: 'oneshot.service' }),
      0,
      'exited',
    );
    assert.equal(
      sink.get('patrol_systemd_unit_state', { name: 'web.service', state: 'active' }),
      1,
    );
    assert.equal(
      sink.get('patrol_systemd_unit_state', {
        name: 'oneshot.service',
        state: 'active',
        type: 'oneshot',
      }),
      1,
    );
    assert.equal(
      sink.get('patrol_systemd_system_state', { state: 'degraded' }),
      1,
      'broken failed',
    );
    assert.equal(sink.get('patrol_systemd_up'), 1);
    const activeEnter =
      sink.get('patrol_systemd_unit_active_enter_timestamp_seconds', { name: 'web.service' }) ?? 0;
    assert.ok(Math.abs(activeEnter - Date.now() / 1000) < 120, `active since ${activeEnter}`);
    for (const u of ['web.service', 'broken.service']) {
      const hot = ACTIVE_STATES.filter(
        (s) => sink.get('patrol_systemd_unit_state', { name: u, state: s }) === 1,
      );
      assert.equal(hot.length, 1, `${u} one-hot`);
    }

    // The restart counter of the flapping service grows, as systemd counts it.
    const r1 =
      (await scrape(collector)).get('patrol_systemd_service_restarts_total', {
        name: 'flapping.service',
      }) ?? 0;
    await waitFor('flapping.service to restart three more times', async () => {
      const r =
        (await scrape(collector)).get('patrol_systemd_service_restarts_total', {
          name: 'flapping.service',
        }) ?? 0;
      return r >= r1 + 3;
    });
    await assertMatchesSystemctl(sd, collector);
    assert.equal(collector.watcher.connections, 1, 'scrapes reuse the one connection');

    // A full re-read finds nothing the signals missed; a state tampered with is corrected.
    await collector.watcher.resyncNow();
    assert.equal(collector.watcher.corrections, 0);
    const web = collector.watcher.table.get('web.service');
    assert.ok(web !== undefined);
    web.activeState = 'failed';
    await collector.watcher.resyncNow();
    assert.equal(collector.watcher.corrections, 1);
    assert.equal(collector.watcher.table.get('web.service')?.activeState, 'active');
    assert.equal((await scrape(collector)).get('patrol_systemd_cache_corrections_total'), 1);
  });

  it('follows units created and removed while it runs: their series come and go', async (t) => {
    const sd = await startSystemd(t);
    const { collector } = collectorFor(t, { bus: sd.busAddress });
    await collector.start?.();
    await connected(collector);
    const has = async (unit: string) =>
      (await scrape(collector)).get('patrol_systemd_unit_state', {
        name: unit,
        state: 'active',
      }) === 1;
    assert.equal(await has('late.service'), false);

    await sd.writeUnit('late.service', '[Service]\nExecStart=/bin/sleep 600\n');
    await sd.systemctl(['start', 'late']);
    await waitFor('late.service to be reported active', () => has('late.service'));
    const transient = await sd.exec([
      'systemd-run',
      '--user',
      '--unit=transient',
      '/bin/sleep',
      '600',
    ]);
    assert.equal(transient.code, 0);
    await waitFor('transient.service to be reported active', () => has('transient.service'));
    await assertMatchesSystemctl(sd, collector);

    const names = async () =>
      new Set([...(await scrape(collector)).families.values()].flat().map((s) => s.labels.name));
    // A stopped transient unit is unloaded at once: UnitRemoved alone must drop it, no reload.
    await sd.systemctl(['stop', 'transient']);
    await waitFor('transient.service series to vanish', async () => {
      const now = await names();
      return !now.has('transient.service') && now.has('late.service');
    });
    await assertMatchesSystemctl(sd, collector);
    // A unit whose file is removed goes with the daemon-reload after it.
    await sd.systemctl(['stop', 'late']);
    await run('rm', [join(sd.unitDir, 'late.service')]);
    await sd.systemctl(['daemon-reload']);
    await waitFor(
      'late.service series to vanish',
      async () => !(await names()).has('late.service'),
    );
    await assertMatchesSystemctl(sd, collector);
    assert.equal(collector.watcher.connections, 1);
  });

  it('reports down when the manager is killed and recovers when it is back, logging once', async (t) => {
    const sd = await startSystemd(t);
    const lines: string[] = [];
    const { collector, runner } = collectorFor(t, { bus: sd.busAddress }, lines);
    await collector.start?.();
    await connected(collector);
    const once = async () => {
      const out = await runner.collect();
      return {
        up: out.get('patrol_systemd_up'),
        success: out.get('patrol_collector_success', { collector: 'systemd' }),
        out,
      };
    };
    assert.deepEqual((({ up, success }) => ({ up, success }))(await once()), { up: 1, success: 1 });

    // The manager dies, its bus stays: the bus says the manager left (NameOwnerChanged), and
    // the watcher knows before any scrape asks.
    await sd.kill();
    await waitFor('the watcher to notice', () => !collector.watcher.status.up, {
      timeoutMs: 5_000,
    });
    assert.match(
      collector.watcher.status.up ? '' : collector.watcher.status.reason,
      /left the bus/,
    );
    await waitFor('systemd reported down', async () => {
      const r = await once();
      return (
        r.up === 0 &&
        r.success === 0 &&
        r.out.get('patrol_systemd_unit_state', { name: 'dbus.service', state: 'active' }) ===
          undefined
      );
    });
    for (let i = 0; i < 5; i++) await once();
    // A fresh session (its own bus daemon), as after a reboot of the manager.
    await sd.kill({ everything: true });
    for (let i = 0; i < 3; i++) await once();
    await sd.restart();
    await waitFor(
      'systemd reported up again',
      async () => {
        const r = await once();
        return (
          r.up === 1 &&
          r.success === 1 &&
          r.out.get('patrol_systemd_unit_state', { name: 'dbus.service', state: 'active' }) === 1
        );
      },
      { timeoutMs: 60_000 },
    );
    const failed = lines.filter((l) => l.includes('msg="collector failed"'));
    assert.equal(failed.length, 1, lines.join('\n'));
    assert.match(failed[0] ?? '', /collector=systemd/);
    assert.ok(
      lines.some((l) => l.includes('msg="connected to systemd again"')),
      lines.join('\n'),
    );
    await assertMatchesSystemctl(sd, collector);
  });

  it('reports a required unit named by an alias once, under the unit it points to', async (t) => {
    const sd = await startSystemd(t);
    await sd.writeUnit('mariadb.service', '[Service]\nExecStart=/bin/sleep 600\n');
    // An alias is a symlink to the unit file, as Alias= in [Install] makes on enable.
    await run('ln', ['-s', join(sd.unitDir, 'mariadb.service'), join(sd.unitDir, 'mysql.service')]);
    await sd.systemctl(['daemon-reload']);
    const { collector } = collectorFor(t, {
      bus: sd.busAddress,
      units: ['mysql', { any_of: ['mysqld', 'mysql'] }],
    });
    await collector.start?.();
    await connected(collector);
    const requiredNames = async () =>
      [...(await scrape(collector)).families]
        .filter(([f]) => f.name === 'patrol_systemd_unit_required_info')
        .flatMap(([, samples]) => samples.map((x) => x.labels.name));
    // Stopped and unloaded, it is read from the manager; running, it is in memory: both times
    // under its own name, once.
    assert.deepEqual(await requiredNames(), ['mariadb.service']);
    assert.equal(
      (await scrape(collector)).get('patrol_systemd_unit_state', {
        name: 'mariadb.service',
        state: 'inactive',
      }),
      1,
    );
    await sd.systemctl(['start', 'mysql']);
    await waitFor('mariadb.service reported active', async () => {
      const sink = await scrape(collector);
      return (
        sink.get('patrol_systemd_unit_state', { name: 'mariadb.service', state: 'active' }) === 1
      );
    });
    assert.deepEqual(await requiredNames(), ['mariadb.service']);
    const units = await assertMatchesSystemctl(sd, collector);
    assert.equal(units.has('mysql.service'), false);
  });

  it('stays within the system bus limit of 128 pending replies, through a daemon-reload of 400 units', async (t) => {
    const sd = await startSystemd(t, { maxRepliesPerConnection: 128 });
    await sd.writeUnit(
      'many@.service',
      '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n',
    );
    const names = Array.from({ length: 400 }, (_, i) => `many@${i}.service`);
    for (let i = 0; i < names.length; i += 100) {
      await sd.systemctl(['start', ...names.slice(i, i + 100)]);
    }
    const lines: string[] = [];
    const { collector } = collectorFor(t, { bus: sd.busAddress }, lines);
    await collector.start?.();
    await connected(collector);
    const complete = async () => {
      const sink = await scrape(collector);
      return names.every(
        (n) =>
          sink.get('patrol_systemd_service_restarts_total', { name: n }) === 0 &&
          sink.get('patrol_systemd_unit_state', { name: n, state: 'active', type: 'oneshot' }) ===
            1,
      );
    };
    assert.ok(await complete(), 'every unit read in full on connecting');
    // Every unit is announced anew at once (UnitNew): answered within the limit, or not at all.
    await sd.systemctl(['daemon-reload']);
    await sd.systemctl(['daemon-reload']);
    await waitFor('every unit complete after the reloads', complete);
    await assertMatchesSystemctl(sd, collector);
    assert.equal(collector.watcher.connections, 1, lines.join('\n'));
    assert.equal(collector.watcher.status.up, true);
    assert.ok(!lines.some((l) => l.includes('LimitsExceeded')), lines.join('\n'));
  });

  it('talks to the manager over its private socket, without a bus daemon', async (t) => {
    const sd = await startSystemd(t);
    await installServices(sd);
    const { collector } = collectorFor(t, { bus: sd.privateAddress });
    await collector.start?.();
    await connected(collector);
    await assertMatchesSystemctl(sd, collector);
    // Signals arrive on a direct connection too: a unit started now is seen without a resync.
    await sd.exec(['systemd-run', '--user', '--unit=direct', '/bin/sleep', '600']);
    await waitFor(
      'direct.service reported active',
      async () =>
        (await scrape(collector)).get('patrol_systemd_unit_state', {
          name: 'direct.service',
          state: 'active',
        }) === 1,
    );
  });

  it('reports a manager that stops answering as down, and recovers when it answers again', async (t) => {
    const sd = await startSystemd(t);
    const lines: string[] = [];
    const { collector, runner } = collectorFor(
      t,
      { bus: sd.privateAddress, call_timeout: '500ms', timeout: '2s' },
      lines,
    );
    await collector.start?.();
    await connected(collector);
    process.kill(sd.managerPid, 'SIGSTOP');
    t.after(() => {
      try {
        process.kill(sd.managerPid, 'SIGCONT');
      } catch {
        // gone
      }
    });
    await waitFor('down while the manager is stopped', async () => {
      const out = await runner.collect();
      return (
        out.get('patrol_systemd_up') === 0 &&
        out.get('patrol_collector_success', { collector: 'systemd' }) === 0
      );
    });
    for (let i = 0; i < 5; i++) await runner.collect();
    process.kill(sd.managerPid, 'SIGCONT');
    await waitFor(
      'up once the manager answers',
      async () => {
        const out = await runner.collect();
        return out.get('patrol_systemd_up') === 1;
      },
      {
        timeoutMs: 60_000,
        context: () => `${JSON.stringify(collector.watcher.status)}\n${lines.join('\n')}`,
      },
    );
    const failed = lines.filter((l) => l.includes('msg="collector failed"'));
    assert.equal(failed.length, 1, lines.join('\n'));
    assert.match(failed[0] ?? '', /stopped answering/);
  });
});

describe('systemd collector faults', () => {
  const downWith = async (t: Scope, bus: string, reason: RegExp) => {
    const lines: string[] = [];
    const { collector, runner } = collectorFor(t, { bus, call_timeout: '500ms' }, lines);
    await collector.start?.();
    for (let i = 0; i < 3; i++) {
      const out = await runner.collect();
      assert.equal(out.get('patrol_systemd_up'), 0);
      assert.equal(out.get('patrol_collector_success', { collector: 'systemd' }), 0);
      assert.equal(out.get('patrol_collector_success', { collector: 'other' }), 1);
      assert.equal(out.get('patrol_collector_success', { collector: 'other-sample' }), 1);
    }
    const failed = lines.filter((l) => l.includes('msg="collector failed"'));
    assert.equal(failed.length, 1, lines.join('\n'));
    assert.match(failed[0] ?? '', reason);
  };

  it('no bus: the socket does not exist', async (t) => {
    const dir = await tempDir(t);
    await downWith(t, `unix:path=${dir}/no-such-bus`, /no D-Bus socket at .*no-such-bus/);
  });

  it('a bus without systemd on it', async (t) => {
    const dir = await tempDir(t);
    const address = `unix:path=${dir}/bus`;
    const daemon = new ManagedProcess('dbus-daemon', 'dbus-daemon', [
      '--session',
      '--nofork',
      `--address=${address}`,
      '--print-address',
    ]);
    t.after(() => daemon.kill());
    await daemon.waitForOutput(/unix:path=/);
    await downWith(t, address, /no systemd manager on the bus/);
  });

  it('permission denied: a user who may not open the socket', async (t) => {
    const sd = await startSystemd(t);
    // The private socket is root's (mode 0700 runtime directory); the collector runs as nobody
    // (after loading its code as root: the checkout may be in a directory nobody cannot read).
    const r = await run(
      'env',
      [
        'PATROL_RUN_AS_UID=65534',
        NODE,
        join(ROOT, 'test/harness/collect-once.ts'),
        'systemd',
        JSON.stringify({ bus: sd.privateAddress }),
      ],
      { cwd: ROOT },
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { error?: string; name?: string; value?: number });
    assert.match(
      lines[0]?.error ?? '',
      /permission denied on .*systemd\/private/,
      r.stdout + r.stderr,
    );
    assert.deepEqual(lines.slice(1), [{ name: 'patrol_systemd_up', labels: {}, value: 0 }]);
  });
});
