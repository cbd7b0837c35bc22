import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /**
   * Extra context appended to the timeout error (e.g. a process' log, or what the data a test
   * waits for is made of, read at the moment the wait gives up).
   */
  context?: () => string | Promise<string>;
}

/** What a probe saw when its condition did not hold yet; the last one is in the timeout error. */
export class NotYet {
  readonly seen: string;
  constructor(seen: string) {
    this.seen = seen;
  }
}

/** "Not yet: this is what I saw", from a probe passed to waitFor. */
export function notYet(seen: string): NotYet {
  return new NotYet(seen);
}

type Probed<T> = T | undefined | false | NotYet;

/**
 * Polls `probe` until it returns something other than undefined/false/notYet(...), and returns
 * that. Errors thrown by the probe count as "not yet"; on timeout the error says what the last
 * attempt saw (its notYet text, its result or its error).
 * Only lower bounds on waiting: a slow machine makes the test slower, never red.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<Probed<T>> | Probed<T>,
  opts: WaitOptions = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const intervalMs = opts.intervalMs ?? 200;
  const deadline = Date.now() + timeoutMs;
  let last: unknown = 'never true';
  for (;;) {
    try {
      const v = await probe();
      if (v instanceof NotYet) last = `last seen: ${v.seen}`;
      else if (v !== undefined && v !== false) return v;
      else last = `last result: ${String(v)}`;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const why = last instanceof Error ? last.message : String(last);
      let ctx = '';
      try {
        ctx = (await opts.context?.()) ?? '';
      } catch (err) {
        ctx = `(no context: ${err instanceof Error ? err.message : String(err)})`;
      }
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what} (${why})${ctx === '' ? '' : `\n${ctx}`}`,
        {
          cause: last,
        },
      );
    }
    await sleep(intervalMs);
  }
}
