/** Every series of one node of a pair, from memory (state.ts). */
import { addStateSet, type MetricSink } from '../../core/metrics.ts';
import { lagMs, readCanaryNow } from './canary.ts';
import { COMPARE_ERROR_REASONS, FAILURE_REASONS, haFamilies as f } from './metrics.ts';
import { ENDPOINTS, isUp, offsetTo, type HaState } from './state.ts';

/**
 * The standby's copy of each canary as it is now: read at the scrape, the lag is not staled by
 * the reading interval on top of the canary's.
 */
export async function refreshCanaries(ha: HaState): Promise<void> {
  if (ha.role !== 'standby') return;
  await Promise.all(
    ha.datasets.map(async (ds) => {
      if (ds.lookingSince === undefined) return;
      const got = await readCanaryNow(ds.cfg);
      if (typeof got === 'object') ds.seen = got;
    }),
  );
}

export function emitHa(ha: HaState, sink: MetricSink): void {
  const { cluster } = ha.cfg;
  const { node, role } = ha;
  addStateSet(sink, f.role, { cluster, node }, role);
  sink.add(f.roleChanges, { cluster }, ha.roleChanges);
  if (ha.roleLastChange !== undefined) {
    sink.add(f.roleLastChange, { cluster }, ha.roleLastChange / 1000);
  }
  let splitBrain = false;
  for (const p of ha.peers) {
    const peer = p.name;
    const up = isUp(ha, p);
    sink.add(f.peerUp, { cluster, peer }, up ? 1 : 0);
    if (p.lastSeen !== undefined) sink.add(f.peerLastSeen, { cluster, peer }, p.lastSeen / 1000);
    if (p.rttMs !== undefined) sink.add(f.peerRtt, { cluster, peer }, p.rttMs / 1000);
    const offset = p.clock.best();
    if (offset !== undefined) sink.add(f.peerClockOffset, { cluster, peer }, offset.offset / 1000);
    for (const reason of FAILURE_REASONS) {
      sink.add(f.peerFailures, { cluster, peer, reason }, p.failures[reason]);
    }
    // A peer that does not answer has no role we know of now: every role 0.
    addStateSet(sink, f.peerRole, { cluster, peer }, up ? p.role : undefined);
    sink.add(f.peerRestarts, { cluster, peer }, p.restarts);
    if (up && p.role === 'primary' && role === 'primary') splitBrain = true;
  }
  sink.add(f.splitBrain, { cluster }, splitBrain ? 1 : 0);
  for (const endpoint of ENDPOINTS) {
    sink.add(f.unauthorized, { cluster, endpoint }, ha.refusals[endpoint]);
  }
  emitDatasets(ha, sink);
}

function emitDatasets(ha: HaState, sink: MetricSink): void {
  const { cluster } = ha.cfg;
  const t = ha.now();
  for (const ds of ha.datasets) {
    const dataset = ds.cfg.name;
    if (ha.role === 'primary' && ds.written !== undefined) {
      sink.add(f.canaryTimestamp, { cluster, dataset }, ds.written.ts / 1000);
      sink.add(f.canarySequence, { cluster, dataset }, ds.written.seq);
    }
    if (ha.role === 'primary' && ds.writeOk !== undefined) {
      sink.add(f.canaryWriteOk, { cluster, dataset }, ds.writeOk ? 1 : 0);
    }
    if (ha.role === 'standby' && ds.lookingSince !== undefined) {
      if (ds.seen === undefined) {
        sink.add(f.replicationLag, { cluster, dataset }, (t - ds.lookingSince) / 1000);
      } else {
        const offset = offsetTo(ha, ds.seen.node);
        sink.add(f.replicationLag, { cluster, dataset }, lagMs(t, ds.seen.ts, offset) / 1000);
        sink.add(f.canaryTimestamp, { cluster, dataset }, (ds.seen.ts - offset) / 1000);
        sink.add(f.canarySequence, { cluster, dataset }, ds.seen.seq);
      }
    }
    sink.add(f.canaryErrors, { cluster, dataset, operation: 'write' }, ds.errors.write);
    sink.add(f.canaryErrors, { cluster, dataset, operation: 'read' }, ds.errors.read);
    if (!ds.cfg.compare.enabled) continue;
    const w = ds.walk;
    if (w !== undefined) {
      sink.add(f.datasetFiles, { cluster, dataset }, w.files);
      sink.add(f.datasetBytes, { cluster, dataset }, w.bytes);
      sink.add(f.walkDuration, { cluster, dataset }, w.durationMs / 1000);
      if (w.filesystem !== undefined) {
        sink.add(f.filesystemAvail, { cluster, dataset }, w.filesystem.avail);
        sink.add(f.filesystemSize, { cluster, dataset }, w.filesystem.size);
      }
    }
    sink.add(f.changedBytes, { cluster, dataset }, ds.changedBytes);
    const d = ds.divergence;
    if (ha.role === 'standby' && d !== undefined && ds.lastCompare !== undefined) {
      sink.add(f.outOfSyncFiles, { cluster, dataset }, d.outOfSyncFiles);
      sink.add(f.outOfSyncBytes, { cluster, dataset }, d.outOfSyncBytes);
      sink.add(f.missingFiles, { cluster, dataset }, d.missingFiles);
      sink.add(f.extraFiles, { cluster, dataset }, d.extraFiles);
      sink.add(f.lastCompare, { cluster, dataset }, ds.lastCompare / 1000);
    }
    for (const reason of COMPARE_ERROR_REASONS) {
      sink.add(f.compareErrors, { cluster, dataset, reason }, ds.compareErrors[reason]);
    }
  }
}
