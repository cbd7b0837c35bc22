// The probes collector against a real nginx (Debian's), a silent socket and a refused port:
// what each probe reports, compared with what curl and openssl say of the same server.
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseStubStatus } from '../../../src/collectors/probes/stub-status.ts';
import { freePort } from '../../harness/http.ts';
import { startNginx, type Nginx } from '../../harness/nginx.ts';
import { failureReason, probeOnce, probeValue } from '../../harness/probes.ts';
import { run, suiteScope } from '../../harness/process.ts';

describe('probes against a real nginx', () => {
  const scope = suiteScope();
  let nginx: Nginx;
  let silent: Server;
  let silentPort: number;
  const held = new Set<Socket>();

  before(async () => {
    nginx = await startNginx(scope);
    // A server that accepts and never says a word: the probe must end at its deadline.
    silent = createServer((s) => {
      held.add(s);
      s.resume();
      s.on('close', () => held.delete(s));
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentPort = (silent.address() as { port: number }).port;
  });

  after(async () => {
    for (const s of held) s.destroy();
    await new Promise<void>((r) =>
      silent.close(() => {
        r();
      }),
    );
    await scope.close();
  });

  it('a healthy page: success, status 200, every phase of the module present', async () => {
    const url = `http://127.0.0.1:${nginx.http}/health`;
    const s = await probeOnce([{ name: 'nginx', module: 'http', target: url, body_regex: '^ok' }]);
    const l = { probe: 'nginx', module: 'http', target: url };
    assert.equal(probeValue(s, 'success', l), 1);
    assert.equal(failureReason(s, 'nginx'), 'none');
    assert.equal(probeValue(s, 'http_status_code', l), 200);
    assert.equal(probeValue(s, 'stuck', l), 0);
    for (const phase of ['resolve', 'connect', 'tls', 'processing', 'transfer']) {
      assert.ok(probeValue(s, 'phase_duration_seconds', { ...l, phase }) >= 0);
    }
    assert.ok(probeValue(s, 'phase_duration_seconds', { ...l, phase: 'connect' }) > 0);
    assert.ok(probeValue(s, 'phase_duration_seconds', { ...l, phase: 'processing' }) > 0);
    assert.equal(
      probeValue(s, 'phase_duration_seconds', { ...l, phase: 'tls' }),
      0,
      'no TLS on http',
    );
    const total = probeValue(s, 'duration_seconds', l);
    assert.ok(total > 0 && total < 1, `duration ${total}`);
  });

  it('stub_status: the counts curl sees, plus the probe itself', async () => {
    const url = `http://127.0.0.1:${nginx.http}/stub_status`;
    const curl = await run('curl', ['-sf', url]);
    assert.equal(curl.code, 0, curl.stderr);
    const before = parseStubStatus(curl.stdout);
    assert.ok(before !== undefined, curl.stdout);
    const s = await probeOnce([{ name: 'stub', module: 'http', target: url, stub_status: true }]);
    const l = { probe: 'stub', module: 'http', target: url };
    assert.equal(probeValue(s, 'success', l), 1);
    // Only this test talks to this nginx: the probe's connection and request are the next ones.
    assert.equal(probeValue(s, 'nginx_connections_accepted_total', l), before.accepted + 1);
    assert.equal(probeValue(s, 'nginx_connections_handled_total', l), before.handled + 1);
    assert.equal(probeValue(s, 'nginx_http_requests_total', l), before.requests + 1);
    assert.equal(
      probeValue(s, 'nginx_connections', { ...l, state: 'writing' }),
      1,
      'the probe itself',
    );
    assert.equal(probeValue(s, 'nginx_connections', { ...l, state: 'active' }), 1);
  });

  it('a 503 is unexpected_status with its code; a page that is not stub_status is protocol', async () => {
    const fail = `http://127.0.0.1:${nginx.http}/fail`;
    const health = `http://127.0.0.1:${nginx.http}/health`;
    const s = await probeOnce([
      { name: 'fail', module: 'http', target: fail },
      { name: 'accepts-503', module: 'http', target: fail, valid_status_codes: [503] },
      { name: 'not-stub', module: 'http', target: health, stub_status: true },
      { name: 'unwanted-body', module: 'http', target: health, body_not_regex: 'ok' },
    ]);
    assert.equal(probeValue(s, 'success', { probe: 'fail' }), 0);
    assert.equal(failureReason(s, 'fail'), 'unexpected_status');
    assert.equal(probeValue(s, 'http_status_code', { probe: 'fail' }), 503);
    assert.equal(probeValue(s, 'success', { probe: 'accepts-503' }), 1);
    assert.equal(failureReason(s, 'not-stub'), 'protocol');
    assert.equal(s.get('patrol_probe_nginx_http_requests_total', { probe: 'not-stub' }), undefined);
    assert.equal(failureReason(s, 'unwanted-body'), 'protocol');
  });

  it('redirects are followed (and counted), a loop is cut at 10, or left alone when asked', async () => {
    const base = `http://127.0.0.1:${nginx.http}`;
    const s = await probeOnce([
      { name: 'redirect', module: 'http', target: `${base}/redirect` },
      { name: 'loop', module: 'http', target: `${base}/loop` },
      {
        name: 'no-follow',
        module: 'http',
        target: `${base}/redirect`,
        follow_redirects: false,
        valid_status_codes: [302],
      },
    ]);
    assert.equal(probeValue(s, 'success', { probe: 'redirect' }), 1);
    assert.equal(probeValue(s, 'http_redirects', { probe: 'redirect' }), 1);
    assert.equal(probeValue(s, 'http_status_code', { probe: 'redirect' }), 200);
    assert.equal(failureReason(s, 'loop'), 'protocol');
    assert.equal(probeValue(s, 'http_redirects', { probe: 'loop' }), 10);
    assert.equal(probeValue(s, 'success', { probe: 'no-follow' }), 1);
    assert.equal(probeValue(s, 'http_status_code', { probe: 'no-follow' }), 302);
  });

  it('basic auth from a secret file; without it nginx says 401', async () => {
    const pw = join(nginx.dir, 'probe.pw');
    writeFileSync(pw, 's3cret\n');
    chmodSync(pw, 0o600);
    const wrong = join(nginx.dir, 'wrong.pw');
    writeFileSync(wrong, 'nope\n');
    chmodSync(wrong, 0o600);
    const url = `http://127.0.0.1:${nginx.http}/secret`;
    const s = await probeOnce([
      { name: 'anon', module: 'http', target: url },
      {
        name: 'auth',
        module: 'http',
        target: url,
        body_regex: 'secret ok',
        basic_auth: { username: 'probe', password_file: pw },
      },
      {
        name: 'wrong',
        module: 'http',
        target: url,
        basic_auth: { username: 'probe', password_file: wrong },
      },
    ]);
    assert.equal(probeValue(s, 'http_status_code', { probe: 'anon' }), 401);
    assert.equal(failureReason(s, 'anon'), 'unexpected_status');
    assert.equal(probeValue(s, 'success', { probe: 'auth' }), 1);
    assert.equal(probeValue(s, 'http_status_code', { probe: 'wrong' }), 401);
  });

  it('TLS: verified with the CA, expiry as openssl reads it; unverified without it, expiry still there', async () => {
    const url = `https://127.0.0.1:${nginx.tls}/`;
    const s = await probeOnce([
      { name: 'tls', module: 'http', target: url, tls_config: { ca_file: nginx.caFile } },
      { name: 'tls-system-cas', module: 'http', target: url },
    ]);
    const l = { probe: 'tls' };
    assert.equal(probeValue(s, 'success', l), 1);
    assert.equal(probeValue(s, 'tls_verified', l), 1);
    assert.equal(
      probeValue(s, 'tls_cert_not_after_timestamp_seconds', { ...l, cert: 'leaf' }),
      nginx.validNotAfter,
    );
    assert.equal(
      probeValue(s, 'tls_cert_not_after_timestamp_seconds', { ...l, cert: 'earliest' }),
      nginx.validNotAfter,
    );
    // The version openssl's own client agrees on with this nginx (Debian's 1.22 offers up to
    // TLS 1.2 unless configured otherwise).
    const brief = await run(
      'openssl',
      ['s_client', '-connect', `127.0.0.1:${nginx.tls}`, '-brief'],
      { input: '' },
    );
    const protocol = /Protocol version: TLSv(\S+)/.exec(brief.stdout + brief.stderr)?.[1];
    assert.ok(protocol !== undefined, brief.stderr);
    assert.equal(probeValue(s, 'tls_version_info', { ...l, version: `TLS ${protocol}` }), 1);
    assert.ok(probeValue(s, 'phase_duration_seconds', { ...l, phase: 'tls' }) > 0);
    const u = { probe: 'tls-system-cas' };
    assert.equal(probeValue(s, 'success', u), 0);
    assert.equal(failureReason(s, 'tls-system-cas'), 'tls');
    assert.equal(probeValue(s, 'tls_verified', u), 0);
    assert.equal(
      probeValue(s, 'http_status_code', u),
      0,
      'nothing was sent to an unverified server',
    );
    assert.equal(
      probeValue(s, 'tls_cert_not_after_timestamp_seconds', { ...u, cert: 'leaf' }),
      nginx.validNotAfter,
    );
  });

  it('an expired certificate: failure tls, tls_verified 0, and its expiry exported (2020-02-01)', async () => {
    const url = `https://127.0.0.1:${nginx.expired}/`;
    const tcpTarget = `127.0.0.1:${nginx.expired}`;
    const s = await probeOnce([
      { name: 'expired', module: 'http', target: url, tls_config: { ca_file: nginx.caFile } },
      {
        name: 'expired-tcp',
        module: 'tcp',
        target: tcpTarget,
        tls: true,
        tls_config: { ca_file: nginx.caFile },
      },
      {
        name: 'expired-accepted',
        module: 'http',
        target: url,
        tls_config: { ca_file: nginx.caFile, insecure_skip_verify: true },
      },
    ]);
    assert.equal(nginx.expiredNotAfter, Date.UTC(2020, 1, 1) / 1000);
    for (const probe of ['expired', 'expired-tcp']) {
      assert.equal(probeValue(s, 'success', { probe }), 0);
      assert.equal(failureReason(s, probe), 'tls');
      assert.equal(probeValue(s, 'tls_verified', { probe }), 0);
      assert.equal(
        probeValue(s, 'tls_cert_not_after_timestamp_seconds', { probe, cert: 'leaf' }),
        nginx.expiredNotAfter,
      );
    }
    assert.equal(probeValue(s, 'success', { probe: 'expired-accepted' }), 1);
    assert.equal(probeValue(s, 'tls_verified', { probe: 'expired-accepted' }), 0);
    assert.equal(probeValue(s, 'http_status_code', { probe: 'expired-accepted' }), 200);
  });

  it('tcp: connect, TLS, and a line protocol by query_response', async () => {
    const s = await probeOnce([
      { name: 'port', module: 'tcp', target: `127.0.0.1:${nginx.http}` },
      {
        name: 'tls-port',
        module: 'tcp',
        target: `localhost:${nginx.tls}`,
        tls: true,
        tls_config: { ca_file: nginx.caFile },
      },
      {
        name: 'talk',
        module: 'tcp',
        target: `127.0.0.1:${nginx.http}`,
        query_response: [
          { send: 'GET /health HTTP/1.0\r\n\r\n' },
          { expect: '^HTTP/1\\.1 200 OK' },
          { expect: '^ok$' },
        ],
      },
      {
        name: 'talk-wrong',
        module: 'tcp',
        target: `127.0.0.1:${nginx.http}`,
        query_response: [{ send: 'GET /fail HTTP/1.0\r\n\r\n' }, { expect: '^HTTP/1\\.1 200 OK' }],
      },
    ]);
    assert.equal(probeValue(s, 'success', { probe: 'port' }), 1);
    assert.equal(probeValue(s, 'success', { probe: 'tls-port' }), 1);
    assert.equal(probeValue(s, 'tls_verified', { probe: 'tls-port' }), 1);
    assert.ok(
      probeValue(s, 'phase_duration_seconds', { probe: 'tls-port', phase: 'resolve' }) > 0,
      'localhost was resolved',
    );
    assert.equal(probeValue(s, 'success', { probe: 'talk' }), 1);
    assert.ok(probeValue(s, 'phase_duration_seconds', { probe: 'talk', phase: 'processing' }) > 0);
    assert.equal(failureReason(s, 'talk-wrong'), 'protocol');
  });

  it('refused, unresolvable and silent targets are 0 with their reason, within their deadline', async () => {
    const closed = await freePort();
    const t0 = performance.now();
    const s = await probeOnce([
      { name: 'refused', module: 'tcp', target: `127.0.0.1:${closed}` },
      { name: 'refused-http', module: 'http', target: `http://127.0.0.1:${closed}/` },
      { name: 'nxdomain', module: 'http', target: 'http://no-such-host.invalid/' },
      {
        name: 'silent',
        module: 'http',
        target: `http://127.0.0.1:${silentPort}/`,
        timeout: '500ms',
      },
      {
        name: 'silent-tls',
        module: 'tcp',
        target: `127.0.0.1:${silentPort}`,
        tls: true,
        timeout: '500ms',
      },
      {
        name: 'silent-expect',
        module: 'tcp',
        target: `127.0.0.1:${silentPort}`,
        timeout: '500ms',
        query_response: [{ expect: '^220 ' }],
      },
    ]);
    const took = performance.now() - t0;
    assert.ok(took < 4000, `all within their deadlines (took ${took} ms)`);
    assert.equal(failureReason(s, 'refused'), 'refused');
    assert.equal(failureReason(s, 'refused-http'), 'refused');
    assert.equal(probeValue(s, 'http_status_code', { probe: 'refused-http' }), 0);
    assert.equal(failureReason(s, 'nxdomain'), 'dns');
    for (const probe of ['silent', 'silent-tls', 'silent-expect']) {
      assert.equal(probeValue(s, 'success', { probe }), 0);
      assert.equal(failureReason(s, probe), 'timeout');
      const d = probeValue(s, 'duration_seconds', { probe });
      assert.ok(d >= 0.45 && d < 2, `${probe} cut at its deadline (${d} s)`);
    }
    assert.equal(probeValue(s, 'tls_verified', { probe: 'silent-tls' }), 0);
    assert.ok(
      probeValue(s, 'phase_duration_seconds', { probe: 'silent', phase: 'processing' }) > 0.4,
    );
    // The connections the probes opened were destroyed when they were cut.
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(held.size, 0, 'no connection left open');
  });

  it('nginx stopped: the next probe is refused', async () => {
    const url = `http://127.0.0.1:${nginx.http}/health`;
    await nginx.proc.terminate();
    const s = await probeOnce([{ name: 'gone', module: 'http', target: url }]);
    assert.equal(probeValue(s, 'success', { probe: 'gone' }), 0);
    assert.equal(failureReason(s, 'gone'), 'refused');
  });
});
