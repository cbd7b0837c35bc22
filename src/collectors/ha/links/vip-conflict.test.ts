import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SampleBuffer } from '../../../core/metrics.ts';
import {
  arpingArgs,
  interpretArping,
  parseArpingReplies,
  runArping,
  VipConflictWatch,
  type ArpingRun,
  type ProbeResult,
} from './vip-conflict.ts';

// Recorded from iputils arping 20221126 between two network namespaces joined by a veth pair,
// both holding 192.0.2.100 (conflict), then with the address removed from the other (none).
const fixture = (name: string) =>
  readFileSync(new URL(`./testdata/arping/${name}`, import.meta.url), 'utf8');
const VIP = '192.0.2.100';

const dir = mkdtempSync(join(tmpdir(), 'patrol-arping-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});
/** A stand-in arping: a shell script that prints `stdout` and exits with `code`. */
function fakeArping(name: string, stdout: string, code: number, sleepS = 0): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `#!/bin/sh\necho "$@" > "${path}.args"\n${sleepS > 0 ? `exec sleep ${sleepS}\n` : ''}printf '%s' '${stdout}'\nexit ${code}\n`,
  );
  chmodSync(path, 0o755);
  return path;
}

describe('arping -D output', () => {
  it('reads the MAC of each reply, lower case, once', () => {
    assert.deepEqual(parseArpingReplies(fixture('conflict.txt')), ['5e:7e:f5:b3:f3:13']);
    assert.deepEqual(parseArpingReplies(fixture('none.txt')), []);
    const two = [
      'Unicast reply from 10.0.0.100 [02:AB:CD:EF:01:02]  0.6ms',
      'Unicast reply from 10.0.0.100 [02:ab:cd:ef:01:02]  0.7ms',
      'Broadcast reply from 10.0.0.100 [02:00:00:00:00:09]  1.1ms',
      'Unicast reply from 10.0.0.100 [not a mac]  0.6ms',
    ].join('\n');
    assert.deepEqual(parseArpingReplies(two), ['02:ab:cd:ef:01:02', '02:00:00:00:00:09']);
  });

  it('says none, conflict or unknown from the exit code and the closing count together', () => {
    assert.deepEqual(interpretArping(0, fixture('none.txt'), '', VIP), { state: 'none' });
    assert.deepEqual(interpretArping(1, fixture('conflict.txt'), '', VIP), {
      state: 'conflict',
      macs: ['5e:7e:f5:b3:f3:13'],
    });
    assert.deepEqual(interpretArping(2, '', 'arping: socket: Operation not permitted\n', VIP), {
      state: 'unknown',
      reason: 'exit 2: arping: socket: Operation not permitted',
    });
    assert.deepEqual(interpretArping(2, '', 'arping: Device eth9 not available.\n', VIP), {
      state: 'unknown',
      reason: 'exit 2: arping: Device eth9 not available.',
    });
    // Exit code and count disagree: a cut-off run, or not iputils' arping.
    assert.equal(interpretArping(0, fixture('conflict.txt'), '', VIP).state, 'unknown');
    assert.equal(interpretArping(1, fixture('none.txt'), '', VIP).state, 'unknown');
    // Thomas Habets' arping: other output, other exit codes.
    assert.deepEqual(interpretArping(0, `ARPING ${VIP}\n!!\n`, '', VIP), {
      state: 'unknown',
      reason: `exit 0 without iputils arping's verdict for ${VIP}`,
    });
  });
});

