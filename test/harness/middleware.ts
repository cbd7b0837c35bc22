import { chmod, chown, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, request } from './http.ts';
import { ManagedProcess, run, type Scope } from './process.ts';
import { tempDir } from './tmp.ts';
import { waitFor } from './wait.ts';

/*
 * Real Redis, PostgreSQL 15 and MariaDB servers (Debian's packages) for one test suite, each in
 * a temp dir on a free loopback port, in the foreground so the suite owns the process: the
 * shapes of ../shared/recipes/middleware/*-up.sh. PostgreSQL and MariaDB run as their Debian
 * users (postgres, mysql), so these need root, as the other end-to-end suites do.
 */

export interface Server {
  readonly proc: ManagedProcess;
  readonly port: number;
  readonly dir: string;
}

export const PG_BIN = '/usr/lib/postgresql/15/bin';

export function requireRoot(what: string): void {
  if (userInfo().uid !== 0)
    throw new Error(`${what} is started as its own system user: run the tests as root`);
}

/** The uid and gid of a system user (postgres, mysql). */
export async function ids(user: string): Promise<{ uid: number; gid: number }> {
  const r = await run('id', ['-u', user]);
  const g = await run('id', ['-g', user]);
  if (r.code !== 0) throw new Error(`no user ${user}: install its Debian package`);
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

export async function ownedDir(scope: Scope, prefix: string, user: string): Promise<string> {
  const dir = await tempDir(scope, prefix);
  const { uid, gid } = await ids(user);
  await chown(dir, uid, gid);
  return dir;
}

/** Stops `proc` when `scope` ends. */
export function started(scope: Scope, proc: ManagedProcess): void {
  scope.after(async () => {
    await proc.terminate();
  });
}

/** Waits up to 60 s for `check`, failing at once (with its output) if `proc` exits. */
export async function ready(
  proc: ManagedProcess,
  what: string,
  check: () => Promise<boolean>,
): Promise<void> {
  await waitFor(
    what,
    async () => {
      if (!proc.running) throw new Error(`${proc.name} exited\n${proc.describe()}`);
      return check();
    },
    { timeoutMs: 60_000, context: () => proc.describe() },
  );
}

/** A Redis server; `args` adds flags (`--requirepass`, `--replicaof`). */
export async function startRedis(scope: Scope, args: readonly string[] = []): Promise<Server> {
  const dir = await tempDir(scope, 'patrol-redis-');
  const port = await freePort();
  const proc = new ManagedProcess('redis', '/usr/bin/redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    '--protected-mode',
    'no',
    '--repl-diskless-sync-delay',
    '0',
    ...args,
  ]);
  started(scope, proc);
  await ready(proc, 'redis answering', () =>
    Promise.resolve(/Ready to accept connections/.test(proc.stdout)),
  );
  return { proc, port, dir };
}

