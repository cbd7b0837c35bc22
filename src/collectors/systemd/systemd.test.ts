/**
 * The systemd collector against a real systemd: a user manager in a private mount namespace,
 * reached over its real session bus or private socket (test/harness/systemd.ts). What patrol
 * reports is compared with what `systemctl --user show` says at the same moment.
 * Needs root, util-linux (unshare, nsenter), systemd and dbus (Debian 12 has them).
 * A manager that dies or hangs, and the faults: systemd-faults.test.ts.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../../test/harness/process.ts';
import { startSystemd } from '../../../test/harness/systemd.ts';
import { waitFor } from '../../../test/harness/wait.ts';
import { ACTIVE_STATES } from './units.ts';
import {
  assertMatchesSystemctl,
  collectorFor,
  connected,
  installServices,
  scrape,
} from './test-fixtures.ts';

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
});
