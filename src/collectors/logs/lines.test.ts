import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineSplitter } from './lines.ts';

interface Got {
  text: string;
  truncated: boolean;
}

function feed(splitter: LineSplitter, chunks: readonly Buffer[]): Got[] {
  const out: Got[] = [];
  for (const c of chunks) {
    splitter.push(c, (b, st, e, truncated) =>
      out.push({ text: b.toString('latin1', st, e), truncated }),
    );
  }
  return out;
}

/** `data` cut into pieces at the given offsets. */
function cut(data: Buffer, at: readonly number[]): Buffer[] {
  const points = [0, ...at, data.length];
  return points.slice(1).map((end, i) => data.subarray(points[i], end));
}

describe('LineSplitter', () => {
  it('gives the same lines however the bytes are chunked', () => {
    const data = Buffer.from('first\nsecond line\r\n\nfourth\nunfinished', 'latin1');
    const want = ['first', 'second line', '', 'fourth'];
    for (let a = 0; a <= data.length; a++) {
      for (let b = a; b <= data.length; b += 3) {
        const s = new LineSplitter(1024);
        const got = feed(s, cut(data, [a, b]));
        assert.deepEqual(
          got.map((g) => g.text),
          want,
          `cut at ${a}, ${b}`,
        );
        assert.equal(s.committed, data.indexOf('unfinished'), 'committed ends at the last newline');
        assert.equal(s.pending, 'unfinished'.length);
      }
    }
  });

  it('keeps bytes as they are: invalid UTF-8, NUL, a multibyte character split across reads', () => {
    const euro = Buffer.from('€', 'utf8'); // e2 82 ac
    const data = Buffer.concat([
      Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x0a]),
      Buffer.from('price '),
      euro,
      Buffer.from('\n'),
    ]);
    const s = new LineSplitter(1024);
    const lines: Buffer[] = [];
    // Split inside the euro sign.
    for (const c of cut(data, [data.length - 2]))
      s.push(c, (b, st, e) => lines.push(Buffer.from(b.subarray(st, e))));
    assert.deepEqual(lines[0], Buffer.from([0xff, 0xfe, 0x00, 0x41]));
    assert.equal(lines[1]?.toString('utf8'), 'price €');
    assert.equal(s.committed, data.length);
  });

  it('cuts an over-long line at maxLineBytes, once, and skips the rest of it', () => {
    const s = new LineSplitter(8);
    const got = feed(s, [Buffer.from('0123456789abc'), Buffer.from('def\nshort\n')]);
    assert.deepEqual(got, [
      { text: '01234567', truncated: true },
      { text: 'short', truncated: false },
    ]);
    assert.equal(s.committed, '0123456789abcdef\nshort\n'.length);
  });

  it('holds at most maxLineBytes of a 10 MiB line that never ends', () => {
    const s = new LineSplitter(64 * 1024);
    const block = Buffer.alloc(1024 * 1024, 0x61);
    const got: Got[] = [];
    const add = (b: Buffer, st: number, e: number, t: boolean) =>
      got.push({ text: b.toString('latin1', st, e), truncated: t });
    for (let i = 0; i < 10; i++) {
      s.push(block, add);
      assert.ok(s.held <= 64 * 1024, `held ${s.held}`);
    }
    assert.equal(got.length, 0);
    assert.equal(s.pending, 10 * 1024 * 1024);
    assert.equal(s.committed, 0, 'nothing committed while the line is unfinished');
    s.push(Buffer.from('\nnext\n'), (b, st, e, t) =>
      got.push({ text: b.toString('latin1', st, e), truncated: t }),
    );
    assert.equal(got.length, 2);
    assert.equal(got[0]?.truncated, true);
    assert.equal(got[0]?.text.length, 64 * 1024);
    assert.deepEqual(got[1], { text: 'next', truncated: false });
    assert.equal(s.committed, 10 * 1024 * 1024 + 1 + 'next\n'.length);
  });

  it('flushes an unfinished last line once the file is done with', () => {
    const s = new LineSplitter(1024, 100);
    const got = feed(s, [Buffer.from('a\nlast words')]);
    assert.deepEqual(got, [{ text: 'a', truncated: false }]);
    const flushed: string[] = [];
    assert.equal(
      s.flush((b, st, e) => flushed.push(b.toString('utf8', st, e))),
      true,
    );
    assert.deepEqual(flushed, ['last words']);
    assert.equal(s.committed, 100 + 'a\nlast words'.length);
    assert.equal(
      s.flush(() => assert.fail('nothing left')),
      false,
    );
  });

  it('starts again at an offset after truncation, forgetting the unfinished line', () => {
    const s = new LineSplitter(1024);
    feed(s, [Buffer.from('one\ntw')]);
    s.reset(0);
    assert.equal(s.pending, 0);
    assert.deepEqual(feed(s, [Buffer.from('fresh\n')]), [{ text: 'fresh', truncated: false }]);
    assert.equal(s.committed, 'fresh\n'.length);
  });

  it('refuses a maxLineBytes that is not a positive integer', () => {
    assert.throws(() => new LineSplitter(0), RangeError);
    assert.throws(() => new LineSplitter(1.5), RangeError);
  });
});
