/**
 * The units the manager has loaded, kept in memory from its answers and signals. Pure: the
 * watcher feeds it D-Bus messages in the order they arrived, and because every message carries
 * absolute values (a state, a counter, a timestamp), applying them in that order leaves the
 * table equal to the manager's own view.
 */

export const UNIT_IFACE = 'org.freedesktop.systemd1.Unit';
export const SERVICE_IFACE = 'org.freedesktop.systemd1.Service';

export interface UnitRecord {
  readonly name: string;
  readonly path: string;
  /** '' until known (a unit announced by UnitNew whose properties have not arrived yet). */
  loadState: string;
  activeState: string;
  subState: string;
  /** The service's Type= (simple, notify, ...); '' for other units and until known. */
  serviceType: string;
  restarts: number | undefined;
  stateChangeUs: number | undefined;
  activeEnterUs: number | undefined;
  /** Table sequence number of the last signal that changed this unit. */
  signalSeq: number;
}

/**
 * One row of Manager.ListUnits, a(ssssssouso): name, description, load state, active state,
 * sub state, following, object path, job id, job type, job path.
 */
export type ListedUnit = readonly [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  number,
  string,
  string,
];

/** A property value as the library gives it: a Variant-like `{ signature, value }`. */
export interface VariantLike {
  readonly signature: string;
  readonly value: unknown;
}

const str = (v: VariantLike | undefined): string | undefined =>
  typeof v?.value === 'string' ? v.value : undefined;
const num = (v: VariantLike | undefined): number | undefined => {
  const x = v?.value;
  return typeof x === 'bigint' || typeof x === 'number' ? Number(x) : undefined;
};

export class UnitTable {
  readonly #byName = new Map<string, UnitRecord>();
  readonly #byPath = new Map<string, UnitRecord>();
  readonly #touchWatchers = new Set<Set<string>>();
  #seq = 0;

  /**
   * Collects the names of units that signals add, remove or change from now until `stop` is
   * called: a full re-read must not count those as corrections.
   */
  watchTouches(): { readonly names: ReadonlySet<string>; stop(): void } {
    const names = new Set<string>();
    this.#touchWatchers.add(names);
    return { names, stop: () => this.#touchWatchers.delete(names) };
  }

  #touch(name: string): void {
    for (const w of this.#touchWatchers) w.add(name);
  }

  get size(): number {
    return this.#byName.size;
  }

  /** Increases with every signal applied. */
  get seq(): number {
    return this.#seq;
  }

  get(name: string): UnitRecord | undefined {
    return this.#byName.get(name);
  }

  values(): IterableIterator<UnitRecord> {
    return this.#byName.values();
  }

  clear(): void {
    this.#byName.clear();
    this.#byPath.clear();
  }

  /**
   * Replaces the table with a ListUnits answer. A unit still there under the same object path
   * keeps the details (timestamps, restarts, Type) it had; its states come from the answer.
   */
  replaceAll(rows: readonly ListedUnit[]): void {
    const previous = new Map(this.#byName);
    this.clear();
    for (const [name, , loadState, activeState, subState, , path] of rows) {
      const old = previous.get(name);
      const rec: UnitRecord =
        old !== undefined && old.path === path ? old : newRecord(name, path, this.#seq);
      rec.loadState = loadState;
      rec.activeState = activeState;
      rec.subState = subState;
      this.#put(rec);
    }
  }

  /** UnitNew: the unit is loaded; its properties follow (or must be asked for). */
  add(name: string, path: string): UnitRecord {
    this.#seq++;
    this.#touch(name);
    const existing = this.#byName.get(name);
    if (existing !== undefined && existing.path === path) return existing;
    const rec = newRecord(name, path, this.#seq);
    this.#put(rec);
    return rec;
  }

  /** UnitRemoved: the manager unloaded the unit (stopped and unreferenced, or gone). */
  remove(name: string): void {
    this.#seq++;
    this.#touch(name);
    const rec = this.#byName.get(name);
    if (rec === undefined) return;
    this.#byName.delete(name);
    this.#byPath.delete(rec.path);
  }

  /**
   * Applies property values of one interface of the unit at `path`, from a PropertiesChanged
   * signal (`fromSignal`) or a Get reply. News about a path the table does not hold is dropped:
   * the unit was removed meanwhile, and the ListUnits or UnitNew that brings it back is newer.
   * Values of an unexpected type are ignored. Returns whether the unit is in the table.
   */
  apply(
    path: string,
    iface: string,
    props: Readonly<Record<string, VariantLike | undefined>>,
    fromSignal: boolean,
  ): boolean {
    const rec = this.#byPath.get(path);
    if (rec === undefined) return false;
    if (fromSignal) {
      rec.signalSeq = ++this.#seq;
      this.#touch(rec.name);
    }
    applyProps(rec, iface, props);
    return true;
  }

  #put(rec: UnitRecord): void {
    this.#byName.set(rec.name, rec);
    this.#byPath.set(rec.path, rec);
  }
}

/** Writes the properties patrol reports into `rec`; others and mistyped values are ignored. */
export function applyProps(
  rec: UnitRecord,
  iface: string,
  props: Readonly<Record<string, VariantLike | undefined>>,
): void {
  if (iface === UNIT_IFACE) {
    rec.loadState = str(props.LoadState) ?? rec.loadState;
    rec.activeState = str(props.ActiveState) ?? rec.activeState;
    rec.subState = str(props.SubState) ?? rec.subState;
    rec.stateChangeUs = num(props.StateChangeTimestamp) ?? rec.stateChangeUs;
    rec.activeEnterUs = num(props.ActiveEnterTimestamp) ?? rec.activeEnterUs;
  } else if (iface === SERVICE_IFACE) {
    rec.serviceType = str(props.Type) ?? rec.serviceType;
    rec.restarts = num(props.NRestarts) ?? rec.restarts;
  }
}

export function newRecord(name: string, path: string, seq = 0): UnitRecord {
  return {
    name,
    path,
    loadState: '',
    activeState: '',
    subState: '',
    serviceType: '',
    restarts: undefined,
    stateChangeUs: undefined,
    activeEnterUs: undefined,
    signalSeq: seq,
  };
}

/** What a full re-read compares: everything patrol reports about a unit. */
export function fingerprint(r: UnitRecord): string {
  return [
    r.loadState,
    r.activeState,
    r.subState,
    r.serviceType,
    r.restarts,
    r.stateChangeUs,
    r.activeEnterUs,
  ].join('|');
}

/** Whether the unit's states are known (it may be reported). */
export function isKnown(r: UnitRecord): boolean {
  return r.loadState !== '' && r.activeState !== '';
}
