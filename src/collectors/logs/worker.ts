/**
 * Worker thread entry of the log collector: owns the Tailer, reads and matches with
 * synchronous I/O, and answers snapshot requests between turns. A turn reads at most a few MiB
 * per file, so a 1 GiB catch-up delays a snapshot by milliseconds and never the event loop that
 * serves /metrics.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { describeError } from '../../core/errors.ts';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.ts';
import { Tailer } from './tailer.ts';

const port = parentPort;
if (port === null) throw new Error('logs worker.ts must run in a worker thread');
const { config, positionsPath, startedAt } = workerData as WorkerInit;
const post = (msg: FromWorker) => {
  port.postMessage(msg);
};

let timer: NodeJS.Timeout | undefined;
let timerDue = 0;
let immediate: NodeJS.Immediate | undefined;
let stopped = false;
let lastRescan = 0;
let lastSave = 0;
let rescanWanted = false;
const MIN_RESCAN_GAP_MS = 1000;

const tailer = new Tailer({
  config,
  positionsPath,
  startedAt,
  log: (level, msg, fields) => {
    post({ type: 'log', level, msg, fields });
  },
  onWake: () => {
    // A file appeared, vanished or was renamed in a watched directory: look soon, but at most
    // once a second (a glob over thousands of files costs milliseconds, and a busy directory
    // sends events all the time).
    rescanWanted = true;
    schedule(Math.max(20, lastRescan + MIN_RESCAN_GAP_MS - Date.now()));
  },
});

function schedule(delayMs: number): void {
  if (stopped || immediate !== undefined) return;
  const due = Date.now() + delayMs;
  if (timer !== undefined) {
    if (timerDue <= due) return; // an earlier turn is already coming
    clearTimeout(timer);
    timer = undefined;
  }
  if (delayMs === 0) {
    immediate = setImmediate(turn);
    return;
  }
  timerDue = due;
  timer = setTimeout(turn, delayMs);
}

function turn(): void {
  timer = undefined;
  immediate = undefined;
  if (stopped) return;
  const now = Date.now();
  let more = false;
  try {
    const gap = now - lastRescan;
    if ((rescanWanted && gap >= MIN_RESCAN_GAP_MS) || gap >= config.rescan_interval) {
      rescanWanted = false;
      lastRescan = now;
      tailer.rescan();
    }
    more = tailer.poll();
    if (now - lastSave >= config.save_interval) {
      lastSave = now;
      tailer.save();
    }
  } catch (err) {
    // A bug, not a file problem (those are counted inside): say it, keep following.
    post({
      type: 'log',
      level: 'error',
      msg: 'log reading turn failed',
      fields: { error: describeError(err) },
    });
  }
  schedule(more ? 0 : config.poll_interval);
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'snapshot') {
    post({ type: 'snapshot', id: msg.id, snapshot: tailer.snapshot() });
    return;
  }
  stopped = true;
  clearTimeout(timer);
  if (immediate !== undefined) clearImmediate(immediate);
  tailer.close();
  post({ type: 'stopped', snapshot: tailer.snapshot() });
  port.close();
});

try {
  tailer.start();
  lastRescan = Date.now();
  post({ type: 'ready' });
  turn();
} catch (err) {
  post({
    type: 'log',
    level: 'error',
    msg: 'log collector cannot start',
    fields: { error: describeError(err) },
  });
  throw err;
}
