/** Test helpers for the HA collector: an HTTP listener answering from a RouteTable, a scrape. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SampleBuffer } from '../../core/metrics.ts';
import type { RouteTable } from '../../core/routes.ts';
import type { HaCollector } from './index.ts';

/** An HTTP server answering from a RouteTable, as src/server.ts does. */
export async function listen(
  routes: RouteTable,
  port = 0,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const entry = routes.get((req.url ?? '/').split('?')[0] ?? '');
    if (entry === undefined) {
      res.statusCode = 404;
      res.end();
      return;
    }
    void Promise.resolve(entry.handler(req)).then((r) => {
      res.statusCode = r.status;
      for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
      res.end(r.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

export async function scrape(c: HaCollector): Promise<SampleBuffer> {
  const buf = new SampleBuffer();
  await c.collect(buf, new AbortController().signal);
  return buf;
}