/** redis-cli's answer, for comparing with the probe's. */
export async function redisCli(
  port: number,
  args: readonly string[],
  password?: string,
): Promise<string> {
  const r = await run('redis-cli', [
    '-p',
    String(port),
    ...(password === undefined ? [] : ['--no-auth-warning', '-a', password]),
    ...args,
  ]);
  if (r.code !== 0) throw new Error(`redis-cli ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/**
 * initdb of `dir`/data (dir owned by postgres) with scram-sha-256 authentication; the superuser
 * `postgres` has `password`. Returns the data directory.
 */
export async function initPostgres(dir: string, password: string): Promise<string> {
  const pwfile = join(dir, 'pw');
  await writeFile(pwfile, `${password}\n`);
  const { uid, gid } = await ids('postgres');
  await chown(pwfile, uid, gid);
  await chmod(pwfile, 0o600);
  const data = join(dir, 'data');
  const init = await run(
    'runuser',
    [
      '-u',
      'postgres',
      '--',
      `${PG_BIN}/initdb`,
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'scram-sha-256',
      `--pwfile=${pwfile}`,
      '--no-sync',
    ],
    { timeoutMs: 120_000 },
  );
  if (init.code !== 0) throw new Error(`initdb: ${init.stdout}${init.stderr}`);
  return data;
}

/** A PostgreSQL 15 server with scram-sha-256 authentication; the superuser `postgres` has `password`. */
export async function startPostgres(scope: Scope, password: string): Promise<Server> {
  requireRoot('PostgreSQL');
  const dir = await ownedDir(scope, 'patrol-pg-', 'postgres');
  const data = await initPostgres(dir, password);
  const port = await freePort();
  const proc = new ManagedProcess('postgres', 'runuser', [
    '-u',
    'postgres',
    '--',
    `${PG_BIN}/postgres`,
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
  ]);
  started(scope, proc);
  await ready(
    proc,
    'postgres accepting connections',
    async () =>
      (await run(`${PG_BIN}/pg_isready`, ['-q', '-h', '127.0.0.1', '-p', String(port)])).code === 0,
  );
  return { proc, port, dir };
}

/** psql's answer (one value, unaligned) as the superuser. */
export async function psql(pg: Server, password: string, sql: string): Promise<string> {
  const r = await run(
    'psql',
    ['-h', '127.0.0.1', '-p', String(pg.port), '-U', 'postgres', '-Atc', sql],
    {
      timeoutMs: 30_000,
      env: { PGPASSWORD: password },
    },
  );
  if (r.code !== 0) throw new Error(`psql ${sql}: ${r.stderr}`);
  return r.stdout.trim();
}

/** A MariaDB server; root connects over its socket without a password (`mariadb(...)`). */
export async function startMariadb(scope: Scope, extra: readonly string[] = []): Promise<Server> {
  requireRoot('MariaDB');
  const dir = await ownedDir(scope, 'patrol-mariadb-', 'mysql');
  const data = join(dir, 'data');
  const init = await run(
    'mariadb-install-db',
    [
      '--no-defaults',
      '--user=mysql',
      `--datadir=${data}`,
      // Its own temporary tables: two bootstraps at once in a shared /tmp were seen to collide
      // ("Could not remove temporary table '/tmp/#sql-temptable-…'", mysql.tmp_user_sys unknown).
      `--tmpdir=${dir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ],
    { timeoutMs: 120_000 },
  );
  if (init.code !== 0) throw new Error(`mariadb-install-db: ${init.stdout}${init.stderr}`);
  const port = await freePort();
  const proc = new ManagedProcess('mariadb', '/usr/sbin/mariadbd', [
    '--no-defaults',
    '--user=mysql',
    `--datadir=${data}`,
    `--tmpdir=${dir}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--socket=${join(dir, 'sock')}`,
    `--pid-file=${join(dir, 'pid')}`,
    '--innodb-buffer-pool-size=32M',
    '--skip-name-resolve',
    ...extra,
  ]);
  started(scope, proc);
  const server = { proc, port, dir };
  await ready(proc, 'mariadb answering', async () => {
    try {
      return (await mariadb(server, 'SELECT 1')) === '1';
    } catch {
      return false;
    }
  });
  return server;
}

/** The mariadb client's answer (tab-separated, no headers) as root over the socket. */
export async function mariadb(server: Server, sql: string): Promise<string> {
  const r = await run(
    'mariadb',
    ['--no-defaults', `--socket=${join(server.dir, 'sock')}`, '-uroot', '-N', '-B', '-e', sql],
    { timeoutMs: 30_000 },
  );
  if (r.code !== 0) throw new Error(`mariadb ${sql}: ${r.stderr}`);
  return r.stdout.trim();
}

export interface Rabbitmq extends Server {
  readonly managementPort: number;
  readonly nodename: string;
  /** rabbitmqctl against this node (each call takes seconds: the CLI boots an Erlang VM). */
  ctl(args: readonly string[]): Promise<string>;
}

