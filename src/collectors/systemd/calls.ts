/**
 * The D-Bus calls the watcher makes to systemd, how their replies are read, and the one line
 * an operator gets when the connection fails: pure, beside the watcher that uses them.
 */
import { describeError, errorCode } from '../../core/errors.ts';
import { CallTimeout, DbusErrorReply, type CallSpec } from './bus.ts';
import type { VariantLike } from './model.ts';

export const SYSTEMD = 'org.freedesktop.systemd1';
export const MANAGER_PATH = '/org/freedesktop/systemd1';
export const MANAGER_IFACE = 'org.freedesktop.systemd1.Manager';
const PROPERTIES_IFACE = 'org.freedesktop.DBus.Properties';

export function managerCall(member: string): CallSpec {
  return { destination: SYSTEMD, path: MANAGER_PATH, interface: MANAGER_IFACE, member };
}

export function getProperty(path: string, iface: string, prop: string): CallSpec {
  return {
    destination: SYSTEMD,
    path,
    interface: PROPERTIES_IFACE,
    member: 'Get',
    signature: 'ss',
    body: [iface, prop],
  };
}

export function getAll(path: string, iface: string): CallSpec {
  return {
    destination: SYSTEMD,
    path,
    interface: PROPERTIES_IFACE,
    member: 'GetAll',
    signature: 's',
    body: [iface],
  };
}

/** Error replies meaning "no such property or object here", not "something is wrong". */
export const ABSENT = new Set([
  'org.freedesktop.DBus.Error.UnknownProperty',
  'org.freedesktop.DBus.Error.UnknownInterface',
  'org.freedesktop.DBus.Error.UnknownObject',
  'org.freedesktop.DBus.Error.InvalidArgs',
]);

export function variant(v: unknown): VariantLike {
  if (typeof v === 'object' && v !== null && 'value' in v && 'signature' in v)
    return v as VariantLike;
  return { signature: '', value: undefined };
}

export function stringValue(v: unknown): string | undefined {
  const x = variant(v).value;
  return typeof x === 'string' ? x : undefined;
}

/** One line an operator can act on, for the collector's failure log and patrol_systemd_up 0. */
export function explain(address: string, err: unknown): string {
  const code = errorCode(err);
  const where = address.replace(/^unix:path=/, '');
  if (code === 'ENOENT')
    return `no D-Bus socket at ${where} (is D-Bus running? is this host booted with systemd?)`;
  if (code === 'EACCES')
    return `permission denied on ${where} (patrol's user may not open this socket)`;
  if (code === 'ECONNREFUSED') return `nothing listens on ${where}`;
  if (err instanceof DbusErrorReply) {
    if (
      err.errorName === 'org.freedesktop.DBus.Error.ServiceUnknown' ||
      err.errorName === 'org.freedesktop.DBus.Error.NameHasNoOwner' ||
      // The bus tried to start systemd on demand (it has an activation file) and could not.
      err.errorName.startsWith('org.freedesktop.DBus.Error.Spawn.')
    ) {
      return `no systemd manager on the bus at ${where} (${err.message})`;
    }
    if (err.errorName === 'org.freedesktop.DBus.Error.AccessDenied') {
      return `the bus at ${where} denies patrol's calls to systemd (${err.message})`;
    }
    return `systemd at ${where} answered with an error: ${err.message}`;
  }
  if (err instanceof CallTimeout) return `systemd at ${where} stopped answering: ${err.message}`;
  return `systemd at ${where}: ${describeError(err)}`;
}
