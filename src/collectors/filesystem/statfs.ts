import { statfs as fsStatfs } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';

export interface FsUsage {
  size: number;
  free: number;
  avail: number;
  files: number;
  filesFree: number;
}

export type StatfsFn = (path: string) => Promise<FsUsage>;

/** The real adapter: statfs(2) through libuv. */
export const statfs: StatfsFn = async (path) => {
  const s = await fsStatfs(path);
  return {
    size: s.blocks * s.bsize,
    free: s.bfree * s.bsize,
    avail: s.bavail * s.bsize,
    files: s.files,
    filesFree: s.ffree,
  };
};

export const readMountInfo = (): Promise<string> => readFile('/proc/self/mountinfo', 'utf8');

export type StatResult =
  | { kind: 'ok'; usage: FsUsage }
  | { kind: 'error'; error: unknown }
  | { kind: 'timeout' }
  | { kind: 'stuck' };

/**
 * statfs with a deadline that remembers calls that outlived it. A stale NFS mount blocks its
 * statfs (and the libuv thread running it) until the server answers; asking again on every
 * scrape would tie up one more thread each time and soon starve every other fs call of the
 * process. So a mount whose call is still out is "stuck" and skipped until that call returns
 * (node_exporter's stuckMounts).
 */
export class GuardedStatfs {
  readonly #statfs: StatfsFn;
  readonly #stuck = new Set<string>();
  readonly onRecovered: ((path: string) => void) | undefined;

  constructor(fn: StatfsFn = statfs, onRecovered?: (path: string) => void) {
    this.#statfs = fn;
    this.onRecovered = onRecovered;
  }

  get stuck(): ReadonlySet<string> {
    return this.#stuck;
  }

  async stat(path: string, timeoutMs: number): Promise<StatResult> {
    if (this.#stuck.has(path)) return { kind: 'stuck' };
    const call = this.#statfs(path).then(
      (usage) => ({ kind: 'ok', usage }) as const,
      (error: unknown) => ({ kind: 'error', error }) as const,
    );
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => { resolve('timeout'); }, timeoutMs);
    });
    const first = await Promise.race([call, deadline]);
    clearTimeout(timer);
    if (first !== 'timeout') return first;
    this.#stuck.add(path);
    void call.then(() => {
      this.#stuck.delete(path);
      this.onRecovered?.(path);
    });
    return { kind: 'timeout' };
  }
}
