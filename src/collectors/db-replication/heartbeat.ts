import { describeError } from '../../core/errors.ts';
import type { LogOnce } from '../../core/log-once.ts';
import { deadlineSignal } from '../probes/dial.ts';
import type { HeartbeatWrites } from './assess.ts';
import type { ServerLink } from './session.ts';

/**
 * Writes a group's heartbeat on its primary every interval, over a connection of its own (a
 * write held by a synchronous standby or a lock must not hold up the scrape's reads). A write
 * is cut at the group's timeout; the next starts one interval after the last ended, so writes
 * never pile up on a primary that has stopped answering. Counts are exported as
 * patrol_db_replication_heartbeat_writes_total.
 */
export class HeartbeatWriter {
  readonly #link: ServerLink;
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #failing: LogOnce;
  readonly #key: string;
  readonly #stop = new AbortController();
  #counts: HeartbeatWrites = { ok: 0, error: 0 };
  #loop: Promise<void> | undefined;

  constructor(opts: {
    link: ServerLink;
    intervalMs: number;
    timeoutMs: number;
    failing: LogOnce;
    key: string;
  }) {
    this.#link = opts.link;
    this.#intervalMs = opts.intervalMs;
    this.#timeoutMs = opts.timeoutMs;
    this.#failing = opts.failing;
    this.#key = opts.key;
  }

  get counts(): HeartbeatWrites {
    return this.#counts;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
    this.#link.close();
  }

  /** One write, now (the loop's step; tests call it to write without waiting). */
  async writeOnce(): Promise<boolean> {
    const signal = deadlineSignal(this.#timeoutMs, this.#stop.signal);
    try {
      await this.#link.use((s) => s.writeHeartbeat(signal), signal);
      this.#counts = { ...this.#counts, ok: this.#counts.ok + 1 };
      this.#failing.recover(this.#key, 'heartbeat write succeeds again', { group: this.#key });
      return true;
    } catch (err) {
      if (this.#stop.signal.aborted) return false;
      this.#counts = { ...this.#counts, error: this.#counts.error + 1 };
      const why = describeError(err);
      this.#failing.fail(this.#key, why, 'heartbeat write failed', { group: this.#key, err: why });
      return false;
    }
  }

  async #run(): Promise<void> {
    const stop = this.#stop.signal;
    while (!stop.aborted) {
      await this.writeOnce();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.#intervalMs);
        function done() {
          clearTimeout(timer);
          stop.removeEventListener('abort', done);
          resolve();
        }
        stop.addEventListener('abort', done, { once: true });
      });
    }
  }
}
