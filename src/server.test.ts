import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { silentLogger } from './core/logger.ts';
import { RouteTable } from './core/routes.ts';
import { startServer, type RunningServer, type ServerOptions } from './server.ts';
import { NO_WEB_CONFIG } from './webconfig.ts';
import { selfSignedCert } from '../test/harness/tls.ts';

const servers: RunningServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(overrides: Partial<ServerOptions>): Promise<RunningServer> {
  const s = await startServer({
    host: '127.0.0.1',
    port: 0,
    telemetryPath: '/metrics',
    maxRequests: 40,
    webConfig: NO_WEB_CONFIG,
    logger: silentLogger,
    version: 'test',
    readiness: () => ({ ready: true, waiting: [] }),
    scrape: (ct) => Promise.resolve(`# content type ${ct}\nup 1\n`.padEnd(4096, ' ')),
    ...overrides,
  });
  servers.push(s);
  return s;
}

describe('HTTP server', () => {
  it('serves metrics, landing page, health and readiness; 404 elsewhere', async () => {
    let ready = false;
    const s = await serve({
      telemetryPath: '/custom',
      readiness: () => ({ ready, waiting: ready ? [] : ['kubernetes'] }),
    });
    const metrics = await fetch(`${s.url}/custom`);
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const landing = await (await fetch(`${s.url}/`)).text();
    assert.match(landing, /href="\/custom"/);
    assert.equal((await fetch(`${s.url}/-/healthy`)).status, 200);
    const notReady = await fetch(`${s.url}/-/ready`);
    assert.equal(notReady.status, 503);
    assert.equal(await notReady.text(), 'Not ready: waiting for kubernetes\n');
    ready = true;
    assert.equal((await fetch(`${s.url}/-/ready`)).status, 200);
    assert.equal((await fetch(`${s.url}/metrics`)).status, 404);
  });

  it('negotiates OpenMetrics and gzip', async () => {
    const s = await serve({});
    const om = await fetch(`${s.url}/metrics`, {
      headers: { accept: 'application/openmetrics-text;version=1.0.0,text/plain;q=0.5' },
    });
    assert.match(
      om.headers.get('content-type') ?? '',
      /^application\/openmetrics-text; version=1\.0\.0/,
    );
    assert.match(await om.text(), /content type application\/openmetrics-text/);
    // node's fetch decodes gzip itself, so ask with a raw request
    const { request } = await import('node:http');
    const body = await new Promise<{ enc: string | undefined; data: Buffer }>((resolve, reject) => {
      request(`${s.url}/metrics`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({ enc: res.headers['content-encoding'], data: Buffer.concat(chunks) });
        });
      })
        .on('error', reject)
        .end();
    });
    assert.equal(body.enc, 'gzip');
    assert.match(gunzipSync(body.data).toString(), /^# content type text\/plain/);
  });

  it('answers 503 beyond --web.max-requests scrapes in flight', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const s = await serve({
      maxRequests: 1,
      scrape: async () => {
        await gate;
        return 'up 1\n';
      },
    });
    const first = fetch(`${s.url}/metrics`);
    await new Promise((r) => setTimeout(r, 50));
    const second = await fetch(`${s.url}/metrics`);
    assert.equal(second.status, 503);
    release();
    assert.equal((await first).status, 200);
    assert.equal((await fetch(`${s.url}/metrics`)).status, 200, 'the slot is free again');
  });

  it('a failing scrape is a 500 with the reason, and the server keeps serving', async () => {
    let fail = true;
    const s = await serve({
      scrape: () => (fail ? Promise.reject(new Error('render failed')) : Promise.resolve('up 1\n')),
    });
    const res = await fetch(`${s.url}/metrics`);
    assert.equal(res.status, 500);
    assert.match(await res.text(), /render failed/);
    fail = false;
    assert.equal((await fetch(`${s.url}/metrics`)).status, 200);
  });

  it("serves collectors' routes; one that checks its callers itself is not behind basic auth", async () => {
    const routes = new RouteTable();
    const removeOwn = routes.add('/ha/heartbeat', () => ({ status: 200, body: '{"ok":1}' }), {
      ownAuth: true,
    });
    routes.add('/other', () => {
      throw new Error('boom');
    });
    const users = new Map([['prom', bcrypt.hashSync('s3cret', 4)]]);
    const s = await serve({ webConfig: { ...NO_WEB_CONFIG, users }, routes });
    const hb = await fetch(`${s.url}/ha/heartbeat`);
    assert.equal(hb.status, 200);
    assert.equal(hb.headers.get('content-type'), 'application/json');
    assert.equal(await hb.text(), '{"ok":1}');
    assert.equal((await fetch(`${s.url}/other`)).status, 401, 'other routes keep basic auth');
    const auth = { authorization: `Basic ${Buffer.from('prom:s3cret').toString('base64')}` };
    assert.equal((await fetch(`${s.url}/other`, { headers: auth })).status, 500);
    removeOwn();
    assert.equal((await fetch(`${s.url}/ha/heartbeat`, { headers: auth })).status, 404);
  });

  it('basic auth: 401 for missing, wrong user and wrong password; 200 for the right ones, on every path', async () => {
    const users = new Map([['prom', bcrypt.hashSync('s3cret', 4)]]);
    const s = await serve({ webConfig: { ...NO_WEB_CONFIG, users } });
    const auth = (u: string, p: string) => ({
      authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`,
    });
    const anon = await fetch(`${s.url}/metrics`);
    assert.equal(anon.status, 401);
    assert.match(anon.headers.get('www-authenticate') ?? '', /^Basic/);
    assert.equal((await fetch(`${s.url}/metrics`, { headers: auth('prom', 'nope') })).status, 401);
    assert.equal(
      (await fetch(`${s.url}/metrics`, { headers: auth('ghost', 's3cret') })).status,
      401,
    );
    assert.equal((await fetch(`${s.url}/`)).status, 401);
    assert.equal(
      (await fetch(`${s.url}/metrics`, { headers: auth('prom', 's3cret') })).status,
      200,
    );
    s.updateWebConfig({ ...NO_WEB_CONFIG, users: new Map([['other', bcrypt.hashSync('x', 4)]]) });
    assert.equal(
      (await fetch(`${s.url}/metrics`, { headers: auth('prom', 's3cret') })).status,
      401,
      'reloaded users apply',
    );
  });

  it('refuses a live change of client_auth_type (it needs a restart) and keeps serving', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'patrol-tls-'));
    t.after(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    const { certFile, keyFile } = selfSignedCert(dir);
    const tls = {
      cert: readFileSync(certFile),
      key: readFileSync(keyFile),
      ca: undefined,
      requestCert: false,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
      clientAuthType: 'NoClientCert',
    } as const;
    const s = await serve({ webConfig: { ...NO_WEB_CONFIG, tls } });
    assert.throws(() => {
      s.updateWebConfig({
        ...NO_WEB_CONFIG,
        tls: {
          ...tls,
          requestCert: true,
          rejectUnauthorized: true,
          clientAuthType: 'RequireAndVerifyClientCert',
        },
      });
    }, /client_auth_type needs a restart/);
    assert.throws(() => {
      s.updateWebConfig(NO_WEB_CONFIG);
    }, /turning TLS on or off needs a restart/);
    s.updateWebConfig({ ...NO_WEB_CONFIG, tls }); // new certificates: applied live
  });

  it('sets configured response headers', async () => {
    const s = await serve({
      webConfig: { ...NO_WEB_CONFIG, headers: { 'X-Frame-Options': 'deny' } },
    });
    assert.equal((await fetch(`${s.url}/`)).headers.get('x-frame-options'), 'deny');
  });
});
