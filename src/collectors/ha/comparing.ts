/**
 * Divergence and change rate of each dataset, every `compare.interval`: every node walks its
 * copy (the primary counts the bytes changed since its last walk); the standby then compares
 * its listings with the primary's, directory by directory where their hashes differ.
 */
import { describeError } from '../../core/errors.ts';
import { batches, fetchSummaries, manifestRequest } from './client.ts';
import { diffDirectory, planCompare, type Finding } from './compare.ts';
import { parseEntries, type WalkResult } from './manifest.ts';
import type { CompareErrorReason } from './metrics.ts';
import { isUp, type DatasetState, type HaState, type RemoteManifest } from './state.ts';

/** Counts a compare problem and reports it when it starts or changes, and once when it is gone. */
function problem(
  ha: HaState,
  ds: DatasetState,
  reason: CompareErrorReason | undefined,
  what: string | undefined,
  fields: object = {},
): void {
  if (reason !== undefined) ds.compareErrors[reason]++;
  const key = `compare ${ds.cfg.name}`;
  const where = { cluster: ha.cfg.cluster, dataset: ds.cfg.name };
  if (what === undefined) {
    ha.logOnce.recover(key, 'the copies of the dataset are compared again', where);
  } else ha.logOnce.fail(key, what, what, { ...where, ...fields });
}

/** Walks this node's copy (one walk at a time per dataset; callers share a running one). */
export function walkOnce(ha: HaState, ds: DatasetState): Promise<WalkResult | undefined> {
  return (ds.walking ??= (async () => {
    const asPrimary = ha.role === 'primary';
    const changedSince = asPrimary ? ds.changedSince : undefined;
    let outcome;
    try {
      outcome = await ha.walker.walk({
        root: ds.cfg.path,
        filter: ds.filter,
        rate: ds.cfg.compare.max_entries_per_second,
        changedSince,
      });
    } catch (err) {
      if (ha.stopped) return undefined;
      throw err;
    }
    if (outcome.kind === 'cancelled') return undefined;
    if (outcome.kind === 'failed') {
      problem(ha, ds, 'local', 'cannot walk this node’s copy of the dataset', {
        error: outcome.error,
      });
      return undefined;
    }
    const w = outcome.result;
    if (asPrimary && changedSince !== undefined) ds.changedBytes += w.changedBytes;
    ds.changedSince = asPrimary ? w.startedAt : undefined;
    ds.walk = w;
    return w;
  })().finally(() => {
    ds.walking = undefined;
  }));
}

/** One compare round of a dataset at a time: a second caller shares the running one. */
export function compareStep(ha: HaState, ds: DatasetState): Promise<void> {
  return (ds.comparing ??= compareOnce(ha, ds).finally(() => {
    ds.comparing = undefined;
  }));
}

/** Runs compareStep for `ds` every compare.interval until the node stops. */
export function startComparing(ha: HaState, ds: DatasetState): void {
  if (ha.stopped) return;
  compareStep(ha, ds)
    .catch((err: unknown) => {
      problem(ha, ds, 'local', 'comparing the dataset failed', { error: describeError(err) });
    })
    .finally(() => {
      if (!ha.stopped) {
        ds.compareTimer = setTimeout(() => {
          startComparing(ha, ds);
        }, ds.cfg.compare.interval);
      }
    });
}

/** One compare round of a dataset: every role walks; the standby then compares. */
async function compareOnce(ha: HaState, ds: DatasetState): Promise<void> {
  const local = await walkOnce(ha, ds);
  if (ha.role !== 'standby') {
    // Findings from before a failover must not be confirmed by the first compare after it.
    ds.tracker.reset();
    return;
  }
  if (local === undefined) return;
  // Chosen after the walk, which may take seconds: the roles may have moved meanwhile.
  const primary = ha.peers.find((p) => isUp(ha, p) && p.role === 'primary');
  if (primary === undefined) {
    problem(ha, ds, 'no_primary', 'no peer that answers is primary: nothing to compare with');
    return;
  }
  let remote: RemoteManifest;
  try {
    remote = await fetchSummaries(ha, primary, ds);
  } catch (err) {
    problem(ha, ds, 'peer', 'cannot fetch the primary’s manifest of the dataset', {
      peer: primary.name,
      error: describeError(err),
    });
    return;
  }
  if (remote.mtimeResolution !== ds.filter.mtimeResolution) {
    problem(
      ha,
      ds,
      'peer',
      'the nodes list modification times differently: set the same compare.mtime_resolution on both',
      { peer: primary.name, primary: remote.mtimeResolution, standby: ds.filter.mtimeResolution },
    );
    return;
  }
  const unreadable = new Set([...local.unreadable, ...remote.unreadable]);
  const fetch = planCompare(remote.dirs, local.dirs, unreadable, ds.cfg.compare.mode);
  const findings: Finding[] = [];
  try {
    for (const batch of batches(fetch)) {
      // Both sides listed at about the same instant, so only the mirror's delay separates them.
      const [theirs, mine] = await Promise.all([
        manifestRequest(ha, primary, ds, batch).then((r) => parseEntries(r.body)),
        ha.walker.list({ root: ds.cfg.path, dirs: batch, filter: ds.filter }),
      ]);
      for (const dir of batch) {
        // null: the directory is not there (or cannot be read) on that side.
        const p = Object.hasOwn(theirs, dir) ? theirs[dir] : undefined;
        const m = Object.hasOwn(mine, dir) ? mine[dir] : undefined;
        if (p === undefined || m === undefined || (p === null && m === null)) continue;
        findings.push(
          ...diffDirectory(dir, p ?? [], m ?? [], ds.cfg.compare.mode, ds.filter.mtimeResolution),
        );
      }
    }
  } catch (err) {
    problem(ha, ds, 'peer', 'cannot fetch directory entries from the primary', {
      peer: primary.name,
      error: describeError(err),
    });
    return;
  }
  ds.divergence = ds.tracker.confirm(findings);
  ds.lastCompare = ha.now();
  if (local.unreadable.length > 0) {
    problem(ha, ds, 'local', 'parts of this node’s copy cannot be read; compared the rest', {
      unreadable: local.unreadable.slice(0, 10),
    });
  } else {
    problem(ha, ds, undefined, undefined);
  }
}
