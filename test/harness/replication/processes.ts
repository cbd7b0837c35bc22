import { randomBytes } from 'node:crypto';
import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Server } from '../middleware.ts';
import { ManagedProcess, type Scope } from '../process.ts';
import { tempDir } from '../tmp.ts';
import { notYet, waitFor } from '../wait.ts';

/*
 * What the three pairs do alike with their server processes (freezing a primary, replacing a
 * replica's process), and their passwords.
 */

/** The pids whose parent is `pid` (from /proc). */
async function childrenOf(pid: number): Promise<number[]> {
  const out: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

function signalPid(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** The state letter of /proc/<pid>/stat (T: stopped), undefined once gone. */
async function procState(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/**
 * SIGSTOP of a server process, and with `children` of every child of it; SIGCONT of exactly
 * those. The parent is stopped first, and seen stopped, before its children are listed, so
 * that it forks none behind the list (PostgreSQL's postmaster forks a backend per
 * connection). The thaw is also a scope cleanup, so a frozen server can be stopped.
 */
export function freezer(scope: Scope, root: () => number, children: boolean) {
  let stopped: number[] = [];
  const stop = (pid: number) => {
    signalPid(pid, 'SIGSTOP');
    stopped.push(pid);
  };
  const thaw = () => {
    for (const pid of stopped.reverse()) signalPid(pid, 'SIGCONT');
    stopped = [];
    return Promise.resolve();
  };
  scope.after(thaw);
  return {
    freeze: async () => {
      if (stopped.length > 0) return;
      const pid = root();
      stop(pid);
      await waitFor('the primary stopped by SIGSTOP', async () => {
        const state = await procState(pid);
        return state === undefined || state === 'T' ? true : notYet(`state ${state}`);
      });
      if (children) for (const child of await childrenOf(pid)) stop(child);
    },
    thaw,
  };
}

export function childPid(proc: ManagedProcess): number {
  const pid = proc.child.pid;
  if (pid === undefined) throw new Error(`${proc.name} has no pid\n${proc.describe()}`);
  return pid;
}

/** The same command line again (so the same port, directory and flags). */
export function respawn(proc: ManagedProcess): ManagedProcess {
  return new ManagedProcess(proc.name, proc.child.spawnfile, proc.child.spawnargs.slice(1));
}

/**
 * The replica's current process, stopped at the end of `scope` (registered before the pair's
 * other cleanups, so it runs after the heal and the thaw).
 */
export function replicaSlot(
  scope: Scope,
  first: Server,
  stop: (proc: ManagedProcess) => Promise<void>,
) {
  let current = first;
  scope.after(() => stop(current.proc));
  return {
    get: () => current,
    set: (proc: ManagedProcess) => {
      current = { ...current, proc };
    },
  };
}

export async function secretFile(scope: Scope, password: string): Promise<string> {
  const dir = await tempDir(scope, 'patrol-secrets-');
  const path = join(dir, 'password');
  await writeFile(path, `${password}\n`, { mode: 0o600 });
  await chmod(path, 0o600); // writeFile's mode is filtered by the umask
  return path;
}

/** Letters and digits only: safe inside SQL literals, conninfo strings and argv. */
export function newPassword(): string {
  return randomBytes(12).toString('hex');
}
