import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ClockFilter, clockSample, parseHeartbeat, sign, signatureMatches } from './heartbeat.ts';
import { detectRole, localIPv4, localIPv6, normalizeIPv6, roleFromText } from './role.ts';

describe('heartbeat', () => {
  it('estimates offset and delay NTP-style', () => {
    // The peer is 5 s ahead; 10 ms each way; it takes 1 ms to answer.
    const s = clockSample(1000, 6010, 6011, 1021);
    assert.equal(s.offset, 5000);
    assert.equal(s.delay, 20);
    // Asymmetric: 2 ms out, 18 ms back: the offset is off by (18 - 2) / 2, never more than delay / 2.
    const a = clockSample(1000, 6002, 6003, 1021);
    assert.equal(a.offset, 4992);
    assert.ok(Math.abs(a.offset - 5000) <= a.delay / 2);
  });

  it('takes the round trip from a monotonic clock when given one', () => {
    // The wall clock stepped back 50 ms during the exchange: its own round trip would be -46 ms.
    const s = clockSample(1000, 1002, 1002, 954, 4.2);
    assert.equal(s.delay, 4.2);
    assert.equal(s.offset, (2 + 48) / 2);
  });

  it('keeps the offset of the least delayed of the last samples', () => {
    const f = new ClockFilter(3);
    f.push({ offset: 10, delay: 50 });
    f.push({ offset: 2, delay: 4 });
    f.push({ offset: 7, delay: 30 });
    assert.deepEqual(f.best(), { offset: 2, delay: 4 });
    f.push({ offset: 9, delay: 40 });
    f.push({ offset: 8, delay: 45 });
    f.push({ offset: 6, delay: 35 }); // the 4 ms sample has aged out
    assert.deepEqual(f.best(), { offset: 6, delay: 35 });
    f.clear();
    assert.equal(f.best(), undefined);
  });

  it('accepts a heartbeat and says what is wrong with anything else', () => {
    const hb = {
      cluster: 'c',
      node: 'a',
      role: 'primary',
      startId: 'x',
      seq: 1,
      received: 1,
      sent: 2,
    };
    assert.deepEqual(parseHeartbeat(JSON.stringify(hb)), hb);
    assert.equal(parseHeartbeat('<html>'), 'not JSON');
    assert.equal(parseHeartbeat(JSON.stringify({ ...hb, role: 'boss' })), 'unknown role');
    assert.equal(
      parseHeartbeat(JSON.stringify({ ...hb, seq: 'one' })),
      'missing seq, received or sent',
    );
  });

  it('carries the peer’s links when it sends them, and does without (older peers)', () => {
    const hb = {
      cluster: 'c',
      node: 'b',
      role: 'standby',
      startId: 'x',
      seq: 1,
      received: 1,
      sent: 2,
    };
    // An older exporter: no links field at all.
    const old = parseHeartbeat(JSON.stringify(hb));
    assert.ok(typeof old !== 'string');
    assert.equal(old.links, undefined);
    const links = { a: { interface: 'eth1', up: false }, c: { interface: 'bond0', up: true } };
    assert.deepEqual(parseHeartbeat(JSON.stringify({ ...hb, links })), { ...hb, links });
    // A newer one may add fields; malformed entries are dropped, never fatal.
    const odd = parseHeartbeat(
      JSON.stringify({
        ...hb,
        links: {
          a: { interface: 'eth1', up: true, speed: 1000 },
          b: { interface: 7, up: true },
          c: 'eth0',
          ['__proto__']: { interface: 'x', up: false },
        },
      }),
    );
    assert.ok(typeof odd !== 'string');
    assert.deepEqual(Object.keys(odd.links ?? {}).sort(), ['__proto__', 'a']);
    assert.deepEqual(odd.links?.a, { interface: 'eth1', up: true });
    assert.equal(Object.getPrototypeOf(odd.links), Object.prototype, 'no prototype pollution');
    const notObject = parseHeartbeat(JSON.stringify({ ...hb, links: ['eth1'] }));
    assert.ok(typeof notObject !== 'string');
    assert.equal(notObject.links, undefined);
  });

  it('signs with the shared secret, and nothing else matches', () => {
    const secret = Buffer.from('0123456789abcdef0123');
    const sig = sign(secret, ['req', 'c', '/ha/heartbeat', 'n1']);
    assert.ok(signatureMatches(secret, ['req', 'c', '/ha/heartbeat', 'n1'], sig));
    assert.ok(!signatureMatches(secret, ['req', 'c', '/ha/heartbeat', 'n2'], sig));
    assert.ok(
      !signatureMatches(
        Buffer.from('another secret!!!!'),
        ['req', 'c', '/ha/heartbeat', 'n1'],
        sig,
      ),
    );
    // Part boundaries count: ("ab", "c") is not ("a", "bc").
    assert.notEqual(sign(secret, ['ab', 'c']), sign(secret, ['a', 'bc']));
    assert.ok(!signatureMatches(secret, ['x'], undefined));
    assert.ok(!signatureMatches(secret, ['x'], 'not hex'));
  });
});

