/**
 * The systemd alerts on real Prometheus: a real systemd user manager (test/harness/systemd.ts)
 * runs a healthy, a failed and a flapping service, and the configuration requires one unit that
 * does not exist: the systemd alerts fire, and killing the manager fires
 * PatrolSystemdUnreachable.
 *
 * Needs root and util-linux (unshare, nsenter), systemd and dbus, the Debian package prometheus.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { strings } from '../../../mixin/i18n/index.ts';
import { startBundle, writeConfig } from '../../harness/bundle-env.ts';
import { RESTART_SECONDS, systemdFixture } from '../../harness/bundle-fixtures.ts';
import type { Needs } from '../../harness/budget.ts';
import { onlyCollectors } from '../../harness/config.ts';
import { startExporter } from '../../harness/exporter.ts';
import { tempDir } from '../../harness/tmp.ts';

describe('the systemd alerts on real Prometheus', () => {
  it('fire from a real systemd user manager', async (t) => {
    const dir = await tempDir(t, 'patrol-bundle-systemd-');
    const units = await systemdFixture(t);
    const configFile = await writeConfig(join(dir, 'patrol.yml'), onlyCollectors(units.sections));
    const exporter = await startExporter(t, { configFile });
    const b = await startBundle(t, { dir, exporters: [exporter] });
    const en = strings('en').dashboards;

    await t.test('failed, missing and flapping units fire the systemd alerts', async () => {
      // A unit's state is on the bus at once: one scrape, one evaluation.
      const state: Needs = { scrapes: 1, evaluations: 1 };
      const firing = async (alert: string, severity: string, name?: string, needs = state) =>
        (await b.firing(alert, { severity, ...(name === undefined ? {} : { name }) }, needs))[0] ??
        assert.fail(`no ${alert}`);
      await firing('PatrolSystemdUnitFailed', 'critical', 'broken.service');
      const missing = await firing(
        'PatrolSystemdRequiredUnitMissing',
        'critical',
        'nosuch.service',
      );
      assert.match(missing.annotations.description ?? '', /nosuch\.service/);
      // Three restarts (RestartSec apart) between scrapes: increase() needs two of them.
      await firing('PatrolSystemdServiceRestarting', 'warning', 'flapping.service', {
        scrapes: 2,
        evaluations: 1,
        work: 3 * RESTART_SECONDS,
      });
      await firing('PatrolSystemdSystemDegraded', 'warning');
      const active = (await b.prom.alerts()).filter(
        (a) =>
          (a.labels.alertname ?? '').startsWith('PatrolSystemd') && a.labels.name === 'web.service',
      );
      assert.deepEqual(active, [], 'the healthy required unit raises nothing');
      const o = en.overview.panels;
      assert.ok((await b.tile('overview.json', o.unitsFailed.title)) >= 1);
      assert.equal(await b.tile('overview.json', o.requiredMissing.title), 1);
      assert.equal(await b.tile('overview.json', o.systemdUnreachable.title), 0);

      // The manager and its bus die: the exporter says so, and the alert fires.
      await units.sd.kill({ everything: true });
      await firing('PatrolSystemdUnreachable', 'warning');
      assert.equal(await b.tile('overview.json', o.systemdUnreachable.title), 1);
    });
  });
});
