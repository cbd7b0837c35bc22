/**
 * How long a test may wait for data, worked out from what the data is made of rather than a
 * round number. A wait names its ingredients:
 *
 *   - scrapes: scrapes of the series, one after the other (1 for a value, 2 for a rate(), an
 *     increase(), a deriv(): they need two points);
 *   - evaluations: rule evaluations (an alert: 1; an alert on a recording rule: 2);
 *   - work: seconds of periodic work by the exporter or the system under test (a collector's
 *     interval, a heartbeat, a canary, a unit's RestartSec, a mirror's round);
 *   - wait: seconds that must pass whatever the machine's load (a `for:`, a window, a threshold
 *     in seconds, like a lag that must exceed 20 s).
 *
 * On a loaded 2-core machine (Prometheus, Alertmanager, a systemd manager, several exporters and
 * the test itself sharing it, with other jobs around) scrapes, evaluations and periodic work run
 * late, so they count LOAD_FACTOR times their nominal time; time windows do not stretch. On top
 * comes BASE_MS for what any wait pays whatever its data: a busy Prometheus answering an HTTP
 * query late, a scrape that timed out once, a process scheduled out.
 *
 *   deadline = BASE_MS + LOAD_FACTOR x (scrapes x scrape interval + evaluations x evaluation
 *              interval + work) + wait
 *
 * Waits poll for their condition and return as soon as it holds: the deadline only says when
 * to give up, and the error then says what was last seen.
 */

/** What a wait's data is made of; see the module comment. */
export interface Needs {
  scrapes?: number;
  evaluations?: number;
  /** Seconds of periodic work by the system under test (stretches under load). */
  work?: number;
  /** Seconds that must pass whatever the load. */
  wait?: number;
}

/** A Prometheus' scrape and rule evaluation intervals, in seconds. */
export interface Clock {
  scrapeSeconds: number;
  evaluationSeconds: number;
}

/** How many times slower than nominal a loaded 2-core machine may run scrapes, rules and collectors. */
export const LOAD_FACTOR = 10;
/** What any wait may pay beyond its data on such a machine. */
export const BASE_MS = 30_000;

/** The deadline, in ms, of a wait for data made of `needs`; `clock` where it counts scrapes or evaluations. */
export function deadlineMs(needs: Needs, clock?: Clock): number {
  if (clock === undefined && (needs.scrapes !== undefined || needs.evaluations !== undefined))
    throw new Error('a wait that counts scrapes or evaluations needs the Prometheus clock');
  const nominal =
    (needs.scrapes ?? 0) * (clock?.scrapeSeconds ?? 0) +
    (needs.evaluations ?? 0) * (clock?.evaluationSeconds ?? 0) +
    (needs.work ?? 0);
  return Math.ceil(BASE_MS + LOAD_FACTOR * nominal * 1000 + (needs.wait ?? 0) * 1000);
}

/** The ingredients as words, for a wait's description: "2 scrapes + 1 evaluation + 20 s". */
export function describeNeeds(needs: Needs): string {
  const parts = [
    needs.scrapes === undefined ? '' : `${needs.scrapes} scrape${needs.scrapes === 1 ? '' : 's'}`,
    needs.evaluations === undefined
      ? ''
      : `${needs.evaluations} evaluation${needs.evaluations === 1 ? '' : 's'}`,
    needs.work === undefined ? '' : `${needs.work} s of work`,
    needs.wait === undefined ? '' : `${needs.wait} s`,
  ].filter((p) => p !== '');
  return parts.length === 0 ? 'nothing' : parts.join(' + ');
}

/** A Prometheus duration ('90s', '10m', '1h30m') in seconds. */
export function seconds(duration: string): number {
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  let total = 0;
  let rest = duration;
  for (const m of duration.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) {
    total += Number(m[1]) * (units[m[2] ?? ''] ?? NaN);
    rest = rest.replace(m[0], '');
  }
  if (rest !== '' || Number.isNaN(total)) throw new Error(`not a duration: ${duration}`);
  return total;
}

/** A rate(), increase(), deriv()... needs two scrapes; a plain value one. */
export function scrapesFor(expr: string): number {
  return /\b(rate|irate|increase|deriv|predict_linear|changes|resets|delta|idelta)\s*\(/.test(expr)
    ? 2
    : 1;
}
