import type { Message } from '@jellybrick/dbus-next';
import type { Logger } from '../../core/logger.ts';
import { mapLimit } from '../../core/concurrency.ts';
import { Supervisor, type LoopContext } from '../../core/supervisor.ts';
import { BusConnection, DbusErrorReply } from './bus.ts';
import {
  ABSENT,
  explain,
  getAll,
  getProperty,
  MANAGER_IFACE,
  MANAGER_PATH,
  managerCall,
  stringValue,
  SYSTEMD,
  variant,
} from './calls.ts';
import {
  applyProps,
  fingerprint,
  newRecord,
  SERVICE_IFACE,
  UNIT_IFACE,
  UnitTable,
  type ListedUnit,
  type UnitRecord,
  type VariantLike,
} from './model.ts';
import { unitObjectPath, unitType } from './units.ts';

const UNIT_PATH_PREFIX = '/org/freedesktop/systemd1/unit/';

export interface WatcherOptions {
  readonly address: string;
  readonly callTimeoutMs: number;
  readonly resyncIntervalMs: number;
  /** Whether patrol reports this unit, so its timestamps, restarts and Type are needed. */
  readonly wantsDetails: (name: string, loadState: string) => boolean;
  readonly logger: Logger;
  /** Reconnection delays: doubling from `initialMs` up to `maxMs`. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Units whose details are read at once during a full read (the connection caps calls). */
  readonly concurrency?: number;
  /** UnitNew is answered after this long, so a unit loaded and unloaded at once costs nothing. */
  readonly newUnitDelayMs?: number;
}

export type WatcherStatus =
  { readonly up: true; readonly version: string } | { readonly up: false; readonly reason: string };

/**
 * Keeps one connection to a systemd manager and, from its signals, the state of every unit it
 * has loaded (model.ts), so a scrape reads memory and asks the manager one question (is it
 * still answering, and in what state is the system). Whatever ends the connection (the socket
 * closes, the manager leaves the bus, a call gets no answer in time) makes the watcher report
 * down and connect again with backoff; nothing is retried per scrape.
 */
export class SystemdWatcher {
  readonly table = new UnitTable();
  /** Units a periodic full read found different from what the signals had said. */
  corrections = 0;
  /** Connections opened so far (one, unless the manager or the bus went away). */
  connections = 0;

  readonly #o: Required<WatcherOptions>;
  #conn: BusConnection | undefined;
  #status: WatcherStatus = { up: false, reason: 'not connected yet' };
  /** The reason of the current outage has been set (the first failure of an outage names it). */
  #outageExplained = false;
  #everUp = false;
  #stopped = false;
  /** Ends the current connection's life with the reason (set while a connection lives). */
  #endLife: ((reason: unknown) => void) | undefined;
  readonly #supervisor: Supervisor;
  #resyncTimer: NodeJS.Timeout | undefined;
  /** Full reads run one after the other; one asked for while another runs waits for it. */
  #syncChain: Promise<void> = Promise.resolve();
  #queuedSync: { conn: BusConnection; count: boolean; done: Promise<void> } | undefined;
  /** Between Reloading(true) and Reloading(false): the full read after it covers every unit. */
  #reloading = false;
  #downSince = 0;
  /** Names a required unit was asked by that turned out to be an alias (mysql → mariadb). */
  readonly #aliases = new Map<string, string>();
  readonly #newUnitTimers = new Map<string, NodeJS.Timeout>();

