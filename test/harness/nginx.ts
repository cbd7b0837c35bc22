import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, request } from './http.ts';
import { ManagedProcess, run, type Scope } from './process.ts';
import { tempDir } from './tmp.ts';
import { waitFor } from './wait.ts';

/**
 * A real nginx (Debian's) on 127.0.0.1, in the shape of ../shared/recipes/middleware/nginx-up.sh:
 * - `http`: /stub_status, /health (200 "ok"), /fail (503), /redirect (302 to /health), /loop
 *   (302 to itself), /secret (a file behind basic auth, user `probe`, password `s3cret`),
 *   /slow (3,000 bytes sent at 1,000 a second);
 * - `tls`: a certificate valid 2 days for localhost and 127.0.0.1, from the test CA `caFile`;
 * - `expired`: a certificate from the same CA that expired on 2020-02-01.
 * It runs in the foreground (`daemon off`) so the test owns the process.
 */
export interface Nginx {
  readonly proc: ManagedProcess;
  readonly dir: string;
  readonly http: number;
  readonly tls: number;
  readonly expired: number;
  /** The CA both certificates are issued by. */
  readonly caFile: string;
  /** notAfter of the valid and the expired certificate, Unix seconds, as openssl reads them. */
  readonly validNotAfter: number;
  readonly expiredNotAfter: number;
}

const NGINX = process.env.PATROL_NGINX ?? '/usr/sbin/nginx';

export async function startNginx(scope: Scope): Promise<Nginx> {
  const dir = await tempDir(scope, 'patrol-nginx-');
  await mkdir(join(dir, 'tmp'));
  await mkdir(join(dir, 'ca'));
  const ca = join(dir, 'ca');
  const ssl = async (...args: string[]) => {
    const r = await run('openssl', args, { cwd: dir });
    if (r.code !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  await ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca/ca.key',
    '-out',
    'ca/ca.crt',
    '-days',
    '3650',
    '-subj',
    '/CN=patrol-test-ca',
  );
  await writeFile(join(ca, 'index.txt'), '');
  await writeFile(join(ca, 'index.txt.attr'), 'unique_subject = no\n');
  await writeFile(join(ca, 'serial'), '01\n');
  await writeFile(
    join(ca, 'ca.cnf'),
    `[ca]\ndefault_ca=d\n[d]\ndir=${ca}\ndatabase=$dir/index.txt\nserial=$dir/serial\nnew_certs_dir=$dir\ndefault_md=sha256\npolicy=p\ncopy_extensions=copy\n[p]\ncommonName=supplied\n`,
  );
  const issue = async (name: string, dates: string[]) => {
    await ssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    );
    await ssl(
      'ca',
      '-batch',
      '-config',
      'ca/ca.cnf',
      '-cert',
      'ca/ca.crt',
      '-keyfile',
      'ca/ca.key',
      '-in',
      `${name}.csr`,
      '-out',
      `${name}.crt`,
      ...dates,
    );
    const end = await ssl('x509', '-in', `${name}.crt`, '-noout', '-enddate');
    return Date.parse(end.replace(/^notAfter=/, '').trim()) / 1000;
  };
  const validNotAfter = await issue('ok', ['-days', '2']);
  const expiredNotAfter = await issue('expired', [
    '-startdate',
    '20200101000000Z',
    '-enddate',
    '20200201000000Z',
  ]);
  await mkdir(join(dir, 'www'));
  await writeFile(join(dir, 'www', 'secret.txt'), 'secret ok\n');
  // /slow: 3,000 bytes at 1,000 bytes a second, about two seconds to answer.
  await writeFile(join(dir, 'www', 'slow.txt'), 'x'.repeat(3000));
  await chmod(join(dir, 'www', 'slow.txt'), 0o644);
  const hash = (await ssl('passwd', '-apr1', 's3cret')).trim();
  await writeFile(join(dir, 'htpasswd'), `probe:${hash}\n`);
  // nginx's workers run as nobody when the tests run as root: let them read the page and users.
  await chmod(dir, 0o755);
  await chmod(join(dir, 'www', 'secret.txt'), 0o644);
  await chmod(join(dir, 'htpasswd'), 0o644);
  const [http, tls, expired] = [await freePort(), await freePort(), await freePort()];
  const conf = `worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log; daemon off;
events { worker_connections 256; }
http { access_log off; client_body_temp_path ${dir}/tmp; proxy_temp_path ${dir}/tmp; fastcgi_temp_path ${dir}/tmp; uwsgi_temp_path ${dir}/tmp; scgi_temp_path ${dir}/tmp;
  server { listen 127.0.0.1:${http};
    location = /stub_status { stub_status; }
    location = /health { return 200 "ok\\n"; }
    location = /fail { return 503 "down\\n"; }
    location = /redirect { return 302 /health; }
    location = /loop { return 302 /loop; }
    location = /slow { limit_rate 1k; default_type text/plain; alias ${dir}/www/slow.txt; }
    location = /secret { auth_basic "patrol"; auth_basic_user_file ${dir}/htpasswd; default_type text/plain; alias ${dir}/www/secret.txt; } }
  server { listen 127.0.0.1:${tls} ssl; ssl_certificate ${dir}/ok.crt; ssl_certificate_key ${dir}/ok.key; location / { return 200 "tls ok\\n"; } }
  server { listen 127.0.0.1:${expired} ssl; ssl_certificate ${dir}/expired.crt; ssl_certificate_key ${dir}/expired.key; location / { return 200 "expired\\n"; } } }
`;
  const confFile = join(dir, 'nginx.conf');
  await writeFile(confFile, conf);
  const proc = new ManagedProcess('nginx', NGINX, ['-c', confFile, '-p', dir]);
  scope.after(async () => {
    await proc.terminate();
  });
  await waitFor(
    'nginx answering',
    async () => {
      if (!proc.running) throw new Error(`nginx exited\n${proc.describe()}`);
      try {
        return (await request(`http://127.0.0.1:${http}/health`)).status === 200;
      } catch {
        return false;
      }
    },
    { timeoutMs: 15_000, context: () => proc.describe() },
  );
  return {
    proc,
    dir,
    http,
    tls,
    expired,
    caFile: join(ca, 'ca.crt'),
    validNotAfter,
    expiredNotAfter,
  };
}
