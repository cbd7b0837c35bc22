import { z } from 'zod';
import type { CollectorConfigSchema } from '../core/collector.ts';

/** What the configuration needs of a collector's definition: its section's name and schema. */
interface Section {
  readonly name: string;
  readonly config: CollectorConfigSchema;
}

/** The schema of `collectors`, one key per collector, each prefaulted to its defaults. */
type CollectorsShape<D extends readonly Section[]> = {
  [E in D[number] as E['name']]: z.ZodPrefault<E['config']>;
};

/**
 * The whole configuration's schema, assembled from the collectors' own sections (the list is in
 * src/collectors/index.ts; this module knows no collector): shape, defaults and descriptions in
 * one place. config.schema.json and config.example.yaml are generated from it (npm run
 * generate).
 */
export function buildConfigSchema<const D extends readonly Section[]>(sections: D) {
  const shape = Object.fromEntries(sections.map((s) => [s.name, s.config.prefault({})]));
  return z
    .strictObject({
      collectors: (
        z.strictObject(shape) as unknown as z.ZodObject<CollectorsShape<D>, z.core.$strict>
      )
        // Every section has defaults, so an absent `collectors` is the empty object.
        .prefault({} as never)
        .meta({ description: 'One entry per collector: `enabled` plus its own keys.' }),
    })
    .meta({ title: 'patrol configuration', description: 'Configuration of the patrol exporter.' });
}
