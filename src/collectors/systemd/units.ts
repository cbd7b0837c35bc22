/**
 * What systemd says about units, and which of them patrol reports. Pure: no D-Bus here.
 */

export const UNIT_SUFFIX =
  /\.(service|socket|target|device|mount|automount|swap|timer|path|slice|scope)$/;

/** Unit names as systemd accepts them (unit-name.c): a prefix, an optional @instance, a type. */
export const UNIT_NAME =
  /^[A-Za-z0-9:_.\\-]+(@[A-Za-z0-9:_.\\-]+)?\.(service|socket|target|device|mount|automount|swap|timer|path|slice|scope)$/;

// Every value systemd documents for each property (systemd.unit(5), org.freedesktop.systemd1(5)).
export const ACTIVE_STATES = [
  'active',
  'activating',
  'deactivating',
  'inactive',
  'failed',
  'reloading',
  'maintenance',
] as const;
export const LOAD_STATES = ['loaded', 'not-found', 'bad-setting', 'error', 'masked'] as const;
export const SYSTEM_STATES = [
  'initializing',
  'starting',
  'running',
  'degraded',
  'maintenance',
  'stopping',
  'offline',
  'unknown',
] as const;

export type ActiveState = (typeof ACTIVE_STATES)[number];
export type LoadState = (typeof LOAD_STATES)[number];

export interface Preset {
  readonly description: string;
  /** Each entry is one required unit; an array lists alternatives, the first known one counts. */
  readonly units: readonly (string | readonly string[])[];
}

/** The server roles of the seed's platform (checklist C1, C2, C7). */
export const PRESETS = {
  'k8s-master': {
    description: 'kube-apiserver, kube-controller-manager, kube-scheduler, etcd',
    units: [
      'kube-apiserver.service',
      'kube-controller-manager.service',
      'kube-scheduler.service',
      'etcd.service',
    ],
  },
  'k8s-node': {
    description: 'docker, containerd, kubelet, kube-proxy',
    units: ['docker.service', 'containerd.service', 'kubelet.service', 'kube-proxy.service'],
  },
  middleware: {
    description: 'nginx, redis-server or redis, rabbitmq-server, mysql or mysqld or mariadb',
    units: [
      'nginx.service',
      ['redis-server.service', 'redis.service'],
      'rabbitmq-server.service',
      ['mysql.service', 'mysqld.service', 'mariadb.service'],
    ],
  },
} as const satisfies Record<string, Preset>;
export type PresetName = keyof typeof PRESETS;

/**
 * systemctl's habit (unit_name_mangle): a name whose last dot-part is not a unit type means a
 * service, so `kubelet` is kubelet.service and `snap.docker.dockerd` snap.docker.dockerd.service.
 */
export function normalizeUnitName(raw: string): string {
  return UNIT_SUFFIX.test(raw) ? raw : `${raw}.service`;
}

/** One required unit: its alternatives in order of preference (usually just one). */
export type Requirement = readonly string[];

/**
 * The required units of a configuration: presets first, then `units`, without repeats. A unit
 * that appears alone and also as an alternative is required on its own.
 */
export function requirements(
  presets: readonly PresetName[],
  units: readonly (string | { any_of: readonly string[] })[],
): Requirement[] {
  const out: Requirement[] = [];
  const seen = new Set<string>();
  const add = (names: readonly string[]) => {
    const alternatives = names.map(normalizeUnitName);
    const key = alternatives.join('|');
    if (seen.has(key)) return;
    seen.add(key);
    out.push(alternatives);
  };
  for (const p of presets)
    for (const u of PRESETS[p].units) add(typeof u === 'string' ? [u] : [...u]);
  for (const u of units) add(typeof u === 'string' ? [u] : u.any_of);
  return out;
}

/** "kubelet.service" → "service". */
export function unitType(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

export interface UnitFilter {
  readonly include: RegExp;
  readonly exclude: RegExp | undefined;
}

export function compileUnitFilter(cfg: { include: string; exclude: string }): UnitFilter {
  return {
    include: new RegExp(cfg.include, 'u'),
    exclude: cfg.exclude === '' ? undefined : new RegExp(cfg.exclude, 'u'),
  };
}

/**
 * Whether a unit the manager lists is reported. Only loaded ones: a unit merely referenced by
 * a Wants= that has no file is the manager's business, not an operator's (node_exporter does
 * the same). Required units are reported whatever their state (see `requirements`).
 */
export function isWatched(filter: UnitFilter, name: string, loadState: string): boolean {
  return (
    loadState === 'loaded' &&
    filter.include.test(name) &&
    (filter.exclude === undefined || !filter.exclude.test(name))
  );
}

/**
 * The unit that stands for a requirement: the first alternative systemd knows (any load state
 * but not-found), else the first alternative, reported as not-found.
 */
export function chooseAlternative(
  alternatives: Requirement,
  loadStateOf: (name: string) => string | undefined,
): string {
  for (const name of alternatives) {
    const state = loadStateOf(name);
    if (state !== undefined && state !== 'not-found') return name;
  }
  const [first] = alternatives;
  if (first === undefined) throw new Error('a requirement without units');
  return first;
}

/**
 * systemd's object path for a unit name (bus_label_escape): bytes outside [A-Za-z0-9], and a
 * digit in first place, as _xx.
 */
export function unitObjectPath(name: string): string {
  let out = '';
  for (const byte of Buffer.from(name, 'utf8')) {
    const c = String.fromCharCode(byte);
    const plain = out === '' ? /[A-Za-z]/.test(c) : /[A-Za-z0-9]/.test(c);
    out += plain ? c : `_${byte.toString(16).padStart(2, '0')}`;
  }
  return `/org/freedesktop/systemd1/unit/${out}`;
}

/** systemd's microsecond timestamps (0: never) as Prometheus seconds. */
export function usecToSeconds(us: bigint | number): number {
  return Number(us) / 1e6;
}
