import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { ConfigError } from './config/load.ts';
import { BasicAuth, loadWebConfig, parseBasicAuth } from './webconfig.ts';

async function webConfigFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'patrol-web-'));
  const path = join(dir, 'web.yml');
  await writeFile(path, text);
  return path;
}

async function problems(text: string): Promise<readonly string[]> {
  const err = await loadWebConfig(await webConfigFile(text)).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
  return err.problems;
}

describe('web config', () => {
  it('absent means plain HTTP without auth', async () => {
    const wc = await loadWebConfig(undefined);
    assert.equal(wc.tls, undefined);
    assert.equal(wc.users, undefined);
  });

  it('rejects unknown keys, bad hashes and missing files with their path', async () => {
    assert.deepEqual(await problems('basic_auth_user: {}\n'), [
      'basic_auth_user: unknown key (did you mean "basic_auth_users"?)',
    ]);
    assert.match(
      (await problems('basic_auth_users: {admin: plaintext}\n'))[0] ?? '',
      /^basic_auth_users\.admin: must be a bcrypt hash/,
    );
    assert.match(
      (
        await problems(
          'tls_server_config: {cert_file: /nonexistent.crt, key_file: /nonexistent.key}\n',
        )
      )[0] ?? '',
      /^tls_server_config\.cert_file: cannot read/,
    );
    assert.match(
      (
        await problems(
          'tls_server_config: {cert_file: a, key_file: b, client_auth_type: RequireAndVerifyClientCert}\n',
        )
      )[0] ?? '',
      /^tls_server_config\.client_ca_file: client_ca_file is required/,
    );
    assert.match(
      (await problems('tls_server_config: {cert_file: a, key_file: b, min_version: TLS9}\n'))[0] ??
        '',
      /^tls_server_config\.min_version: /,
    );
  });

  it('checks passwords without telling which users exist', async () => {
    const hash = bcrypt.hashSync('secret', 4).replace('$2b$', '$2y$'); // htpasswd writes $2y$
    const auth = new BasicAuth(new Map([['prometheus', hash]]));
    assert.equal(await auth.check('prometheus', 'secret'), 'ok');
    assert.equal(await auth.check('prometheus', 'secret'), 'ok', 'cached success');
    assert.equal(await auth.check('prometheus', 'wrong'), 'denied');
    assert.equal(await auth.check('nobody', 'secret'), 'denied');
  });

  it('checks unknown users at the cost of the configured hashes', async () => {
    const auth = new BasicAuth(new Map([['u', bcrypt.hashSync('pw', 8)]]));
    const time = async (user: string) => {
      const started = performance.now();
      await auth.check(user, 'bad');
      return performance.now() - started;
    };
    await time('ghost'); // the decoy hash is made on first use
    const known = await time('u');
    const unknown = await time('ghost');
    // cost 8 vs the old fixed cost 10 would be a 4x difference; allow noise, catch that
    assert.ok(
      unknown < known * 3 && known < unknown * 3,
      `known ${known} ms, unknown ${unknown} ms`,
    );
  });

  it('turns away credential checks beyond the concurrency limit', async () => {
    const auth = new BasicAuth(new Map([['u', bcrypt.hashSync('pw', 8)]]));
    const results = await Promise.all(
      Array.from({ length: BasicAuth.MAX_CHECKS + 3 }, () => auth.check('u', 'bad')),
    );
    assert.equal(results.filter((r) => r === 'denied').length, BasicAuth.MAX_CHECKS);
    assert.equal(results.filter((r) => r === 'busy').length, 3);
    assert.equal(await auth.check('u', 'pw'), 'ok', 'free again afterwards');
  });

  it('allows only the response headers exporter-toolkit allows, without line breaks', async () => {
    assert.match(
      (await problems('http_server_config: {headers: {"X Bad": v}}\n'))[0] ?? '',
      /^http_server_config\.headers/,
    );
    assert.match(
      (await problems('http_server_config: {headers: {X-Frame-Options: "deny\\r\\nX: y"}}\n'))[0] ??
        '',
      /^http_server_config\.headers\.X-Frame-Options: a header value must not contain a line break/,
    );
    const wc = await loadWebConfig(
      await webConfigFile('http_server_config: {headers: {X-Frame-Options: deny}}\n'),
    );
    assert.deepEqual(wc.headers, { 'X-Frame-Options': 'deny' });
  });

  it('parses Basic authorization headers', () => {
    const header = `Basic ${Buffer.from('user:pa:ss').toString('base64')}`;
    assert.deepEqual(parseBasicAuth(header), { user: 'user', password: 'pa:ss' });
    assert.equal(parseBasicAuth('Bearer abc'), undefined);
    assert.equal(parseBasicAuth(undefined), undefined);
    assert.equal(parseBasicAuth(`Basic ${Buffer.from('nocolon').toString('base64')}`), undefined);
  });
});
