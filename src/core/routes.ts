import type { IncomingMessage } from 'node:http';

/** What a collector's endpoint answers. */
export interface RouteResponse {
  readonly status: number;
  readonly body: string;
  readonly type?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type RouteHandler = (req: IncomingMessage) => RouteResponse | Promise<RouteResponse>;

interface Entry {
  readonly handler: RouteHandler;
  readonly ownAuth: boolean;
}

/**
 * Endpoints collectors serve on the exporter's listener (the HA collector's heartbeat), next to
 * /metrics. A route with `ownAuth` authenticates its callers itself (a shared secret between
 * peers) and so is not behind the web config's basic auth; TLS and client certificates of the
 * web config still apply to it, as to every request.
 */
export class RouteTable {
  readonly #routes = new Map<string, Entry>();

  /**
   * Adds a GET route, replacing one at the same path (on reload the new collector starts before
   * the old one stops); returns what removes it, if it is still this one (a collector's stop()).
   */
  add(path: string, handler: RouteHandler, opts: { ownAuth?: boolean } = {}): () => void {
    const entry = { handler, ownAuth: opts.ownAuth ?? false };
    this.#routes.set(path, entry);
    return () => {
      if (this.#routes.get(path) === entry) this.#routes.delete(path);
    };
  }

  get(path: string): Entry | undefined {
    return this.#routes.get(path);
  }
}
