/**
 * Routing cases of one host's alerts: filesystem, directory, the exporter itself, systemd,
 * logs. Sources of inhibition are posted first (see ../alertmanager.test.ts); the rest are the
 * targets and bystanders.
 */
import { alert, fs, unit, type Case } from './alerts.ts';

export const HOST_SOURCES: Record<string, Case> = {
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
};

export const HOST_OTHERS: Record<string, Case> = {
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
};
