import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServerLink, type EngineSession } from './session.ts';
import type { ServerView } from './views.ts';

/** A session whose reads answer when the test says so. */
function fakeSession(log: string[], id: number) {
  let open = true;
  const pending: ((v: ServerView) => void)[] = [];
  const session: EngineSession = {
    get open() {
      return open;
    },
    close() {
      open = false;
      log.push(`close ${id}`);
    },
    read() {
      log.push(`read ${id}`);
      return new Promise<ServerView>((resolve) => pending.push(resolve));
    },
    writeHeartbeat: () => Promise.resolve(),
  };
  const answer = () => pending.shift()?.({ localAt: 1, serverTime: 1, heartbeat: undefined });
  return { session, answer };
}

const never = () => new AbortController().signal;

describe('a server link', () => {
  it('keeps its connection, and queues uses instead of overlapping them', async () => {
    const log: string[] = [];
    const s = fakeSession(log, 1);
    let connects = 0;
    const link = new ServerLink(() => {
      connects++;
      return Promise.resolve(s.session);
    });
    const a = link.use((x) => x.read('primary', never()), never());
    const b = link.use((x) => x.read('primary', never()), never());
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(log, ['read 1'], 'the second use waits for the first');
    s.answer();
    await a;
    await new Promise((r) => setImmediate(r));
    s.answer();
    await b;
    assert.deepEqual(log, ['read 1', 'read 1']);
    assert.equal(connects, 1);
  });

  it('closes a connection cut at its deadline and opens a new one next time', async () => {
    const log: string[] = [];
    const sessions = [fakeSession(log, 1), fakeSession(log, 2)];
    let n = 0;
    const link = new ServerLink(() => Promise.resolve((sessions[n++] ?? assert.fail()).session));
    const cut = AbortSignal.timeout(20);
    await assert.rejects(
      link.use((x) => x.read('replica', cut), cut),
      /deadline reached/,
    );
    assert.deepEqual(log, ['read 1', 'close 1']);
    const next = link.use((x) => x.read('replica', never()), never());
    await new Promise((r) => setImmediate(r));
    sessions[1]?.answer();
    await next;
    assert.deepEqual(log, ['read 1', 'close 1', 'read 2']);
  });

  it('a failed connect is retried on the next use', async () => {
    const log: string[] = [];
    const s = fakeSession(log, 1);
    let attempts = 0;
    const link = new ServerLink(() =>
      ++attempts === 1 ? Promise.reject(new Error('ECONNREFUSED')) : Promise.resolve(s.session),
    );
    await assert.rejects(
      link.use((x) => x.read('primary', never()), never()),
      /ECONNREFUSED/,
    );
    const ok = link.use((x) => x.read('primary', never()), never());
    await new Promise((r) => setImmediate(r));
    s.answer();
    await ok;
    assert.equal(attempts, 2);
  });
});
