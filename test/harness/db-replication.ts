import {
  dbReplicationConfig,
  type GroupInput,
} from '../../src/collectors/db-replication/config.ts';
import { createDbReplicationCollector } from '../../src/collectors/db-replication/index.ts';
import type { Collector } from '../../src/core/collector.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { SampleBuffer } from '../../src/core/metrics.ts';
import type { Scope } from './process.ts';
import type { Pair } from './replication.ts';

/** The heartbeat interval of these tests (the default). */
export const HEARTBEAT_SECONDS = 1;

/** The group config patrol needs for a pair from test/harness/replication.ts. */
export function groupFor(pair: Pair, extra: Partial<GroupInput> = {}): GroupInput {
  return {
    name: pair.engine,
    engine: pair.engine,
    primary: { name: 'primary', target: pair.primaryTarget },
    replicas: [{ name: 'replica', target: pair.replicaTarget }],
    ...(pair.user === undefined ? {} : { user: pair.user }),
    password_file: pair.passwordFile,
    timeout: '2s',
    heartbeat: { write: true, interval: `${HEARTBEAT_SECONDS}s` },
    ...extra,
  };
}

/** One scrape's values, by metric, server and the method or thread label. */
export class Scrape {
  readonly sink: SampleBuffer;
  constructor(sink: SampleBuffer) {
    this.sink = sink;
  }
  get(
    name: string,
    server: 'primary' | 'replica',
    extra: Record<string, string> = {},
  ): number | undefined {
    return this.sink.get(`patrol_db_replication_${name}`, { server, ...extra });
  }
  heartbeatLag(): number | undefined {
    return this.get('lag_seconds', 'replica', { method: 'heartbeat' });
  }
  nativeLag(): number | undefined {
    return this.get('lag_seconds', 'replica', { method: 'native' });
  }
  linkUp(): number | undefined {
    return this.get('link_up', 'replica');
  }
  describe(): string {
    const out: string[] = [];
    for (const [fam, samples] of this.sink.families)
      for (const s of samples) {
        const labels = Object.entries(s.labels).filter(([k]) => k !== 'group' && k !== 'engine');
        out.push(`${fam.name}${JSON.stringify(Object.fromEntries(labels))} ${s.value}`);
      }
    return out.join('\n');
  }
}

/**
 * The collector over one pair, in this process, started (its heartbeat writer runs) until the
 * scope ends; `scrape()` is one Prometheus scrape.
 */
export async function watchPair(
  scope: Scope,
  pair: Pair,
  extra: Partial<GroupInput> = {},
): Promise<{ collector: Collector; scrape(): Promise<Scrape> }> {
  const cfg = dbReplicationConfig.parse({ timeout: '5s', groups: [groupFor(pair, extra)] });
  const collector = createDbReplicationCollector(cfg, { logger: silentLogger });
  await collector.start?.();
  scope.after(async () => {
    await collector.stop?.();
  });
  return {
    collector,
    async scrape() {
      const sink = new SampleBuffer();
      await collector.collect(sink, new AbortController().signal);
      return new Scrape(sink);
    },
  };
}
