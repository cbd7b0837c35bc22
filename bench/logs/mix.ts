/**
 * bench/logs.ts, the generated lines: a seeded mix of the line shapes (shapes.ts), counting what
 * the syslog preset must find in them, and the file written from it.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { LEVELS } from '../../src/collectors/logs/metrics.ts';
import { MiB } from './options.ts';
import { SHAPES, type Shape } from './shapes.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HOSTS = ['node-01', 'node-02', 'web-3.example.com', 'db1'];
/** Log time starts here and moves 1 s every LINES_PER_SECOND lines: a 1 GiB file crosses into "Dec  1". */
const START = Date.UTC(2026, 10, 30, 22, 30, 0);
const LINES_PER_SECOND = 1000;

/** Deterministic lines (mulberry32 from `seed`) and the counts the syslog preset must find in them. */
export class LineMix {
  /** Expected lines per level, in LEVELS order. */
  readonly levels: number[] = LEVELS.map(() => 0);
  /** Lines GREP_PATTERN selects. */
  grepSelected = 0;
  /** klog I and W lines with an error word: grep selects them, the preset goes by the letter. */
  klogQuiet = 0;
  lines = 0;
  readonly kubelet: number;
  nginx = '';
  #state: number;
  #pick: Shape[] = [];
  #second = -1;
  #traditional = '';
  #rfc = '';
  #klog = '';

  constructor(seed: number) {
    this.#state = seed >>> 0;
    for (const s of SHAPES) for (let i = 0; i < s.weight; i++) this.#pick.push(s);
    this.kubelet = 700 + this.int(300);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  }

  pid(): number {
    return 300 + this.int(60000);
  }

  hex(): string {
    return (
      (0x10000000 + this.int(0xefffffff)).toString(16) +
      (0x10000000 + this.int(0xefffffff)).toString(16)
    );
  }

  #micros(): string {
    return String(1_000_000 + this.int(1_000_000)).slice(1);
  }

  /** RFC 3339 time with microseconds (inside messages). */
  iso(): string {
    return `${this.#rfc}.${this.#micros()}Z`;
  }

  /** A syslog line: traditional or RFC 3339 prefix, host, then `msg` (which starts with the tag). */
  syslog(msg: string): string {
    const host = HOSTS[this.int(HOSTS.length)] ?? 'node-01';
    return this.int(2) === 0
      ? `${this.#traditional} ${host} ${msg}`
      : `${this.#rfc}.${this.#micros()}+00:00 ${host} ${msg}`;
  }

  /** A klog header up to the file name: `Lmmdd hh:mm:ss.uuuuuu threadid`, the id padded to 7. */
  klog(letter: string, thread: number): string {
    return `${letter}${this.#klog}.${this.#micros()} ${String(thread).padStart(7)}`;
  }

  #clock(): void {
    const second = Math.floor(this.lines / LINES_PER_SECOND);
    if (second === this.#second) return;
    this.#second = second;
    const d = new Date(START + second * 1000);
    const p2 = (n: number) => String(n).padStart(2, '0');
    const time = `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
    const month = d.getUTCMonth();
    const day = d.getUTCDate();
    const ymd = [String(d.getUTCFullYear()), p2(month + 1), p2(day)];
    this.#traditional = `${MONTHS[month] ?? 'Jan'} ${String(day).padStart(2)} ${time}`;
    this.#rfc = `${ymd.join('-')}T${time}`;
    this.#klog = `${p2(month + 1)}${p2(day)} ${time}`;
    this.nginx = `${ymd.join('/')} ${time}`;
  }

  next(): string {
    this.#clock();
    const picked = this.#pick[this.int(this.#pick.length)];
    if (picked === undefined) throw new Error('no line shape');
    const line = picked.make(this);
    this.lines++;
    const i = LEVELS.indexOf(picked.level);
    this.levels[i] = (this.levels[i] ?? 0) + 1;
    if (picked.grep) {
      this.grepSelected++;
      if (picked.level !== 'error' && picked.level !== 'critical') this.klogQuiet++;
    }
    return line;
  }
}

/** Writes about `size` bytes of lines (whole lines: a little more) with large writes. */
export function generate(
  path: string,
  size: number,
  seed: number,
): { mix: LineMix; bytes: number } {
  const mix = new LineMix(seed);
  const fd = openSync(path, 'w');
  const buf = Buffer.allocUnsafe(8 * MiB);
  let bytes = 0;
  let used = 0;
  try {
    while (bytes + used < size) {
      const line = mix.next();
      if (used + line.length + 1 > buf.length) {
        bytes += writeSync(fd, buf, 0, used);
        used = 0;
      }
      used += buf.write(line, used, 'latin1');
      buf[used++] = 0x0a;
    }
    bytes += writeSync(fd, buf, 0, used);
  } finally {
    closeSync(fd);
  }
  return { mix, bytes };
}
