import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { fromInspect, idsFromList, parseEvent, selected } from './state.ts';

// Recorded from Docker 20.10.24 (Debian docker.io): `docker inspect oom` of a container killed
// for memory, and one line of `GET /events`.
const oom = JSON.parse(
  readFileSync(new URL('testdata/inspect-oom.json', import.meta.url), 'utf8'),
) as unknown;
const event = readFileSync(new URL('testdata/event-die.json', import.meta.url), 'utf8').trim();

it('reduces an inspect answer to what is exported', () => {
  const c = fromInspect(oom);
  assert.ok(c !== undefined);
  assert.equal(c.name, 'oom');
  assert.equal(c.state, 'exited');
  assert.equal(c.health, 'none');
  assert.equal(c.oomKilled, true);
  assert.equal(c.exitCode, 137);
  assert.equal(c.image, 'patrol-test/busybox:1');
  assert.ok(c.startedAt !== undefined && c.startedAt > 1.7e9);
  // Docker's zero time is "never started".
  const created = fromInspect({
    Id: 'x',
    Name: '/new',
    State: { Status: 'created', StartedAt: '0001-01-01T00:00:00Z' },
  });
  assert.equal(created?.startedAt, undefined);
  assert.equal(fromInspect({ message: 'No such container' }), undefined);
});

it('reads ids from the list, events from the stream', () => {
  assert.deepEqual(idsFromList([{ Id: 'a' }, { Id: '' }, { nope: 1 }, { Id: 'b' }]), ['a', 'b']);
  assert.deepEqual(idsFromList({ message: 'error' }), []);
  const e = parseEvent(event);
  assert.equal(e?.gone, false);
  assert.match(e?.id ?? '', /^[0-9a-f]{64}$/);
  assert.equal(
    parseEvent('{"Type":"container","Action":"destroy","Actor":{"ID":"abc"}}')?.gone,
    true,
  );
  assert.equal(parseEvent('{"Type":"network","Action":"connect","Actor":{"ID":"abc"}}'), undefined);
  assert.equal(parseEvent('garbage'), undefined);
});

it('selects by name pattern and labels', () => {
  const c = fromInspect(oom);
  assert.ok(c !== undefined);
  assert.equal(selected(c, /^oom$/u, {}), true);
  assert.equal(selected(c, /^web$/u, {}), false);
  assert.equal(selected(c, undefined, { app: 'iuap' }), false);
  assert.equal(selected({ ...c, labels: { app: 'iuap' } }, undefined, { app: 'iuap' }), true);
});
