/**
 * Worker thread entry: walks and lists datasets on request (protocol in walker.ts). The shared
 * control word lets the owner cancel a walk, waking a budget pause at once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { listDirectories, walkDataset } from './manifest.ts';
import type { FromManifestWorker, ToManifestWorker } from './walker.ts';

const port = parentPort;
if (port === null) throw new Error('manifest-worker.ts must run in a worker thread');
const ctl = new Int32Array((workerData as { control: SharedArrayBuffer }).control);

port.on('message', (msg: ToManifestWorker) => {
  let reply: FromManifestWorker;
  try {
    if (msg.op === 'walk') {
      Atomics.store(ctl, 0, 0);
      const outcome = walkDataset(msg.root, msg.filter, {
        rate: msg.rate,
        changedSince: msg.changedSince,
        sleep: (ms) => Atomics.wait(ctl, 0, 0, ms) === 'timed-out',
      });
      reply = { id: msg.id, op: 'walk', outcome };
    } else {
      reply = { id: msg.id, op: 'list', dirs: listDirectories(msg.root, msg.dirs, msg.filter) };
    }
  } catch (err) {
    reply = { id: msg.id, op: 'error', error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});
