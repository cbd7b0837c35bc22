import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogOnce } from './log-once.ts';
import { createLogger } from './logger.ts';

function capture() {
  const lines: string[] = [];
  return {
    lines,
    logger: createLogger({ level: 'debug', format: 'logfmt', write: (l) => lines.push(l) }),
  };
}

describe('LogOnce', () => {
  it('logs a failure when it starts and when its reason changes, not on every repetition', () => {
    const { lines, logger } = capture();
    const once = new LogOnce(logger);
    assert.equal(once.fail('peer-a', 'refused', 'heartbeat failed', { reason: 'refused' }), true);
    assert.equal(once.fail('peer-a', 'refused', 'heartbeat failed'), false);
    assert.equal(once.fail('peer-b', 'refused', 'heartbeat failed'), true, 'keys are separate');
    assert.equal(
      once.fail('peer-a', 'timeout', 'heartbeat failed', { reason: 'timeout' }),
      true,
      'a new reason',
    );
    assert.equal(lines.length, 3);
    assert.match(lines[2] ?? '', /level=warn msg="heartbeat failed" reason=timeout/);
    assert.equal(once.reason('peer-a'), 'timeout');
  });

  it('logs the recovery once, saying what it was, and only for a key that was failing', () => {
    const { lines, logger } = capture();
    const once = new LogOnce(logger);
    assert.equal(once.recover('peer-a', 'peer answers again'), false);
    once.fail('peer-a', 'refused', 'heartbeat failed');
    assert.equal(once.recover('peer-a', 'peer answers again', { peer: 'a' }), true);
    assert.equal(once.recover('peer-a', 'peer answers again'), false);
    assert.match(lines.at(-1) ?? '', /level=info msg="peer answers again" peer=a was=refused/);
    assert.equal(once.fail('peer-a', 'refused', 'heartbeat failed'), true, 'fails anew');
  });

  it('remembers at most maxKeys keys: callers from outside cannot grow it', () => {
    const { lines, logger } = capture();
    const once = new LogOnce(logger, 2);
    once.fail('10.0.0.1', 'bad signature', 'refused');
    once.fail('10.0.0.2', 'bad signature', 'refused');
    assert.equal(once.fail('10.0.0.3', 'bad signature', 'refused'), false);
    assert.equal(lines.length, 2);
    once.retain((k) => k !== '10.0.0.1');
    assert.equal(once.fail('10.0.0.3', 'bad signature', 'refused'), true, 'room again');
  });

  it('accepts objects as keys and other levels', () => {
    const { lines, logger } = capture();
    const once = new LogOnce<object>(logger);
    const key = {};
    once.fail(key, 'exit 1', 'thread ended', {}, 'error');
    assert.match(lines[0] ?? '', /level=error/);
  });
});
