/**
 * Reading fields of API objects that arrive as untyped JSON: each accessor answers undefined
 * for a field that is absent or of the wrong type, so a garbage object is skipped, never a
 * crash and never a made-up value.
 */
export type Json = Readonly<Record<string, unknown>>;

export function obj(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

export function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The parts every object has: its name, namespace (cluster objects: '') and metadata. */
export interface Meta {
  readonly namespace: string;
  readonly name: string;
  readonly generation: number | undefined;
  readonly owners: readonly Owner[];
}

export interface Owner {
  readonly kind: string;
  readonly name: string;
  readonly controller: boolean;
}

export function meta(raw: unknown): Meta | undefined {
  const m = obj(obj(raw)?.metadata);
  const name = str(m?.name);
  if (m === undefined || name === undefined || name === '') return undefined;
  const owners: Owner[] = [];
  for (const o of arr(m.ownerReferences)) {
    const ref = obj(o);
    const kind = str(ref?.kind);
    const ownerName = str(ref?.name);
    if (kind !== undefined && ownerName !== undefined) {
      owners.push({ kind, name: ownerName, controller: bool(ref?.controller) ?? false });
    }
  }
  return {
    namespace: str(m.namespace) ?? '',
    name,
    generation: num(m.generation),
    owners,
  };
}

/** `namespace/name`, the key of a namespaced object in a store (a cluster object: its name). */
export function keyOf(m: { readonly namespace: string; readonly name: string }): string {
  return m.namespace === '' ? m.name : `${m.namespace}/${m.name}`;
}

/** A condition's status as KSM's `status`/`condition` label: true, false or unknown. */
export function conditionStatus(v: unknown): 'true' | 'false' | 'unknown' {
  return v === 'True' ? 'true' : v === 'False' ? 'false' : 'unknown';
}

export const CONDITION_STATUSES = ['true', 'false', 'unknown'] as const;
