import { untilAborted } from '../probes/outcome.ts';
import type { GroupConfig, ServerConfig } from './config.ts';
import type { ServerView } from './views.ts';

export type Role = 'primary' | 'replica';

/**
 * An open connection to one server, kept between scrapes (opening one per scrape forks a
 * backend in PostgreSQL and costs a TLS handshake): everything an engine module does with it.
 * Each call is bounded by its signal; a call that fails or is cut leaves the session broken,
 * and the ServerLink opens a new one next time.
 */
export interface EngineSession {
  read(role: Role, signal: AbortSignal): Promise<ServerView>;
  writeHeartbeat(signal: AbortSignal): Promise<void>;
  readonly open: boolean;
  close(): void;
}

export type Connect = (
  group: GroupConfig,
  server: ServerConfig,
  signal: AbortSignal,
) => Promise<EngineSession>;

/** Local wall clock in Unix seconds at the middle of an interval measured with Date.now(). */
export const midpoint = (before: number, after: number): number => (before + after) / 2000;

/**
 * One server's connection: opened on first use, reused while it works, dropped after any
 * failure or cut (a late answer on it could be taken for the next query's). Uses do not overlap:
 * a use that finds another in flight waits for it (the connection carries one query at a time).
 */
export class ServerLink {
  readonly #connect: (signal: AbortSignal) => Promise<EngineSession>;
  #session: EngineSession | undefined;
  #busy: Promise<unknown> = Promise.resolve();

  constructor(connect: (signal: AbortSignal) => Promise<EngineSession>) {
    this.#connect = connect;
  }

  use<T>(fn: (s: EngineSession) => Promise<T>, signal: AbortSignal): Promise<T> {
    const run = this.#busy.then(
      () => this.#run(fn, signal),
      () => this.#run(fn, signal),
    );
    this.#busy = run.catch(() => undefined);
    return run;
  }

  async #run<T>(fn: (s: EngineSession) => Promise<T>, signal: AbortSignal): Promise<T> {
    signal.throwIfAborted();
    try {
      if (this.#session === undefined || !this.#session.open) {
        this.#session?.close();
        this.#session = undefined;
        this.#session = await untilAborted(this.#connect(signal), signal, 'connecting');
      }
      const session = this.#session;
      const onAbort = () => {
        this.close();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        // Bounded here whatever the driver does with a closed socket.
        return await untilAborted(fn(session), signal, 'reading');
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    } catch (err) {
      this.close();
      throw err;
    }
  }

  close(): void {
    this.#session?.close();
    this.#session = undefined;
  }
}
