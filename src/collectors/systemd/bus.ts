import { EventEmitter } from 'node:events';
import {
  DBusError,
  Message,
  MessageType,
  sessionBus,
  type MessageBus,
} from '@jellybrick/dbus-next';

/**
 * One D-Bus connection, thin over @jellybrick/dbus-next (the maintained fork of dbus-next: the
 * protocol, authentication and marshalling are the library's). What this adds is what an
 * exporter needs and the library's promise API lacks:
 * - every call has a deadline, and a late reply is dropped instead of leaking a handler;
 * - at most `maxInFlight` calls wait for a reply at once, the rest queue (urgent ones first):
 *   the system bus refuses more than 128 pending replies per connection (LimitsExceeded), and
 *   a daemon-reload announces every unit at once;
 * - replies and signals reach the caller synchronously in the order they arrived, so state
 *   built from both cannot be overwritten by an older reply (a resolved promise would run after
 *   signals that were read in the same chunk);
 * - the end of the connection is one `onClose` call, whatever ended it;
 * - a peer that is not a bus daemon (a manager's private socket) is told apart from a bus.
 */

export interface CallSpec {
  readonly destination?: string;
  readonly path: string;
  readonly interface: string;
  readonly member: string;
  readonly signature?: string;
  readonly body?: unknown[];
}

/** An error reply: the peer answered, with a D-Bus error name. */
export class DbusErrorReply extends Error {
  readonly errorName: string;
  constructor(errorName: string, text: string | undefined) {
    super(text === undefined || text === '' ? errorName : `${errorName}: ${text}`);
    this.name = 'DbusErrorReply';
    this.errorName = errorName;
  }
}

/** No reply within the deadline: the peer is stuck, or gone without closing the socket. */
export class CallTimeout extends Error {
  constructor(member: string, ms: number) {
    super(`${member} got no reply within ${ms} ms`);
    this.name = 'CallTimeout';
  }
}

interface Pending {
  readonly resolve: (reply: Message) => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
  readonly apply: ((reply: Message) => void) | undefined;
}

interface Queued {
  readonly send: () => void;
  readonly reject: (err: Error) => void;
}

export interface CallOptions {
  /**
   * Runs with the reply synchronously, before any message that arrived after it is
   * dispatched; the returned promise settles afterwards.
   */
  readonly apply?: (reply: Message) => void;
  /** Goes before queued calls (a scrape waiting, not a background read). */
  readonly urgent?: boolean;
}

/** How long Hello may go unanswered before the connection is probed with Peer.Ping. */
const PING_AFTER_MS = 150;

/** Calls waiting for a reply at once: well under the system bus' 128 per connection. */
export const MAX_IN_FLIGHT = 32;

// The library keeps its socket on an internal field (DBusConnection, dist/index.mjs): it emits
// 'end' there and nowhere else, and holds the stream to destroy. Checked when connecting, so a
// library update that moves it fails loudly (and the tests with it), not silently.
type Connection = EventEmitter & { stream?: { destroy(): void } };
function connectionOf(bus: MessageBus): Connection {
  const conn = (bus as unknown as { _connection?: unknown })._connection;
  if (!(conn instanceof EventEmitter)) {
    throw new Error(
      '@jellybrick/dbus-next has no MessageBus._connection: update src/collectors/systemd/bus.ts',
    );
  }
  return conn as Connection;
}

const DBUS_NAME = 'org.freedesktop.DBus';

export class BusConnection {
  readonly address: string;
  /** true when the peer is not a bus daemon (no Hello, no match rules: it sends us everything). */
  readonly direct: boolean;
  /** Called for every signal, in arrival order. */
  onSignal: (msg: Message) => void = () => {};
  /** Called once when the connection ends, for whatever reason. */
  onClose: (reason: Error) => void = () => {};

  readonly #bus: MessageBus;
  readonly #pending = new Map<number, Pending>();
  readonly #queue: Queued[] = [];
  #closed: Error | undefined;

  private constructor(bus: MessageBus, address: string, direct: boolean) {
    this.#bus = bus;
    this.address = address;
    this.direct = direct;
    bus.on('message', (msg) => {
      this.#dispatch(msg);
    });
    untyped(bus).on('error', (err: unknown) => {
      // A D-Bus error reply to the library's own Hello (it may come late, see open()) is no
      // reason to drop a working connection; socket and protocol errors are.
      if (err instanceof DBusError) return;
      this.#end(err instanceof Error ? err : new Error(String(err)));
    });
    connectionOf(bus).on('end', () => {
      this.#end(new Error('the peer closed the connection'));
    });
  }

