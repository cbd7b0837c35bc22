/** The few process and hashing helpers the release build shares. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Runs a tool and returns its stdout; a failure names the command and carries its stderr. */
export function sh(
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): string {
  try {
    return execFileSync(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 << 20,
    }).toString();
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    const stderr = e.stderr?.toString().trim();
    throw new Error(`${cmd} ${args.join(' ')} failed: ${stderr || e.message}`, { cause: err });
  }
}

/** SHA-256 of a file, hex, streamed (the runtime is 120 MB). */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Readable by everyone, writable by root alone, whatever the build's umask: user patrol and
 * uid 65534 read the tree. (Not tar's --mode, which would also take /tmp's world write away.)
 */
export function shareModes(dir: string): void {
  sh('chmod', ['-R', 'u+rwX,go+rX,go-w', dir]);
}

export const sha256 = (data: string | Buffer): string =>
  createHash('sha256').update(data).digest('hex');

/**
 * GNU tar flags that make an archive depend only on its files' contents and modes: sorted
 * names, root ownership, one fixed time (SOURCE_DATE_EPOCH), no atime/ctime in pax headers.
 * Modes are the tree's own: normalize them first (shareModes).
 */
export function reproducibleTar(epoch: number): string[] {
  return [
    '--sort=name',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    `--mtime=@${epoch}`,
    '--format=posix',
    '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime',
  ];
}
