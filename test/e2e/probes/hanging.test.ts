// 200 probes of which 50 hang, through the real exporter: /metrics answers within the
// collector's timeout on every scrape with every probe's series, and the server side never sees
// more connections at once than max_in_flight allows.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startExporter, type Exporter } from '../../harness/exporter.ts';
import { onlyCollectors } from '../../harness/config.ts';
import { parseSamples, sampleValue } from '../../harness/metrics.ts';
import { startNginx, type Nginx } from '../../harness/nginx.ts';
import { run, suiteScope } from '../../harness/process.ts';
import { PROMTOOL_BIN } from '../../harness/prometheus.ts';
import { tempDir } from '../../harness/tmp.ts';

const MAX_IN_FLIGHT = 32;
const COLLECTOR_TIMEOUT_S = 5;

describe('200 probes, 50 of them hanging', () => {
  const scope = suiteScope();
  let nginx: Nginx;
  let exporter: Exporter;
  let silent: Server;
  const open = new Set<Socket>();
  let mostOpen = 0;

  before(async () => {
    nginx = await startNginx(scope);
    // A connection counts as open from its accept to its end (the client's FIN) or close. The
    // count is read after the poll phase that accepted it (setImmediate), when the FINs the
    // kernel delivered in the same batch have been read: the probe frees its slot by closing
    // its socket, so the FIN always reaches the server before the next connection does.
    silent = createServer((s) => {
      open.add(s);
      setImmediate(() => {
        mostOpen = Math.max(mostOpen, open.size);
      });
      s.resume();
      const gone = () => open.delete(s);
      s.once('end', gone);
      s.once('close', gone);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const silentPort = (silent.address() as { port: number }).port;
    const hanging = (i: number) =>
      i % 8 === 3
        ? {
            name: `hang-${i}`,
            module: 'http' as const,
            target: `http://127.0.0.1:${silentPort}/x${i}`,
            timeout: '1s',
          }
        : {
            name: `hang-${i}`,
            module: 'tcp' as const,
            target: `127.0.0.1:${silentPort}`,
            timeout: '1s',
            query_response: [{ expect: '^220 ' }],
          };
    const probes = Array.from({ length: 200 }, (_, i) =>
      i % 4 === 3
        ? hanging(i)
        : {
            name: `web-${i}`,
            module: 'http' as const,
            target: `http://127.0.0.1:${nginx.http}/health?n=${i}`,
            timeout: '1s',
          },
    );
    const dir = await tempDir(scope);
    const configFile = join(dir, 'patrol.yaml');
    const config = onlyCollectors({
      probes: { timeout: `${COLLECTOR_TIMEOUT_S}s`, max_in_flight: MAX_IN_FLIGHT, probes },
    });
    writeFileSync(configFile, JSON.stringify(config));
    exporter = await startExporter(scope, { configFile });
  });

  after(async () => {
    await exporter.stop();
    for (const s of open) s.destroy();
    await new Promise<void>((r) =>
      silent.close(() => {
        r();
      }),
    );
    await scope.close();
  });

  it('every scrape answers within the timeout with all 200 probes, never over max_in_flight', async () => {
    for (let scrape = 0; scrape < 3; scrape++) {
      const t0 = performance.now();
      const text = await exporter.scrape('/metrics', { timeoutMs: 10_000 });
      const took = (performance.now() - t0) / 1000;
      assert.ok(took < COLLECTOR_TIMEOUT_S, `scrape ${scrape} took ${took.toFixed(2)} s`);
      assert.equal(sampleValue(text, 'patrol_collector_success', { collector: 'probes' }), 1);
      const success = parseSamples(text).filter((s) => s.name === 'patrol_probe_success');
      assert.equal(success.length, 200);
      const up = success.filter((s) => s.value === 1).map((s) => s.labels.probe ?? '');
      assert.equal(up.length, 150);
      assert.ok(up.every((p) => p.startsWith('web-')));
      for (const s of success.filter((x) => x.value === 0)) {
        assert.equal(
          sampleValue(text, 'patrol_probe_failure_reason', {
            probe: s.labels.probe ?? '',
            reason: 'timeout',
          }),
          1,
        );
      }
    }
    // promtool's lint finds nothing in the probes' families.
    const lint = await run(PROMTOOL_BIN, ['check', 'metrics'], { input: await exporter.scrape() });
    assert.equal(lint.stdout + lint.stderr, '', 'promtool check metrics found problems');
    assert.ok(mostOpen >= 24, `the bound was reached (${mostOpen} at once)`);
    assert.ok(
      mostOpen <= MAX_IN_FLIGHT,
      `the hanging server saw ${mostOpen} connections at once (max_in_flight ${MAX_IN_FLIGHT})`,
    );
  });
});
