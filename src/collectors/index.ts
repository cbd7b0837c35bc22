import type { Collector, CollectorContext, CollectorDefinition } from '../core/collector.ts';
import type { Config, CollectorName } from '../config/schema.ts';
import { directoryCollector } from './directory/index.ts';
import { filesystemCollector } from './filesystem/index.ts';
import { haCollector } from './ha/index.ts';
import { logsCollector } from './logs/index.ts';
import { systemdCollector } from './systemd/index.ts';

/** Every collector patrol knows, keyed like `collectors.<name>` in the configuration. */
export const collectorDefinitions: {
  [K in CollectorName]: CollectorDefinition<Config['collectors'][K]>;
} = {
  filesystem: filesystemCollector,
  directory: directoryCollector,
  systemd: systemdCollector,
  logs: logsCollector,
  ha: haCollector,
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
    const unavailable = cfg.enabled ? def.unavailable?.(cfg) : undefined;
    return unavailable === undefined
      ? { name, enabled: cfg.enabled, why: def.describe(cfg) }
      : { name, enabled: false, why: unavailable };
  });
}

/** A running collector and the configuration it was built from. */
export interface ActiveCollector {
  readonly name: CollectorName;
  /** The collector's configuration section, serialised, to see whether a reload changed it. */
  readonly key: string;
  readonly collector: Collector;
}

/**
 * The collectors for `config`. Those in `previous` whose configuration section is unchanged are
 * kept as they are (a reload must not throw away a directory scan's results or forget a
 * collector's state); the others are created (`created`) or are no longer wanted (`retired`).
 */
export function reconcileCollectors(
  config: Config,
  ctx: CollectorContext,
  previous: readonly ActiveCollector[] = [],
): { active: ActiveCollector[]; created: Collector[]; retired: Collector[] } {
  const active: ActiveCollector[] = [];
  const created: Collector[] = [];
  const kept = new Set<Collector>();
  for (const name of Object.keys(collectorDefinitions) as CollectorName[]) {
    const cfg = config.collectors[name];
    if (!cfg.enabled) continue;
    const def = collectorDefinitions[name] as CollectorDefinition<typeof cfg>;
    if (def.unavailable?.(cfg) !== undefined) continue;
    const key = JSON.stringify(cfg);
    const old = previous.find((p) => p.name === name && p.key === key);
    if (old !== undefined) {
      kept.add(old.collector);
      active.push(old);
      continue;
    }
    const collector = def.create(cfg, ctx);
    created.push(collector);
    active.push({ name, key, collector });
  }
  const retired = previous.map((p) => p.collector).filter((c) => !kept.has(c));
  return { active, created, retired };
}

export function createCollectors(config: Config, ctx: CollectorContext): Collector[] {
  return reconcileCollectors(config, ctx).created;
}
