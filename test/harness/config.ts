/**
 * Configurations for tests and benchmarks that run one collector (or a few) and nothing else.
 *
 *   writeFile(file, stringify(onlyCollectors({ logs: { sources: [...] } })));
 *
 * Every collector not named is `{ enabled: false }`, so a collector added later cannot creep into
 * a test that was not written for it (its series in a scrape, its state written to
 * /var/lib/patrol, its cost in a benchmark).
 */
import type { z } from 'zod';
import { collectors, type CollectorName, type configSchema } from '../../src/collectors/index.ts';

/** The keys under `collectors` in the configuration: the name of every collector patrol has. */
export const COLLECTOR_NAMES: readonly CollectorName[] = collectors.map((c) => c.name);

type Sections = NonNullable<z.input<typeof configSchema>['collectors']>;

/** The configuration sections of the collectors to run, as written in patrol.yml. */
export type CollectorSections = { [K in CollectorName]?: NonNullable<Sections[K]> };

/** The raw configuration (before patrol's defaults): an object for YAML.stringify or JSON.stringify. */
export interface RawConfig {
  collectors: Record<CollectorName, Record<string, unknown>>;
}

export function isCollectorName(name: string): name is CollectorName {
  return (COLLECTOR_NAMES as readonly string[]).includes(name);
}

/**
 * A configuration that runs the collectors in `sections` and turns every other one off. A named
 * collector is enabled unless its section says `enabled: false` (collectors.ha is off by default,
 * so `{ ha: {...} }` alone turns it on); `{}` runs it with its defaults.
 */
export function onlyCollectors(sections: CollectorSections): RawConfig {
  const unknown = Object.keys(sections).filter((k) => !isCollectorName(k));
  if (unknown.length > 0)
    throw new Error(
      `onlyCollectors: no collector ${unknown.join(', ')} (${COLLECTOR_NAMES.join(', ')})`,
    );
  const entries = COLLECTOR_NAMES.map((name): [CollectorName, Record<string, unknown>] => {
    const section: object | undefined = sections[name];
    return [name, section === undefined ? { enabled: false } : { enabled: true, ...section }];
  });
  return { collectors: Object.fromEntries(entries) as RawConfig['collectors'] };
}
