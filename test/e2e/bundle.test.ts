/**
 * The generated bundle against the real things: Prometheus loads patrol's rules and scrapes
 * patrol, every PromQL expression of every rule file and dashboard is evaluated through its
 * HTTP API, then a tmpfs filled to the brim fires the filesystem alerts, and Alertmanager
 * (running deploy/alertmanager.yml) delivers the critical one to a webhook run by this test
 * while it holds back the warning for the same mount.
 *
 * A real systemd user manager (test/harness/systemd.ts) runs a healthy, a failed and a
 * flapping service, and the configuration requires one unit that does not exist: the systemd
 * alerts fire, and killing the manager fires PatrolSystemdUnreachable.
 *
 * The exporter is one node of an HA pair (collectors.ha, its role read from a file); its peer is
 * a stand-in run by this test that answers heartbeats as this test says: standby, then primary
 * (split brain), then not at all (peer down), while the role file turns the exporter standby
 * (a failover, and a pair without a primary).
 *
 * Beside it runs a mirrored pair: two more real exporters, primary and standby of the cluster
 * `mirror` with a shared secret, each with its own copy of the dataset `data`, and this test as
 * the mirror between them (rsync in a loop). The replication panels are evaluated on that pair;
 * a file the mirror leaves out, one only the standby has and one rsync's whole-second quick
 * check skips fire PatrolReplicationOutOfSync, and stopping the mirror fires
 * PatrolReplicationStalled, under which Alertmanager holds back PatrolReplicationLagHigh.
 *
 * The exporter runs in a private mount namespace (`unshare --mount`) holding the tmpfs, so
 * nothing is mounted on the host and the mount dies with the exporter. Needs root and
 * util-linux (unshare, nsenter), systemd and dbus, rsync, the Debian packages prometheus and
 * prometheus-alertmanager.
 */
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { mkdir, stat, utimes, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse, stringify } from 'yaml';
import { defaultConfig, type MixinConfig } from '../../mixin/config.ts';
import { strings } from '../../mixin/i18n/index.ts';
import { ruleFileText } from '../../mixin/rules.ts';
import { CANARY, PAIR, ROLE } from '../../mixin/dashboards/queries.ts';
import { HEARTBEAT_PATH, type Heartbeat, type Role } from '../../src/collectors/ha/heartbeat.ts';
import { errorCode } from '../../src/core/errors.ts';
import { startAlertmanager } from '../harness/alertmanager.ts';
import { dashboardFiles, ruleFiles } from '../harness/bundle.ts';
import { Exporter, MAIN, NODE, ROOT, startExporter } from '../harness/exporter.ts';
import { freePort } from '../harness/http.ts';
import { ManagedProcess, run } from '../harness/process.ts';
import { startPrometheus } from '../harness/prometheus.ts';
import { startSystemd } from '../harness/systemd.ts';
import { tempDir } from '../harness/tmp.ts';
import { waitFor } from '../harness/wait.ts';
import { startWebhook } from '../harness/webhook.ts';

/**
 * The other node of the exporter's HA pair: answers GET /ha/heartbeat (no secret) with the role
 * `role`, its clock as this process reads it, or 503 while `answering` is false.
 */
