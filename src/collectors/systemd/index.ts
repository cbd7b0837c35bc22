import { existsSync } from 'node:fs';
import { inRootfs, type HostPaths } from '../../core/host-paths.ts';
import {
  CollectFailure,
  type Collector,
  type CollectorContext,
  defineCollector,
} from '../../core/collector.ts';
import type { MetricSink } from '../../core/metrics.ts';
import { DEFAULT_EXCLUDE, DEFAULT_INCLUDE, systemdConfig, type SystemdConfig } from './config.ts';
import { systemdFamilies as f } from './metrics.ts';
import { isKnown, type UnitRecord } from './model.ts';
import { emitManager, emitTotals, emitUnit } from './samples.ts';
import {
  chooseAlternative,
  compileUnitFilter,
  isWatched,
  requirements,
  type Requirement,
} from './units.ts';
import { SystemdWatcher } from './watcher.ts';

/** The D-Bus address for `collectors.systemd.bus`. */
export function busAddress(bus: string, env: NodeJS.ProcessEnv = process.env): string {
  if (bus === 'system') {
    return env.DBUS_SYSTEM_BUS_ADDRESS ?? 'unix:path=/run/dbus/system_bus_socket';
  }
  if (bus === 'user') {
    if (env.DBUS_SESSION_BUS_ADDRESS !== undefined) return env.DBUS_SESSION_BUS_ADDRESS;
    // Where systemd's user manager puts the session bus (pam_systemd sets XDG_RUNTIME_DIR).
    const runtime = env.XDG_RUNTIME_DIR ?? `/run/user/${process.getuid?.() ?? 0}`;
    return `unix:path=${runtime}/bus`;
  }
  return bus;
}

export interface SystemdDeps {
  /** sd_booted(): the host (under --path.rootfs) runs systemd as PID 1. */
  readonly bootedWithSystemd?: (host: HostPaths) => boolean;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Background collector: a watcher keeps unit states from the manager's signals; a scrape asks
 * the manager one question (SystemState, which also proves it answers) and reads the rest from
 * memory. Required units the manager has not loaded are read directly, a few calls at most.
 */
export function createSystemdCollector(
  cfg: SystemdConfig,
  ctx: CollectorContext,
  deps: SystemdDeps = {},
): Collector & { readonly watcher: SystemdWatcher } {
  const log = ctx.logger.child({ collector: 'systemd' });
  const filter = compileUnitFilter(cfg);
  const reqs = requirements(cfg.presets, cfg.units);
  const requiredNames = new Set(reqs.flat());
  const watcher = new SystemdWatcher({
    address: busAddress(cfg.bus, deps.env),
    callTimeoutMs: cfg.call_timeout,
    resyncIntervalMs: cfg.resync_interval,
    wantsDetails: (name, loadState) =>
      requiredNames.has(name) || isWatched(filter, name, loadState),
    logger: log,
  });
  const unknownLogged = new Set<string>();
  const unknown = (property: string, value: string) => {
    const key = `${property}=${value}`;
    if (unknownLogged.has(key)) return;
    unknownLogged.add(key);
    log.warn('systemd reported a state patrol does not know; its one-hot series are all 0', {
      property,
      value,
    });
  };

  /** The table's record of a unit, when complete (states and details). */
  const held = (name: string): UnitRecord | undefined => {
    const r = watcher.table.get(watcher.canonical(name));
    return r !== undefined && isKnown(r) && r.stateChangeUs !== undefined ? r : undefined;
  };

  /**
   * The unit standing for a requirement, under its own name (an alias resolves to its unit):
   * from memory when the manager has it loaded, else read from the manager.
   */
  const resolve = async (req: Requirement): Promise<UnitRecord> => {
    const name = chooseAlternative(req, (n) => held(n)?.loadState);
    const inMemory = held(name);
    if (inMemory !== undefined) return inMemory;
    let first: UnitRecord | undefined;
    for (const alternative of req) {
      const read = await watcher.readUnit(alternative);
      const r = held(read.name) ?? read;
      if (r.loadState !== 'not-found') return r;
      first ??= r;
    }
    if (first === undefined) throw new Error('a requirement without units');
    return first;
  };

  const down = (sink: MetricSink): CollectFailure => {
    sink.add(f.up, {}, 0);
    const st = watcher.status;
    return new CollectFailure(
      st.up ? 'systemd stopped answering' : `systemd unreachable: ${st.reason}`,
    );
  };

  return {
    name: 'systemd',
    timeoutMs: cfg.timeout,
    watcher,
    start: () => watcher.start(),
    stop: () => watcher.stop(),
    async collect(sink: MetricSink) {
      if (!watcher.status.up) throw down(sink);
      let systemState: string;
      let chosen: UnitRecord[];
      try {
        systemState = await watcher.systemState();
        chosen = await Promise.all(reqs.map(resolve));
      } catch (err) {
        if (!watcher.status.up) throw down(sink);
        throw err;
      }
      const status = watcher.status;
      if (!status.up) throw down(sink);
      emitManager(sink, systemState, status.version, unknown);
      emitTotals(sink, watcher.table.values());
      sink.add(f.corrections, {}, watcher.corrections);
      const reported = new Set<string>();
      for (const r of chosen) {
        if (reported.has(r.name)) continue;
        reported.add(r.name);
        emitUnit(sink, r, true, unknown);
      }
      for (const r of watcher.table.values()) {
        if (reported.has(r.name) || !isKnown(r) || !isWatched(filter, r.name, r.loadState)) {
          continue;
        }
        emitUnit(sink, r, false, unknown);
      }
    },
  };
}

/** sd_booted() of the host: in a container its /run is under rootfs, not the container's. */
const RUN_SYSTEMD = '/run/systemd/system';
const sdBooted = (host: HostPaths) => existsSync(inRootfs(host, RUN_SYSTEMD));

export function systemdDefinition(deps: SystemdDeps = {}) {
  const booted = deps.bootedWithSystemd ?? sdBooted;
  return defineCollector({
    name: 'systemd',
    config: systemdConfig,
    families: Object.values(f),
    unavailable: (cfg, host) =>
      cfg.bus === 'system' && !booted(host)
        ? `this host was not booted with systemd (${inRootfs(host, RUN_SYSTEMD)} is missing); set collectors.systemd.bus to a D-Bus address to watch a manager anyway, or enabled: false to say so`
        : undefined,
    describe: (cfg) => {
      if (!cfg.enabled) return 'disabled in configuration (collectors.systemd.enabled: false)';
      const which =
        cfg.include === DEFAULT_INCLUDE && cfg.exclude === DEFAULT_EXCLUDE
          ? 'loaded services, sockets, timers, targets and mounts'
          : `loaded units matching /${cfg.include}/${cfg.exclude === '' ? '' : ` except /${cfg.exclude}/`}`;
      const reqs = requirements(cfg.presets, cfg.units).length;
      const required =
        reqs === 0
          ? 'no required units'
          : `${reqs} required unit${reqs === 1 ? '' : 's'}${cfg.presets.length > 0 ? ` (presets ${cfg.presets.join(', ')})` : ''}`;
      return `${which} and ${required}, from the manager on ${busAddress(cfg.bus, deps.env)}`;
    },
    create: (cfg, ctx) => createSystemdCollector(cfg, ctx, deps),
  });
}

export const systemdCollector = systemdDefinition();
