import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventSplitter, MAX_EVENT_BYTES, parseEvent } from './events.ts';

const pod = (name: string, rv: string) =>
  JSON.stringify({ type: 'MODIFIED', object: { metadata: { name, resourceVersion: rv } } });

describe('watch events', () => {
  it('are read from chunks that cut lines anywhere', () => {
    const s = new EventSplitter();
    const text = `${pod('a', '10')}\n${pod('b', '11')}\n`;
    const cut = [text.slice(0, 7), text.slice(7, 60), text.slice(60)];
    const events = cut.flatMap((c) => s.push(Buffer.from(c)));
    assert.deepEqual(
      events.map((e) => (e.type === 'MODIFIED' ? e.rv : e.type)),
      ['10', '11'],
    );
  });

  it('tell bookmarks, 410 errors and garbage apart', () => {
    assert.deepEqual(
      parseEvent('{"type":"BOOKMARK","object":{"kind":"Pod","metadata":{"resourceVersion":"99"}}}'),
      { type: 'BOOKMARK', rv: '99' },
    );
    assert.deepEqual(
      parseEvent(
        '{"type":"ERROR","object":{"kind":"Status","status":"Failure","message":"too old resource version: 5 (80)","reason":"Expired","code":410}}',
      ),
      { type: 'ERROR', code: 410, reason: 'Expired' },
    );
    assert.equal(parseEvent('not json').type, 'GARBAGE');
    assert.equal(parseEvent('{"type":"ADDED","object":"not an object"}').type, 'GARBAGE');
    assert.equal(parseEvent('{"type":"SURPRISE","object":{}}').type, 'GARBAGE');
  });

  it('drop a line longer than the cap without holding it', () => {
    const s = new EventSplitter();
    const big = 'x'.repeat(MAX_EVENT_BYTES + 10);
    const events = [...s.push(big), ...s.push(`more\n${pod('c', '12')}\n`)];
    assert.deepEqual(
      events.map((e) => e.type),
      ['GARBAGE', 'MODIFIED'],
    );
  });
});
