import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** Every child still running; killed if the test process exits without stopping them. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Something that runs cleanups at the end of a test or suite (node:test's `t` or a collector). */
export interface Scope {
  after(fn: () => Promise<void>): void;
}

/**
 * A scope for an environment shared by the tests of a suite (set up in `before`): its cleanups
 * run, newest first, when `close()` is called from the suite's `after`. A cleanup that fails does
 * not stop the others; `onError` (e.g. a `t.diagnostic`) is told of it.
 */
export function suiteScope(
  opts: { onError?: (err: unknown) => void } = {},
): Scope & { close(): Promise<void> } {
  const cleanups: (() => Promise<void>)[] = [];
  return {
    after: (fn) => cleanups.push(fn),
    async close() {
      for (const fn of cleanups.reverse()) {
        try {
          await fn();
        } catch (err) {
          // the others still run; the test's own assertions tell what went wrong
          opts.onError?.(err);
        }
      }
    },
  };
}

/** A child process whose output is kept for assertions and diagnostics. */
export class ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  #stdout = '';
  #stderr = '';
  #exit: Exit | undefined;
  readonly #listeners = new Set<() => void>();

  constructor(name: string, command: string, args: readonly string[], options: SpawnOptions = {}) {
    this.name = name;
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], ...options });
    live.add(this.child);
    this.child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      this.#stdout += d;
      this.#notify();
    });
    this.child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      this.#stderr += d;
      this.#notify();
    });
    this.exited = new Promise<Exit>((resolve) => {
      const done = (exit: Exit) => {
        live.delete(this.child);
        this.#exit = exit;
        this.#notify();
        resolve(exit);
      };
      this.child.once('error', (err) => {
        this.#stderr += `\n[spawn error: ${err.message}]\n`;
        done({ code: null, signal: null });
      });
      // 'close' (not 'exit') so that all output has been read.
      this.child.once('close', (code, signal) => {
        done({ code, signal });
      });
    });
  }

  get stdout(): string {
    return this.#stdout;
  }

  get stderr(): string {
    return this.#stderr;
  }

  get exit(): Exit | undefined {
    return this.#exit;
  }

  get running(): boolean {
    return this.#exit === undefined;
  }

  /** The process' output, for error messages. */
  describe(): string {
    const exit =
      this.#exit === undefined
        ? 'running'
        : `exited code=${this.#exit.code} signal=${this.#exit.signal}`;
    return `--- ${this.name} (${exit}) stdout ---\n${this.#stdout}--- ${this.name} stderr ---\n${this.#stderr}--- end ${this.name} ---`;
  }

  #notify(): void {
    for (const l of this.#listeners) l();
  }

  /** Waits until stderr+stdout matches `re`; rejects if the process exits first or on timeout. */
  waitForOutput(re: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
    return new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = re.exec(this.#stderr) ?? re.exec(this.#stdout);
        if (m) {
          finish();
          resolve(m);
        } else if (this.#exit !== undefined) {
          finish();
          reject(
            new Error(`${this.name} exited before printing ${String(re)}\n${this.describe()}`),
          );
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(
            `${this.name} did not print ${String(re)} within ${timeoutMs} ms\n${this.describe()}`,
          ),
        );
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      this.#listeners.add(check);
      check();
    });
  }

  signal(sig: NodeJS.Signals): void {
    if (!this.running)
      throw new Error(`cannot send ${sig}: ${this.name} is not running\n${this.describe()}`);
    this.child.kill(sig);
  }

  /** Sends SIGTERM and waits; SIGKILL after `timeoutMs`. Returns how it exited. */
  async terminate(timeoutMs = 15_000): Promise<Exit> {
    if (!this.running) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Cleanup: SIGKILL if still running. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

export interface RunResult extends Exit {
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (killed after `timeoutMs`), feeding `input` on stdin. */
export async function run(
  command: string,
  args: readonly string[],
  opts: {
    input?: string | Buffer;
    timeoutMs?: number;
    cwd?: string;
    env?: Readonly<Record<string, string>>;
  } = {},
): Promise<RunResult> {
  const p = new ManagedProcess(command, command, args, {
    ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
    ...(opts.env === undefined ? {} : { env: { ...process.env, ...opts.env } }),
  });
  const stdin = p.child.stdin;
  if (stdin !== null) {
    stdin.on('error', () => {
      // the program may exit without reading its input (EPIPE); its exit code tells the story
    });
    stdin.end(opts.input ?? '');
  }
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  try {
    const exit = await p.exited;
    if (exit.signal === 'SIGKILL')
      throw new Error(`${command} ${args.join(' ')} killed after ${timeoutMs} ms\n${p.describe()}`);
    return { ...exit, stdout: p.stdout, stderr: p.stderr };
  } finally {
    clearTimeout(timer);
  }
}