describe('role', () => {
  it('reads the words HA software writes', () => {
    for (const w of ['primary', 'MASTER', ' active\n']) assert.equal(roleFromText(w), 'primary');
    for (const w of ['standby', 'slave', 'Backup', 'passive'])
      assert.equal(roleFromText(w), 'standby');
    for (const w of ['', 'primary standby', 'starting']) assert.equal(roleFromText(w), 'unknown');
  });

  it('finds the local addresses the kernel routes, IPv4 and IPv6', () => {
    const fib = [
      'Main:',
      '  +-- 0.0.0.0/0 3 0 5',
      '     |-- 10.0.0.0',
      '        /24 link UNICAST',
      '     |-- 10.0.0.100',
      '        /32 host LOCAL',
      '     |-- 10.0.0.255',
      '        /32 link BROADCAST',
    ].join('\n');
    assert.deepEqual([...localIPv4(fib)], ['10.0.0.100']);
    const v6 = 'fd000000000000000000000000000002 04 40 00 82     eth0\n';
    assert.ok(localIPv6(v6).has(normalizeIPv6('fd00::2')));
    assert.equal(normalizeIPv6('FD00:0:0::02'), 'fd00:0:0:0:0:0:0:2');
  });

  it('asks a command: its output word, else exit 0 primary, 1 standby, anything else unknown', async () => {
    const cmd = (command: string[], timeout = 2000) =>
      detectRole({ source: 'command', command, timeout });
    assert.equal(await cmd(['sh', '-c', 'echo standby']), 'standby');
    assert.equal(await cmd(['sh', '-c', 'echo MASTER; exit 1']), 'primary');
    assert.equal(await cmd(['true']), 'primary');
    assert.equal(await cmd(['false']), 'standby');
    assert.equal(await cmd(['sh', '-c', 'exit 3']), 'unknown');
    assert.equal(await cmd(['/nonexistent/ha-role']), 'unknown');
    assert.equal(await cmd(['sleep', '5'], 100), 'unknown');
    assert.equal(await detectRole({ source: 'vip', address: '127.0.0.1' }), 'primary');
    assert.equal(await detectRole({ source: 'vip', address: '192.0.2.77' }), 'standby');
    assert.equal(await detectRole({ source: 'file', path: '/nonexistent/role' }), 'unknown');
    assert.equal(await detectRole(undefined), 'unknown');
  });

  it('looks for the VIP under the procfs it is given (--path.procfs)', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'patrol-role-'));
    t.after(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    writeFileSync(
      join(dir, 'fib_trie'),
      'Local:\n  +-- 10.0.0.0/24 2 0 2\n     |-- 10.0.0.9\n        /32 host LOCAL\n',
    );
    writeFileSync(join(dir, 'if_inet6'), '20010db8000000000000000000000009 02 40 00 80 eth0\n');
    assert.equal(await detectRole({ source: 'vip', address: '10.0.0.9' }, dir), 'primary');
    assert.equal(await detectRole({ source: 'vip', address: '2001:db8::9' }, dir), 'primary');
    assert.equal(await detectRole({ source: 'vip', address: '127.0.0.1' }, dir), 'standby');
  });
});
