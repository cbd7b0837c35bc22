// End-to-end checks of the deployment examples in deploy/: the real promtool and amtool accept
// them, a real Alertmanager running deploy/alertmanager.yml routes, groups and inhibits patrol's
// alerts as the file's comments say, and the Grafana provisioning matches the repository's
// dashboards/ layout. Grafana itself cannot run here (no Debian package, no network to fetch
// one), so its files are checked for what Grafana would read from them.
import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { parse, stringify } from 'yaml';
import { defaultConfig } from '../../mixin/config.ts';
import { LANGUAGES } from '../../mixin/i18n/types.ts';
import {
  AMTOOL_BIN,
  startAlertmanager,
  type GettableAlert,
  type PostableAlert,
} from '../harness/alertmanager.ts';
import { run } from '../harness/process.ts';
import { PROMTOOL_BIN } from '../harness/prometheus.ts';
import { tempDir } from '../harness/tmp.ts';
import { startWebhook, type Delivery } from '../harness/webhook.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const DEPLOY = join(repo, 'deploy');

async function readYaml(path: string): Promise<unknown> {
  return parse(await readFile(path, 'utf8')) as unknown;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------------------------------------
// Prometheus

interface PromConfig {
  global: { scrape_interval: string; evaluation_interval: string };
  rule_files: string[];
  alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
  scrape_configs: {
    job_name: string;
    scrape_timeout?: string;
    static_configs?: { targets: string[] }[];
  }[];
}

test('promtool check config accepts deploy/prometheus.yml', async () => {
  const file = join(DEPLOY, 'prometheus.yml');
  const r = await run(PROMTOOL_BIN, ['check', 'config', file]);
  assert.equal(r.code, 0, `promtool check config failed:\n${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /SUCCESS: .*prometheus\.yml is valid prometheus config file syntax/);

  // What the alert rules and dashboards assume about the scrape job.
  const cfg = (await readYaml(file)) as PromConfig;
  const jobs = cfg.scrape_configs.filter((j) => j.job_name === 'patrol');
  assert.equal(jobs.length, 1, 'one scrape job named patrol');
  assert.equal(
    defaultConfig.selector,
    `job="${jobs[0]?.job_name ?? ''}"`,
    "the mixin's selector selects the example's job",
  );
  const targets = jobs[0]?.static_configs?.flatMap((s) => s.targets) ?? [];
  assert.ok(
    targets.length > 0 && targets.every((x) => x.endsWith(':9872')),
    `patrol targets use port 9872: ${targets.join(', ')}`,
  );
  assert.deepEqual(
    cfg.alerting.alertmanagers.flatMap((a) => a.static_configs.flatMap((s) => s.targets)),
    ['localhost:9093'],
  );
});

test('rule files installed as deploy/README.md says are loaded by prometheus.yml', async (t) => {
  // The README copies alerts/patrol.rules.yml (English) or alerts/zh-CN/patrol.rules.yml into
  // /etc/prometheus/rules/patrol/. Do that below a temp dir, point rule_files there, and let
  // promtool load them through the config: the glob must pick the file up.
  const sources = LANGUAGES.map((lang) => ({
    lang,
    file: join(repo, 'alerts', ...(lang === 'en' ? [] : [lang]), 'patrol.rules.yml'),
  }));
  const cfg = (await readYaml(join(DEPLOY, 'prometheus.yml'))) as PromConfig;
  assert.deepEqual(cfg.rule_files, ['/etc/prometheus/rules/patrol/*.yml']);
  for (const { lang, file } of sources) {
    const root = await tempDir(t, 'patrol-deploy-rules-');
    const installed = join(root, 'etc/prometheus/rules/patrol', basename(file));
    await mkdir(dirname(installed), { recursive: true });
    await copyFile(file, installed);
    const configFile = join(root, 'prometheus.yml');
    await writeFile(
      configFile,
      stringify({ ...cfg, rule_files: cfg.rule_files.map((g) => join(root, g)) }),
    );
    const r = await run(PROMTOOL_BIN, ['check', 'config', configFile]);
    assert.equal(r.code, 0, `${lang}: promtool check config failed:\n${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /SUCCESS: 1 rule files found/, `${lang}:\n${r.stdout}`);
    assert.match(r.stdout, /SUCCESS: \d+ rules found/, `${lang}:\n${r.stdout}`);
  }
});

// ---------------------------------------------------------------------------------------------
// Alertmanager

test('amtool check-config accepts deploy/alertmanager.yml', async () => {
  const r = await run(AMTOOL_BIN, ['check-config', join(DEPLOY, 'alertmanager.yml')]);
  assert.equal(r.code, 0, `amtool check-config failed:\n${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /SUCCESS/);
});

interface Route {
  receiver?: string;
  group_wait?: string;
  routes?: Route[];
  [key: string]: unknown;
}

interface Receiver {
  name: string;
  webhook_configs?: { url: string; [key: string]: unknown }[];
  [key: string]: unknown;
}

/** Sets group_wait on every route of the tree that sets it (the root must). */
function shortenGroupWait(route: Route, to: string): void {
  if (route.group_wait !== undefined) route.group_wait = to;
  for (const r of route.routes ?? []) shortenGroupWait(r, to);
}

type Receivers = 'pager' | 'team-chat' | 'tickets';

interface Case {
  alert: PostableAlert;
  /** The receiver it is delivered to, or the case whose alert inhibits it. */
  expect: { receiver: Receivers } | { inhibitedBy: string; receiver: Receivers };
}

function alert(
  alertname: string,
  severity: 'critical' | 'warning' | 'info',
  labels: Record<string, string>,
): PostableAlert {
  return {
    labels: { alertname, severity, job: 'patrol', instance: 'host-a:9872', ...labels },
    annotations: { summary: `${alertname} test`, description: 'posted by deploy.test.ts' },
  };
}

/**
 * An alert about a whole HA pair, as PatrolHaSplitBrain, PatrolHaNoPrimary and
 * PatrolHaClockSkew carry it: job and cluster, no instance.
 */
function pairAlert(
  alertname: string,
  severity: 'critical' | 'warning',
  cluster: string,
  labels: Record<string, string> = {},
): PostableAlert {
  return {
    labels: { alertname, severity, job: 'patrol', cluster, ...labels },
    annotations: { summary: `${alertname} test`, description: 'posted by deploy.test.ts' },
  };
}

/** A node of an HA pair, as PatrolHaPeerDown and PatrolHaFailover carry it. */
const haNode = (instance: string, cluster: string, node: string) => ({ instance, cluster, node });

/** A dataset on a standby node, as the PatrolReplication* alerts carry it. */
const replica = (instance: string, cluster: string, node: string, dataset: string) => ({
  ...haNode(instance, cluster, node),
  dataset,
});

const fs = (mountpoint: string) => ({
  device: `/dev/sd-${mountpoint}`,
  fstype: 'ext4',
  mountpoint,
});

/** A systemd unit's labels as PatrolSystemdUnitFailed carries them (no type for non-services). */
const unit = (name: string, type?: string) => ({
  name,
  ...(type === undefined ? {} : { type }),
  state: 'failed',
});

// Sources of inhibition are posted first (see below); the rest are the targets and bystanders.
const SOURCES: Record<string, Case> = {
  critData: {
    alert: alert('PatrolFilesystemAlmostOutOfSpace', 'critical', fs('/data')),
    expect: { receiver: 'pager' },
  },
  scanFailingApp: {
    alert: alert('PatrolDirectoryScanFailing', 'warning', { path: '/srv/app/logs' }),
    expect: { receiver: 'team-chat' },
  },
  downC: {
    alert: alert('PatrolExporterDown', 'critical', { instance: 'host-c:9872' }),
    expect: { receiver: 'pager' },
  },
  unreachableD: {
    alert: alert('PatrolSystemdUnreachable', 'warning', { instance: 'host-d:9872' }),
    expect: { receiver: 'team-chat' },
  },
  kubeletFailedE: {
    alert: alert('PatrolSystemdUnitFailed', 'critical', {
      instance: 'host-e:9872',
      ...unit('kubelet.service', 'simple'),
    }),
    expect: { receiver: 'pager' },
  },
  mountFailedF: {
    alert: alert('PatrolSystemdUnitFailed', 'warning', {
      instance: 'host-f:9872',
      ...unit('data.mount'),
    }),
    expect: { receiver: 'team-chat' },
  },
  missingNginxG: {
    alert: alert('PatrolLogSourceMissing', 'warning', {
      instance: 'host-g:9872',
      source: 'nginx-error',
    }),
    expect: { receiver: 'team-chat' },
  },
  errorsHighNginxH: {
    alert: alert('PatrolLogErrorsHigh', 'warning', {
      instance: 'host-h:9872',
      source: 'nginx-error',
    }),
    expect: { receiver: 'team-chat' },
  },
  // The HA pair gas-nav is in split brain (one alert for the pair, no instance) ...
  splitBrainGas: {
    alert: pairAlert('PatrolHaSplitBrain', 'critical', 'gas-nav'),
    expect: { receiver: 'pager' },
  },
  // ... and a node of closed-loop lost its peer.
  peerDownCl1: {
    alert: alert('PatrolHaPeerDown', 'critical', {
      ...haNode('host-cl1:9872', 'closed-loop', 'zjz-cl1'),
      peer: 'zjz-cl2',
    }),
    expect: { receiver: 'pager' },
  },
  // The mirror of db-data to the standby zjz-db2 of mine-db has stalled ...
  stalledDb2: {
    alert: alert(
      'PatrolReplicationStalled',
      'critical',
      replica('host-db2:9872', 'mine-db', 'zjz-db2', 'db-data'),
    ),
    expect: { receiver: 'pager' },
  },
  // ... and the standby cannot compare its copy of db-logs.
  compareFailingDb2: {
    alert: alert(
      'PatrolReplicationCompareFailing',
      'warning',
      replica('host-db2:9872', 'mine-db', 'zjz-db2', 'db-logs'),
    ),
    expect: { receiver: 'team-chat' },
  },
  // The pair ore-belt has no primary.
  noPrimaryOre: {
    alert: pairAlert('PatrolHaNoPrimary', 'critical', 'ore-belt'),
    expect: { receiver: 'pager' },
  },
};

const OTHERS: Record<string, Case> = {
  // Same host and mount point as the critical one: inhibited, whatever the alert name.
  warnData: {
    alert: alert('PatrolFilesystemAlmostOutOfSpace', 'warning', fs('/data')),
    expect: { inhibitedBy: 'critData', receiver: 'team-chat' },
  },
  fillingData: {
    alert: alert('PatrolFilesystemSpaceFillingUp', 'warning', fs('/data')),
    expect: { inhibitedBy: 'critData', receiver: 'team-chat' },
  },
  // Other mount points of the same host: delivered; two of them in one notification (same
  // alertname and instance), which is also the group of the inhibited warnData.
  warnVar: {
    alert: alert('PatrolFilesystemAlmostOutOfSpace', 'warning', fs('/var')),
    expect: { receiver: 'team-chat' },
  },
  warnHome: {
    alert: alert('PatrolFilesystemAlmostOutOfSpace', 'warning', fs('/home')),
    expect: { receiver: 'team-chat' },
  },
  // In the group of the inhibited fillingData: its notification proves fillingData left out.
  fillingVar: {
    alert: alert('PatrolFilesystemSpaceFillingUp', 'warning', fs('/var')),
    expect: { receiver: 'team-chat' },
  },
  // Same mount point as the critical alert but a path it lacks: the directory filling /data is
  // news to whoever is paged for /data, so it is not inhibited.
  dirFillingData: {
    alert: alert('PatrolDirectoryFillingFilesystem', 'warning', {
      path: '/data/logs',
      device: '/dev/sd-/data',
      mountpoint: '/data',
    }),
    expect: { receiver: 'team-chat' },
  },
  // Same mount point and alert name on another host: delivered.
  warnDataB: {
    alert: alert('PatrolFilesystemAlmostOutOfSpace', 'warning', {
      ...fs('/data'),
      instance: 'host-b:9872',
    }),
    expect: { receiver: 'team-chat' },
  },
  // A warning inhibits info of the same target (path) ...
  scanErrorsApp: {
    alert: alert('PatrolDirectoryScanErrors', 'info', {
      path: '/srv/app/logs',
      reason: 'vanished',
    }),
    expect: { inhibitedBy: 'scanFailingApp', receiver: 'tickets' },
  },
  // ... but not of another path (and shares its group, proving scanErrorsApp left out).
  scanErrorsLogs: {
    alert: alert('PatrolDirectoryScanErrors', 'info', { path: '/data/logs', reason: 'other' }),
    expect: { receiver: 'tickets' },
  },
  // The exporter being down inhibits every other patrol alert of that exporter ...
  reloadC: {
    alert: alert('PatrolConfigReloadFailed', 'warning', { instance: 'host-c:9872' }),
    expect: { inhibitedBy: 'downC', receiver: 'team-chat' },
  },
  collectorC: {
    alert: alert('PatrolCollectorFailing', 'warning', {
      instance: 'host-c:9872',
      collector: 'directory',
    }),
    expect: { inhibitedBy: 'downC', receiver: 'team-chat' },
  },
  scanErrorsC: {
    alert: alert('PatrolDirectoryScanErrors', 'info', {
      instance: 'host-c:9872',
      path: '/data/logs',
      reason: 'permission',
    }),
    expect: { inhibitedBy: 'downC', receiver: 'tickets' },
  },
  // ... and of that exporter only: the same host and alert names under another job are
  // delivered, in the groups of the three above (group_by has no job).
  reloadCOtherJob: {
    alert: alert('PatrolConfigReloadFailed', 'warning', {
      instance: 'host-c:9872',
      job: 'patrol-canary',
    }),
    expect: { receiver: 'team-chat' },
  },
  collectorCOtherJob: {
    alert: alert('PatrolCollectorFailing', 'warning', {
      instance: 'host-c:9872',
      job: 'patrol-canary',
      collector: 'directory',
    }),
    expect: { receiver: 'team-chat' },
  },
  scanErrorsCOtherJob: {
    alert: alert('PatrolDirectoryScanErrors', 'info', {
      instance: 'host-c:9872',
      job: 'patrol-canary',
      path: '/data/logs',
      reason: 'permission',
    }),
    expect: { receiver: 'tickets' },
  },
  // systemd unreachable: the systemd collector's failing scrapes are the same news ...
  collectorSystemdD: {
    alert: alert('PatrolCollectorFailing', 'warning', {
      instance: 'host-d:9872',
      collector: 'systemd',
    }),
    expect: { inhibitedBy: 'unreachableD', receiver: 'team-chat' },
  },
  // ... another collector failing on that host is not (and shares the group).
  collectorDirectoryD: {
    alert: alert('PatrolCollectorFailing', 'warning', {
      instance: 'host-d:9872',
      collector: 'directory',
    }),
    expect: { receiver: 'team-chat' },
  },
  // A critical alert about one unit holds back the warnings about that unit (same name) ...
  restartingKubeletE: {
    alert: alert('PatrolSystemdServiceRestarting', 'warning', {
      instance: 'host-e:9872',
      name: 'kubelet.service',
    }),
    expect: { inhibitedBy: 'kubeletFailedE', receiver: 'team-chat' },
  },
  // ... and not those about other units of the host, nor the host's other warnings.
  restartingDockerE: {
    alert: alert('PatrolSystemdServiceRestarting', 'warning', {
      instance: 'host-e:9872',
      name: 'docker.service',
    }),
    expect: { receiver: 'team-chat' },
  },
  chronydFailedE: {
    alert: alert('PatrolSystemdUnitFailed', 'warning', {
      instance: 'host-e:9872',
      ...unit('chronyd.service', 'forking'),
    }),
    expect: { receiver: 'team-chat' },
  },
  reloadE: {
    alert: alert('PatrolConfigReloadFailed', 'warning', { instance: 'host-e:9872' }),
    expect: { receiver: 'team-chat' },
  },
  // A failed unit (any severity) holds back "system degraded" of its host, which says the same
  // less precisely ...
  degradedF: {
    alert: alert('PatrolSystemdSystemDegraded', 'warning', {
      instance: 'host-f:9872',
      state: 'degraded',
    }),
    expect: { inhibitedBy: 'mountFailedF', receiver: 'team-chat' },
  },
  // ... of that exporter only (the same group: group_by has no job).
  degradedFOtherJob: {
    alert: alert('PatrolSystemdSystemDegraded', 'warning', {
      instance: 'host-f:9872',
      job: 'patrol-canary',
      state: 'degraded',
    }),
    expect: { receiver: 'team-chat' },
  },
  // A required log source without files: its silence is expected ...
  silentNginxG: {
    alert: alert('PatrolLogSourceSilent', 'warning', {
      instance: 'host-g:9872',
      source: 'nginx-error',
    }),
    expect: { inhibitedBy: 'missingNginxG', receiver: 'team-chat' },
  },
  // ... another source's silence is not (the same group: alertname and instance).
  silentRabbitG: {
    alert: alert('PatrolLogSourceSilent', 'warning', {
      instance: 'host-g:9872',
      source: 'rabbitmq',
    }),
    expect: { receiver: 'team-chat' },
  },
  // A high error rate holds back the spike alert of the same source ...
  spikeNginxH: {
    alert: alert('PatrolLogErrorsSpike', 'warning', {
      instance: 'host-h:9872',
      source: 'nginx-error',
    }),
    expect: { inhibitedBy: 'errorsHighNginxH', receiver: 'team-chat' },
  },
  // ... not another source's.
  spikeSyslogH: {
    alert: alert('PatrolLogErrorsSpike', 'warning', { instance: 'host-h:9872', source: 'syslog' }),
    expect: { receiver: 'team-chat' },
  },
  // A split brain holds back the peer-down alerts of its pair: the cut link is part of it ...
  peerDownGas1: {
    alert: alert('PatrolHaPeerDown', 'critical', {
      ...haNode('host-gas1:9872', 'gas-nav', 'zjz-gas1'),
      peer: 'zjz-gas2',
    }),
    expect: { inhibitedBy: 'splitBrainGas', receiver: 'pager' },
  },
  // ... not those of a pair of the same name in another job (the same group).
  peerDownGas1OtherJob: {
    alert: alert('PatrolHaPeerDown', 'critical', {
      ...haNode('host-gas1:9872', 'gas-nav', 'zjz-gas1'),
      job: 'patrol-canary',
      peer: 'zjz-gas2',
    }),
    expect: { receiver: 'pager' },
  },
  // A critical pair alert holds back the warnings about that pair (same job and cluster, no
  // instance on either) ...
  clockSkewGas: {
    alert: pairAlert('PatrolHaClockSkew', 'warning', 'gas-nav'),
    expect: { inhibitedBy: 'splitBrainGas', receiver: 'team-chat' },
  },
  clockSkewGasOtherJob: {
    alert: pairAlert('PatrolHaClockSkew', 'warning', 'gas-nav', { job: 'patrol-canary' }),
    expect: { receiver: 'team-chat' },
  },
  // ... not another pair's, which has no instance either: `cluster` tells them apart.
  clockSkewCl: {
    alert: pairAlert('PatrolHaClockSkew', 'warning', 'closed-loop'),
    expect: { receiver: 'team-chat' },
  },
  // A node's lost peer holds back that node's failover in the same pair ...
  failoverCl1: {
    alert: alert('PatrolHaFailover', 'warning', {
      ...haNode('host-cl1:9872', 'closed-loop', 'zjz-cl1'),
      role: 'primary',
    }),
    expect: { inhibitedBy: 'peerDownCl1', receiver: 'team-chat' },
  },
  failoverCl1OtherJob: {
    alert: alert('PatrolHaFailover', 'warning', {
      ...haNode('host-cl1:9872', 'closed-loop', 'zjz-cl1'),
      job: 'patrol-canary',
      role: 'primary',
    }),
    expect: { receiver: 'team-chat' },
  },
  // ... not the node's warnings that are not about the pair (no cluster label).
  reloadCl1: {
    alert: alert('PatrolConfigReloadFailed', 'warning', { instance: 'host-cl1:9872' }),
    expect: { receiver: 'team-chat' },
  },
  // A stalled mirror holds back the lag alert of its dataset, the critical one too ...
  lagHighDb2Data: {
    alert: alert(
      'PatrolReplicationLagHigh',
      'critical',
      replica('host-db2:9872', 'mine-db', 'zjz-db2', 'db-data'),
    ),
    expect: { inhibitedBy: 'stalledDb2', receiver: 'pager' },
  },
  // ... not another dataset's (the same group).
  lagHighDb2Dumps: {
    alert: alert(
      'PatrolReplicationLagHigh',
      'critical',
      replica('host-db2:9872', 'mine-db', 'zjz-db2', 'db-dumps'),
    ),
    expect: { receiver: 'pager' },
  },
  // A compare that fails holds back the out-of-date divergence of its dataset ...
  outOfSyncDb2Logs: {
    alert: alert(
      'PatrolReplicationOutOfSync',
      'warning',
      replica('host-db2:9872', 'mine-db', 'zjz-db2', 'db-logs'),
    ),
    expect: { inhibitedBy: 'compareFailingDb2', receiver: 'team-chat' },
  },
  // ... not another dataset's (the same group).
  outOfSyncDb2Conf: {
    alert: alert(
      'PatrolReplicationOutOfSync',
      'warning',
      replica('host-db2:9872', 'mine-db', 'zjz-db2', 'db-conf'),
    ),
    expect: { receiver: 'team-chat' },
  },
  // The standby's disk filling up may be why the mirror stalled: never held back by the stall
  // of the same dataset.
  spaceLowDb2Data: {
    alert: alert(
      'PatrolReplicationStandbySpaceLow',
      'warning',
      replica('host-db2:9872', 'mine-db', 'zjz-db2', 'db-data'),
    ),
    expect: { receiver: 'team-chat' },
  },
  // A standby that lost its primary's heartbeat: its replication alerts of that pair follow ...
  stalledCl1: {
    alert: alert(
      'PatrolReplicationStalled',
      'critical',
      replica('host-cl1:9872', 'closed-loop', 'zjz-cl1', 'cl-data'),
    ),
    expect: { inhibitedBy: 'peerDownCl1', receiver: 'pager' },
  },
  stalledCl1OtherJob: {
    alert: alert('PatrolReplicationStalled', 'critical', {
      ...replica('host-cl1:9872', 'closed-loop', 'zjz-cl1', 'cl-data'),
      job: 'patrol-canary',
    }),
    expect: { receiver: 'pager' },
  },
  // ... its own disk does not.
  spaceLowCl1: {
    alert: alert(
      'PatrolReplicationStandbySpaceLow',
      'warning',
      replica('host-cl1:9872', 'closed-loop', 'zjz-cl1', 'cl-data'),
    ),
    expect: { receiver: 'team-chat' },
  },
  // In split brain there is no primary to lag behind: the pair's replication alerts are held
  // back ...
  lagHighGas2: {
    alert: alert(
      'PatrolReplicationLagHigh',
      'warning',
      replica('host-gas2:9872', 'gas-nav', 'zjz-gas2', 'nav-data'),
    ),
    expect: { inhibitedBy: 'splitBrainGas', receiver: 'team-chat' },
  },
  // ... those of a pair of the same name in another job are not (the same group).
  lagHighGas2OtherJob: {
    alert: alert('PatrolReplicationLagHigh', 'warning', {
      ...replica('host-gas2:9872', 'gas-nav', 'zjz-gas2', 'nav-data'),
      job: 'patrol-canary',
    }),
    expect: { receiver: 'team-chat' },
  },
  // Likewise without a primary ...
  stalledOre2: {
    alert: alert(
      'PatrolReplicationStalled',
      'critical',
      replica('host-ore2:9872', 'ore-belt', 'zjz-ore2', 'belt-data'),
    ),
    expect: { inhibitedBy: 'noPrimaryOre', receiver: 'pager' },
  },
  stalledOre2OtherJob: {
    alert: alert('PatrolReplicationStalled', 'critical', {
      ...replica('host-ore2:9872', 'ore-belt', 'zjz-ore2', 'belt-data'),
      job: 'patrol-canary',
    }),
    expect: { receiver: 'pager' },
  },
  // ... but not the standby's disk.
  spaceLowOre2: {
    alert: alert(
      'PatrolReplicationStandbySpaceLow',
      'warning',
      replica('host-ore2:9872', 'ore-belt', 'zjz-ore2', 'belt-data'),
    ),
    expect: { receiver: 'team-chat' },
  },
};

/** Labels the shipped route groups by (deploy/alertmanager.yml `group_by`). */
const GROUP_BY = ['alertname', 'instance', 'cluster'] as const;

/** A notification group: the receiver and the group_by labels the alert has. */
const groupKey = (receiver: string, labels: Record<string, string | undefined>): string =>
  [receiver, ...GROUP_BY.map((l) => labels[l] ?? '')].join(' ');

const labelKey = (labels: Record<string, string>): string =>
  JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));

test('deploy/alertmanager.yml routes by severity, groups by alertname, instance and cluster, inhibits per target', async (t) => {
  const hook = await startWebhook(t);

  const cfg = (await readYaml(join(DEPLOY, 'alertmanager.yml'))) as {
    route: Route & { group_by?: string[] };
    receivers: Receiver[];
  };
  assert.deepEqual(cfg.route.group_by, [...GROUP_BY]);
  // Every receiver must deliver to the recorder, and only to it: a receiver with another kind
  // of integration would try to reach the outside world from the test.
  for (const r of cfg.receivers) {
    const kinds = Object.keys(r).filter((k) => k.endsWith('_configs'));
    assert.deepEqual(kinds, ['webhook_configs'], `receiver ${r.name} has only webhooks`);
    for (const w of r.webhook_configs ?? []) w.url = `${hook.url}/${r.name}`;
  }
  assert.deepEqual(cfg.receivers.map((r) => r.name).sort(), ['pager', 'team-chat', 'tickets']);
  // The only change to the file's behaviour: group_wait 30s would make every first
  // notification wait 30 s. 1s still collects each POST below into one group notification;
  // group_interval stays as written (minutes), so every group notifies exactly once during
  // the test and an alert left out of it stays out.
  assert.ok(cfg.route.group_wait !== undefined, 'the root route sets group_wait');
  shortenGroupWait(cfg.route, '1s');

  const am = await startAlertmanager(t, { config: cfg });

  // Inhibition sources first, so that Alertmanager's inhibitor has them before the targets'
  // groups are flushed (as with Prometheus, which keeps sending firing alerts every minute).
  await am.postAlerts(Object.values(SOURCES).map((c) => c.alert));
  await am.waitFor('the source alerts to be stored', async () => {
    const got = await am.alerts();
    return got.length === Object.keys(SOURCES).length;
  });
  await am.postAlerts(Object.values(OTHERS).map((c) => c.alert));

  const cases = { ...SOURCES, ...OTHERS };
  const caseOf = new Map(Object.entries(cases).map(([k, c]) => [labelKey(c.alert.labels), k]));
  const nameOf = (labels: Record<string, string>): string =>
    caseOf.get(labelKey(labels)) ?? `unknown ${JSON.stringify(labels)}`;

  // The notifications expected: one per (receiver, alertname, instance, cluster) of the alerts
  // that are not inhibited, carrying exactly those alerts.
  const expected = new Map<string, { receiver: string; cases: string[] }>();
  for (const [name, c] of Object.entries(cases)) {
    if ('inhibitedBy' in c.expect) continue;
    const { receiver } = c.expect;
    const key = groupKey(receiver, c.alert.labels);
    const group = expected.get(key) ?? { receiver, cases: [] };
    group.cases.push(name);
    expected.set(key, group);
  }
  // Each inhibited alert must share its group with a delivered one: that group's notification
  // then shows it left out, not merely late (no sleeping to prove a negative).
  for (const [name, c] of Object.entries(cases)) {
    if (!('inhibitedBy' in c.expect)) continue;
    const key = groupKey(c.expect.receiver, c.alert.labels);
    assert.ok(expected.has(key), `case ${name}: add a delivered alert to its group ${key}`);
  }
  const groupOf = (d: Delivery) => groupKey(d.message.receiver, d.message.groupLabels);
  const firing = await hook.waitFor(
    `a firing notification for each of ${[...expected.keys()].join('; ')}`,
    (ds) => {
      const f = ds.filter((d) => d.message.status === 'firing');
      return [...expected.keys()].every((k) => f.some((d) => groupOf(d) === k)) && f;
    },
  );
  const inhibited = Object.entries(cases).filter(([, c]) => 'inhibitedBy' in c.expect);

  await t.test(
    'each group is notified once, to its severity’s receiver, with all its alerts',
    () => {
      const byGroup = new Map<string, Delivery[]>();
      for (const d of firing) byGroup.set(groupOf(d), [...(byGroup.get(groupOf(d)) ?? []), d]);
      assert.deepEqual(
        [...byGroup.keys()].sort(),
        [...expected.keys()].sort(),
        `groups notified\n${hook.describe()}`,
      );
      for (const [key, want] of expected) {
        const ds = byGroup.get(key) ?? [];
        assert.equal(ds.length, 1, `${key}: one notification\n${hook.describe()}`);
        const d = ds[0];
        assert.ok(d);
        assert.equal(d.path, `/${want.receiver}`, `${key}: sent to the receiver's webhook`);
        // The group_by labels its alerts have: a pair alert has no instance, most no cluster.
        const first = cases[want.cases[0] ?? '']?.alert.labels ?? {};
        assert.deepEqual(
          Object.keys(d.message.groupLabels).sort(),
          GROUP_BY.filter((l) => first[l] !== undefined).sort(),
        );
        assert.deepEqual(
          d.message.alerts.map((a) => nameOf(a.labels)).sort(),
          [...want.cases].sort(),
          `${key}: the alerts of the notification\n${hook.describe()}`,
        );
      }
      assert.deepEqual(hook.rejected, [], 'every request was a version 4 webhook payload');
    },
  );

  await t.test('critical alerts go to pager, warnings to team-chat, info to tickets', () => {
    const delivered = new Map<string, string>();
    for (const d of firing)
      for (const a of d.message.alerts) delivered.set(nameOf(a.labels), d.message.receiver);
    assert.equal(delivered.get('critData'), 'pager');
    assert.equal(delivered.get('downC'), 'pager');
    assert.equal(delivered.get('warnVar'), 'team-chat');
    assert.equal(delivered.get('warnDataB'), 'team-chat');
    assert.equal(delivered.get('scanErrorsLogs'), 'tickets');
    assert.equal(delivered.get('kubeletFailedE'), 'pager');
    assert.equal(delivered.get('chronydFailedE'), 'team-chat');
    assert.equal(delivered.get('splitBrainGas'), 'pager');
    assert.equal(delivered.get('peerDownCl1'), 'pager');
    assert.equal(delivered.get('clockSkewCl'), 'team-chat');
    assert.equal(delivered.get('stalledDb2'), 'pager');
    assert.equal(delivered.get('spaceLowDb2Data'), 'team-chat');
  });

  await t.test('inhibited alerts are marked in the API and never delivered', async () => {
    const all = await am.alerts();
    const byCase = new Map<string, GettableAlert>(all.map((a) => [nameOf(a.labels), a]));
    assert.equal(all.length, Object.keys(cases).length, JSON.stringify(all.map((a) => a.labels)));
    for (const [name, c] of Object.entries(cases)) {
      const got = byCase.get(name);
      assert.ok(got, `${name} is known to Alertmanager`);
      assert.deepEqual(
        got.receivers.map((r) => r.name),
        [c.expect.receiver],
        `${name} is routed to ${c.expect.receiver}`,
      );
      if ('inhibitedBy' in c.expect) {
        const source = byCase.get(c.expect.inhibitedBy);
        assert.ok(source);
        assert.equal(got.status.state, 'suppressed', `${name} is suppressed`);
        assert.deepEqual(
          got.status.inhibitedBy,
          [source.fingerprint],
          `${name} is inhibited by ${c.expect.inhibitedBy}`,
        );
      } else {
        assert.equal(
          got.status.state,
          'active',
          `${name} is active: ${JSON.stringify(got.status)}`,
        );
        assert.deepEqual(got.status.inhibitedBy, [], `${name} is not inhibited`);
      }
    }
    // Each shares a group with a delivered alert (checked above): absent from that notification.
    const sent = new Set(
      hook.deliveries.flatMap((d) => d.message.alerts.map((a) => nameOf(a.labels))),
    );
    for (const [name] of inhibited)
      assert.ok(!sent.has(name), `${name} was delivered\n${hook.describe()}`);
    // The filter the UI uses to hide them agrees.
    const visible = await am.alerts({ inhibited: false });
    assert.deepEqual(
      visible.map((a) => nameOf(a.labels)).sort(),
      Object.keys(cases)
        .filter((k) => !inhibited.some(([n]) => n === k))
        .sort(),
    );
  });

  await am.stop();
});