  /**
   * Connects and authenticates. Resolves once the peer answered Hello (a bus) or refused it
   * as a D-Bus peer would (a private socket); rejects on a socket or authentication error, or
   * when nothing answers within `timeoutMs`.
   */
  static open(address: string, timeoutMs: number): Promise<BusConnection> {
    return new Promise((resolve, reject) => {
      const bus = sessionBus({ busAddress: address });
      const socket = connectionOf(bus);
      let settled = false;
      let probe: NodeJS.Timeout | undefined;
      const pings = new Set<number>();
      const settle = (err: Error | undefined, direct = false) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(probe);
        bus.removeListener('connect', onConnect);
        bus.removeListener('message', onMessage);
        untyped(bus).removeListener('error', onError);
        if (err !== undefined) {
          untyped(bus).on('error', () => {}); // late socket errors of a connection given up on
          destroy(bus);
          reject(err);
        } else {
          resolve(new BusConnection(bus, address, direct));
        }
      };
      const onConnect = () => {
        settle(undefined, false);
      };
      // Hello is the first call the library makes; a peer that answers it with a D-Bus error
      // speaks the protocol but is no bus daemon: systemd's private socket says UnknownObject.
      const onError = (err: unknown) => {
        if (err instanceof DBusError) {
          settle(undefined, true);
        } else {
          settle(err instanceof Error ? err : new Error(String(err)));
        }
      };
      // systemd 252's private socket sometimes leaves the Hello the library sends right behind
      // the handshake's BEGIN unanswered for seconds (measured: 3 connections in 4), while it
      // answers later calls at once. So once authenticated, a Peer.Ping now and then: a bus
      // daemon answers Hello before anything sent after it, so a Ping answered while Hello is
      // not means a direct peer.
      const onMessage = (msg: Message) => {
        if (
          msg.replySerial !== undefined &&
          msg.replySerial !== null &&
          pings.has(msg.replySerial)
        ) {
          settle(undefined, true);
        }
      };
      socket.once('connect', () => {
        probe = setInterval(() => {
          const serial = bus.newSerial();
          pings.add(serial);
          bus.send(
            new Message({
              path: '/',
              interface: 'org.freedesktop.DBus.Peer',
              member: 'Ping',
              serial,
            }),
          );
        }, PING_AFTER_MS);
      });
      const timer = setTimeout(() => {
        settle(new Error(`no D-Bus handshake within ${timeoutMs} ms`));
      }, timeoutMs);
      bus.on('connect', onConnect);
      bus.on('message', onMessage);
      untyped(bus).on('error', onError);
      socket.once('end', () => {
        settle(new Error('the peer closed the connection during the handshake'));
      });
    });
  }

  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /** Calls waiting for a reply now (at most MAX_IN_FLIGHT). */
  get inFlight(): number {
    return this.#pending.size;
  }

  /** Sends a method call, or queues it while MAX_IN_FLIGHT calls wait for their replies. */
  call(spec: CallSpec, timeoutMs: number, opts: CallOptions = {}): Promise<Message> {
    return new Promise((resolve, reject) => {
      if (this.#closed !== undefined) {
        reject(new Error('connection closed', { cause: this.#closed }));
        return;
      }
      const send = () => {
        const serial = this.#bus.newSerial();
        const timer = setTimeout(() => {
          this.#settled(serial);
          reject(new CallTimeout(spec.member, timeoutMs));
        }, timeoutMs);
        this.#pending.set(serial, { resolve, reject, timer, apply: opts.apply });
        try {
          this.#bus.send(new Message({ ...spec, serial }));
        } catch (err) {
          clearTimeout(timer);
          this.#settled(serial);
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      };
      if (this.#pending.size < MAX_IN_FLIGHT) send();
      else if (opts.urgent === true) this.#queue.unshift({ send, reject });
      else this.#queue.push({ send, reject });
    });
  }

  /** A call got its answer (or gave up): the next queued one may go. */
  #settled(serial: number): void {
    if (!this.#pending.delete(serial)) return;
    if (this.#closed === undefined) this.#queue.shift()?.send();
  }

  /** Adds a match rule on a bus (signals are not routed to us otherwise); no-op when direct. */
  async addMatch(rule: string, timeoutMs: number): Promise<void> {
    if (this.direct) return;
    await this.call(
      {
        destination: DBUS_NAME,
        path: '/org/freedesktop/DBus',
        interface: DBUS_NAME,
        member: 'AddMatch',
        signature: 's',
        body: [rule],
      },
      timeoutMs,
    );
  }

  close(): void {
    this.#end(new Error('closed by patrol'));
  }

  #dispatch(msg: Message): void {
    if (msg.type === MessageType.SIGNAL) {
      this.onSignal(msg);
      return;
    }
    if (msg.type !== MessageType.METHOD_RETURN && msg.type !== MessageType.ERROR) return;
    const serial = msg.replySerial;
    if (serial === undefined || serial === null) return;
    const pending = this.#pending.get(serial);
    if (pending === undefined) return; // timed out already, or the library's own Hello
    clearTimeout(pending.timer);
    this.#settled(serial);
    if (msg.type === MessageType.ERROR) {
      const text = typeof msg.body[0] === 'string' ? msg.body[0] : undefined;
      pending.reject(
        new DbusErrorReply(msg.errorName ?? 'org.freedesktop.DBus.Error.Failed', text),
      );
      return;
    }
    try {
      pending.apply?.(msg);
    } catch (err) {
      pending.reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    pending.resolve(msg);
  }

  #end(reason: Error): void {
    if (this.#closed !== undefined) return;
    this.#closed = reason;
    destroy(this.#bus);
    const closed = new Error('connection closed', { cause: reason });
    for (const [serial, p] of this.#pending) {
      clearTimeout(p.timer);
      this.#pending.delete(serial);
      p.reject(closed);
    }
    for (const q of this.#queue.splice(0)) q.reject(closed);
    this.onClose(reason);
  }
}

// The library's event map lists 'connect' and 'message' only, but it emits 'error' too.
function untyped(bus: MessageBus): EventEmitter {
  return bus;
}

/** Drops the socket at once: end() alone would wait for a stopped peer to acknowledge. */
function destroy(bus: MessageBus): void {
  try {
    bus.disconnect();
  } catch {
    // already closed
  }
  connectionOf(bus).stream?.destroy();
}