  constructor(opts: WatcherOptions) {
    this.#o = {
      backoff: { initialMs: 500, maxMs: 10_000 },
      concurrency: 16,
      newUnitDelayMs: 100,
      ...opts,
    };
    // One life per connection: connect, read everything, follow the signals until something
    // ends it; then down, and again after the backoff. The watcher tells its outages itself
    // (one line when it connects again, with the reason), so the loop logs nothing of its own.
    this.#supervisor = new Supervisor({
      name: 'systemd connection',
      logger: opts.logger,
      log: false,
      backoff: { ...this.#o.backoff, jitter: 0.2 },
      run: (ctx) => this.#life(ctx),
    });
  }

  get status(): WatcherStatus {
    return this.#status;
  }

  /** Connects; resolves after the first attempt, whether it succeeded or not. */
  async start(): Promise<void> {
    this.#stopped = false;
    const first = new Promise<void>((resolve) => {
      this.#firstAttempt = resolve;
    });
    this.#supervisor.start();
    await first;
  }

  #firstAttempt: (() => void) | undefined;

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#resyncTimer);
    for (const t of this.#newUnitTimers.values()) clearTimeout(t);
    this.#newUnitTimers.clear();
    this.#conn?.close();
    this.#conn = undefined;
    this.#endLife?.(new Error('stopped'));
    await this.#supervisor.stop();
  }

  /**
   * The periodic full re-read, now (tests, and a SIGHUP-free way to check the signals): resolves
   * when it is done, with corrections counted.
   */
  resyncNow(): Promise<void> {
    return this.#resync(this.#live(), true);
  }

  /** The unit's own name when `name` is an alias patrol has met (readUnit learns them). */
  canonical(name: string): string {
    return this.#aliases.get(name) ?? name;
  }

  /** Manager.SystemState; also the scrape's proof that the manager still answers. */
  async systemState(): Promise<string> {
    const conn = this.#live();
    try {
      const reply = await conn.call(
        getProperty(MANAGER_PATH, MANAGER_IFACE, 'SystemState'),
        this.#o.callTimeoutMs,
        { urgent: true },
      );
      return stringValue(reply.body[0]) ?? 'unknown';
    } catch (err) {
      this.#fail(conn, err);
      throw err;
    }
  }

  /**
   * Reads one unit directly, loaded or not (systemd loads it to answer, as `systemctl show`
   * does, and reports LoadState not-found for a unit it has no file for), for required units
   * the table does not hold. The record carries the unit's own name (Id): asked for an alias
   * (mysql.service), it is the unit the alias points to (mariadb.service). One GetAll, so the
   * states come from one moment and a unit systemd unloads again is loaded once, not per property.
   */
  async readUnit(name: string): Promise<UnitRecord> {
    const conn = this.#live();
    const path = unitObjectPath(name);
    const t = this.#o.callTimeoutMs;
    try {
      const unit = await conn.call(getAll(path, UNIT_IFACE), t, { urgent: true });
      const props = (unit.body[0] ?? {}) as Record<string, VariantLike>;
      const id = stringValue(props.Id) ?? name;
      if (id !== name) this.#aliases.set(name, id);
      const rec = newRecord(id, path);
      applyProps(rec, UNIT_IFACE, props);
      if (unitType(id) === 'service') {
        await Promise.all(
          (['Type', 'NRestarts'] as const).map(async (prop) => {
            const reply = await conn.call(getProperty(path, SERVICE_IFACE, prop), t, {
              urgent: true,
            });
            applyProps(rec, SERVICE_IFACE, { [prop]: variant(reply.body[0]) });
          }),
        );
      }
      return rec;
    } catch (err) {
      if (!(err instanceof DbusErrorReply)) this.#fail(conn, err);
      throw err;
    }
  }

  #live(): BusConnection {
    const conn = this.#conn;
    if (conn === undefined || !this.#status.up) {
      throw new Error(this.#status.up ? 'not connected' : this.#status.reason);
    }
    return conn;
  }

  /** One connection's life: resolves (never: rejects) when it has ended, with the reason. */
  async #life(ctx: LoopContext): Promise<void> {
    const ended = new Promise<never>((_, reject) => {
      this.#endLife = reject;
      ctx.signal.addEventListener('abort', () => {
        reject(ctx.signal.reason as Error);
      });
    });
    ended.catch(() => undefined); // also observed below; no unhandled rejection if not yet
    await this.#connect(ctx);
    this.#firstAttempt?.();
    this.#firstAttempt = undefined;
    try {
      await ended;
    } finally {
      this.#endLife = undefined;
    }
  }

  async #connect(ctx: LoopContext): Promise<void> {
    if (this.#stopped) return;
    const { address, callTimeoutMs: t } = this.#o;
    let conn: BusConnection | undefined;
    try {
      conn = await BusConnection.open(address, t);
      this.connections++;
      if (this.#stopped) {
        conn.close();
        return;
      }
      const c = conn;
      this.#conn = c;
      c.onSignal = (msg) => {
        this.#onSignal(c, msg);
      };
      c.onClose = (reason) => {
        this.#fail(c, reason);
      };
      // On a bus, signals reach us only through match rules; the manager's own signals and
      // its leaving the bus (it stopped or was restarted) are all we need.
      await c.addMatch(`type='signal',sender='${SYSTEMD}',path_namespace='${MANAGER_PATH}'`, t);
      await c.addMatch(
        `type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='${SYSTEMD}'`,
        t,
      );
      // Without Subscribe the manager sends unit signals only while someone else subscribed.
      await c.call(managerCall('Subscribe'), t);
      const version = await c.call(getProperty(MANAGER_PATH, MANAGER_IFACE, 'Version'), t);
      await this.#resync(c, false);
      if (this.#conn !== c) return; // the read failed: #fail has scheduled the next attempt
      const again = this.#everUp;
      const outage = this.#status.up ? '' : this.#status.reason;
      this.#everUp = true;
      this.#status = { up: true, version: stringValue(version.body[0]) ?? '' };
      this.#outageExplained = false;
      ctx.healthy();
      // Said even when no scrape saw the outage, so a short one still leaves its reason.
      this.#o.logger.info(again ? 'connected to systemd again' : 'connected to systemd', {
        address,
        direct: c.direct,
        version: this.#status.version,
        units: this.table.size,
        ...(again
          ? { was_down: outage, down_seconds: Math.round((Date.now() - this.#downSince) / 1000) }
          : {}),
      });
      clearInterval(this.#resyncTimer);
      this.#resyncTimer = setInterval(() => {
        void this.#resync(c, true);
      }, this.#o.resyncIntervalMs);
      this.#resyncTimer.unref();
    } catch (err) {
      this.#fail(conn, err);
    }
  }

  /**
   * Ends the connection `conn` (if it is still the current one): down, with the outage's first
   * reason; the supervisor connects again after its backoff.
   */
  #fail(conn: BusConnection | undefined, err: unknown): void {
    if (this.#stopped) return;
    if (conn !== undefined && conn !== this.#conn) return; // an old connection's late news
    this.#conn = undefined;
    conn?.close();
    clearInterval(this.#resyncTimer);
    for (const t of this.#newUnitTimers.values()) clearTimeout(t);
    this.#newUnitTimers.clear();
    this.table.clear();
    this.#queuedSync = undefined;
    this.#reloading = false;
    if (!this.#outageExplained) {
      this.#status = { up: false, reason: explain(this.#o.address, err) };
      this.#outageExplained = true;
      this.#downSince = Date.now();
    }
    this.#endLife?.(err);
  }

  /**
   * A full read after those already running; one asked for while another waits joins it (and
   * makes it count corrections if either asked to). Failures end the connection.
   */
  #resync(conn: BusConnection, count: boolean): Promise<void> {
    const queued = this.#queuedSync;
    if (queued !== undefined && queued.conn === conn) {
      queued.count ||= count;
      return queued.done;
    }
    const entry = { conn, count, done: Promise.resolve() };
    entry.done = this.#syncChain.then(async () => {
      if (this.#queuedSync === entry) this.#queuedSync = undefined;
      if (this.#conn !== conn || this.#stopped) return;
      try {
        await this.#fullSync(conn, entry.count);
      } catch (err) {
        this.#fail(conn, err);
      }
    });
    this.#queuedSync = entry;
    this.#syncChain = entry.done;
    return entry.done;
  }

  async #fullSync(conn: BusConnection, count: boolean): Promise<void> {
    const watched = (r: UnitRecord) => this.#o.wantsDetails(r.name, r.loadState);
    const before = count
      ? new Map([...this.table.values()].filter(watched).map((r) => [r.name, fingerprint(r)]))
      : undefined;
    const touched = this.table.watchTouches();
    try {
      await conn.call(managerCall('ListUnits'), this.#o.callTimeoutMs, {
        apply: (reply) => {
          this.table.replaceAll(reply.body[0] as ListedUnit[]);
        },
      });
      const wanted = [...this.table.values()].filter(watched);
      await mapLimit(wanted, this.#o.concurrency, (r) => this.#fetchDetails(conn, r));
      if (before === undefined) return;
      // A unit that signals changed, added or removed meanwhile may differ for good reason;
      // any other difference, presence included, is one the signals missed.
      const after = new Map(
        [...this.table.values()].filter(watched).map((r) => [r.name, fingerprint(r)]),
      );
      for (const name of new Set([...before.keys(), ...after.keys()])) {
        if (!touched.names.has(name) && before.get(name) !== after.get(name)) this.corrections++;
      }
    } finally {
      touched.stop();
    }
  }

  /** Timestamps, and for services Type and NRestarts, written into the table as they arrive. */
  async #fetchDetails(conn: BusConnection, r: UnitRecord): Promise<void> {
    const props: [string, string][] = [
      [UNIT_IFACE, 'StateChangeTimestamp'],
      [UNIT_IFACE, 'ActiveEnterTimestamp'],
    ];
    if (unitType(r.name) === 'service')
      props.push([SERVICE_IFACE, 'Type'], [SERVICE_IFACE, 'NRestarts']);
    await this.#fetchInto(conn, r.path, props);
  }

  async #fetchInto(
    conn: BusConnection,
    path: string,
    props: readonly [string, string][],
  ): Promise<void> {
    try {
      await Promise.all(
        props.map(([iface, prop]) =>
          conn.call(getProperty(path, iface, prop), this.#o.callTimeoutMs, {
            apply: (reply) => {
              this.table.apply(path, iface, { [prop]: variant(reply.body[0]) }, false);
            },
          }),
        ),
      );
    } catch (err) {
      // A property this systemd does not have (NRestarts before v235) or a unit object gone:
      // nothing to record. Anything else (LimitsExceeded, AccessDenied) is a failure.
      if (err instanceof DbusErrorReply && ABSENT.has(err.errorName)) return;
      throw err;
    }
  }

  #onSignal(conn: BusConnection, msg: Message): void {
    if (conn !== this.#conn) return;
    const body = msg.body;
    switch (msg.member) {
      case 'PropertiesChanged': {
        if (!msg.path?.startsWith(UNIT_PATH_PREFIX)) return;
        const [iface, changed] = body as [string, Record<string, VariantLike>];
        this.table.apply(msg.path, iface, changed, true);
        return;
      }
      case 'UnitNew': {
        const [name, path] = body as [string, string];
        this.table.add(name, path);
        // During a daemon-reload every unit is announced anew; the full read after it covers
        // them all, in far fewer calls.
        if (!this.#reloading) this.#scheduleNewUnit(conn, name);
        return;
      }
      case 'UnitRemoved': {
        const [name] = body as [string];
        this.table.remove(name);
        clearTimeout(this.#newUnitTimers.get(name));
        this.#newUnitTimers.delete(name);
        return;
      }
      case 'Reloading': {
        // daemon-reload changes load states and Type= without signalling each unit.
        this.#reloading = body[0] === true;
        if (body[0] === false) void this.#resync(conn, false);
        return;
      }
      case 'NameOwnerChanged': {
        const [name, , newOwner] = body as [string, string, string];
        if (name === SYSTEMD && newOwner === '') {
          this.#fail(
            conn,
            new Error('systemd left the bus (the manager stopped or is restarting)'),
          );
        }
        return;
      }
      default:
    }
  }

  #scheduleNewUnit(conn: BusConnection, name: string): void {
    if (this.#newUnitTimers.has(name)) return;
    const timer = setTimeout(() => {
      this.#newUnitTimers.delete(name);
      const r = this.table.get(name);
      if (r === undefined || conn !== this.#conn || this.#reloading) return;
      void (async () => {
        await this.#fetchInto(conn, r.path, [
          [UNIT_IFACE, 'LoadState'],
          [UNIT_IFACE, 'ActiveState'],
          [UNIT_IFACE, 'SubState'],
        ]);
        if (this.table.get(name) === r && this.#o.wantsDetails(name, r.loadState)) {
          await this.#fetchDetails(conn, r);
        }
      })().catch((err: unknown) => {
        this.#fail(conn, err);
      });
    }, this.#o.newUnitDelayMs);
    timer.unref();
    this.#newUnitTimers.set(name, timer);
  }
}
