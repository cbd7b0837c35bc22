/**
 * The systemd collector when things go wrong, against a real systemd (test/harness/systemd.ts):
 * a manager killed and started again, a manager that stops answering, and the faults that keep
 * it from ever connecting (no socket, no systemd on the bus, permission denied). Each time
 * systemd is reported down, the other collectors keep working, and it says so once in the log.
 * Needs root, util-linux (unshare, nsenter), systemd and dbus (Debian 12 has them).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NODE, ROOT } from '../../../test/harness/exporter.ts';
import { ManagedProcess, run, type Scope } from '../../../test/harness/process.ts';
import { startSystemd } from '../../../test/harness/systemd.ts';
import { tempDir } from '../../../test/harness/tmp.ts';
import { waitFor } from '../../../test/harness/wait.ts';
import { assertMatchesSystemctl, collectorFor, connected } from './test-fixtures.ts';

describe('systemd collector when the manager dies or hangs', () => {
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
