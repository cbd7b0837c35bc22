/**
 * bench/ha-compare.ts, CPU of an exporter, from /proc: each process sampled every SAMPLE_MS,
 * its samples told active or not, its walks and walker threads, and what a window of samples
 * cost.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ACTIVE_SAMPLES,
  ACTIVE_TICKS,
  SAMPLE_MS,
  TICK_S,
  WALK_MIN_MS,
  WALKER_COMM,
} from './options.ts';

/** utime + stime of a process (all its threads, ended ones included) or of one thread, in ticks. */
function ticks(statPath: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(statPath, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name, which may hold spaces and parentheses: state is field 3.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

interface Sample {
  readonly t: number;
  readonly ticks: number;
}

export interface WalkerThread {
  readonly tid: string;
  readonly born: number;
  ended: number | undefined;
  ticks: number;
}

/** Samples one exporter's CPU every SAMPLE_MS (and its walker threads every 5th sample). */
export class CpuSampler {
  readonly samples: Sample[] = [];
  /** Whether each sample is active (see ACTIVE_TICKS), and whether it belongs to a run. */
  readonly active: boolean[] = [];
  readonly walkers = new Map<string, WalkerThread>();
  readonly #pid: number;
  readonly #others = new Set<string>();
  #timer: NodeJS.Timeout;
  #n = 0;

  constructor(pid: number) {
    this.#pid = pid;
    this.#sample();
    this.#timer = setInterval(() => {
      this.#sample();
    }, SAMPLE_MS);
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #sample(): void {
    const t = performance.now();
    const c = ticks(`/proc/${this.#pid}/stat`);
    if (c === undefined) return;
    this.samples.push({ t, ticks: c });
    const i = this.samples.length - 1;
    const back = this.samples[Math.max(0, i - ACTIVE_SAMPLES)] ?? { ticks: c };
    const active = c - back.ticks >= ACTIVE_TICKS;
    this.active.push(active);
    // The ACTIVE_SAMPLES samples that made this one active are active too.
    if (active) for (let j = Math.max(0, i - ACTIVE_SAMPLES + 1); j < i; j++) this.active[j] = true;
    if (this.#n++ % 5 === 0) this.#threads(t);
  }

  #threads(t: number): void {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${this.#pid}/task`);
    } catch {
      return;
    }
    const alive = new Set(tids);
    for (const tid of tids) {
      if (this.#others.has(tid)) continue;
      let w = this.walkers.get(tid);
      if (w === undefined) {
        let comm = '';
        try {
          comm = readFileSync(`/proc/${this.#pid}/task/${tid}/comm`, 'utf8').trim();
        } catch {
          continue;
        }
        if (comm !== WALKER_COMM) {
          this.#others.add(tid);
          continue;
        }
        w = { tid, born: t, ended: undefined, ticks: 0 };
        this.walkers.set(tid, w);
      }
      w.ticks = ticks(`/proc/${this.#pid}/task/${tid}/stat`) ?? w.ticks;
    }
    for (const w of this.walkers.values())
      if (w.ended === undefined && !alive.has(w.tid)) w.ended = t;
  }

  get last(): Sample {
    const s = this.samples.at(-1);
    if (s === undefined) throw new Error(`no CPU sample of pid ${this.#pid}`);
    return s;
  }

  /** Runs of active samples from index `from` on: [first, last] indexes, closed ones only. */
  runs(from = 0): { first: number; last: number; ms: number }[] {
    const out: { first: number; last: number; ms: number }[] = [];
    const n = this.active.length;
    for (let i = from; i < n; i++) {
      if (!(this.active[i] ?? false)) continue;
      let j = i;
      while (j + 1 < n && (this.active[j + 1] ?? false)) j++;
      if (j === n - 1) break; // still running
      const before = this.samples[Math.max(0, i - 1)]?.t ?? 0;
      out.push({ first: i, last: j, ms: (this.samples[j]?.t ?? 0) - before });
      i = j;
    }
    return out;
  }

  /** Whether nothing was active in the last `ms`. */
  quietFor(ms: number): boolean {
    const now = this.last.t;
    for (let i = this.samples.length - 1; i >= 0; i--) {
      const s = this.samples[i];
      if (s === undefined || now - s.t > ms) return true;
      if (this.active[i] ?? false) return false;
    }
    return true;
  }

  /** Waits until `n` walks (active runs >= WALK_MIN_MS) have ended after sample `from`. */
  async walks(from: number, n: number, timeoutMs: number, what: string): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const walks = this.runs(from).filter((r) => r.ms >= WALK_MIN_MS);
      const nth = walks[n - 1];
      if (nth !== undefined) return nth.last;
      if (performance.now() > deadline) {
        throw new Error(`${what}: ${walks.length} of ${n} walks seen within ${timeoutMs} ms`);
      }
      await sleep(SAMPLE_MS);
    }
  }
}

export interface Window {
  readonly cpuS: number;
  readonly seconds: number;
  readonly activeS: number;
  readonly activeSeconds: number;
  readonly walks: number;
  readonly walkMs: number[];
  readonly walkers: WalkerThread[];
}

/** CPU of samples (from, to]: in all, and in active samples. */
export function windowOf(s: CpuSampler, from: number, to: number): Window {
  let active = 0;
  let activeMs = 0;
  for (let i = from + 1; i <= to; i++) {
    const a = s.samples[i];
    const b = s.samples[i - 1];
    if (a === undefined || b === undefined) continue;
    if (s.active[i] ?? false) {
      active += a.ticks - b.ticks;
      activeMs += a.t - b.t;
    }
  }
  const first = s.samples[from];
  const last = s.samples[to];
  if (first === undefined || last === undefined) throw new Error('window outside the samples');
  const walks = s.runs(from).filter((r) => r.ms >= WALK_MIN_MS && r.last <= to);
  return {
    cpuS: (last.ticks - first.ticks) * TICK_S,
    seconds: (last.t - first.t) / 1000,
    activeS: active * TICK_S,
    activeSeconds: activeMs / 1000,
    walks: walks.length,
    walkMs: walks.map((r) => r.ms),
    walkers: [...s.walkers.values()].filter((w) => w.born > first.t && w.born <= last.t),
  };
}
