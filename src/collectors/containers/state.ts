/**
 * A container as the metrics need it, from the Engine API's inspect answer
 * (`GET /containers/{id}/json`): the fields are named as `docker inspect` shows them.
 */
export interface Container {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  /** created, running, paused, restarting, removing, exited, dead */
  readonly state: string;
  /** healthy, unhealthy, starting, or none when no health check is defined. */
  readonly health: string;
  readonly restartCount: number;
  readonly oomKilled: boolean;
  readonly exitCode: number;
  /** Unix seconds; undefined before the first start (Docker's zero time). */
  readonly startedAt: number | undefined;
}

export const STATES = [
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
  'missing',
] as const;
export const HEALTH = ['healthy', 'unhealthy', 'starting', 'none'] as const;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Docker writes 0001-01-01T00:00:00Z for "never". */
function timestamp(v: unknown): number | undefined {
  const t = Date.parse(str(v));
  return Number.isFinite(t) && t > 0 ? t / 1000 : undefined;
}

/** The inspect answer reduced to what is exported; undefined when it is not one. */
export function fromInspect(doc: unknown): Container | undefined {
  const d = obj(doc);
  const id = str(d.Id);
  const state = obj(d.State);
  if (id === '' || typeof state.Status !== 'string') return undefined;
  const config = obj(d.Config);
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(config.Labels))) if (typeof v === 'string') labels[k] = v;
  const health = obj(state.Health);
  return {
    id,
    name: str(d.Name).replace(/^\//, ''),
    image: str(config.Image),
    labels,
    state: state.Status,
    health: typeof health.Status === 'string' && health.Status !== '' ? health.Status : 'none',
    restartCount: num(d.RestartCount),
    oomKilled: state.OOMKilled === true,
    exitCode: num(state.ExitCode),
    startedAt: timestamp(state.StartedAt),
  };
}

/** The ids of the list answer (`GET /containers/json?all=1`). */
export function idsFromList(doc: unknown): string[] {
  return Array.isArray(doc) ? doc.map((c) => str(obj(c).Id)).filter((id) => id !== '') : [];
}

/** A container event of the stream: which container, and whether it is gone. */
export function parseEvent(line: string): { id: string; gone: boolean } | undefined {
  let doc: Json;
  try {
    doc = obj(JSON.parse(line));
  } catch {
    return undefined;
  }
  if (doc.Type !== 'container') return undefined;
  const id = str(obj(doc.Actor).ID, str(doc.id));
  if (id === '') return undefined;
  return { id, gone: doc.Action === 'destroy' };
}

/** Whether a container is one the configuration selects. */
export function selected(
  c: Container,
  names: RegExp | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (names !== undefined && !names.test(c.name)) return false;
  return Object.entries(labels).every(([k, v]) => c.labels[k] === v);
}
