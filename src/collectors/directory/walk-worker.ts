/**
 * Worker thread entry: runs synchronous walks on request (protocol in pool.ts). The shared
 * control array lets the coordinator cancel a walk (also waking a budget pause at once) and
 * tells the walker when another worker is idle, so it can hand over half of its pending
 * directories.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Tally } from './tally.ts';
import { walk, walkRoot, type WalkHooks } from './walk.ts';
import { CANCEL, HUNGRY, type FromWorker, type ToWorker } from './protocol.ts';

const port = parentPort;
if (port === null) throw new Error('walk-worker.ts must run in a worker thread');
const ctl = new Int32Array((workerData as { control: SharedArrayBuffer }).control);

port.on('message', (msg: ToWorker) => {
  const tally = new Tally({ dedupeAll: msg.followSymlinks });
  const hooks: WalkHooks = {
    sleep: (ms) => {
      Atomics.wait(ctl, CANCEL, 0, ms);
      return Atomics.load(ctl, CANCEL) === 0;
    },
    checkpoint: (pending) => {
      if (Atomics.load(ctl, CANCEL) !== 0) return false;
      if (msg.share && pending.length >= 2) {
        const hungry = Atomics.load(ctl, HUNGRY);
        if (hungry > 0 && Atomics.compareExchange(ctl, HUNGRY, hungry, hungry - 1) === hungry) {
          // The oldest pending directories are the shallowest: likely the biggest subtrees.
          const dirs = pending.splice(0, pending.length >> 1);
          port.postMessage({ type: 'share', scan: msg.scan, dirs } satisfies FromWorker);
        }
      }
      return true;
    },
  };
  const opts = { followSymlinks: msg.followSymlinks, rate: msg.rate };
  const outcome =
    msg.type === 'root'
      ? walkRoot(msg.root, tally, opts, hooks)
      : walk([...msg.dirs], tally, opts, hooks);
  port.postMessage({
    type: 'done',
    scan: msg.scan,
    outcome,
    tally: tally.partial(),
  } satisfies FromWorker);
});