async function startPeer(t: { after: (fn: () => Promise<void>) => void }, cluster: string) {
  const peer = { role: 'standby' as Role, answering: true, url: '' };
  let seq = 0;
  const server = http.createServer((req, res) => {
    const received = Date.now();
    if (req.url !== HEARTBEAT_PATH || !peer.answering) {
      res.statusCode = req.url === HEARTBEAT_PATH ? 503 : 404;
      res.end();
      return;
    }
    const hb: Heartbeat = {
      cluster,
      node: 'bundle-b',
      role: peer.role,
      startId: 'bundle-peer',
      seq: ++seq,
      received,
      sent: Date.now(),
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(hb));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  );
  peer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return peer;
}

/**
 * A mirrored pair beside the bundle's exporter: two real exporters, primary `mirror-p` and
 * standby `mirror-s` of the cluster `mirror` (static roles, a shared secret, nothing but the HA
 * collector), each with its own copy of the dataset `data` (the same path on both nodes in real
 * life). The mirror between them is this test: `rsync -a` every 300 ms while `running`, leaving
 * out `skip-*` (files the mirror is told not to ship) and deleting nothing.
 */
async function startMirroredPair(t: { after: (fn: () => Promise<void>) => void }, dir: string) {
  const nodes = ['mirror-p', 'mirror-s'] as const;
  const paths = nodes.map((n) => join(dir, n));
  const ports = [await freePort(), await freePort()];
  const secretFile = join(dir, 'mirror-secret');
  await writeFile(secretFile, 'bundle-test-mirror-pair-secret\n', { mode: 0o600 });
  const exporters: Exporter[] = [];
  for (const [i, node] of nodes.entries()) {
    const path = paths[i] ?? '';
    await mkdir(path);
    const configFile = join(dir, `${node}.yml`);
    await writeFile(
      configFile,
      stringify({
        collectors: {
          filesystem: { enabled: false },
          directory: { enabled: false },
          systemd: { enabled: false },
          logs: { enabled: false },
          ha: {
            enabled: true,
            cluster: 'mirror',
            node,
            peers: [{ name: nodes[1 - i], url: `http://127.0.0.1:${ports[1 - i] ?? 0}` }],
            interval: '500ms',
            timeout: '250ms',
            secret_file: secretFile,
            role: { source: 'static', value: i === 0 ? 'primary' : 'standby' },
            datasets: [
              {
                name: 'data',
                path,
                // In place: rsync must not catch a temporary canary on its way to the rename.
                canary: { interval: '1s', mode: 'in_place' },
                compare: { interval: '1s' },
              },
            ],
          },
        },
      }),
    );
    exporters.push(
      await startExporter(t, {
        configFile,
        args: [`--web.listen-address=127.0.0.1:${ports[i] ?? 0}`],
      }),
    );
  }
  const [primary, standby] = exporters;
  const [primaryDir, standbyDir] = paths;
  assert.ok(primary && standby && primaryDir !== undefined && standbyDir !== undefined);
  const mirror = { running: true, stopped: false };
  const loop = (async () => {
    while (!mirror.stopped) {
      if (mirror.running)
        // Exit 24 (a file vanished while copying) and others: the next round tries again.
        await run('rsync', ['-a', '--exclude=/skip-*', `${primaryDir}/`, `${standbyDir}/`]).catch(
          () => undefined,
        );
      await sleep(300);
    }
  })();
  t.after(async () => {
    mirror.stopped = true;
    await loop;
  });
  return { primary, standby, primaryDir, standbyDir, mirror };
}

const SCRIPT = `
set -e
mount -t tmpfs -o size=8m,nr_inodes=1000 patrol-bundle "$1"
mkdir "$1/logs"
head -c 65536 /dev/urandom > "$1/logs/tomcat_access.2026-11-20.log"
exec "$2" "$3" --config.file="$4" --web.listen-address=127.0.0.1:0
`;

/** The rules exactly as generated, but firing as soon as their condition holds. */
function immediate(config: MixinConfig): MixinConfig {
  const forNow = Object.fromEntries(Object.keys(config.for).map((k) => [k, '0s']));
  return { ...config, for: forNow as MixinConfig['for'] };
}

/**
 * The rules of this test: immediate, and with the replication limits in seconds rather than
 * minutes (a stopped mirror is stalled after 20 s, its lag high from 20 s and 30 s).
 */
const RULES_CONFIG = immediate({
  ...defaultConfig,
  thresholds: {
    ...defaultConfig.thresholds,
    replicationStallWindow: '20s',
    replicationLagWarningSeconds: 20,
    replicationLagCriticalSeconds: 30,
    replicationCompareStale: '10s',
  },
});

/** Grafana's variables, as a viewer of this test's one host and one directory would pick them. */
function substitute(expr: string, vars: Record<string, string>): string {
  const out = expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, a?: string, b?: string) => {
    const value = vars[a ?? b ?? ''];
    if (value === undefined) throw new Error(`unknown variable ${whole} in ${expr}`);
    return value;
  });
  return out;
}

/** `label_values(expr, label)` of a query variable: the expression and the label it lists. */
function labelValues(query: unknown): { expr: string; label: string } | undefined {
  const text = typeof query === 'string' ? query : (query as { query?: string } | null)?.query;
  const m = /^label_values\((.*),\s*(\w+)\)$/s.exec(text ?? '');
  return m === null ? undefined : { expr: m[1] ?? '', label: m[2] ?? '' };
}

