/**
 * An address that drops packets (a host that is off, a firewall that drops rather than
 * refuses): in a network namespace made for the test, iptables drops everything sent to
 * 127.0.0.9, and the probes collector runs there (test/harness/collect-once.ts). Each probe is
 * cut at its deadline with reason timeout, and the collector answers within its own timeout.
 *
 * Needs root, util-linux (unshare) and iptables.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';

const run = promisify(execFile);
const root = new URL('../../..', import.meta.url).pathname;

interface Row {
  name: string;
  labels: Record<string, string>;
  value: number;
}

describe('probes to an address that drops packets', () => {
  it('time out at their deadline, every module, with their series', async () => {
    const config = {
      timeout: '3s',
      probes: [
        { name: 'tcp', module: 'tcp', target: '127.0.0.9:80', timeout: '1s' },
        { name: 'http', module: 'http', target: 'http://127.0.0.9/', timeout: '1s' },
        { name: 'redis', module: 'redis', target: '127.0.0.9:6379', timeout: '1s' },
        { name: 'mysql', module: 'mysql', target: '127.0.0.9:3306', user: 'x', timeout: '1s' },
        { name: 'postgres', module: 'postgres', target: '127.0.0.9:5432', timeout: '1s' },
        { name: 'rabbitmq', module: 'rabbitmq', target: '127.0.0.9:5672', timeout: '1s' },
      ],
    };
    const script = `
      set -e
      ip link set lo up
      iptables -I OUTPUT -d 127.0.0.9 -j DROP
      exec "${process.execPath}" ${root}test/harness/collect-once.ts probes '${JSON.stringify(config)}'
    `;
    const t0 = performance.now();
    const { stdout } = await run('unshare', ['--net', 'sh', '-c', script]);
    const took = performance.now() - t0;
    const rows = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Row);
    assert.equal(
      rows.find((r) => 'error' in r),
      undefined,
      stdout,
    );
    for (const p of config.probes) {
      const success = rows.find(
        (r) => r.name === 'patrol_probe_success' && r.labels.probe === p.name,
      );
      assert.equal(success?.value, 0, `${p.name}: success 0`);
      const reason = rows.find(
        (r) =>
          r.name === 'patrol_probe_failure_reason' && r.labels.probe === p.name && r.value === 1,
      );
      assert.equal(reason?.labels.reason, 'timeout', `${p.name}: reason`);
      const d =
        rows.find((r) => r.name === 'patrol_probe_duration_seconds' && r.labels.probe === p.name)
          ?.value ?? 0;
      assert.ok(d >= 0.95 && d < 3, `${p.name} cut at its 1 s deadline (${d} s)`);
    }
    // Six probes at once, each cut at 1 s: the process (start-up included) is done in seconds.
    assert.ok(took < 15_000, `took ${took} ms`);
  });
});
