import { addInfo, addStateSet, type MetricSink, type StateSetFamily } from '../../core/metrics.ts';
import { systemdFamilies as f } from './metrics.ts';
import { isKnown, type UnitRecord } from './model.ts';
import { ACTIVE_STATES, unitType, usecToSeconds } from './units.ts';

/** Service sub-states in which the main process runs (reload-* since systemd 253). */
const RUNNING = new Set(['running', 'reload', 'reload-signal', 'reload-notify']);

/** Values outside the documented sets (a newer systemd) are reported here, once each. */
export type UnknownValue = (property: string, value: string) => void;

/** A state set whose current value is reported when the documented set does not have it. */
function states<L extends string, K extends L>(
  sink: MetricSink,
  fam: StateSetFamily<L, string, K>,
  labels: Readonly<Omit<Record<L, string>, K>>,
  current: string,
  property: string,
  unknown: UnknownValue,
): void {
  if (!addStateSet(sink, fam, labels, current)) unknown(property, current);
}

/** Every series of one reported unit. */
export function emitUnit(
  sink: MetricSink,
  r: UnitRecord,
  required: boolean,
  unknown: UnknownValue,
): void {
  const { name } = r;
  const service = unitType(name) === 'service';
  const type = service ? r.serviceType : '';
  states(sink, f.unitState, { name, type }, r.activeState, 'ActiveState', unknown);
  // Other units are reported only when loaded: their load state would say nothing (a third of
  // the series with 1,000 units).
  if (required) {
    states(sink, f.loadState, { name }, r.loadState, 'LoadState', unknown);
    addInfo(sink, f.requiredInfo, { name });
  }
  if (service) {
    sink.add(f.serviceRunning, { name }, RUNNING.has(r.subState) ? 1 : 0);
    if (r.restarts !== undefined) sink.add(f.restarts, { name }, r.restarts);
  }
  if (r.stateChangeUs !== undefined) {
    sink.add(f.stateChange, { name }, usecToSeconds(r.stateChangeUs));
  }
  if (r.activeEnterUs !== undefined) {
    sink.add(f.activeEnter, { name }, usecToSeconds(r.activeEnterUs));
  }
}

/** patrol_systemd_units: every loaded unit by active state, as `systemctl list-units --all` counts. */
export function emitTotals(sink: MetricSink, units: Iterable<UnitRecord>): void {
  const counts = new Map<string, number>(ACTIVE_STATES.map((s) => [s, 0]));
  for (const u of units) {
    const n = counts.get(u.activeState);
    if (n !== undefined && isKnown(u)) counts.set(u.activeState, n + 1);
  }
  for (const [state, n] of counts) sink.add(f.units, { state }, n);
}

export function emitManager(
  sink: MetricSink,
  systemState: string,
  version: string,
  unknown: UnknownValue,
): void {
  sink.add(f.up, {}, 1);
  addInfo(sink, f.versionInfo, { version });
  states(sink, f.systemState, {}, systemState, 'SystemState', unknown);
}
