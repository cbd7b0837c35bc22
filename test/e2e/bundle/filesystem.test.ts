/**
 * The filesystem and directory alerts on real Prometheus and Alertmanager: a tmpfs filled to the
 * brim fires them, and Alertmanager (running deploy/alertmanager.yml) delivers the critical one
 * to a webhook run by this test while it holds back the warning for the same mount.
 *
 * The exporter (filesystem and directory collectors only) runs in a private mount namespace
 * (`unshare --mount`) holding the tmpfs, so nothing is mounted on the host and the mount dies
 * with the exporter. Needs root and util-linux (unshare, nsenter), the Debian packages
 * prometheus and prometheus-alertmanager.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultConfig } from '../../../mixin/config.ts';
import { strings } from '../../../mixin/i18n/index.ts';
import {
  TO_ALERTMANAGER,
  TO_THE_PAGER,
  startBundle,
  startPager,
  writeConfig,
} from '../../harness/bundle-env.ts';
import {
  DIRECTORY_INTERVAL_SECONDS,
  diskFixture,
  startOnDisk,
} from '../../harness/bundle-fixtures.ts';
import type { Needs } from '../../harness/budget.ts';
import { onlyCollectors } from '../../harness/config.ts';
import { run } from '../../harness/process.ts';
import { tempDir } from '../../harness/tmp.ts';
import { notYet, waitFor } from '../../harness/wait.ts';

describe('the filesystem alerts on real Prometheus and Alertmanager', () => {
  it('a full disk pages through Alertmanager', async (t) => {
    const dir = await tempDir(t, 'patrol-bundle-fs-');
    const disk = await diskFixture(dir);
    const { fs, logs } = disk;
    const pager = await startPager(t);
    const { am, webhook } = pager;
    const configFile = await writeConfig(join(dir, 'patrol.yml'), onlyCollectors(disk.sections));
    const exporter = await startOnDisk(t, disk, configFile);
    const b = await startBundle(t, {
      dir,
      exporters: [exporter],
      pager,
      mountpoint: fs,
      vars: { mountpoint: fs, path: logs },
    });
    const { instance, sel } = b;
    await b.waitForData(`patrol_filesystem_avail_bytes{mountpoint="${fs}"}`);
    // The directory's size before the disk fills: the growth is what the directory alert sees.
    const scanned = { scrapes: 1, work: DIRECTORY_INTERVAL_SECONDS };
    await b.waitForData(
      `patrol_directory_filesystem_info{path="${logs}", mountpoint="${fs}"}`,
      scanned,
    );
    await b.waitForData(`patrol_directory_oldest_file_timestamp_seconds${sel}`, scanned);
    const en = strings('en').dashboards;

    await t.test('a tmpfs filled to the brim fires the alerts and pages once', async () => {
      const pid = exporter.proc.child.pid;
      assert.ok(pid !== undefined);
      // dd stops at ENOSPC with a non-zero status: that is the point.
      await run('nsenter', [
        `--target=${pid}`,
        '--mount',
        '--',
        'sh',
        '-c',
        `dd if=/dev/zero of="${logs}/tomcat_access.2026-11-21.log" bs=64k 2>/dev/null; true`,
      ]);
      // The next scrape sees the disk full; the ratio's recording rule, then the alert.
      const full: Needs = { scrapes: 1, evaluations: 2 };
      const firing = async (alert: string, severity: string, needs = full) =>
        (await b.firing(alert, { severity }, needs))[0] ?? assert.fail(`no ${alert}`);

      const critical = await firing('PatrolFilesystemAlmostOutOfSpace', 'critical');
      assert.equal(critical.labels.mountpoint, fs);
      assert.equal(critical.labels.device, 'patrol-bundle');
      assert.equal(critical.labels.instance, instance);
      await firing('PatrolFilesystemAlmostOutOfSpace', 'warning');
      // A rescan sees the directory grown; predict_linear needs it in two scrapes.
      const dirAlert = await firing('PatrolDirectoryFillingFilesystem', 'critical', {
        scrapes: 2,
        evaluations: 1,
        work: DIRECTORY_INTERVAL_SECONDS,
      });
      assert.equal(dirAlert.labels.path, logs);
      assert.equal(dirAlert.labels.mountpoint, fs, 'directory joined to its filesystem');

      const delivery = await webhook.waitFor(
        'the critical PatrolFilesystemAlmostOutOfSpace to reach the webhook',
        (deliveries) =>
          deliveries
            .filter((d) => d.path === '/pager')
            .flatMap((d) => d.message.alerts)
            .find(
              (a) =>
                a.status === 'firing' &&
                a.labels.alertname === 'PatrolFilesystemAlmostOutOfSpace' &&
                a.labels.severity === 'critical',
            ),
        b.budget(TO_THE_PAGER),
      );
      assert.equal(delivery.labels.mountpoint, fs);
      assert.equal(
        delivery.annotations.runbook_url,
        `${defaultConfig.runbookUrlBase}/PatrolFilesystemAlmostOutOfSpace.md`,
      );
      assert.match(delivery.annotations.description ?? '', new RegExp(`${fs}.*0%`));

      // The warning for the same mount is held back by the critical one (inhibit_rules).
      const warning = await waitFor(
        'Alertmanager to mark the warning inhibited',
        async () => {
          const warnings = await am.alerts({
            filter: ['alertname="PatrolFilesystemAlmostOutOfSpace"', 'severity="warning"'],
          });
          return (
            warnings.find((a) => a.status.inhibitedBy.length > 0) ??
            notYet(JSON.stringify(warnings.map((a) => ({ ...a.labels, ...a.status }))))
          );
        },
        { timeoutMs: b.budget(TO_ALERTMANAGER) },
      );
      assert.equal(warning.labels.mountpoint, fs);
      assert.equal(warning.status.state, 'suppressed');
      const warned = webhook.deliveries.flatMap((d) =>
        d.message.alerts.filter(
          (a) => a.labels.severity === 'warning' && a.labels.mountpoint === fs,
        ),
      );
      assert.deepEqual(warned, [], 'a warning for the full mount reached the webhook');

      // And the wall turned red where it should.
      const o = en.overview.panels;
      assert.ok((await b.tile('overview.json', o.criticalAlerts.title)) >= 1);
      assert.ok((await b.tile('overview.json', o.fullestFilesystem.title)) >= 0.97);
      assert.ok((await b.tile('overview.json', o.filesystemUsed.title)) >= 0.97);
      assert.equal(await b.tile('host.json', en.host.panels.timeToFull.title), 0, 'full now');
    });
  });
});
