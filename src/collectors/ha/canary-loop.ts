/**
 * The canary of each dataset, every `canary.interval`: the primary writes it, the standby reads
 * its mirrored copy (and again at each scrape, samples.ts), a node of unknown role does neither.
 */
import { describeError, errorCode } from '../../core/errors.ts';
import { canaryPath, readCanary, writeCanary, type Canary } from './canary.ts';
import type { DatasetConfig } from './config.ts';
import type { DatasetState, HaState } from './state.ts';

/** How a canary is written: writeCanary, or a stand-in in tests. */
export type CanaryWriter = (d: DatasetConfig, c: Canary) => void;

/** Errors that mean patrol may not write into the dataset, not that the disk failed. */
const ACCESS_ERRORS = new Set(['EROFS', 'EACCES', 'EPERM']);

/**
 * Once per dataset: what to change when patrol is not allowed to write the canary. The usual
 * cause is the unit's sandbox (ProtectSystem=strict makes every path read-only) with the
 * dataset missing from ReadWritePaths=, or a directory user patrol may not write in.
 */
function hintAccess(ha: HaState, ds: DatasetState, code: string): void {
  if (ds.writeHinted) return;
  ds.writeHinted = true;
  const { path, canary } = ds.cfg;
  const tmp = canary.mode === 'rename' ? ` and ${canary.file}.tmp beside it` : '';
  ha.log.error(
    `cannot write the replication canary ${canaryPath(ds.cfg)} of dataset ${ds.cfg.name} (${code}): ` +
      `the standby's lag will grow until it can. Under systemd, add the dataset to the unit's ` +
      `sandbox (ReadWritePaths=${path} in patrol.service, ProtectSystem=strict leaves it read-only), ` +
      `and let user patrol create ${canary.file}${tmp} in ${path}`,
    { cluster: ha.cfg.cluster, dataset: ds.cfg.name, path, code },
  );
}

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
export function canaryStep(ha: HaState, ds: DatasetState, write: CanaryWriter = writeCanary): void {
  if (ha.role === 'primary') {
    ds.lookingSince = undefined;
    const c: Canary = { cluster: ha.cfg.cluster, node: ha.node, seq: ++ha.canarySeq, ts: ha.now() };
    try {
      write(ds.cfg, c);
      ds.written = c;
      ds.writeOk = true;
      problem(ha, ds, undefined);
    } catch (err) {
      ds.errors.write++;
      ds.writeOk = false;
      const code = errorCode(err);
      if (code !== undefined && ACCESS_ERRORS.has(code)) hintAccess(ha, ds, code);
      problem(ha, ds, 'cannot write the replication canary', { error: describeError(err) });
    }
    return;
  }
  // Not primary: no write of this node's is current (the gauge is the primary's alone).
  ds.writeOk = undefined;
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
export function startCanary(
  ha: HaState,
  ds: DatasetState,
  write: CanaryWriter = writeCanary,
): void {
  const step = () => {
    if (ha.stopped) return;
    canaryStep(ha, ds, write);
    ds.timer = setTimeout(step, ds.cfg.canary.interval);
  };
  step();
}
