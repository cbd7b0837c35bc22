/**
 * The control plane's credentials: the certificates openssl makes (a self-signed CA, the API
 * server's serving certificate, the service-account keys), the static token file and the
 * kubeconfigs that use its tokens.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { run } from '../process.ts';

async function openssl(args: readonly string[], cwd: string): Promise<void> {
  const r = await run('openssl', args, { cwd, timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`openssl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
}

/** CA, API server serving certificate (127.0.0.1, localhost, kubernetes.default.svc...), SA keys. */
export async function makePki(pki: string): Promise<void> {
  await mkdir(pki, { mode: 0o700 });
  await Promise.all([
    openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=patrol-test-ca',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
        '-keyout',
        'ca.key',
        '-out',
        'ca.crt',
      ],
      pki,
    ),
    openssl(['genrsa', '-out', 'sa.key', '2048'], pki).then(() =>
      openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], pki),
    ),
    openssl(
      [
        'req',
        '-new',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=kube-apiserver',
        '-keyout',
        'apiserver.key',
        '-out',
        'apiserver.csr',
      ],
      pki,
    ),
  ]);
  await writeFile(
    join(pki, 'apiserver.ext'),
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local',
      '',
    ].join('\n'),
  );
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      'apiserver.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-set_serial',
      `0x${randomBytes(8).toString('hex')}`,
      '-days',
      '2',
      '-extfile',
      'apiserver.ext',
      '-out',
      'apiserver.crt',
    ],
    pki,
  );
}

/** `n` random bytes as hex: tokens, container ids. */
export function hex(n: number): string {
  return randomBytes(n).toString('hex');
}

/**
 * The API server's static token file (--token-auth-file): one line per user, "admin" (group
 * system:masters) first. set() and delete() change the lines, write() writes the file.
 */
export function staticTokens(file: string, adminToken: string) {
  /** user -> token line of the token file, admin first. */
  const users = new Map<string, string>([['admin', `${adminToken},admin,admin,"system:masters"`]]);
  return {
    write: () => writeFile(file, [...users.values(), ''].join('\n'), { mode: 0o600 }),
    set(name: string, token: string, groups: readonly string[]) {
      users.set(
        name,
        `${token},${name},${name}${groups.length === 0 ? '' : `,"${groups.join(',')}"`}`,
      );
    },
    delete: (name: string) => users.delete(name),
  };
}

/**
 * Writes a kubeconfig for `token` (token auth, the CA file, cluster/context "local"); returns
 * its path.
 */
export async function writeKubeconfigFile(
  file: string,
  o: { server: string; caFile: string; user: string; token: string },
): Promise<string> {
  const { server, caFile, user, token } = o;
  await writeFile(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'local', cluster: { server, 'certificate-authority': caFile } }],
      users: [{ name: user, user: { token } }],
      contexts: [{ name: 'local', context: { cluster: 'local', user } }],
      'current-context': 'local',
    }),
    { mode: 0o600 },
  );
  return file;
}
