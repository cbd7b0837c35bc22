import { existsSync } from 'node:fs';
import { defineCollector, type Collector, type CollectorContext } from '../../core/collector.ts';
import { mapLimit } from '../../core/concurrency.ts';
import { describeError, errorCode } from '../../core/errors.ts';
import { LogOnce } from '../../core/log-once.ts';
import { addInfo, addStateSet, type MetricSink } from '../../core/metrics.ts';
import { Supervisor, type LoopContext } from '../../core/supervisor.ts';
import { containersConfig, type ContainersConfig } from './config.ts';
import { socketEngine, type Engine } from './engine.ts';
import { containerFamilies as f } from './metrics.ts';
import { fromInspect, idsFromList, parseEvent, selected, type Container } from './state.ts';

/** Inspect requests in flight while listing: a host runs tens of containers, not thousands. */
const INSPECT_CONCURRENCY = 8;

/**
 * Background collector: the containers of one engine, listed once, then kept current from its
 * event stream (each event re-inspects its container). The stream is opened before the list, so
 * nothing that happens in between is missed; when it ends or fails the supervisor opens it
 * again and lists afresh. A scrape only reads memory.
 */
export function createContainersCollector(
  cfg: ContainersConfig,
  ctx: CollectorContext,
  engine: Engine = socketEngine(cfg.socket, cfg.request_timeout, cfg.events_idle_timeout),
): Collector {
  const log = ctx.logger.child({ collector: 'containers' });
  const failing = new LogOnce(log);
  const names = cfg.names === '' ? undefined : new RegExp(cfg.names, 'u');
  const store = new Map<string, Container>();
  let up = false;
  let synced = false;
  let tried = false;

  /** Inspects one container into the store; a second event for it while one runs waits for it. */
  const running = new Map<string, Promise<void>>();
  const refresh = (id: string, signal: AbortSignal): Promise<void> => {
    const before = running.get(id) ?? Promise.resolve();
    const next = before
      .then(async () => {
        const doc = await engine.inspect(id, signal);
        if (signal.aborted) return;
        const c = doc === undefined ? undefined : fromInspect(doc);
        if (c === undefined) store.delete(id);
        else store.set(id, c);
      })
      .catch((err: unknown) => {
        if (!signal.aborted) log.debug('inspect failed', { id, err: describeError(err) });
      });
    running.set(id, next);
    void next.then(() => {
      if (running.get(id) === next) running.delete(id);
    });
    return next;
  };

  const life = async (lc: LoopContext): Promise<void> => {
    let listing = true;
    const pending = new Set<string>();
    let opened!: () => void;
    const open = new Promise<void>((resolve) => {
      opened = resolve;
    });
    const events = engine.events(lc.signal, opened, (line) => {
      const e = parseEvent(line);
      if (e === undefined || lc.signal.aborted) return;
      lc.beat();
      if (e.gone) store.delete(e.id);
      else if (listing) pending.add(e.id);
      else void refresh(e.id, lc.signal);
    });
    await Promise.race([open, events]);
    const ids = idsFromList(await engine.list(lc.signal));
    const fresh = await mapLimit(ids, INSPECT_CONCURRENCY, (id) => engine.inspect(id, lc.signal));
    if (lc.signal.aborted) return;
    store.clear();
    for (const doc of fresh) {
      const c = doc === undefined ? undefined : fromInspect(doc);
      if (c !== undefined) store.set(c.id, c);
    }
    listing = false;
    for (const id of pending) void refresh(id, lc.signal);
    up = true;
    synced = true;
    tried = true;
    lc.healthy();
    failing.recover('engine', 'container engine answers again', { socket: cfg.socket });
    try {
      await events;
    } catch (err) {
      // A stream silent for events_idle_timeout is normal on a quiet host: list again, quietly.
      if (errorCode(err) === 'ETIMEDOUT' && !lc.signal.aborted) return;
      throw err;
    }
  };

  const supervisor = new Supervisor({
    name: 'container engine',
    logger: log,
    log: false,
    backoff: { initialMs: 1000, maxMs: 30_000 },
    run: life,
    onEnd: (err) => {
      tried = true;
      if (err === undefined) return;
      up = false;
      synced = false;
      failing.fail(
        'engine',
        describeError(err),
        'container engine unreachable; keeping the last known state',
        {
          socket: cfg.socket,
          err: describeError(err),
        },
      );
    },
  });

  return {
    name: 'containers',
    timeoutMs: cfg.timeout,
    start() {
      supervisor.start();
      return Promise.resolve();
    },
    ready: () => tried,
    stop: () => supervisor.stop(),
    collect(sink: MetricSink) {
      sink.add(f.up, {}, up ? 1 : 0);
      sink.add(f.synced, {}, synced ? 1 : 0);
      const seen = new Set<string>();
      for (const c of store.values()) {
        if (!selected(c, names, cfg.labels)) continue;
        seen.add(c.name);
        writeContainer(sink, c);
      }
      for (const name of cfg.required) {
        addInfo(sink, f.required, { name });
        // Known only once the engine has been listed: before that a required container is
        // neither present nor missing, and the engine's own series say why.
        if (!seen.has(name) && (synced || store.size > 0))
          addStateSet(sink, f.state, { name }, 'missing');
      }
    },
  };
}

function writeContainer(sink: MetricSink, c: Container): void {
  const labels = { name: c.name };
  addStateSet(sink, f.state, labels, c.state);
  addStateSet(sink, f.health, labels, c.health);
  sink.add(f.restarts, labels, c.restartCount);
  sink.add(f.oomKilled, labels, c.oomKilled ? 1 : 0);
  sink.add(f.exitCode, labels, c.exitCode);
  if (c.startedAt !== undefined) sink.add(f.startTime, labels, c.startedAt);
  addInfo(sink, f.info, { name: c.name, image: c.image });
}

export const containersCollector = defineCollector({
  name: 'containers',
  config: containersConfig,
  families: Object.values(f),
  describe: (cfg) => {
    if (!cfg.enabled) return 'disabled in configuration (collectors.containers.enabled: false)';
    const which = [
      cfg.names === '' ? '' : `names /${cfg.names}/`,
      Object.keys(cfg.labels).length === 0 ? '' : `labels ${JSON.stringify(cfg.labels)}`,
    ].filter((x) => x !== '');
    const required = cfg.required.length === 0 ? '' : `; required: ${cfg.required.join(', ')}`;
    return `containers of the engine at ${cfg.socket}${which.length === 0 ? '' : ` selected by ${which.join(', ')}`}${required}`;
  },
  unavailable: (cfg) =>
    cfg.required.length === 0 && !existsSync(cfg.socket)
      ? `no container engine socket at ${cfg.socket} (set collectors.containers.socket, or list required containers to be told when it is missing)`
      : undefined,
  create: (cfg, ctx) => createContainersCollector(cfg, ctx),
});