/**
 * A RabbitMQ node with the management plugin, every port its own (AMQP, management,
 * distribution, and an epmd of its own in the foreground, so nothing is left running). It boots
 * in 40-60 s on these machines: start it first, in `before`, while other things get ready.
 */
export async function startRabbitmq(scope: Scope): Promise<Rabbitmq> {
  requireRoot('RabbitMQ');
  const dir = await ownedDir(scope, 'patrol-rabbitmq-', 'rabbitmq');
  const { uid, gid } = await ids('rabbitmq');
  const [port, managementPort, distPort, epmdPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const nodename = `patrol${port}@localhost`;
  for (const sub of ['mnesia', 'log']) {
    await mkdir(join(dir, sub));
    await chown(join(dir, sub), uid, gid);
  }
  await writeFile(
    join(dir, 'rabbitmq.conf'),
    [
      `listeners.tcp.default = 127.0.0.1:${port}`,
      'management.tcp.ip = 127.0.0.1',
      `management.tcp.port = ${managementPort}`,
      'distribution.listener.interface = 127.0.0.1',
      `distribution.listener.port_range.min = ${distPort}`,
      `distribution.listener.port_range.max = ${distPort}`,
      '',
    ].join('\n'),
  );
  await writeFile(join(dir, 'enabled_plugins'), '[rabbitmq_management].\n');
  await copyFile('/var/lib/rabbitmq/.erlang.cookie', join(dir, '.erlang.cookie'));
  await chown(join(dir, '.erlang.cookie'), uid, gid);
  await chmod(join(dir, '.erlang.cookie'), 0o400);
  const env = [
    `HOME=${dir}`,
    `RABBITMQ_CONFIG_FILE=${join(dir, 'rabbitmq.conf')}`,
    `RABBITMQ_ENABLED_PLUGINS_FILE=${join(dir, 'enabled_plugins')}`,
    `RABBITMQ_MNESIA_BASE=${join(dir, 'mnesia')}`,
    `RABBITMQ_LOG_BASE=${join(dir, 'log')}`,
    `RABBITMQ_NODENAME=${nodename}`,
    `ERL_EPMD_PORT=${epmdPort}`,
    'ERL_EPMD_ADDRESS=127.0.0.1',
  ];
  const asRabbit = (cmd: readonly string[]) => ['-u', 'rabbitmq', '--', 'env', ...env, ...cmd];
  const epmd = new ManagedProcess('epmd', 'epmd', [
    '-port',
    String(epmdPort),
    '-address',
    '127.0.0.1',
  ]);
  scope.after(async () => {
    await epmd.terminate();
  });
  const proc = new ManagedProcess(
    'rabbitmq',
    'runuser',
    asRabbit(['/usr/lib/rabbitmq/bin/rabbitmq-server']),
  );
  scope.after(async () => {
    // The Erlang VM is a grandchild (runuser, then the script's shell): its command line names
    // the node's directory, not its node name.
    await run('pkill', ['-KILL', '-f', `beam.smp .*${dir}`]);
    await proc.kill();
  });
  await waitFor(
    'rabbitmq management API answering',
    async () => {
      if (!proc.running) throw new Error(`rabbitmq exited\n${proc.describe()}`);
      try {
        const res = await request(`http://127.0.0.1:${managementPort}/api/health/checks/alarms`, {
          headers: { Authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}` },
          timeoutMs: 2_000,
        });
        return res.status === 200;
      } catch {
        return false;
      }
    },
    { timeoutMs: 240_000, intervalMs: 500, context: () => proc.describe() },
  );
  return {
    proc,
    port,
    dir,
    managementPort,
    nodename,
    async ctl(args) {
      const r = await run(
        'runuser',
        asRabbit(['/usr/lib/rabbitmq/bin/rabbitmqctl', '-n', nodename, ...args]),
        {
          timeoutMs: 120_000,
        },
      );
      if (r.code !== 0) throw new Error(`rabbitmqctl ${args.join(' ')}: ${r.stdout}${r.stderr}`);
      return r.stdout;
    },
  };
}
