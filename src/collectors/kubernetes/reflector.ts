/**
 * List, then watch, one resource (in one namespace or all): client-go's reflector, kept small.
 * Each object is transformed as it arrives (resources/*.ts keep only what the metrics need) and
 * the raw object is dropped, so memory grows with the number of objects, not their size.
 *
 * - A list is paged (limit/continue) and swapped into the store whole when its last page
 *   arrived: objects that are gone are dropped (no ghost series), a half-read list never shows.
 * - A watch resumes from the last resourceVersion seen (an event, a bookmark) with
 *   allowWatchBookmarks and a timeoutSeconds drawn between watch_timeout and twice it, so the
 *   server ends it cleanly and the next one resumes where it left: nothing lost, nothing listed
 *   again.
 * - 410 Gone (as the HTTP status of the watch request, or as an ERROR event with code 410): the
 *   version was compacted away; the resource is listed again.
 * - Anything else that ends a watch (a dropped connection, a restarted server, a 401, the
 *   watchdog finding it silent for longer than its timeout) ends this life of the loop; the
 *   core supervisor starts the next after its backoff, which resumes from the last version.
 */
import { describeError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { Supervisor, WatchdogTimeout, type LoopContext } from '../../core/supervisor.ts';
import { ApiError, type ApiClient } from './api.ts';
import { EventSplitter, type WatchEvent } from './events.ts';
import { arr, keyOf, meta, obj, str } from './json.ts';

/** What a reflector watches, and how an object of it becomes state. */
export interface ResourceSpec<S> {
  /** The resource's name in its API group (pods, deployments), the `resource` label. */
  readonly resource: string;
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly namespaced: boolean;
  readonly transform: (raw: unknown) => S | undefined;
}

export function resourcePath(spec: ResourceSpec<unknown>, namespace: string): string {
  const base = spec.group === '' ? `/api/${spec.version}` : `/apis/${spec.group}/${spec.version}`;
  const ns = spec.namespaced && namespace !== '' ? `/namespaces/${namespace}` : '';
  return `${base}${ns}/${spec.resource}`;
}

export const EVENT_TYPES = ['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR'] as const;
export const RELIST_REASONS = ['start', 'expired', 'garbage'] as const;
export const RESTART_REASONS = ['timeout', 'silent', 'error'] as const;

export interface ReflectorOptions {
  /** '' for every namespace (or a cluster-scoped resource). */
  readonly namespace: string;
  readonly pageSize: number;
  readonly watchTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly logger: Logger;
  /** Told about every failure that ended a life, with the verb that failed (list or watch). */
  readonly onFailure?: (err: unknown, verb: 'list' | 'watch') => void;
  /** Told about every request the server answered (the API is up). */
  readonly onAnswer?: () => void;
  readonly random?: () => number;
}

export class Reflector<S extends { readonly namespace?: string; readonly name: string }> {
  readonly spec: ResourceSpec<S>;
  readonly store = new Map<string, S>();
  readonly relists: Record<(typeof RELIST_REASONS)[number], number> = {
    start: 0,
    expired: 0,
    garbage: 0,
  };
  readonly restarts: Record<(typeof RESTART_REASONS)[number], number> = {
    timeout: 0,
    silent: 0,
    error: 0,
  };
  readonly events: Record<(typeof EVENT_TYPES)[number], number> = {
    ADDED: 0,
    MODIFIED: 0,
    DELETED: 0,
    BOOKMARK: 0,
    ERROR: 0,
  };
  /** Objects (or events) that were not what the API should send: counted and skipped. */
  skipped = 0;
  /** Unix seconds of the last event or completed list. */
  lastEvent: number | undefined;
  /** The store equals the server's view: listed, and the watch since then open and current. */
  synced = false;
  /** The first list has been tried (successfully or not): the collector may say it is ready. */
  attempted = false;
  /** Changes with every change of the store: what was rendered from an older one is stale. */
  version = 0;
  /** The last error that ended a life (HTTP status and reason included), until it syncs again. */
  failure: unknown;

  readonly #api: ApiClient;
  readonly #o: ReflectorOptions;
  readonly #path: string;
  readonly #supervisor: Supervisor;
  readonly #random: () => number;
  #rv: string | undefined;
  #relistReason: (typeof RELIST_REASONS)[number] = 'start';

  constructor(spec: ResourceSpec<S>, api: ApiClient, opts: ReflectorOptions) {
    this.spec = spec;
    this.#api = api;
    this.#o = opts;
    this.#path = resourcePath(spec, opts.namespace);
    this.#random = opts.random ?? Math.random;
    this.#supervisor = new Supervisor({
      name: `watch of ${this.#path}`,
      logger: opts.logger,
      // Failures are counted and told by the collector (per resource, once until they change).
      log: false,
      backoff: { initialMs: 500, maxMs: 30_000 },
      // Longer than any watch may stay open without a byte (twice watch_timeout), plus the time
      // its headers may take: past that it is dead whatever the socket says (a frozen server).
      watchdogMs: 2 * opts.watchTimeoutMs + opts.requestTimeoutMs + 5_000,
      run: (ctx) => this.#life(ctx),
      onEnd: (err) => {
        this.synced = false;
        this.failure = err;
        if (err instanceof WatchdogTimeout) this.restarts.silent++;
        else if (this.#rv !== undefined) this.restarts.error++;
        this.#o.onFailure?.(err, this.#rv === undefined ? 'list' : 'watch');
      },
    });
  }

  get path(): string {
    return this.#path;
  }

  start(): void {
    this.#supervisor.start();
  }

  stop(): Promise<void> {
    return this.#supervisor.stop();
  }

  async #life(ctx: LoopContext): Promise<void> {
    if (this.#rv === undefined) await this.#list(ctx);
    for (;;) {
      const end = await this.#watch(ctx);
      if (end === 'expired' || end === 'garbage') {
        // The version we hold is gone from the server's history: list anew.
        this.#rv = undefined;
        this.#relistReason = end;
        this.synced = false;
        await this.#list(ctx);
      } else {
        this.restarts.timeout++;
      }
    }
  }

  /** Lists every page, then swaps the result in; the version to watch from is the list's. */
  async #list(ctx: LoopContext): Promise<void> {
    const next = new Map<string, S>();
    let cont: string | undefined;
    let rv = '';
    try {
      do {
        const query: Record<string, string> = { limit: String(this.#o.pageSize) };
        if (cont !== undefined) query.continue = cont;
        const page = await this.#api.get(this.#path, query, ctx.signal);
        this.#o.onAnswer?.();
        ctx.beat();
        for (const raw of arr(page.items)) {
          const s = this.spec.transform(raw);
          if (s === undefined) this.skipped++;
          else next.set(keyOf({ namespace: s.namespace ?? '', name: s.name }), s);
        }
        const m = obj(page.metadata);
        rv = str(m?.resourceVersion) ?? '';
        cont = str(m?.continue) || undefined;
      } while (cont !== undefined && !ctx.signal.aborted);
    } finally {
      this.attempted = true;
    }
    if (ctx.signal.aborted) return;
    this.store.clear();
    for (const [k, v] of next) this.store.set(k, v);
    this.version++;
    this.relists[this.#relistReason]++;
    this.#rv = rv;
    this.lastEvent = Date.now() / 1000;
    this.synced = true;
    this.failure = undefined;
    ctx.healthy();
  }

  /** One watch, until the server ends it (timeout) or says the version is gone (expired). */
  async #watch(ctx: LoopContext): Promise<'timeout' | 'expired' | 'garbage'> {
    const seconds = Math.round((this.#o.watchTimeoutMs / 1000) * (1 + this.#random()));
    const splitter = new EventSplitter();
    let end: 'expired' | 'garbage' | undefined;
    const abort = new AbortController();
    const onAbort = () => {
      abort.abort(ctx.signal.reason);
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      await this.#api.watch(
        this.#path,
        {
          resourceVersion: this.#rv ?? '',
          allowWatchBookmarks: 'true',
          timeoutSeconds: String(seconds),
        },
        (chunk) => {
          ctx.beat();
          if (end !== undefined) return;
          for (const e of splitter.push(chunk)) {
            end = this.#apply(e);
            if (end !== undefined) {
              abort.abort(); // the rest of this watch means nothing now
              return;
            }
          }
        },
        {
          idleTimeoutMs: 2 * seconds * 1000 + this.#o.requestTimeoutMs,
          signal: abort.signal,
          onOpen: () => {
            this.#o.onAnswer?.();
            this.synced = true;
            this.failure = undefined;
            ctx.healthy();
          },
        },
      );
    } catch (err) {
      if (end !== undefined) return end;
      if (err instanceof ApiError && err.status === 410) return 'expired';
      throw err;
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
    }
    return end ?? 'timeout';
  }

  /** Applies one event to the store; says when the watch must end and the resource be listed. */
  #apply(e: WatchEvent): 'expired' | 'garbage' | undefined {
    if (e.type === 'GARBAGE') {
      // A line that is not an event: we may have missed a change in it. Count it, list again.
      this.skipped++;
      this.#o.logger.warn('a watch sent something that is not an event; listing again', {
        resource: this.spec.resource,
        line: e.line,
      });
      return 'garbage';
    }
    this.events[e.type]++;
    if (e.type === 'ERROR') {
      if (e.code === 410) return 'expired';
      throw new ApiError(e.code ?? 500, e.reason, `${this.#path}: watch error ${e.reason}`);
    }
    this.lastEvent = Date.now() / 1000;
    if (e.rv !== undefined) this.#rv = e.rv;
    if (e.type === 'BOOKMARK') return undefined;
    const m = meta(e.object);
    if (m === undefined) {
      this.skipped++;
      return undefined;
    }
    const key = keyOf(m);
    this.version++;
    if (e.type === 'DELETED') {
      this.store.delete(key);
      return undefined;
    }
    const s = this.spec.transform(e.object);
    if (s === undefined) {
      // Garbage for an object we hold: it no longer says what it was; drop it rather than keep
      // a state the server no longer has.
      this.skipped++;
      this.store.delete(key);
    } else this.store.set(key, s);
    return undefined;
  }

  /** The current failure in words, for the collector's log line. */
  describeFailure(): string | undefined {
    return this.failure === undefined ? undefined : describeError(this.failure);
  }
}