// ---------------------------------------------------------------------------------------------
// Grafana

interface DatasourceProvisioning {
  apiVersion: number;
  datasources: {
    name: string;
    type: string;
    uid: string;
    url: string;
    access: string;
    isDefault?: boolean;
  }[];
}

interface DashboardProvider {
  name: string;
  type: string;
  folder: string;
  folderUid?: string;
  allowUiUpdates?: boolean;
  updateIntervalSeconds?: number;
  options: { path: string; foldersFromFilesStructure?: boolean };
}

const PROVISIONING = join(DEPLOY, 'grafana/provisioning');

async function provisionedDatasource() {
  const p = (await readYaml(
    join(PROVISIONING, 'datasources/patrol.yml'),
  )) as DatasourceProvisioning;
  assert.equal(p.apiVersion, 1);
  assert.equal(p.datasources.length, 1);
  const ds = p.datasources[0];
  assert.ok(ds);
  return ds;
}

test('grafana provisioning: the default Prometheus datasource with a fixed uid', async () => {
  const ds = await provisionedDatasource();
  assert.equal(ds.type, 'prometheus');
  assert.equal(ds.uid, 'prometheus');
  assert.equal(ds.url, 'http://localhost:9090');
  assert.equal(ds.access, 'proxy');
  // The dashboards' datasource variable (type prometheus, no fixed choice) starts on the
  // default datasource of that type: this one must be it.
  assert.equal(ds.isDefault, true);
});

