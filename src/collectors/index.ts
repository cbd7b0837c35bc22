import type { z } from 'zod';
import { HOST_PATHS, type HostPaths } from '../core/host-paths.ts';
import type { Collector, CollectorContext, CollectorDefinition } from '../core/collector.ts';
import { configLoader } from '../config/load.ts';
import { buildConfigSchema } from '../config/schema.ts';
import { containersCollector } from './containers/index.ts';
import { dbReplicationCollector } from './db-replication/index.ts';
import { directoryCollector } from './directory/index.ts';
import { filesystemCollector } from './filesystem/index.ts';
import { haCollector } from './ha/index.ts';
import { kubernetesCollector } from './kubernetes/index.ts';
import { logsCollector } from './logs/index.ts';
import { probesCollector } from './probes/index.ts';
import { systemdCollector } from './systemd/index.ts';

/**
 * Every collector patrol has, in the order of the configuration and of the start-up lines. A
 * new collector is one folder beside these and one line here (docs/architecture.md, "Adding a
 * collector").
 */
export const collectors = [
  filesystemCollector,
  directoryCollector,
  systemdCollector,
  logsCollector,
  haCollector,
  kubernetesCollector,
  probesCollector,
  containersCollector,
  dbReplicationCollector,
] as const;

/** The whole configuration's schema, assembled from the collectors' sections. */
export const configSchema = buildConfigSchema(collectors);
export type Config = z.output<typeof configSchema>;
export type CollectorName = (typeof collectors)[number]['name'];

export const { parseConfig, parseConfigText, loadConfigFile } = configLoader(configSchema);

/** A list of definitions to work from (the registry's, or a test's variant of it). */
type Definitions = readonly CollectorDefinition[];

/** One definition and its section of `config`, typed loosely: the list is heterogeneous. */
function sections(config: Config, defs: Definitions) {
  const all = config.collectors as Record<string, { enabled: boolean }>;
  return defs.flatMap((def) => {
    const cfg = all[def.name];
    return cfg === undefined ? [] : [{ def, cfg }];
  });
}

export interface Plan {
  name: string;
  enabled: boolean;
  why: string;
}

/** What would run with this configuration, one line per collector (start-up log, --check-config). */
export function plan(
  config: Config,
  defs: Definitions = collectors,
  host: HostPaths = HOST_PATHS,
): Plan[] {
  return sections(config, defs).map(({ def, cfg }) => {
    const unavailable = cfg.enabled ? def.unavailable?.(cfg, host) : undefined;
    return unavailable === undefined
      ? { name: def.name, enabled: cfg.enabled, why: def.describe(cfg) }
      : { name: def.name, enabled: false, why: unavailable };
  });
}

/** A running collector and the configuration it was built from. */
export interface ActiveCollector {
  readonly name: string;
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
  defs: Definitions = collectors,
): { active: ActiveCollector[]; created: Collector[]; retired: Collector[] } {
  const active: ActiveCollector[] = [];
  const created: Collector[] = [];
  const kept = new Set<Collector>();
  for (const { def, cfg } of sections(config, defs)) {
    if (!cfg.enabled || def.unavailable?.(cfg, ctx.host ?? HOST_PATHS) !== undefined) continue;
    const name = def.name;
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
