/**
 * The generated bundle against the real things: Prometheus loads patrol's rules and scrapes one
 * exporter running every collector on something real (a tmpfs in its own mount namespace, a
 * real systemd user manager, log files, an HA peer), and every PromQL expression of every rule
 * file and dashboard is evaluated through its HTTP API. The replication panels are evaluated on
 * a mirrored pair, in replication.test.ts; what fires the alerts, area by area, in the other
 * files of this directory.
 *
 * Needs root and util-linux (unshare, nsenter), systemd and dbus, the Debian package prometheus.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { strings } from '../../../mixin/i18n/index.ts';
import { ruleFiles } from '../../harness/bundle.ts';
import { labelValues, startBundle, substitute, writeConfig } from '../../harness/bundle-env.ts';
import {
  APPEND_SECONDS,
  DIRECTORY_INTERVAL_SECONDS,
  HA_INTERVAL_SECONDS,
  LOG_RESCAN_SECONDS,
  RESTART_SECONDS,
  diskFixture,
  haFixture,
  logsFixture,
  startOnDisk,
  systemdFixture,
} from '../../harness/bundle-fixtures.ts';
import { scrapesFor } from '../../harness/budget.ts';
import { onlyCollectors } from '../../harness/config.ts';
import { notYet } from '../../harness/wait.ts';
import { tempDir } from '../../harness/tmp.ts';

/**
 * The slowest periodic work behind any panel of this exporter: a rescan, a heartbeat, a log
 * append, a restart of the flapping unit (the restarts panel needs one between two scrapes).
 */
const PERIOD = Math.max(
  DIRECTORY_INTERVAL_SECONDS,
  LOG_RESCAN_SECONDS,
  APPEND_SECONDS,
  HA_INTERVAL_SECONDS,
  RESTART_SECONDS,
);

describe('the alert and dashboard bundle on real Prometheus', () => {
  it('evaluates every rule expression and every dashboard query', async (t) => {
    const dir = await tempDir(t, 'patrol-bundle-');
    const disk = await diskFixture(dir);
    const units = await systemdFixture(t);
    const logs = await logsFixture(t, dir);
    const pair = await haFixture(t, dir);
    const configFile = await writeConfig(
      join(dir, 'patrol.yml'),
      onlyCollectors({
        ...disk.sections,
        ...units.sections,
        ...logs.sections,
        // The HA links: the peer is on loopback, so its route may name no interface here; lo is
        // watched by name, so the link panels have a link to show (up, no speed, counters at 0).
        ha: { ...pair.sections.ha, links: { interfaces: ['lo'] } },
      }),
    );
    const exporter = await startOnDisk(t, disk, configFile);
    const b = await startBundle(t, {
      dir,
      exporters: [exporter],
      mountpoint: disk.fs,
      // The HA dashboard's pair, as its repeated row sees it.
      vars: { mountpoint: disk.fs, path: disk.logs, cluster: 'bundle' },
    });
    const { prom, sel } = b;
    await b.waitForData(`patrol_filesystem_avail_bytes{mountpoint="${disk.fs}"}`);
    const scanned = { scrapes: 1, work: DIRECTORY_INTERVAL_SECONDS };
    await b.waitForData(
      `patrol_directory_filesystem_info{path="${disk.logs}", mountpoint="${disk.fs}"}`,
      scanned,
    );
    await b.waitForData(`patrol_directory_oldest_file_timestamp_seconds${sel}`, scanned);
    // After a first scrape, so the read error is an increase Prometheus sees.
    await b.waitForData(`patrol_log_read_errors_total${sel}`, {
      scrapes: 1,
      work: LOG_RESCAN_SECONDS,
    });
    // The peer has answered: round trip, clock offset and last seen exist.
    await b.waitForData(`patrol_ha_peer_rtt_seconds${sel}`, {
      scrapes: 1,
      work: HA_INTERVAL_SECONDS,
    });
    await b.waitForData(`patrol_ha_link_up${sel}`, { scrapes: 1 });
    await logs.makeMissingDir();
    const en = strings('en').dashboards;

    await t.test('every rule of the generated files evaluates without error', async () => {
      const exprs = new Set(
        ruleFiles().flatMap((f) => f.groups.flatMap((g) => g.rules.map((r) => r.expr))),
      );
      assert.ok(exprs.size >= 15, `only ${exprs.size} expressions found`);
      for (const expr of exprs) await prom.query(expr); // throws with Prometheus' error
      await b.waitFor('every loaded rule to be evaluated healthy', { evaluations: 1 }, async () => {
        const rules = (await prom.rules()).flatMap((g) => g.rules);
        const bad = rules.filter((r) => r.health !== 'ok');
        if (bad.some((r) => r.health === 'err'))
          throw new Error(`rules failing: ${JSON.stringify(bad)}`);
        return bad.length === 0
          ? rules
          : notYet(`not evaluated yet: ${bad.map((r) => r.name).join(', ')}`);
      });
    });

    await t.test('every dashboard query and variable returns data from this exporter', async () => {
      const checked = new Set<string>();
      for (const f of b.dashboards) {
        for (const v of f.model.templating?.list ?? []) {
          const lv = labelValues(v.query);
          // kubernetes.test.ts, probes.test.ts and db-replication.test.ts: this exporter watches
          // no cluster, probes nothing and reads no database.
          if (lv === undefined || /patrol_(kube|probe|db_replication)_/.test(lv.expr)) continue;
          const expr = substitute(lv.expr, b.vars);
          const samples = await b.waitForData(expr, { scrapes: scrapesFor(expr), work: PERIOD });
          assert.ok(
            samples.some((s) => s.metric[lv.label] !== undefined),
            `${f.path}: variable ${v.name}: ${expr} has no ${lv.label} label`,
          );
        }
        for (const p of f.panels)
          for (const target of p.targets ?? []) {
            // On the mirrored pair, in replication.test.ts: this exporter mirrors no dataset; on a
            // control plane, in kubernetes.test.ts: this exporter watches no cluster.
            if ((target.expr ?? '').includes('patrol_replication_')) continue;
            if ((target.expr ?? '').includes('patrol_kube_')) continue;
            if ((target.expr ?? '').includes('patrol_probe_')) continue; // probes.test.ts
            if ((target.expr ?? '').includes('patrol_db_replication_')) continue; // db-replication.test.ts
            const expr = substitute(target.expr ?? '', b.vars);
            if (checked.has(expr)) continue;
            checked.add(expr);
            // Rates and increases need a second scrape; everything else answers at once.
            await b
              .waitForData(expr, { scrapes: scrapesFor(expr), work: PERIOD })
              .catch((err: unknown) => {
                throw new Error(`${f.path}: panel "${p.title ?? ''}": ${expr}`, { cause: err });
              });
          }
      }
      assert.ok(checked.size >= 20, `only ${checked.size} dashboard queries found`);
      // The rules are loaded: the alert tile counts (0 or more), it does not say "NO RULES" (-1).
      assert.ok((await b.tile('overview.json', en.overview.panels.criticalAlerts.title)) >= 0);
      assert.equal(await b.tile('host.json', en.host.panels.timeToFull.title), -1, 'not filling');
    });
  });
});