test('grafana provisioning: one folder per dashboard language, laid out like dashboards/', async () => {
  const p = (await readYaml(join(PROVISIONING, 'dashboards/patrol.yml'))) as {
    apiVersion: number;
    providers: DashboardProvider[];
  };
  assert.equal(p.apiVersion, 1);
  const folders: Record<string, string> = { en: 'patrol', 'zh-CN': 'patrol (中文)' };
  assert.deepEqual(
    Object.keys(folders).sort(),
    [...LANGUAGES].sort(),
    'a folder for each language',
  );
  assert.equal(p.providers.length, LANGUAGES.length);
  const parents = new Set<string>();
  for (const lang of LANGUAGES) {
    // The repository's dashboards/<lang>/ is copied to <parent>/<lang>/ (deploy/README.md).
    const matching = p.providers.filter((x) => posix.basename(x.options.path) === lang);
    assert.equal(matching.length, 1, `one provider reads a folder named ${lang}`);
    const prov = matching[0];
    assert.ok(prov);
    assert.equal(prov.type, 'file');
    assert.equal(prov.folder, folders[lang]);
    assert.equal(prov.options.foldersFromFilesStructure, false);
    assert.equal(typeof prov.allowUiUpdates, 'boolean');
    assert.ok((prov.updateIntervalSeconds ?? 0) > 0);
    assert.ok(posix.isAbsolute(prov.options.path));
    parents.add(posix.dirname(prov.options.path));
  }
  assert.equal(parents.size, 1, 'all languages below one directory, as in the repository');
  for (const key of ['name', 'folder', 'folderUid'] as const) {
    const values = p.providers.map((x) => x[key]);
    assert.equal(new Set(values).size, values.length, `provider ${key}s are distinct`);
  }
});

