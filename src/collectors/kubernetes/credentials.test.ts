import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { kubernetesConfig } from './config.ts';
import { inClusterProblem, loadCredentials, SERVICE_ACCOUNT_TOKEN } from './credentials.ts';
import { readKubeconfig } from './kubeconfig.ts';

const dir = mkdtempSync(join(tmpdir(), 'patrol-kubeconfig-'));
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

const kubeconfig = (user: object, cluster: object = { 'certificate-authority': 'ca.crt' }) => `
apiVersion: v1
kind: Config
current-context: dciuap03
clusters:
  - name: iuap
    cluster: ${JSON.stringify({ server: 'https://10.0.0.3:6443', ...cluster })}
users:
  - name: patrol
    user: ${JSON.stringify(user)}
contexts:
  - name: dciuap03
    context: { cluster: iuap, user: patrol, namespace: product }
  - name: broken
    context: { cluster: nowhere, user: patrol }
`;

function write(name: string, text: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, text, { mode });
  chmodSync(path, mode);
  return path;
}

write('ca.crt', CA);

const load = (file: string, context?: string) =>
  loadCredentials(
    kubernetesConfig.parse({ kubeconfig: file, ...(context === undefined ? {} : { context }) }),
  );

describe('kubeconfig', () => {
  it('resolves the context, relative files against its own directory, and a static token', async () => {
    const c = load(write('token.yaml', kubeconfig({ token: 'abc123' })));
    assert.equal(c.server.href, 'https://10.0.0.3:6443/');
    assert.deepEqual(await c.headers(), { Authorization: 'Bearer abc123' });
    assert.equal(c.tls.ca?.toString(), CA);
    assert.equal(c.tls.rejectUnauthorized, true);
  });

  it('reads a token file again when it is rotated (at once after a 401), newline trimmed', async () => {
    const tokenFile = write('sa-token', 'first-token\n');
    const c = load(write('tokenfile.yaml', kubeconfig({ tokenFile: 'sa-token' })));
    assert.deepEqual(await c.headers(), { Authorization: 'Bearer first-token' });
    writeFileSync(tokenFile, 'second-token\n');
    assert.deepEqual(await c.headers(), { Authorization: 'Bearer first-token' }, 'cached a while');
    c.invalidate();
    assert.deepEqual(await c.headers(), { Authorization: 'Bearer second-token' });
  });

  it('takes client certificates as data, basic auth, and insecure-skip-tls-verify', async () => {
    const data = (s: string) => Buffer.from(s).toString('base64');
    const c = load(
      write(
        'certs.yaml',
        kubeconfig(
          {
            'client-certificate-data': data('CERT'),
            'client-key-data': data('KEY'),
            username: 'u',
            password: 'p',
          },
          { 'insecure-skip-tls-verify': true, 'tls-server-name': 'kubernetes' },
        ),
      ),
    );
    assert.equal(c.tls.cert?.toString(), 'CERT');
    assert.equal(c.tls.key?.toString(), 'KEY');
    assert.equal(c.tls.rejectUnauthorized, false);
    assert.equal(c.tls.servername, 'kubernetes');
    assert.deepEqual(await c.headers(), { Authorization: `Basic ${data('u:p')}` });
  });

  it('runs an exec credential plugin (a real process) and keeps its token until it expires', async () => {
    const calls = join(dir, 'calls');
    const plugin = write(
      'plugin.sh',
      `#!/bin/sh\necho call >> ${calls}\necho '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"from-plugin-'"$PLUGIN_ARG"'"}}'\n`,
      0o700,
    );
    const c = load(
      write(
        'exec.yaml',
        kubeconfig({
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: plugin,
            env: [{ name: 'PLUGIN_ARG', value: 'x' }],
          },
        }),
      ),
    );
    assert.deepEqual(await c.headers(), { Authorization: 'Bearer from-plugin-x' });
    await c.headers();
    assert.equal(readFileSync(calls, 'utf8'), 'call\n', 'called once');
    c.invalidate();
    await c.headers();
    assert.equal(readFileSync(calls, 'utf8'), 'call\ncall\n', 'again after a 401');
  });

  it('names the file and the reason of what it cannot use', () => {
    assert.throws(() => load(join(dir, 'absent.yaml')), /cannot read kubeconfig .*absent\.yaml/);
    assert.throws(
      () => load(write('ctx.yaml', kubeconfig({ token: 'x' })), 'other'),
      /no context other/,
    );
    assert.throws(
      () => load(write('broken.yaml', kubeconfig({ token: 'x' })), 'broken'),
      /names cluster "nowhere"/,
    );
    assert.throws(
      () => load(write('oidc.yaml', kubeconfig({ 'auth-provider': { name: 'oidc' } }))),
      /auth-provider plugin \(oidc\), which patrol does not run/,
    );
    assert.throws(() => readKubeconfig(': [', '/x.yaml'), /\/x\.yaml: not YAML/);
    assert.throws(
      () =>
        load(
          write(
            'noca.yaml',
            kubeconfig({ token: 'x' }, { 'certificate-authority': 'missing.crt' }),
          ),
        ),
      /cannot read its certificate authority .*missing\.crt/,
    );
  });
});

describe('in-cluster credentials', () => {
  it('are there only in a pod with a mounted service account token', () => {
    const tokenExists = (p: string) => p === SERVICE_ACCOUNT_TOKEN;
    assert.match(inClusterProblem({ env: {}, tokenExists }) ?? '', /not in a pod/);
    const inPod = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };
    assert.equal(inClusterProblem({ env: inPod, tokenExists }), undefined);
    assert.match(
      inClusterProblem({ env: inPod, tokenExists: () => false }) ?? '',
      /automountServiceAccountToken/,
    );
  });
});
