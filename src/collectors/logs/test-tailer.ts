/**
 * Test fixture of the Tailer tests (tailer.test.ts, tailer-rotation.test.ts): a Tailer on plain
 * files in a temporary directory, driven by hand (poll, rescan) on a clock the test moves.
 *
 * Each test file runs in its own process and so gets its own directory, removed after its tests.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { fileSourcesOnly, logsConfig } from './config.ts';
import { LEVELS } from './metrics.ts';
import { DRAIN_IDLE_MS, Tailer, type SourceSnapshot } from './tailer.ts';

const root = mkdtempSync(join(tmpdir(), 'patrol-tailer-'));
after(() => {
  rmSync(root, { recursive: true, force: true });
});
let n = 0;
export const freshDir = () => {
  const d = join(root, `t${++n}`);
  mkdirSync(d);
  return d;
};

export interface Made {
  tailer: Tailer;
  logs: { level: string; msg: string; fields: Record<string, unknown> }[];
  clock: { now: number };
}

export function make(sources: unknown[], opts: { positions?: string; extra?: object } = {}): Made {
  const config = fileSourcesOnly(
    logsConfig.parse({ sources, poll_interval: '100ms', ...opts.extra }),
  );
  const logs: Made['logs'] = [];
  const clock = { now: Date.now() };
  const tailer = new Tailer({
    config,
    positionsPath: opts.positions,
    log: (level, msg, fields) => logs.push({ level, msg, fields }),
    now: () => clock.now,
  });
  tailer.start();
  return { tailer, logs, clock };
}

export const src = (m: Made, name = 'app'): SourceSnapshot => {
  const s = m.tailer.snapshot().sources.find((x) => x.name === name);
  assert.ok(s, `source ${name}`);
  return s;
};
export const total = (s: SourceSnapshot) => s.lines.reduce((a, b) => a + b, 0);
export const level = (s: SourceSnapshot, l: (typeof LEVELS)[number]) => s.lines[LEVELS.indexOf(l)];
/** Polls until nothing is left to read. */
export const catchUp = (m: Made) => {
  while (m.tailer.poll());
};
/** Lets draining files reach their idle deadline and close. */
export const drainAll = (m: Made) => {
  catchUp(m);
  m.clock.now += DRAIN_IDLE_MS + 1;
  m.tailer.poll();
  m.clock.now += DRAIN_IDLE_MS + 1;
  m.tailer.poll();
};
export const lines = (from: number, count: number, word = 'info') =>
  Array.from({ length: count }, (_, i) => `line ${from + i} ${word}\n`).join('');
export const plain = (dir: string, extra: object = {}) => ({
  name: 'app',
  paths: [join(dir, '*.log')],
  format: 'plain',
  ...extra,
});
