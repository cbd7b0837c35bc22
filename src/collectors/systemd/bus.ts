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

// The library keeps its socket on an internal field; it emits 'end' there and nowhere else.
interface Internals {
  _connection?: EventEmitter & { stream?: { destroy(): void } };
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
  #closed: Error | undefined;

  private constructor(bus: MessageBus, address: string, direct: boolean) {
    this.#bus = bus;
    this.address = address;
    this.direct = direct;
    bus.on('message', (msg) => {
      this.#dispatch(msg);
    });
    untyped(bus).on('error', (err: unknown) => {
      this.#end(err instanceof Error ? err : new Error(String(err)));
    });
    (bus as unknown as Internals)._connection?.on('end', () => {
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
      let settled = false;
      const settle = (err: Error | undefined, direct = false) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        bus.removeListener('connect', onConnect);
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
      const timer = setTimeout(() => {
        settle(new Error(`no D-Bus handshake within ${timeoutMs} ms`));
      }, timeoutMs);
      bus.on('connect', onConnect);
      untyped(bus).on('error', onError);
      (bus as unknown as Internals)._connection?.once('end', () => {
        settle(new Error('the peer closed the connection during the handshake'));
      });
    });
  }

  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /**
   * Sends a method call. `apply`, when given, runs with the reply synchronously, before any
   * message that arrived after it is dispatched; the returned promise settles afterwards.
   */
  call(spec: CallSpec, timeoutMs: number, apply?: (reply: Message) => void): Promise<Message> {
    return new Promise((resolve, reject) => {
      if (this.#closed !== undefined) {
        reject(new Error('connection closed', { cause: this.#closed }));
        return;
      }
      const serial = this.#bus.newSerial();
      const timer = setTimeout(() => {
        this.#pending.delete(serial);
        reject(new CallTimeout(spec.member, timeoutMs));
      }, timeoutMs);
      this.#pending.set(serial, { resolve, reject, timer, apply });
      try {
        this.#bus.send(new Message({ ...spec, serial }));
      } catch (err) {
        clearTimeout(timer);
        this.#pending.delete(serial);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
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
    this.#pending.delete(serial);
    clearTimeout(pending.timer);
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
    for (const [serial, p] of this.#pending) {
      clearTimeout(p.timer);
      this.#pending.delete(serial);
      p.reject(new Error('connection closed', { cause: reason }));
    }
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
  (bus as unknown as Internals)._connection?.stream?.destroy();
}
