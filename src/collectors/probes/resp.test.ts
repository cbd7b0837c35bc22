import assert from 'node:assert/strict';
import { it } from 'node:test';
import { encodeCommand, parseInfo, parseReply } from './resp.ts';

it('encodes a command as an array of bulk strings, lengths in bytes', () => {
  assert.equal(
    encodeCommand(['AUTH', 'pässword']).toString(),
    '*2\r\n$4\r\nAUTH\r\n$9\r\npässword\r\n',
  );
});

it('parses each reply type, and waits for a reply that is not whole yet', () => {
  assert.deepEqual(parseReply(Buffer.from('+PONG\r\n')), {
    reply: { kind: 'status', text: 'PONG' },
    size: 7,
  });
  assert.deepEqual(
    parseReply(Buffer.from('-WRONGPASS invalid username-password pair\r\n'))?.reply,
    {
      kind: 'error',
      text: 'WRONGPASS invalid username-password pair',
    },
  );
  assert.deepEqual(parseReply(Buffer.from(':3\r\n'))?.reply, { kind: 'integer', value: 3 });
  assert.deepEqual(parseReply(Buffer.from('$-1\r\n'))?.reply, { kind: 'bulk', text: null });
  const bulk = Buffer.from('$11\r\nrole:master\r\n+OK\r\n');
  assert.deepEqual(parseReply(bulk), { reply: { kind: 'bulk', text: 'role:master' }, size: 18 });
  assert.equal(parseReply(Buffer.from('$11\r\nrole:mas')), undefined);
  assert.equal(parseReply(Buffer.from('+PON')), undefined);
});

it('refuses what is not RESP (an HTTP server on the port)', () => {
  assert.throws(() => parseReply(Buffer.from('HTTP/1.1 400 Bad Request\r\n')), /not a RESP reply/);
  assert.throws(() => parseReply(Buffer.from('$x\r\n')), /bad bulk length/);
});

it('reads INFO as key:value lines', () => {
  const info = parseInfo(
    '# Replication\r\nrole:slave\r\nmaster_link_status:up\r\nconnected_slaves:0\r\n',
  );
  assert.equal(info.get('role'), 'slave');
  assert.equal(info.get('master_link_status'), 'up');
  assert.equal(info.size, 3);
});

it("parses an array (TIME's answer), and waits for its last item", () => {
  const time = Buffer.from('*2\r\n$10\r\n1765000000\r\n$6\r\n012345\r\n');
  assert.deepEqual(parseReply(time), {
    reply: {
      kind: 'array',
      items: [
        { kind: 'bulk', text: '1765000000' },
        { kind: 'bulk', text: '012345' },
      ],
    },
    size: time.length,
  });
  assert.equal(parseReply(time.subarray(0, time.length - 3)), undefined);
  assert.deepEqual(parseReply(Buffer.from('*-1\r\n'))?.reply, { kind: 'array', items: null });
});
