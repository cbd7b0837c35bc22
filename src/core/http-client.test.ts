import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { HttpClientError, request, streamRequest } from './http-client.ts';

/** A server on loopback whose routes misbehave in the ways the client must survive. */
let server: http.Server;
let base: URL;
const sockets = new Set<import('node:net').Socket>();

before(async () => {
  server = http.createServer((req, res) => {
    switch (req.url) {
      case '/ok':
        res.end('hello');
        return;
      case '/gzip': {
        const body = gzipSync(Buffer.from('compressed hello'));
        res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(body);
        return;
      }
      case '/bomb': {
        // 10 MiB of zeros gzip to about 10 KiB: small on the wire, too large once inflated.
        const body = gzipSync(Buffer.alloc(10 * 1024 * 1024));
        res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(body);
        return;
      }
      case '/big':
        res.end(Buffer.alloc(2 * 1024 * 1024, 'x'));
        return;
      case '/trickle': {
        // Headers at once, then a byte every 50 ms, forever: only an overall deadline ends it.
        res.writeHead(200);
        const t = setInterval(() => res.write('.'), 50);
        res.on('close', () => {
          clearInterval(t);
        });
        return;
      }
      case '/silent':
        return; // accepts, never answers
      case '/echo':
        req.on('data', () => {});
        req.on('end', () => {
          res.end(JSON.stringify({ method: req.method, auth: req.headers.authorization }));
        });
        return;
      case '/watch': {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"type":"ADDED"}\n');
        setTimeout(() => res.write('{"type":"MODIFIED"}\n'), 20);
        setTimeout(() => res.end('{"type":"DELETED"}\n'), 40);
        return;
      }
      case '/watch-stall':
        res.writeHead(200);
        res.write('{"type":"ADDED"}\n'); // then nothing
        return;
      case '/gone':
        res.writeHead(410, { 'Content-Type': 'application/json' }).end('{"reason":"Expired"}');
        return;
      default:
        res.writeHead(404).end();
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

after(() => {
  for (const s of sockets) s.destroy();
  server.close();
});

const opts = { timeoutMs: 1000, maxBytes: 1024 * 1024 };

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof HttpClientError, String(err));
    assert.equal(err.code, code);
    return true;
  });
}

describe('request', () => {
  it('returns status, headers and body', async () => {
    const res = await request(new URL('/ok', base), opts);
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), 'hello');
  });

  it('undoes gzip', async () => {
    const res = await request(new URL('/gzip', base), opts);
    assert.equal(res.body.toString(), 'compressed hello');
  });

  it('refuses a gzip bomb past the byte cap, without inflating it whole', async () => {
    await rejectsWith(request(new URL('/bomb', base), opts), 'E_TOO_LARGE');
  });

  it('cuts an answer larger than the cap', async () => {
    await rejectsWith(request(new URL('/big', base), opts), 'E_TOO_LARGE');
  });

  it('cuts at the overall deadline a body that trickles in', async () => {
    const t = performance.now();
    await rejectsWith(request(new URL('/trickle', base), { ...opts, timeoutMs: 300 }), 'ETIMEDOUT');
    const took = performance.now() - t;
    assert.ok(took >= 290 && took < 1000, `cut after ${took} ms`);
  });

  it('cuts a server that accepts and never answers', async () => {
    await rejectsWith(request(new URL('/silent', base), { ...opts, timeoutMs: 200 }), 'ETIMEDOUT');
  });

  it('sends a method, headers and a body', async () => {
    const res = await request(new URL('/echo', base), {
      ...opts,
      method: 'POST',
      headers: { Authorization: 'Bearer x' },
      body: '{}',
    });
    assert.deepEqual(JSON.parse(res.body.toString()), { method: 'POST', auth: 'Bearer x' });
  });

  it('passes a refused connection on with its code', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(request(new URL(`http://127.0.0.1:${port}/`), opts), {
      code: 'ECONNREFUSED',
    });
  });

  it('stops when its signal aborts', async () => {
    const ac = new AbortController();
    const p = request(new URL('/silent', base), { ...opts, timeoutMs: 5000, signal: ac.signal });
    setTimeout(() => {
      ac.abort();
    }, 50);
    await assert.rejects(p, { name: 'AbortError' });
  });
});

describe('streamRequest', () => {
  it('hands over chunks as they arrive and resolves at the end', async () => {
    let text = '';
    const refused = await streamRequest(
      new URL('/watch', base),
      { headersTimeoutMs: 500, idleTimeoutMs: 500 },
      (d) => (text += d.toString()),
    );
    assert.equal(refused, undefined);
    assert.equal(text.trim().split('\n').length, 3);
  });

  it('cuts a stream silent for longer than its idle timeout', async () => {
    let text = '';
    const t = performance.now();
    await rejectsWith(
      streamRequest(
        new URL('/watch-stall', base),
        { headersTimeoutMs: 500, idleTimeoutMs: 150 },
        (d) => (text += d.toString()),
      ),
      'ETIMEDOUT',
    );
    assert.ok(performance.now() - t >= 145);
    assert.equal(text, '{"type":"ADDED"}\n', 'what arrived before was handed over');
  });

  it('returns an answer that is not 2xx with the start of its body', async () => {
    const refused = await streamRequest(
      new URL('/gone', base),
      { headersTimeoutMs: 500, idleTimeoutMs: 500 },
      () => assert.fail('no data for a refusal'),
    );
    assert.equal(refused?.status, 410);
    assert.equal(refused.body.toString(), '{"reason":"Expired"}');
  });

  it('cuts a server that never sends headers', async () => {
    await rejectsWith(
      streamRequest(
        new URL('/silent', base),
        { headersTimeoutMs: 100, idleTimeoutMs: 5000 },
        () => {},
      ),
      'ETIMEDOUT',
    );
  });
});
