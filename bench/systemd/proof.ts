/**
 * bench/systemd.ts, the proof: sockets and connect() calls. Which unix sockets an exporter holds
 * to a listening socket (/proc/<pid>/fd with `ss -xp`), the connect() calls it makes (strace),
 * and the session bus' unique names (busctl).
 */
import { execFile, spawn } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface UnixSocket {
  inode: string;
  peer: string;
  path: string;
  pids: number[];
}

/** Every unix socket `ss -xp` knows, by inode. */
async function unixSockets(): Promise<Map<string, UnixSocket>> {
  const { stdout } = await run('ss', ['-xapnH'], { maxBuffer: 64 * 2 ** 20 });
  const out = new Map<string, UnixSocket>();
  for (const line of stdout.split('\n')) {
    const t = line.trim().split(/\s+/);
    if (t.length < 8) continue;
    const [, , , , path = '', inode = '', , peer = ''] = t;
    const pids = [
      ...t
        .slice(8)
        .join(' ')
        .matchAll(/pid=(\d+)/g),
    ].map((m) => Number(m[1]));
    out.set(inode, { inode, peer, path, pids });
  }
  return out;
}

/** The socket inodes among /proc/<pid>/fd. */
async function socketInodes(pid: number): Promise<string[]> {
  const out: string[] = [];
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(await readlink(`/proc/${pid}/fd/${fd}`));
      if (m?.[1] !== undefined) out.push(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  return out.sort();
}

/**
 * The exporter's unix sockets whose peer was accepted on the listening socket `path` (the
 * manager's private socket, the bus), as "exporter-inode->peer-inode (peer process)".
 */
export async function connectionsTo(pid: number, path: string): Promise<string[]> {
  const all = await unixSockets();
  const out: string[] = [];
  for (const inode of await socketInodes(pid)) {
    const s = all.get(inode);
    const other = s === undefined ? undefined : all.get(s.peer);
    if (s === undefined || other === undefined || other.path !== path) continue;
    const owners = await Promise.all(
      other.pids.map(async (p) => {
        const comm = await readFile(`/proc/${p}/comm`, 'utf8').catch(() => '?');
        return `${comm.trim()} ${p}`;
      }),
    );
    out.push(`${inode}->${s.peer} (${[...new Set(owners)].join(', ')})`);
  }
  return out.sort();
}

/** Connections open on the listening socket `path`, counted on the server side. */
export async function serverConnections(path: string): Promise<number> {
  let n = 0;
  for (const s of (await unixSockets()).values()) if (s.path === path && s.peer !== '0') n++;
  return n;
}

/** connect() calls `pid` (all its threads) makes while `work` runs, from strace. */
export async function connectCalls(
  pid: number,
  dir: string,
  work: () => Promise<void>,
): Promise<string[]> {
  const file = join(dir, `strace-${pid}.txt`);
  const strace = spawn('strace', ['-f', '-e', 'trace=connect', '-o', file, '-p', String(pid)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  strace.stderr.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<void>((resolve) => {
    strace.once('close', () => {
      resolve();
    });
  });
  const deadline = Date.now() + 10_000;
  while (!/attached/.test(err)) {
    if (strace.exitCode !== null || Date.now() > deadline) {
      strace.kill('SIGKILL');
      throw new Error(`strace did not attach to ${pid}: ${err}`);
    }
    await sleep(20);
  }
  await sleep(200); // every thread attached
  try {
    await work();
  } finally {
    strace.kill('SIGINT');
    await exited;
  }
  // One line per call, `connect(...) = 0` or `connect(... <unfinished ...>` (then resumed).
  return (await readFile(file, 'utf8')).split('\n').filter((l) => /\bconnect\(/.test(l));
}

/** The session bus' unique names with their pids (busctl), and the highest serial handed out. */
export async function busNames(
  address: string,
): Promise<{ byPid: Map<number, string[]>; maxSerial: number }> {
  const { stdout } = await run('busctl', [
    `--address=${address}`,
    'list',
    '--unique',
    '--no-legend',
    '--no-pager',
  ]);
  const byPid = new Map<number, string[]>();
  let maxSerial = 0;
  for (const line of stdout.split('\n')) {
    const [name = '', pid = ''] = line.trim().split(/\s+/);
    const m = /^:1\.(\d+)$/.exec(name);
    if (m === null) continue;
    maxSerial = Math.max(maxSerial, Number(m[1]));
    const p = Number(pid);
    if (Number.isInteger(p)) byPid.set(p, [...(byPid.get(p) ?? []), name]);
  }
  return { byPid, maxSerial };
}
