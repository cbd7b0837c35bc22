import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Extra context appended to the timeout error (e.g. a process' log). */
  context?: () => string;
}

/**
 * Polls `probe` until it returns something other than undefined/false, and returns that.
 * Errors thrown by the probe count as "not yet" and the last one is reported on timeout.
 * Only lower bounds on waiting: a slow machine makes the test slower, never red.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  opts: WaitOptions = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const intervalMs = opts.intervalMs ?? 200;
  const deadline = Date.now() + timeoutMs;
  let last: unknown = 'never true';
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
      last = `last result: ${String(v)}`;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const why = last instanceof Error ? last.message : String(last);
      const ctx = opts.context?.() ?? '';
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
