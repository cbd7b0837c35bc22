/**
 * What the API server serves, found by discovery, never by version number: a 1.9 server and a
 * 1.3x server answer the same questions differently (EndpointSlices exist from 1.21 in
 * discovery.k8s.io/v1). Pure parsing of the discovery documents, and the choice made from them.
 */
import { arr, obj, str, type Json } from './json.ts';

/** The resources a group version's document lists (`GET /api/v1`, `GET /apis/apps/v1`). */
export function servedResources(doc: Json): Set<string> {
  const out = new Set<string>();
  for (const r of arr(doc.resources)) {
    const name = str(obj(r)?.name);
    // Subresources (pods/status, deployments/scale) are not what we list.
    if (name !== undefined && !name.includes('/')) out.add(name);
  }
  return out;
}

/** `group/version` → its resources; a group version the server does not serve is absent. */
export type Served = ReadonlyMap<string, ReadonlySet<string>>;

export function groupVersion(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

export function isServed(
  served: Served,
  spec: { readonly group: string; readonly version: string; readonly resource: string },
): boolean {
  return served.get(groupVersion(spec.group, spec.version))?.has(spec.resource) ?? false;
}
