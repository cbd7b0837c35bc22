import type { Collector, CollectorContext, CollectorDefinition } from '../core/collector.ts';
import type { Config, CollectorName } from '../config/schema.ts';
import { directoryCollector } from './directory/index.ts';
import { filesystemCollector } from './filesystem/index.ts';

/** Every collector patrol knows, keyed like `collectors.<name>` in the configuration. */
export const collectorDefinitions: {
  [K in CollectorName]: CollectorDefinition<Config['collectors'][K]>;
} = {
  filesystem: filesystemCollector,
  directory: directoryCollector,
};

export interface Plan {
  name: CollectorName;
  enabled: boolean;
  why: string;
}

/** What would run with this configuration, one line per collector (start-up log, --check-config). */
export function plan(config: Config): Plan[] {
  return (Object.keys(collectorDefinitions) as CollectorName[]).map((name) => {
    const cfg = config.collectors[name];
    const def = collectorDefinitions[name] as CollectorDefinition<typeof cfg>;
    return { name, enabled: cfg.enabled, why: def.describe(cfg) };
  });
}

export function createCollectors(config: Config, ctx: CollectorContext): Collector[] {
  const out: Collector[] = [];
  for (const name of Object.keys(collectorDefinitions) as CollectorName[]) {
    const cfg = config.collectors[name];
    if (!cfg.enabled) continue;
    const def = collectorDefinitions[name] as CollectorDefinition<typeof cfg>;
    out.push(def.create(cfg, ctx));
  }
  return out;
}