describe('the alert and dashboard bundle on real Prometheus and Alertmanager', () => {
  it('evaluates every expression, and a full disk pages through Alertmanager', async (t) => {
    const dir = await tempDir(t, 'patrol-bundle-');
    const fs = join(dir, 'fs');
    const logs = join(fs, 'logs');
    await run('mkdir', [fs]);
    const sd = await startSystemd(t);
    await writeFile(join(sd.unitDir, 'web.service'), '[Service]\nExecStart=/bin/sleep 600\n');
    await writeFile(join(sd.unitDir, 'broken.service'), '[Service]\nExecStart=/bin/false\n');
    await writeFile(
      join(sd.unitDir, 'flapping.service'),
      '[Unit]\nStartLimitIntervalSec=0\n[Service]\nExecStart=/bin/false\nRestart=always\nRestartSec=500ms\n',
    );
    await sd.systemctl(['daemon-reload']);
    await sd.systemctl(['start', 'web', 'flapping']);
    await sd.systemctl(['start', 'broken'], { allowFail: true });
    const appLog = join(dir, 'app-error.log');
    const quietLog = join(dir, 'quiet.log');
    await writeFile(appLog, '');
    await writeFile(quietLog, 'Nov 21 10:00:00 host app[1]: started\n');
    // The HA pair: the exporter is node bundle-a, primary while its role file says so.
    const peer = await startPeer(t, 'bundle');
    // The mirrored pair, scraped by the same job.
    const pair = await startMirroredPair(t, dir);
    const roleFile = join(dir, 'ha-role');
    await writeFile(roleFile, 'primary\n');
    const configFile = join(dir, 'patrol.yml');
    await writeFile(
      configFile,
      stringify({
        collectors: {
          filesystem: { mount_points_include: `^${fs}$` },
          directory: { paths: [logs], interval: '1s' },
          systemd: { bus: sd.busAddress, units: ['web', 'broken', 'nosuch'] },
          logs: {
            positions_file: join(dir, 'log-positions.json'),
            poll_interval: '200ms',
            rescan_interval: '1s',
            sources: [
              {
                name: 'app',
                paths: [appLog],
                format: 'nginx',
                rules: [{ name: 'upstream_timeout', regex: 'upstream timed out' }],
              },
              { name: 'quiet', paths: [quietLog], format: 'syslog', max_silence: '1s' },
              // A directory where a file is expected: not followed, counted as not_a_file.
              { name: 'missing', paths: [join(dir, 'missing-*')], format: 'syslog' },
            ],
          },
          ha: {
            enabled: true,
            cluster: 'bundle',
            node: 'bundle-a',
            peers: [{ name: 'bundle-b', url: peer.url }],
            role: { source: 'file', path: roleFile },
            interval: '1s',
            timeout: '500ms',
          },
        },
      }),
    );

    // The receiving end first: a webhook, Alertmanager with the shipped config pointed at it.
    const webhook = await startWebhook(t);
    const amConfig = parse(readFileSync(join(ROOT, 'deploy/alertmanager.yml'), 'utf8')) as {
      route: Record<string, unknown> & { routes?: Record<string, unknown>[] };
      receivers: { name: string; webhook_configs?: { url: string }[] }[];
    };
    for (const r of amConfig.receivers)
      for (const w of r.webhook_configs ?? []) w.url = `${webhook.url}/${r.name}`;
    // Only the timings change: the shipped ones wait tens of seconds before a first notification.
    for (const route of [amConfig.route, ...(amConfig.route.routes ?? [])]) {
      if ('group_wait' in route) route.group_wait = '1s';
      if ('group_interval' in route) route.group_interval = '1s';
    }
    const am = await startAlertmanager(t, { config: amConfig });

    // patrol in its own mount namespace, with a small tmpfs holding a watched log directory.
    const proc = new ManagedProcess(
      'patrol in a mount namespace',
      'unshare',
      [
        '--mount',
        '--propagation',
        'private',
        '--',
        'sh',
        '-c',
        SCRIPT,
        'sh',
        fs,
        NODE,
        MAIN,
        configFile,
      ],
      { cwd: ROOT },
    );
    t.after(() => proc.terminate(10_000).then(() => undefined));
    const url = (await proc.waitForOutput(/msg=listening address=(http:\/\/[\d.:]+)/, 60_000))[1];
    const exporter = new Exporter(proc, url ?? '', {});

    const rulesFile = join(dir, 'patrol.rules.yml');
    await writeFile(rulesFile, ruleFileText(RULES_CONFIG, 'en'));
    const prom = await startPrometheus(t, {
      scrapeConfigs: [
        {
          job_name: 'patrol',
          static_configs: [
            { targets: [exporter.target, pair.primary.target, pair.standby.target] },
          ],
        },
      ],
      ruleFiles: [rulesFile],
      alertmanagers: [new URL(am.url).host],
    });
    // nginx errors and rule matches keep coming while the test runs (rates need them after
    // the first scrape), and (below) a directory appears where the `missing` source expects files.
    const errorLine = () =>
      `${new Date().toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, '/')} [error] 7#7: *1 upstream timed out (110: Connection timed out) while reading response header from upstream\n`;
    const appending = setInterval(() => {
      try {
        appendFileSync(appLog, errorLine().repeat(5));
      } catch (err) {
        // The cleanup hooks run in order: the temporary directory may be gone before this
        // interval is cleared.
        if (errorCode(err) !== 'ENOENT') throw err;
      }
    }, 1000);
    t.after(() => {
      clearInterval(appending);
    });
    const instance = exporter.target;
    const sel = `{job="patrol", instance="${instance}"}`;
    await prom.waitForQuery(`patrol_filesystem_avail_bytes{mountpoint="${fs}"}`, 60_000);
    await prom.waitForQuery(`patrol_directory_filesystem_info{path="${logs}", mountpoint="${fs}"}`);
    await prom.waitForQuery(`patrol_directory_oldest_file_timestamp_seconds${sel}`);
    // After a first scrape, so the read error is an increase Prometheus sees.
    await prom.waitForQuery(`patrol_log_read_errors_total${sel}`);
    // The peer has answered: round trip, clock offset and last seen exist.
    await prom.waitForQuery(`patrol_ha_peer_rtt_seconds${sel}`);
    await run('mkdir', [join(dir, 'missing-dir')]);

    const vars = {
      datasource: 'prometheus',
      job: 'patrol',
      instance,
      mountpoint: fs,
      path: logs,
      // The systemd dashboard's unit variable, on "All".
      name: '.+',
      // The logs dashboard's source variable, on "All".
      source: '.+',
      // The HA dashboard's pair, as its repeated row sees it.
      cluster: 'bundle',
      __rate_interval: '1m',
      __interval: '15s',
      __range: '5m',
    };
    /**
     * The value an English tile shows for this test's host (one series, or the one of `fs`), or
     * for other `variables`.
     */
    const tile = async (
      file: string,
      title: string,
      variables: Record<string, string> = vars,
    ): Promise<number> => {
      const panel = dashboardFiles()
        .find((f) => f.path === `dashboards/en/${file}`)
        ?.panels.find((p) => p.title === title);
      const expr = panel?.targets?.[0]?.expr;
      assert.ok(expr !== undefined, `no tile "${title}" in ${file}`);
      const samples = await prom.query(substitute(expr, variables));
      const mine = samples.filter(
        (s) => s.metric.mountpoint === undefined || s.metric.mountpoint === fs,
      );
      assert.equal(mine.length, 1, `"${title}": ${JSON.stringify(samples)}`);
      return Number(mine[0]?.value[1]);
    };
    const en = strings('en').dashboards;

    await t.test('every rule of the generated files evaluates without error', async () => {
      const exprs = new Set(
        ruleFiles().flatMap((f) => f.groups.flatMap((g) => g.rules.map((r) => r.expr))),
      );
      assert.ok(exprs.size >= 15, `only ${exprs.size} expressions found`);
      for (const expr of exprs) await prom.query(expr); // throws with Prometheus' error
      await prom.waitFor('every loaded rule to be evaluated healthy', async () => {
        const rules = (await prom.rules()).flatMap((g) => g.rules);
        const bad = rules.filter((r) => r.health !== 'ok');
        if (bad.some((r) => r.health === 'err'))
          throw new Error(`rules failing: ${JSON.stringify(bad)}`);
        return bad.length === 0 ? rules : undefined;
      });
    });

    await t.test('every dashboard query and variable returns data from this exporter', async () => {
      const checked = new Set<string>();
      for (const f of dashboardFiles()) {
        for (const v of f.model.templating?.list ?? []) {
          const lv = labelValues(v.query);
          if (lv === undefined) continue;
          const expr = substitute(lv.expr, vars);
          const samples = await prom.waitForQuery(expr);
          assert.ok(
            samples.some((s) => s.metric[lv.label] !== undefined),
            `${f.path}: variable ${v.name}: ${expr} has no ${lv.label} label`,
          );
        }
        for (const p of f.panels)
          for (const target of p.targets ?? []) {
            // On the mirrored pair, below: this exporter mirrors no dataset.
            if ((target.expr ?? '').includes('patrol_replication_')) continue;
            const expr = substitute(target.expr ?? '', vars);
            if (checked.has(expr)) continue;
            checked.add(expr);
            // Rates and increases need a second scrape; everything else answers at once.
            await prom.waitForQuery(expr, 30_000).catch((err: unknown) => {
              throw new Error(`${f.path}: panel "${p.title ?? ''}": ${expr}`, { cause: err });
            });
          }
      }
      assert.ok(checked.size >= 20, `only ${checked.size} dashboard queries found`);
      // The rules are loaded: the alert tile counts (0 or more), it does not say "NO RULES" (-1).
      assert.ok((await tile('overview.json', en.overview.panels.criticalAlerts.title)) >= 0);
      assert.equal(await tile('host.json', en.host.panels.timeToFull.title), -1, 'not filling');
    });

    await t.test('a tmpfs filled to the brim fires the alerts and pages once', async () => {
      const pid = proc.child.pid;
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
      const firing = async (alert: string, severity: string) =>
        prom.waitFor(
          `${alert} (${severity}) to fire in Prometheus`,
          async () =>
            (await prom.alerts()).find(
              (a) =>
                a.state === 'firing' &&
                a.labels.alertname === alert &&
                a.labels.severity === severity,
            ),
          60_000,
        );

      const critical = await firing('PatrolFilesystemAlmostOutOfSpace', 'critical');
      assert.equal(critical.labels.mountpoint, fs);
      assert.equal(critical.labels.device, 'patrol-bundle');
      assert.equal(critical.labels.instance, instance);
      await firing('PatrolFilesystemAlmostOutOfSpace', 'warning');
      const dirAlert = await firing('PatrolDirectoryFillingFilesystem', 'critical');
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
        60_000,
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
        async () =>
          (
            await am.alerts({
              filter: ['alertname="PatrolFilesystemAlmostOutOfSpace"', 'severity="warning"'],
            })
          ).find((a) => a.status.inhibitedBy.length > 0),
        { timeoutMs: 30_000 },
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
      assert.ok((await tile('overview.json', o.criticalAlerts.title)) >= 1);
      assert.ok((await tile('overview.json', o.fullestFilesystem.title)) >= 0.97);
      assert.ok((await tile('overview.json', o.filesystemUsed.title)) >= 0.97);
      assert.equal(await tile('host.json', en.host.panels.timeToFull.title), 0, 'full now');
    });

    await t.test('failed, missing and flapping units fire the systemd alerts', async () => {
      const firing = async (alert: string, severity: string, name?: string) =>
        prom.waitFor(
          `${alert} (${severity}) ${name ?? ''} to fire in Prometheus`,
          async () =>
            (await prom.alerts()).find(
              (a) =>
                a.state === 'firing' &&
                a.labels.alertname === alert &&
                a.labels.severity === severity &&
                (name === undefined || a.labels.name === name),
            ),
          60_000,
        );
      await firing('PatrolSystemdUnitFailed', 'critical', 'broken.service');
      const missing = await firing(
        'PatrolSystemdRequiredUnitMissing',
        'critical',
        'nosuch.service',
      );
      assert.match(missing.annotations.description ?? '', /nosuch\.service/);
      await firing('PatrolSystemdServiceRestarting', 'warning', 'flapping.service');
      await firing('PatrolSystemdSystemDegraded', 'warning');
      const active = (await prom.alerts()).filter(
        (a) =>
          (a.labels.alertname ?? '').startsWith('PatrolSystemd') && a.labels.name === 'web.service',
      );
      assert.deepEqual(active, [], 'the healthy required unit raises nothing');
      const o = en.overview.panels;
      assert.ok((await tile('overview.json', o.unitsFailed.title)) >= 1);
      assert.equal(await tile('overview.json', o.requiredMissing.title), 1);
      assert.equal(await tile('overview.json', o.systemdUnreachable.title), 0);

      // The manager and its bus die: the exporter says so, and the alert fires.
      await sd.kill({ everything: true });
      await firing('PatrolSystemdUnreachable', 'warning');
      assert.equal(await tile('overview.json', o.systemdUnreachable.title), 1);
    });

    await t.test(
      'errors, a source without files and a silent source fire the log alerts',
      async () => {
        const firing = async (alert: string, source: string) =>
          prom.waitFor(
            `${alert} for ${source} to fire in Prometheus`,
            async () =>
              (await prom.alerts()).find(
                (a) =>
                  a.state === 'firing' &&
                  a.labels.alertname === alert &&
                  a.labels.source === source &&
                  a.labels.instance === instance,
              ),
            60_000,
          );
        const high = await firing('PatrolLogErrorsHigh', 'app');
        assert.match(high.annotations.description ?? '', /app/);
        await firing('PatrolLogSourceMissing', 'missing');
        await firing('PatrolLogSourceSilent', 'quiet');
        const errors = await prom.query(
          `patrol_log_read_errors_total{instance="${instance}", source="missing", reason="not_a_file"}`,
        );
        assert.equal(Number(errors[0]?.value[1]), 1);
        const wrong = (await prom.alerts()).filter(
          (a) =>
            (a.labels.alertname ?? '').startsWith('PatrolLog') &&
            !(
              (a.labels.alertname === 'PatrolLogErrorsHigh' && a.labels.source === 'app') ||
              (a.labels.alertname === 'PatrolLogSourceMissing' && a.labels.source === 'missing') ||
              (a.labels.alertname === 'PatrolLogSourceSilent' && a.labels.source === 'quiet')
            ),
        );
        assert.deepEqual(wrong, [], 'no other log alert');
      },
    );

    await t.test(
      'a split brain, a lost peer and a failover fire the HA alerts, one per pair where it is about the pair',
      async () => {
        const ha = en.ha.panels;
        const pairs = () => tile('overview.json', en.overview.panels.haPairs.title);
        const firing = async (alert: string, extra: (l: Record<string, string>) => boolean) =>
          prom.waitFor(
            `${alert} to fire in Prometheus`,
            async () => {
              const all = (await prom.alerts()).filter(
                (a) => a.state === 'firing' && a.labels.alertname === alert && extra(a.labels),
              );
              return all.length > 0 ? all : undefined;
            },
            60_000,
          );
        const haAlerts = async () =>
          (await prom.alerts()).filter((a) => (a.labels.alertname ?? '').startsWith('PatrolHa'));

        // Healthy: this node primary, the peer standby and answering.
        assert.equal(await pairs(), PAIR.ok);
        assert.equal(await tile('ha.json', ha.roles.title), ROLE.primary);
        assert.equal(await tile('ha.json', ha.heartbeat.title), 1);
        assert.equal(await tile('ha.json', ha.splitBrain.title), 0);
        assert.ok(Math.abs(await tile('ha.json', ha.clockOffset.title)) < 0.5, 'same clock');
        assert.deepEqual(await haAlerts(), [], 'a healthy pair raises nothing');

        // The peer says primary too: split brain, one alert for the pair, without instance.
        peer.role = 'primary';
        const split = await firing('PatrolHaSplitBrain', (l) => l.cluster === 'bundle');
        assert.equal(split.length, 1);
        assert.equal(split[0]?.labels.instance, undefined);
        assert.equal(split[0]?.labels.job, 'patrol');
        assert.equal(await pairs(), PAIR.splitBrain);
        assert.equal(await tile('ha.json', ha.splitBrain.title), 1);
        // The Overview counts it among the critical alerts: the tile, less every critical alert
        // Prometheus has, in one evaluation.
        const critical = dashboardFiles()
          .find((f) => f.path === 'dashboards/en/overview.json')
          ?.panels.find((p) => p.title === en.overview.panels.criticalAlerts.title)
          ?.targets?.[0]?.expr;
        assert.ok(critical !== undefined);
        const diff = await prom.query(
          `(${substitute(critical, vars)}) - on () count(ALERTS{alertstate="firing", severity="critical"})`,
        );
        assert.equal(Number(diff[0]?.value[1]), 0, 'the pair alert is counted');
        // ... and Alertmanager pages it, grouped by cluster.
        const paged = await webhook.waitFor(
          'PatrolHaSplitBrain to reach the pager',
          (ds) =>
            ds
              .filter((d) => d.path === '/pager')
              .find((d) =>
                d.message.alerts.some((a) => a.labels.alertname === 'PatrolHaSplitBrain'),
              ),
          60_000,
        );
        assert.deepEqual(paged.message.groupLabels, {
          alertname: 'PatrolHaSplitBrain',
          cluster: 'bundle',
        });

        // The peer stops answering: down after failure_threshold heartbeats; no split brain
        // without a peer that answers.
        peer.answering = false;
        const down = await firing('PatrolHaPeerDown', (l) => l.instance === instance);
        assert.deepEqual(
          {
            cluster: down[0]?.labels.cluster,
            node: down[0]?.labels.node,
            peer: down[0]?.labels.peer,
          },
          { cluster: 'bundle', node: 'bundle-a', peer: 'bundle-b' },
        );
        await prom.waitFor('the split brain to resolve', async () =>
          (await haAlerts()).some((a) => a.labels.alertname === 'PatrolHaSplitBrain')
            ? undefined
            : true,
        );
        assert.equal(await pairs(), PAIR.peerDown);
        assert.equal(await tile('ha.json', ha.heartbeat.title), 0);
        const failures = await prom.query(
          `patrol_ha_peer_heartbeat_failures_total{instance="${instance}", reason="http_status"}`,
        );
        assert.ok(Number(failures[0]?.value[1]) >= 3);

        // The role file says standby: a failover on this node, and no primary in the pair.
        await writeFile(roleFile, 'standby\n');
        const failover = await firing('PatrolHaFailover', (l) => l.instance === instance);
        assert.deepEqual(
          { node: failover[0]?.labels.node, role: failover[0]?.labels.role },
          { node: 'bundle-a', role: 'standby' },
        );
        const none = await firing('PatrolHaNoPrimary', (l) => l.cluster === 'bundle');
        assert.equal(none.length, 1);
        assert.equal(await pairs(), PAIR.noPrimary);
        assert.equal(await tile('ha.json', ha.roles.title), ROLE.standby);
        assert.equal(await tile('ha.json', ha.failovers.title), 1);
        assert.deepEqual(
          (await haAlerts()).filter((a) => a.labels.alertname === 'PatrolHaClockSkew'),
          [],
          'the clocks agree',
        );
      },
    );
    await t.test(
      'a mirrored pair: every replication panel answers, divergence and a stopped mirror fire the replication alerts',
      async () => {
        const r = en.ha.panels;
        const o = en.overview.panels;
        const standby = pair.standby.target;
        const onStandby = `{job="patrol", instance="${standby}", cluster="mirror", dataset="data"}`;
        // The HA dashboard's row for the pair, and the Overview, as a viewer of both nodes.
        const pairVars = {
          ...vars,
          instance: `${pair.primary.target}|${standby}`,
          cluster: 'mirror',
        };
        const replicationAlerts = async () =>
          (await prom.alerts()).filter((a) =>
            (a.labels.alertname ?? '').startsWith('PatrolReplication'),
          );
        const firing = async (alert: string, severity: string) =>
          prom.waitFor(
            `${alert} (${severity}) to fire in Prometheus`,
            async () =>
              (await prom.alerts()).find(
                (a) =>
                  a.state === 'firing' &&
                  a.labels.alertname === alert &&
                  a.labels.severity === severity &&
                  a.labels.cluster === 'mirror',
              ),
            60_000,
          );

        // The standby has compared once and the primary has walked twice (a rate needs two).
        await prom.waitForQuery(`patrol_replication_out_of_sync_files${onStandby}`, 60_000);
        await prom.waitForQuery(
          `rate(patrol_replication_dataset_changed_bytes_total{instance="${pair.primary.target}"}[1m])`,
        );

        // An idle mirror in good health: every replication query answers, the tiles are
        // green, and no replication alert.
        const checked = new Set<string>();
        for (const f of dashboardFiles())
          for (const p of f.panels)
            for (const target of p.targets ?? []) {
              if (!(target.expr ?? '').includes('patrol_replication_')) continue;
              const expr = substitute(target.expr ?? '', pairVars);
              if (checked.has(expr)) continue;
              checked.add(expr);
              await prom.waitForQuery(expr, 30_000).catch((err: unknown) => {
                throw new Error(`${f.path}: panel "${p.title ?? ''}": ${expr}`, { cause: err });
              });
            }
        assert.ok(checked.size >= 15, `only ${checked.size} replication queries found`);
        const lag = await tile('ha.json', r.lag.title, pairVars);
        assert.ok(lag >= 0 && lag < 10, `lag ${lag}`);
        await prom.waitFor('the canary tile to say ADVANCING', async () =>
          (await tile('ha.json', r.canary.title, pairVars)) === CANARY.advancing ? true : undefined,
        );
        assert.equal(await tile('ha.json', r.filesOff.title, pairVars), 0);
        assert.equal(await tile('ha.json', r.extraFiles.title, pairVars), 0);
        assert.equal(await tile('ha.json', r.bytesToShip.title, pairVars), 0);
        assert.ok((await tile('ha.json', r.lastCompare.title, pairVars)) < 10);
        const space = await tile('ha.json', r.standbySpace.title, pairVars);
        assert.ok(space > 0 && space <= 1, `space ${space}`);
        const worst = await tile('overview.json', o.replicationLag.title, pairVars);
        assert.ok(worst >= 0 && worst < 10, `worst lag ${worst}`);
        assert.equal(await tile('overview.json', o.datasetsOutOfSync.title, pairVars), 0);
        assert.deepEqual(await replicationAlerts(), [], 'a healthy mirror raises nothing');

        // The primary writes: its change rate counts the bytes, and the copy follows.
        await writeFile(join(pair.primaryDir, 'batch-1.dat'), Buffer.alloc(256 * 1024, 7));
        await prom.waitFor('the change rate to count the new file', async () => {
          const rate = await tile('ha.json', r.changeRate.title, pairVars).catch(() => 0);
          return rate > 0 ? rate : undefined;
        });

        // Divergence: a file the mirror leaves out (missing), one only the standby has (extra),
        // and one rewritten on the primary with the same size within the same whole second as
        // the copy the standby has, which rsync's quick check skips (out of sync). Their times
        // are a minute old, as settled files are.
        const second = Math.floor(Date.now() / 1000) - 60;
        const settings = join(pair.primaryDir, 'settings.ini');
        await writeFile(settings, 'mode=A\n');
        await utimes(settings, second + 0.1, second + 0.1);
        const copy = join(pair.standbyDir, 'settings.ini');
        await prom.waitFor('rsync to copy settings.ini', async () => {
          const st = await stat(copy).catch(() => undefined);
          return st !== undefined && Math.abs(st.mtimeMs / 1000 - (second + 0.1)) < 0.001
            ? true
            : undefined;
        });
        await writeFile(settings, 'mode=B\n');
        await utimes(settings, second + 0.9, second + 0.9);
        const skipped = join(pair.primaryDir, 'skip-report.csv');
        await writeFile(skipped, 'shift,gas\n1,0.4\n');
        await utimes(skipped, second, second);
        const extra = join(pair.standbyDir, 'only-on-standby.txt');
        await writeFile(extra, 'left behind\n');
        await utimes(extra, second, second);
        await sleep(1000);
        assert.equal(readFileSync(copy, 'utf8'), 'mode=A\n', 'rsync skipped the rewrite');

        const figure = async (name: string) =>
          Number((await prom.query(`${name}${onStandby}`))[0]?.value[1]);
        await prom.waitFor('one out of sync, one missing, one extra', async () =>
          (await figure('patrol_replication_out_of_sync_files')) === 1 &&
          (await figure('patrol_replication_missing_files')) === 1 &&
          (await figure('patrol_replication_extra_files')) === 1
            ? true
            : undefined,
        );
        const outOfSync = await prom.waitFor(
          'PatrolReplicationOutOfSync to fire for the two files',
          async () =>
            (await replicationAlerts()).find(
              (a) =>
                a.state === 'firing' &&
                a.labels.alertname === 'PatrolReplicationOutOfSync' &&
                (a.annotations.description ?? '').startsWith('2 files of dataset data '),
            ),
        );
        assert.deepEqual(
          {
            instance: outOfSync.labels.instance,
            cluster: outOfSync.labels.cluster,
            node: outOfSync.labels.node,
          },
          { instance: standby, cluster: 'mirror', node: 'mirror-s' },
        );
        assert.equal(await tile('ha.json', r.filesOff.title, pairVars), 2);
        assert.equal(await tile('ha.json', r.extraFiles.title, pairVars), 1);
        // What is left to ship: the primary's sizes of the two files.
        assert.equal(
          await tile('ha.json', r.bytesToShip.title, pairVars),
          'mode=B\n'.length + 'shift,gas\n1,0.4\n'.length,
        );
        assert.equal(await tile('overview.json', o.datasetsOutOfSync.title, pairVars), 1);

        // The mirror stops: the lag grows, the canary stands still. Stalled pages; the lag
        // alerts fire too, and Alertmanager holds them back under the stall.
        pair.mirror.running = false;
        const stalled = await firing('PatrolReplicationStalled', 'critical');
        assert.equal(stalled.labels.instance, standby);
        assert.equal(stalled.labels.node, 'mirror-s');
        await firing('PatrolReplicationLagHigh', 'warning');
        await firing('PatrolReplicationLagHigh', 'critical');
        assert.ok((await tile('ha.json', r.lag.title, pairVars)) > 20);
        assert.ok((await tile('overview.json', o.replicationLag.title, pairVars)) > 20);
        await webhook.waitFor(
          'PatrolReplicationStalled to reach the pager',
          (ds) =>
            ds
              .filter((d) => d.path === '/pager')
              .find((d) =>
                d.message.alerts.some(
                  (a) => a.labels.alertname === 'PatrolReplicationStalled' && a.status === 'firing',
                ),
              ),
          60_000,
        );
        const source = (
          await am.alerts({ filter: ['alertname="PatrolReplicationStalled"', 'cluster="mirror"'] })
        )[0];
        assert.ok(source);
        const heldBack = (alertname: string, severity: string) =>
          waitFor(
            `Alertmanager to hold back ${alertname} (${severity})`,
            async () =>
              (
                await am.alerts({
                  filter: [
                    `alertname="${alertname}"`,
                    `severity="${severity}"`,
                    'cluster="mirror"',
                  ],
                })
              ).find((a) => a.status.inhibitedBy.length > 0),
            { timeoutMs: 30_000 },
          );
        // The critical lag alert by the stall's own rule (the first rule holds back warnings
        // only) ...
        const lagCritical = await heldBack('PatrolReplicationLagHigh', 'critical');
        assert.deepEqual(lagCritical.status.inhibitedBy, [source.fingerprint]);
        // ... the warnings of the dataset by a critical alert of the dataset (the stall, or the
        // critical lag alert, whichever Alertmanager finds first).
        await heldBack('PatrolReplicationLagHigh', 'warning');
        await heldBack('PatrolReplicationOutOfSync', 'warning');

        // The mirror ships again: the canary moves, the stall is over.
        pair.mirror.running = true;
        await prom.waitFor('the stall to end', async () =>
          (await replicationAlerts()).some((a) => a.labels.alertname === 'PatrolReplicationStalled')
            ? undefined
            : true,
        );
        assert.equal(await tile('ha.json', r.canary.title, pairVars), CANARY.advancing);
      },
    );
  });
});