/** The `datasource` references found anywhere in a dashboard, with where they are. */
function datasourceRefs(node: unknown, path: string, out: { path: string; ref: unknown }[]): void {
  if (Array.isArray(node)) {
    node.forEach((v, i) => {
      datasourceRefs(v, `${path}[${i}]`, out);
    });
  } else if (isRecord(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'datasource') out.push({ path: `${path}.${k}`, ref: v });
      else datasourceRefs(v, `${path}.${k}`, out);
    }
  }
}

test('generated dashboards query through their datasource variable and have distinct uids', async () => {
  const ds = await provisionedDatasource();
  const uids = new Map<string, string>();
  const filesByLang = new Map<string, string[]>();
  for (const lang of LANGUAGES) {
    const dir = join(repo, 'dashboards', lang);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
    assert.ok(files.length > 0, `${dir} holds dashboards`);
    filesByLang.set(lang, files);
    for (const f of files) {
      const where = `dashboards/${lang}/${f}`;
      const d = JSON.parse(await readFile(join(dir, f), 'utf8')) as {
        uid?: string;
        templating?: { list?: Record<string, unknown>[] };
      };
      assert.ok(typeof d.uid === 'string' && d.uid !== '', `${where} has a uid`);
      // Two providers in one Grafana: a uid in both folders would make them fight over it.
      assert.ok(!uids.has(d.uid), `${where} and ${uids.get(d.uid) ?? ''} share uid ${d.uid}`);
      uids.set(d.uid, where);

      const vars = (d.templating?.list ?? []).filter((v) => v.type === 'datasource');
      assert.equal(vars.length, 1, `${where} has one datasource variable`);
      const v = vars[0];
      assert.ok(v);
      assert.equal(v.query, ds.type, `${where}: the variable lists ${ds.type} datasources`);
      const current = isRecord(v.current) ? v.current.value : undefined;
      assert.ok(
        current === undefined || current === '' || current === 'default' || current === ds.uid,
        `${where}: the variable's saved choice ${JSON.stringify(current)} is the provisioned datasource or the default`,
      );
      const name = String(v.name);
      const viaVariable = (ref: unknown) =>
        ref === `\${${name}}` ||
        ref === `$${name}` ||
        (isRecord(ref) && (ref.uid === `\${${name}}` || ref.uid === `$${name}`));
      const grafanaBuiltIn = (ref: unknown) =>
        isRecord(ref) && (ref.type === 'grafana' || ref.uid === '-- Grafana --');
      const refs: { path: string; ref: unknown }[] = [];
      datasourceRefs(d, '', refs);
      for (const r of refs) {
        assert.ok(
          viaVariable(r.ref) || grafanaBuiltIn(r.ref),
          `${where}${r.path} = ${JSON.stringify(r.ref)}: queries must go through \${${name}}`,
        );
      }
      // A panel or query variable without a datasource uses Grafana's default one, not the
      // variable: switching the variable would silently not switch it.
      const panels = (d as { panels?: Record<string, unknown>[] }).panels ?? [];
      const all = panels.flatMap((p) => [
        p,
        ...((p.panels as Record<string, unknown>[] | undefined) ?? []),
      ]);
      for (const p of all) {
        const targets = Array.isArray(p.targets) ? (p.targets as Record<string, unknown>[]) : [];
        if (targets.length === 0) continue;
        assert.ok(
          viaVariable(p.datasource) || targets.every((x) => viaVariable(x.datasource)),
          `${where}: panel ${JSON.stringify(p.title)} queries through \${${name}}`,
        );
      }
      for (const q of (d.templating?.list ?? []).filter((x) => x.type === 'query'))
        assert.ok(
          viaVariable(q.datasource),
          `${where}: variable ${String(q.name)} queries through \${${name}}`,
        );
    }
  }
  assert.deepEqual(
    filesByLang.get('zh-CN'),
    filesByLang.get('en'),
    'the same dashboards in each language',
  );
});
