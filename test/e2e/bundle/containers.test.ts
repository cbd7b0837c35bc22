/**
 * The containers alerts on real Prometheus: the exporter watches a real Docker daemon of the
 * test's own, where a required container has exited, another does not exist, one fails its
 * health check and one crash loops under --restart always; then the daemon is stopped.
 *
 * Needs root, the Debian packages docker.io, busybox-static and prometheus.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { strings } from '../../../mixin/i18n/index.ts';
import { startBundle, writeConfig } from '../../harness/bundle-env.ts';
import type { Needs } from '../../harness/budget.ts';
import { onlyCollectors } from '../../harness/config.ts';
import { FAILING_HEALTH_CHECK, startDocker } from '../../harness/docker.ts';
import { startExporter } from '../../harness/exporter.ts';
import { tempDir } from '../../harness/tmp.ts';

describe('the containers alerts on real Prometheus', () => {
  it('fire from a real Docker daemon', async (t) => {
    const dir = await tempDir(t, 'patrol-bundle-containers-');
    const docker = await startDocker(t);
    await docker.run('web', ['sleep', '300']);
    await docker.run('db', ['sh', '-c', 'exit 1']);
    await docker.run('sick', ['sleep', '300'], FAILING_HEALTH_CHECK);
    await docker.run('crash', ['sh', '-c', 'exit 2'], ['--restart', 'always']);
    const configFile = await writeConfig(
      join(dir, 'patrol.yml'),
      onlyCollectors({ containers: { socket: docker.socket, required: ['web', 'db', 'ghost'] } }),
    );
    const exporter = await startExporter(t, { configFile });
    const b = await startBundle(t, { dir, exporters: [exporter] });
    // Events reach patrol at once; the health check fails within its interval and retries.
    const seen: Needs = { scrapes: 1, evaluations: 1, work: 3 };
    const firing = async (alert: string, labels: Record<string, string>, needs = seen) =>
      (await b.firing(alert, labels, needs))[0] ?? assert.fail(`no ${alert}`);

    await t.test('each breakage fires its alert, and the healthy container none', async () => {
      const down = await firing('PatrolContainerNotRunning', { name: 'db', severity: 'critical' });
      assert.equal(down.labels.state, 'exited');
      await firing('PatrolContainerRequiredMissing', { name: 'ghost', severity: 'critical' });
      const sick = await firing('PatrolContainerUnhealthy', { name: 'sick', severity: 'warning' });
      assert.match(sick.annotations.description ?? '', /json \.State\.Health/);
      // Docker's restart delay doubles from 100 ms: three restarts within a few seconds.
      await firing(
        'PatrolContainerRestarting',
        { name: 'crash', severity: 'warning' },
        {
          scrapes: 2,
          evaluations: 1,
          work: 10,
        },
      );
      const web = (await b.prom.alerts()).filter(
        (a) => (a.labels.alertname ?? '').startsWith('PatrolContainer') && a.labels.name === 'web',
      );
      assert.deepEqual(web, [], 'the running required container raises nothing');
      const o = strings('en').dashboards.overview.panels;
      assert.equal(await b.tile('overview.json', o.requiredNotRunning.title), 2);
      assert.equal(await b.tile('overview.json', o.unhealthy.title), 1);
      assert.equal(await b.tile('overview.json', o.engineUnreachable.title), 0);
    });

    await t.test('the daemon stopped fires PatrolContainerEngineUnreachable', async () => {
      await docker.stop();
      await firing('PatrolContainerEngineUnreachable', { severity: 'warning' });
      const o = strings('en').dashboards.overview.panels;
      assert.equal(await b.tile('overview.json', o.engineUnreachable.title), 1);
    });
  });
});
