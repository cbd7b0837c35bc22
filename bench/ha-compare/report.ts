/**
 * bench/ha-compare.ts, the result: the run must be sound (from the exporters' /metrics) before
 * any figure is printed; then each side's CPU per compare, its background, and its share of one
 * core at one compare a minute, against the goal and the peers.
 */
import { readFileSync } from 'node:fs';
import { fmt, statusKiB, type Running } from '../lib/peers.ts';
import type { Window } from './cpu.ts';
import { metric } from './exporters.ts';
import { compares, DEFAULT_INTERVAL_S, files, GOAL_PCT, int, TICK_S } from './options.ts';
import type { PeerFigures } from './peers.ts';

const v = (body: string, name: string, labels: Record<string, string> = {}) =>
  metric(body, name, { dataset: 'data', ...labels });

/** What the standby and the primary say after the window (and the windows themselves). */
export interface Outcome {
  /** The standby's /metrics before and after the window; the primary's before and after. */
  before: string;
  after: string;
  pBody0: string;
  pBody: string;
  pw: Window;
  sw: Window;
  primary: Running;
  standby: Running;
}

/**
 * The standby compared during the window, both walked `files` files, nothing is out of sync,
 * missing or extra, no compare failed, and each window holds `compares` walks; otherwise this
 * throws (a broken run never prints figures).
 */
export function assertSound({ before, after, pBody, pw, sw, primary, standby }: Outcome): void {
  const problems: string[] = [];
  const lc0 = v(before, 'patrol_replication_last_compare_timestamp_seconds') ?? NaN;
  const lc1 = v(after, 'patrol_replication_last_compare_timestamp_seconds') ?? NaN;
  if (!(lc1 > lc0)) problems.push(`the standby's last compare did not advance (${lc0} -> ${lc1})`);
  for (const [side, body] of [
    ['primary', pBody],
    ['standby', after],
  ] as const) {
    const n = v(body, 'patrol_replication_dataset_files');
    if (n !== files) problems.push(`the ${side} walked ${n} files, not ${files}`);
  }
  for (const name of [
    'patrol_replication_out_of_sync_files',
    'patrol_replication_missing_files',
    'patrol_replication_extra_files',
  ]) {
    const x = v(after, name);
    if (x !== 0) problems.push(`${name} is ${x} on the standby`);
  }
  for (const reason of ['local', 'peer', 'no_primary']) {
    const x = v(after, 'patrol_replication_compare_errors_total', { reason });
    if (x !== 0) problems.push(`${x} compare errors (${reason}) on the standby`);
  }
  if (sw.walks !== compares || pw.walks !== compares) {
    problems.push(
      `walks in the windows: primary ${pw.walks}, standby ${sw.walks} (${compares} expected)`,
    );
  }
  if (problems.length > 0) {
    throw new Error(
      `the run is not sound, no figures:\n  ${problems.join('\n  ')}\n${primary.proc.describe()}\n${standby.proc.describe()}`,
    );
  }
}

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

/** Prints the figures of a sound run. */
export function printFigures(
  { after, pBody0, pBody, pw, sw, primary, standby }: Outcome,
  dirCount: number,
  { rsyncCpu, findCpu, inProcessCpu }: PeerFigures,
): void {
  const changed =
    (v(pBody, 'patrol_replication_dataset_changed_bytes_total') ?? NaN) -
    (v(pBody0, 'patrol_replication_dataset_changed_bytes_total') ?? NaN);
  const memory = (r: Running) => {
    const status = readFileSync(`/proc/${r.proc.pid}/status`, 'utf8');
    return {
      hwm: (statusKiB(status, 'VmHWM') ?? NaN) / 1024,
      rss: (statusKiB(status, 'VmRSS') ?? NaN) / 1024,
    };
  };
  const pm = memory(primary);
  const sm = memory(standby);

  const entries = files + 2 * dirCount;
  const walkS = (body: string) => v(body, 'patrol_replication_walk_duration_seconds') ?? NaN;
  console.log(
    `walk budget: max_entries_per_second 50,000 over ${int(entries)} entries (files, directories listed and stepped into) = ${fmt(entries / 50_000, 2)} s at least; last walk took ${fmt(walkS(pBody), 2)} s on the primary, ${fmt(walkS(after), 2)} s on the standby`,
  );
  const side = (name: string, w: Window) => {
    const activity = w.activeS / w.walks;
    const activeSeconds = w.activeSeconds / w.walks;
    const background = (w.cpuS - w.activeS) / (w.seconds - w.activeSeconds);
    const perMinute = activity + (DEFAULT_INTERVAL_S - activeSeconds) * background;
    const pct = (perMinute / DEFAULT_INTERVAL_S) * 100;
    const walkerS = w.walkers.reduce((a, x) => a + x.ticks * TICK_S, 0);
    console.log(
      `${name}: ${fmt(w.cpuS, 2)} s CPU over ${fmt(w.seconds, 1)} s holding ${w.walks} compares: ${fmt(activity, 3)} s CPU per compare (active ${fmt(activeSeconds, 1)} s each; walks of ${w.walkMs.map((x) => fmt(x / 1000, 1)).join(' ')} s), background ${fmt(background * 1000, 2)} ms/s the rest of the time; ${w.walkers.length} walker thread(s) started, their CPU ${fmt(walkerS / w.walks, 3)} s per compare`,
    );
    console.log(
      `${name}: at one compare a minute, (${fmt(activity, 3)} + ${fmt(DEFAULT_INTERVAL_S - activeSeconds, 1)} x ${fmt(background, 5)}) s / 60 s = ${fmt(pct, 2)}% of one core (goal <= ${GOAL_PCT}%)`,
    );
    return { activity, pct };
  };
  const p = side('primary', pw);
  const s = side('standby', sw);
  console.log(
    `changed bytes counted by the primary in the window: ${int(changed)}; memory: primary VmHWM ${fmt(pm.hwm, 1)} MiB (VmRSS ${fmt(pm.rss, 1)}), standby VmHWM ${fmt(sm.hwm, 1)} MiB (VmRSS ${fmt(sm.rss, 1)})`,
  );
  const both = p.activity + s.activity;
  const ok = p.pct <= GOAL_PCT && s.pct <= GOAL_PCT;
  console.log(
    `patrol's CPU per compare, both sides: ${fmt(both, 3)} s CPU = ${fmt(both / rsyncCpu, 2)} x rsync -an's ${fmt(rsyncCpu, 3)} s, ${fmt(both / findCpu, 2)} x find's ${fmt(findCpu, 3)} s, ${fmt(both / inProcessCpu, 2)} x the walks in this process (${fmt(inProcessCpu, 3)} s)`,
  );
  console.log(
    `ha-compare ${int(files)} files: primary ${fmt(p.pct, 2)}%, standby ${fmt(s.pct, 2)}% of one core at 1 compare/min (goal <= ${GOAL_PCT}% each, ${verdict(ok)}); per compare ${fmt(p.activity, 3)} + ${fmt(s.activity, 3)} s CPU vs rsync -an ${fmt(rsyncCpu, 3)} s, ratio ${fmt(both / rsyncCpu, 2)}`,
  );
}
