/**
 * The probes alerts and panels on real Prometheus: the exporter probes a real nginx (a healthy
 * page, a 503, a page sent slowly, a certificate valid two days and one expired in 2020), and
 * the probe alerts fire for exactly those, with the failure reason in the description; every
 * probes panel and variable returns data. (PatrolProbeRabbitmqAlarm's expression is evaluated in
 * queries.test.ts and fired by promtool; a RabbitMQ node is not started here.)
 *
 * Needs nginx, openssl and the Debian package prometheus.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { strings } from '../../../mixin/i18n/index.ts';
import { labelValues, startBundle, substitute, writeConfig } from '../../harness/bundle-env.ts';
import { scrapesFor, type Needs } from '../../harness/budget.ts';
import { onlyCollectors } from '../../harness/config.ts';
import { startExporter } from '../../harness/exporter.ts';
import { startNginx } from '../../harness/nginx.ts';
import { tempDir } from '../../harness/tmp.ts';

describe('the probes alerts on real Prometheus', () => {
  it('fire from a real nginx, and every probes panel returns data', async (t) => {
    const dir = await tempDir(t, 'patrol-bundle-probes-');
    const nginx = await startNginx(t);
    const base = `http://127.0.0.1:${nginx.http}`;
    const tls = { ca_file: nginx.caFile };
    const configFile = await writeConfig(
      join(dir, 'patrol.yml'),
      onlyCollectors({
        probes: {
          probes: [
            { name: 'web', module: 'http', target: `${base}/health` },
            { name: 'stub', module: 'http', target: `${base}/stub_status`, stub_status: true },
            { name: 'broken', module: 'http', target: `${base}/fail` },
            { name: 'slow', module: 'http', target: `${base}/slow`, slow_threshold: '500ms' },
            {
              name: 'portal',
              module: 'http',
              target: `https://127.0.0.1:${nginx.tls}/`,
              tls_config: tls,
            },
            {
              name: 'old-vpn',
              module: 'tcp',
              target: `127.0.0.1:${nginx.expired}`,
              tls: true,
              tls_config: tls,
            },
          ],
        },
      }),
    );
    const exporter = await startExporter(t, { configFile });
    const b = await startBundle(t, { dir, exporters: [exporter], vars: { probe: '.+' } });
    const probed: Needs = { scrapes: 1, evaluations: 1 };
    const firing = async (alert: string, probe: string, severity: string) =>
      (await b.firing(alert, { probe, severity }, probed))[0] ?? assert.fail(`no ${alert}`);

    await t.test('each breakage fires its alert, and only that', async () => {
      const failed = await firing('PatrolProbeFailed', 'broken', 'critical');
      assert.match(failed.annotations.description ?? '', /fails: unexpected_status\./);
      const expired = await firing('PatrolProbeFailed', 'old-vpn', 'critical');
      assert.match(expired.annotations.description ?? '', /fails: tls\./);
      await firing('PatrolProbeCertificateExpired', 'old-vpn', 'critical');
      // Valid for two days: within the critical window (3 days) of the expiring alert.
      await firing('PatrolProbeCertificateExpiring', 'portal', 'critical');
      await firing('PatrolProbeSlow', 'slow', 'warning');
      const quiet = (await b.prom.alerts()).filter(
        (a) =>
          (a.labels.alertname ?? '').startsWith('PatrolProbe') &&
          ['web', 'stub'].includes(a.labels.probe ?? ''),
      );
      assert.deepEqual(quiet, [], 'the healthy probes raise nothing');
      const o = strings('en').dashboards.overview.panels;
      assert.equal(await b.tile('overview.json', o.probesFailing.title), 2);
      assert.equal(await b.tile('overview.json', o.certificatesExpiring.title), 2);
    });

    await t.test('every probes panel and variable returns data', async () => {
      let checked = 0;
      for (const f of b.dashboards) {
        for (const v of f.model.templating?.list ?? []) {
          const lv = labelValues(v.query);
          if (lv === undefined || !lv.expr.includes('patrol_probe_')) continue;
          await b.waitForData(substitute(lv.expr, b.vars), probed);
          checked++;
        }
        for (const p of f.panels)
          for (const target of p.targets ?? []) {
            const expr = target.expr ?? '';
            if (!expr.includes('patrol_probe_')) continue;
            await b
              .waitForData(substitute(expr, b.vars), { scrapes: scrapesFor(expr) })
              .catch((err: unknown) => {
                throw new Error(`${f.path}: panel "${p.title ?? ''}": ${expr}`, { cause: err });
              });
            checked++;
          }
      }
      assert.ok(checked >= 20, `only ${checked} probes queries found`);
    });
  });
});
