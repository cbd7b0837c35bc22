/**
 * The canary of each dataset, every `canary.interval`: the primary writes it, the standby reads
 * its mirrored copy (and again at each scrape, samples.ts), a node of unknown role does neither.
 */
import { describeError } from '../../core/errors.ts';
import { readCanary, writeCanary, type Canary } from './canary.ts';
import type { DatasetState, HaState } from './state.ts';

/** Reports a dataset's canary problem when it starts or changes, and once when it is gone. */
function problem(
  ha: HaState,
  ds: DatasetState,
  what: string | undefined,
  fields: object = {},
): void {
  const key = `canary ${ds.cfg.name}`;
  const where = { cluster: ha.cfg.cluster, dataset: ds.cfg.name };
  if (what === undefined) ha.logOnce.recover(key, 'canary works again', where);
  else ha.logOnce.fail(key, what, what, { ...where, ...fields });
}

/** One canary step: the primary writes, the standby reads its copy; unknown does neither. */
export function canaryStep(ha: HaState, ds: DatasetState): void {
  if (ha.role === 'primary') {
    ds.lookingSince = undefined;
    const c: Canary = { cluster: ha.cfg.cluster, node: ha.node, seq: ++ha.canarySeq, ts: ha.now() };
    try {
      writeCanary(ds.cfg, c);
      ds.written = c;
      problem(ha, ds, undefined);
    } catch (err) {
      ds.errors.write++;
      problem(ha, ds, 'cannot write the replication canary', { error: describeError(err) });
    }
    return;
  }
  if (ha.role !== 'standby') return;
  ds.lookingSince ??= ha.now();
  const got = readCanary(ds.cfg);
  if (got === 'missing') {
    problem(ha, ds, 'no replication canary in the mirrored copy yet (lag counts from now)');
    return;
  }
  if (got === 'unreadable') {
    ds.errors.read++;
    problem(ha, ds, 'the mirrored replication canary cannot be read or is not a canary');
    return;
  }
  ds.seen = got;
  problem(ha, ds, undefined);
}

/** Runs canaryStep for `ds` every canary.interval until the node stops. */
export function startCanary(ha: HaState, ds: DatasetState): void {
  const step = () => {
    if (ha.stopped) return;
    canaryStep(ha, ds);
    ds.timer = setTimeout(step, ds.cfg.canary.interval);
  };
  step();
}