describe('runArping', () => {
  it('runs arping -D on the interface and reads its answer', async () => {
    const path = fakeArping('conflicting', fixture('conflict.txt'), 1);
    assert.deepEqual(await runArping(path, 'eth0', VIP).result, {
      state: 'conflict',
      macs: ['5e:7e:f5:b3:f3:13'],
    });
    assert.equal(readFileSync(`${path}.args`, 'utf8').trim(), arpingArgs('eth0', VIP).join(' '));
    assert.equal(arpingArgs('eth0', VIP).join(' '), `-D -I eth0 -c 2 -w 3 ${VIP}`);
    const quiet = fakeArping('quiet', fixture('none.txt'), 0);
    assert.deepEqual(await runArping(quiet, 'eth0', VIP).result, { state: 'none' });
  });

  it('is unknown when arping is missing, not executable, or overruns its deadline', async () => {
    assert.deepEqual(await runArping(join(dir, 'nope'), 'eth0', VIP).result, {
      state: 'unknown',
      reason: 'ENOENT',
    });
    const plain = join(dir, 'not-executable');
    writeFileSync(plain, '');
    assert.deepEqual(await runArping(plain, 'eth0', VIP).result, {
      state: 'unknown',
      reason: 'EACCES',
    });
    const slow = fakeArping('slow', fixture('none.txt'), 0, 30);
    const t0 = performance.now();
    const r = await runArping(slow, 'eth0', VIP, 300).result;
    assert.deepEqual(r, { state: 'unknown', reason: 'did not finish within 300 ms (killed)' });
    assert.ok(performance.now() - t0 < 5_000, 'killed at its deadline');
  });
});

describe('VipConflictWatch', () => {
  const logged: string[] = [];
  const logOnce = {
    fail: (_k: string, reason: string) => {
      logged.push(`fail ${reason}`);
      return true;
    },
    recover: (key: string) => {
      logged.push(`recover ${key}`);
      return true;
    },
  };
  const scrape = (w: VipConflictWatch) => {
    const buf = new SampleBuffer();
    w.collect(buf);
    const samples = [...buf.families].flatMap(([fam, s]) =>
      s.map((x) => `${fam.name} ${Object.values(x.labels).join(' ')} ${x.value}`),
    );
    return samples.sort();
  };

  it('probes in the background while this node holds the VIP, one at a time', async () => {
    let holds = false;
    let inFlight = 0;
    let maxInFlight = 0;
    let answer: ProbeResult = { state: 'conflict', macs: ['02:00:00:00:00:0b'] };
    const run = (): ArpingRun => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return {
        result: new Promise((resolve) =>
          setTimeout(() => {
            inFlight--;
            resolve(answer);
          }, 30),
        ),
        kill: () => {},
      };
    };
    const w = new VipConflictWatch({
      cluster: 'c',
      vip: VIP,
      arping: 'arping',
      intervalMs: 10,
      holdsVip: () => holds,
      vipInterface: () => 'eth0',
      logOnce: logOnce as never,
      run,
    });
    w.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(w.probes, 0, 'not while the node does not hold the VIP');
    assert.deepEqual(scrape(w), []);
    holds = true;
    await new Promise((resolve) => setTimeout(resolve, 1300));
    assert.ok(w.probes >= 2, `${w.probes} probes`);
    assert.equal(maxInFlight, 1);
    assert.deepEqual(scrape(w), [
      'patrol_ha_vip_conflict c 192.0.2.100 conflict 1',
      'patrol_ha_vip_conflict c 192.0.2.100 none 0',
      'patrol_ha_vip_conflict c 192.0.2.100 unknown 0',
      'patrol_ha_vip_conflict_mac_info c 192.0.2.100 02:00:00:00:00:0b 1',
    ]);
    answer = { state: 'none' };
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(scrape(w).includes('patrol_ha_vip_conflict c 192.0.2.100 none 1'));
    assert.ok(!scrape(w).some((s) => s.includes('mac_info')));
    holds = false;
    assert.deepEqual(scrape(w), [], 'absent at once when the VIP moved away');
    w.stop();
    assert.ok(logged.includes('fail 02:00:00:00:00:0b'), logged.join('; '));
    assert.ok(logged.includes('recover vip conflict'), logged.join('; '));
  });

  it('is unknown for an IPv6 VIP without running arping', async () => {
    let ran = 0;
    const w = new VipConflictWatch({
      cluster: 'c',
      vip: '2001:db8::100',
      arping: 'arping',
      intervalMs: 1000,
      holdsVip: () => true,
      vipInterface: () => 'eth0',
      run: () => {
        ran++;
        return { result: Promise.resolve({ state: 'none' }), kill: () => {} };
      },
    });
    w.start();
    await new Promise((resolve) => setTimeout(resolve, 30));
    w.stop();
    assert.equal(ran, 0);
    assert.deepEqual(w.result, { state: 'unknown', reason: 'IPv6 VIP: arping (ARP) is IPv4 only' });
  });
});
