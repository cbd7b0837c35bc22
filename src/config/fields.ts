import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(?:\d+(?:ms|s|m|h|d))+$/;

/** Parses Prometheus-style durations (`500ms`, `30s`, `1m30s`, `2h`) into milliseconds. */
export function parseDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let ms = 0;
  for (const [, num, unit] of text.matchAll(/(\d+)(ms|s|m|h|d)/g)) {
    ms += Number(num) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return ms;
}

// setTimeout fires at once for delays above 2^31-1 ms (about 24.8 days).
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A duration field: a string in the file, milliseconds after parsing. */
export function duration(defaultValue: string, description: string, min = '1ms') {
  return durationText(min)
    .prefault(defaultValue)
    .meta({ description, default: defaultValue, format: 'duration', pattern: DURATION.source });
}

/** A duration field without a default: absent means "not set". */
export function optionalDuration(description: string, min = '1ms') {
  return durationText(min)
    .optional()
    .meta({ description, format: 'duration', pattern: DURATION.source });
}

function durationText(min: string) {
  const minMs = parseDuration(min) ?? 1;
  return z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `invalid duration ${JSON.stringify(text)}: use a number and a unit, e.g. 500ms, 30s, 5m, 1h`,
      });
      return z.NEVER;
    }
    if (ms > MAX_TIMER_MS) {
      ctx.addIssue({
        code: 'custom',
        message: `duration ${text} is longer than the maximum 24d (Node.js timers cannot wait longer)`,
      });
      return z.NEVER;
    }
    if (ms < minMs) {
      ctx.addIssue({
        code: 'custom',
        message: `duration ${text} is shorter than the minimum ${min}`,
      });
      return z.NEVER;
    }
    return ms;
  });
}

/** A regular expression field: validated at load time so a bad pattern names its path. */
export function regex(defaultValue: string, description: string) {
  return z
    .string()
    .refine(
      (src) => {
        try {
          new RegExp(src, 'u');
          return true;
        } catch {
          return false;
        }
      },
      { message: 'not a valid regular expression' },
    )
    .default(defaultValue)
    .meta({ description, default: defaultValue });
}

/** Keys every collector has. */
export function collectorBase(opts: { enabled: boolean; timeout: string }) {
  return {
    enabled: z
      .boolean()
      .default(opts.enabled)
      .meta({ description: 'Run this collector.', default: opts.enabled }),
    timeout: duration(
      opts.timeout,
      'How long one scrape may wait for this collector before reporting patrol_collector_success 0.',
    ),
  };
}
