// End-to-end: TLS and basic auth from an exporter-toolkit web config file, checked with a plain
// HTTPS client and with a real Prometheus (with and without credentials).
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import bcrypt from 'bcryptjs';
import { stringify } from 'yaml';
import { startExporter } from '../harness/exporter.ts';
import { request } from '../harness/http.ts';
import { single, startPrometheus } from '../harness/prometheus.ts';
import { tempDir } from '../harness/tmp.ts';
import { selfSignedCert } from '../harness/tls.ts';

const USER = 'prometheus';
const PASSWORD = 'correct horse battery staple';

test('TLS and basic auth from --web.config.file', async (t) => {
  const dir = await tempDir(t);
  const { certFile } = selfSignedCert(dir); // the web config names cert.pem and key.pem relative to itself
  const ca = await readFile(certFile);

  const webConfigFile = join(dir, 'web.yml');
  await writeFile(
    webConfigFile,
    stringify({
      // relative paths are resolved against the web config file, as in exporter-toolkit
      tls_server_config: { cert_file: 'cert.pem', key_file: 'key.pem' },
      basic_auth_users: { [USER]: await bcrypt.hash(PASSWORD, 10) },
    }),
  );

  const exporter = await startExporter(t, { webConfigFile, ca });
  assert.match(exporter.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const metricsUrl = `${exporter.url}/metrics`;

  await t.test('anonymous request: 401 with a Basic challenge', async () => {
    const res = await request(metricsUrl, { ca });
    assert.equal(res.status, 401);
    assert.match(res.headers['www-authenticate'] ?? '', /^Basic realm=/);
    assert.ok(!res.text.includes('patrol_'), 'no metrics leak in the 401 body');
  });

  await t.test('wrong password: 401', async () => {
    const res = await request(metricsUrl, { ca, auth: { user: USER, password: 'wrong' } });
    assert.equal(res.status, 401);
    assert.ok(res.headers['www-authenticate']);
  });

  await t.test('wrong user: 401', async () => {
    const res = await request(metricsUrl, { ca, auth: { user: 'grafana', password: PASSWORD } });
    assert.equal(res.status, 401);
  });

  await t.test('other paths are protected too', async () => {
    for (const path of ['/', '/-/healthy', '/-/ready']) {
      const res = await request(exporter.url + path, { ca });
      assert.equal(res.status, 401, path);
    }
  });

  await t.test('right credentials: 200 with metrics', async () => {
    const res = await request(metricsUrl, { ca, auth: { user: USER, password: PASSWORD } });
    assert.equal(res.status, 200);
    assert.match(res.text, /^patrol_build_info\{/m);
    // again: served from the verified-credentials cache, same answer
    const again = await request(metricsUrl, { ca, auth: { user: USER, password: PASSWORD } });
    assert.equal(again.status, 200);
  });

  await t.test('a client that does not trust the certificate is refused by TLS', async () => {
    await assert.rejects(
      request(metricsUrl, { auth: { user: USER, password: PASSWORD } }),
      /self-signed|certificate/i,
    );
  });

  await t.test('plain HTTP to the TLS port gets no metrics', async (st) => {
    const plain = metricsUrl.replace(/^https:/, 'http:');
    // Node's TLS server drops a connection that does not start with a TLS handshake (Go's
    // answers 400); either way the request fails and no metrics are served.
    const outcome = await request(plain, {
      auth: { user: USER, password: PASSWORD },
      timeoutMs: 10_000,
    }).then(
      (res) => res,
      (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
    );
    if (!(outcome instanceof Error)) {
      assert.ok(outcome.status >= 400, `plain HTTP answered ${outcome.status}`);
      assert.ok(!outcome.text.includes('patrol_'), 'plain HTTP must not get metrics');
    }
    st.diagnostic(
      `plain HTTP to the TLS port: ${outcome instanceof Error ? outcome.message : `HTTP ${outcome.status}`}`,
    );
    // and the exporter keeps serving TLS afterwards
    const res = await request(metricsUrl, { ca, auth: { user: USER, password: PASSWORD } });
    assert.equal(res.status, 200);
  });

  await t.test(
    'Prometheus with scheme https, ca_file and basic_auth scrapes it; without credentials it gets 401',
    async () => {
      const tls = { ca_file: certFile };
      const targets = [{ targets: [exporter.target] }];
      const prom = await startPrometheus(t, {
        scrapeConfigs: [
          {
            job_name: 'patrol-auth',
            scheme: 'https',
            tls_config: tls,
            basic_auth: { username: USER, password: PASSWORD },
            static_configs: targets,
          },
          {
            job_name: 'patrol-anonymous',
            scheme: 'https',
            tls_config: tls,
            static_configs: targets,
          },
        ],
      });

      await prom.waitFor('up{job="patrol-auth"} == 1', async () => {
        const r = await prom.query('up{job="patrol-auth"}');
        return r.length === 1 && single(r) === 1;
      });
      const success = await prom.waitForQuery(
        'patrol_collector_success{job="patrol-auth",collector="filesystem"}',
      );
      assert.equal(single(success), 1);

      const anonymous = await prom.waitFor(
        'the anonymous target to be down with an error',
        async () => {
          const target = (await prom.targets()).find((x) => x.labels.job === 'patrol-anonymous');
          return target?.health === 'down' && target.lastError !== '' ? target : undefined;
        },
      );
      assert.match(anonymous.lastError, /401/);
      assert.equal(anonymous.scrapeUrl, metricsUrl);
      const up = await prom.waitForQuery('up{job="patrol-anonymous"}');
      assert.equal(single(up), 0);
      // nothing of ours was ingested for the anonymous job
      assert.deepEqual(await prom.query('patrol_build_info{job="patrol-anonymous"}'), []);

      await prom.stop();
    },
  );

  await exporter.stop();
});
