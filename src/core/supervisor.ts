import { describeError } from './errors.ts';
import { LogOnce } from './log-once.ts';
import type { Logger } from './logger.ts';

/** What one run of a supervised loop gets. */
export interface LoopContext {
  /** Aborted when this run must end: stop(), or the watchdog found it silent. */
  readonly signal: AbortSignal;
  /** Proof of life: resets the watchdog (an event arrived, a heartbeat answered). */
  beat(): void;
  /** The run got going (connected, thread ready, first entry read): backoff starts over. */
  healthy(): void;
}

export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  /** Each delay is spread uniformly by ± this fraction, so many loops do not retry in step. */
  readonly jitter: number;
}

export interface SupervisorOptions {
  /** Names the loop in its log lines. */
  readonly name: string;
  /**
   * One life of the loop: connect, follow, read until something ends it. Resolving or throwing
   * both end it; the supervisor starts another after the backoff delay (unless stopped). A
   * run must check `signal` before applying anything it learns, because a run the watchdog
   * gave up on may still settle later.
   */
  readonly run: (ctx: LoopContext) => Promise<void>;
  readonly logger: Logger;
  /**
   * Whether the supervisor logs a run's end (once per reason) and the recovery (default true);
   * false for loops that tell their outages themselves.
   */
  readonly log?: boolean;
  readonly backoff?: Partial<Backoff>;
  /** A run that has not beaten for this long is aborted and replaced (undefined: no watchdog). */
  readonly watchdogMs?: number;
  /** How long stop() waits for the current run to settle after aborting it. */
  readonly stopTimeoutMs?: number;
  /** How long an aborted run (watchdog) may take to settle before its successor starts anyway. */
  readonly abandonAfterMs?: number;
  /** Told about each run's end with its error (undefined when it ended by itself). */
  readonly onEnd?: (err: unknown) => void;
  readonly random?: () => number;
}

/** The reason a run was aborted by the watchdog. */
export class WatchdogTimeout extends Error {
  constructor(ms: number) {
    super(`silent for more than ${ms} ms`);
    this.name = 'WatchdogTimeout';
  }
}

/** The reason a run was aborted by stop(). */
export class Stopped extends Error {
  constructor() {
    super('stopped');
    this.name = 'Stopped';
  }
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 30_000, jitter: 0.2 };

/** The delay before attempt `n` (0-based) of a capped exponential backoff, jittered. */
export function backoffDelay(b: Backoff, attempt: number, random: () => number): number {
  const base = Math.min(b.maxMs, b.initialMs * 2 ** Math.min(attempt, 30));
  return base * (1 - b.jitter + 2 * b.jitter * random());
}

/**
 * A supervised background loop (the shape of Erlang's supervisors and client-go's
 * `wait.Backoff` around a reflector): runs `run` again whenever it ends, after a capped
 * exponential backoff with jitter that starts over once a run reports itself healthy; aborts
 * a run that stops beating (a watch that hangs without a timeout, a connection gone silent);
 * and stops by aborting the current run and waiting for it. Failures are logged when they
 * start or change, and once on recovery.
 */
export class Supervisor {
  readonly #o: SupervisorOptions;
  readonly #backoff: Backoff;
  readonly #random: () => number;
  readonly #logOnce: LogOnce;
  #stopped = true;
  #attempt = 0;
  #current: { abort: AbortController; done: Promise<void> } | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** Ends the wait before the next run early (stop()). */
  #wake: (() => void) | undefined;
  #runs = 0;
  #lastError: string | undefined;
  /** Settles when the loop has ended for good (after stop()). */
  #loop: Promise<void> = Promise.resolve();

  constructor(opts: SupervisorOptions) {
    this.#o = opts;
    this.#backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.#random = opts.random ?? Math.random;
    this.#logOnce = new LogOnce(opts.logger, 1);
  }

  /** Runs started so far (1 after start; each restart adds one). */
  get runs(): number {
    return this.#runs;
  }

  /** Why the last run ended, until a later run reports itself healthy. */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#loop = this.#life();
  }

  /** Aborts the current run (or the wait before the next) and waits for it to settle. */
  async stop(): Promise<void> {
    if (this.#stopped) return this.#loop;
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#wake?.();
    this.#current?.abort.abort(new Stopped());
    await this.#loop;
  }

  async #life(): Promise<void> {
    while (!this.#stopped) {
      const err = await this.#runOnce();
      if (this.#stopped) break;
      this.#o.onEnd?.(err);
      this.#lastError = err === undefined ? 'ended' : describeError(err);
      const delay = backoffDelay(this.#backoff, this.#attempt++, this.#random);
      if (this.#o.log !== false) {
        this.#logOnce.fail('run', this.#lastError, `${this.#o.name} ended; starting it again`, {
          loop: this.#o.name,
          reason: this.#lastError,
          retry_in_ms: Math.round(delay),
        });
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        this.#timer = setTimeout(resolve, delay);
      });
      this.#wake = undefined;
    }
  }

  /** One run, cut by the watchdog or stop(); resolves with what ended it. */
  async #runOnce(): Promise<unknown> {
    const abort = new AbortController();
    const { watchdogMs } = this.#o;
    let watchdog: NodeJS.Timeout | undefined;
    const arm = () => {
      if (watchdogMs === undefined) return;
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        abort.abort(new WatchdogTimeout(watchdogMs));
      }, watchdogMs);
    };
    const ctx: LoopContext = {
      signal: abort.signal,
      beat: () => {
        if (!abort.signal.aborted) arm();
      },
      healthy: () => {
        if (abort.signal.aborted) return;
        this.#attempt = 0;
        this.#lastError = undefined;
        if (this.#o.log !== false) {
          this.#logOnce.recover('run', `${this.#o.name} is running again`, { loop: this.#o.name });
        }
      },
    };
    this.#runs++;
    arm();
    let ended: unknown;
    let settled = false;
    const done = Promise.resolve()
      .then(() => this.#o.run(ctx))
      .then(
        () => {
          ended = undefined;
        },
        (err: unknown) => {
          ended = err;
        },
      )
      .finally(() => {
        settled = true;
      });
    this.#current = { abort, done };
    // Settles when the run settles, or soon after it was aborted whether it settles or not.
    const aborted = new Promise<void>((resolve) => {
      const onAbort = () => {
        const grace =
          abort.signal.reason instanceof Stopped
            ? (this.#o.stopTimeoutMs ?? 10_000)
            : (this.#o.abandonAfterMs ?? 1000);
        setTimeout(resolve, grace).unref();
      };
      if (abort.signal.aborted) onAbort();
      else abort.signal.addEventListener('abort', onAbort, { once: true });
    });
    await Promise.race([done, aborted]);
    clearTimeout(watchdog);
    this.#current = undefined;
    if (!settled) {
      this.#o.logger.warn('a run did not end when asked to; left behind', {
        loop: this.#o.name,
        reason: describeError(abort.signal.reason),
      });
    }
    // An aborted run's own error (AbortError) says less than why it was aborted.
    if (abort.signal.aborted) return abort.signal.reason;
    abort.abort(new Stopped()); // whatever it left running (child requests) ends with it
    return ended;
  }
}
