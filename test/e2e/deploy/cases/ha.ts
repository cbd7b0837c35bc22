/**
 * Routing cases of HA pairs and their replication: alerts about a whole pair (no instance),
 * about a node, about a dataset on a standby. Sources of inhibition are posted first (see
 * ../alertmanager.test.ts); the rest are the targets and bystanders.
 */
import { alert, haNode, pairAlert, replica, type Case } from './alerts.ts';

export const HA_SOURCES: Record<string, Case> = {
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
  // The primary zjz-db1 of mine-db cannot write the canaries of db-archive and db-scans (the
  // unit's ReadWritePaths=) ...
  canaryUnwritableDb1Archive: {
    alert: alert(
      'PatrolReplicationCanaryUnwritable',
      'critical',
      replica('host-db1:9872', 'mine-db', 'zjz-db1', 'db-archive'),
    ),
    expect: { receiver: 'pager' },
  },
  canaryUnwritableDb1Scans: {
    alert: alert(
      'PatrolReplicationCanaryUnwritable',
      'critical',
      replica('host-db1:9872', 'mine-db', 'zjz-db1', 'db-scans'),
    ),
    expect: { receiver: 'pager' },
  },
  // The node zjz-mine1 of mine-ring lost its link eth1, which carries its heartbeat to zjz-mine2.
  linkDownMine1: {
    alert: alert('PatrolHaLinkDown', 'critical', {
      ...haNode('host-mine1:9872', 'mine-ring', 'zjz-mine1'),
      interface: 'eth1',
    }),
    expect: { receiver: 'pager' },
  },
  // The pair ore-belt has no primary.
  noPrimaryOre: {
    alert: pairAlert('PatrolHaNoPrimary', 'critical', 'ore-belt'),
    expect: { receiver: 'pager' },
  },
};

export const HA_OTHERS: Record<string, Case> = {
  // The cut link is why zjz-mine1 hears nothing from the peer behind it: one page, the link's ...
  peerDownMine1Eth1: {
    alert: alert('PatrolHaPeerDown', 'critical', {
      ...haNode('host-mine1:9872', 'mine-ring', 'zjz-mine1'),
      peer: 'zjz-mine2',
      interface: 'eth1',
    }),
    expect: { inhibitedBy: 'linkDownMine1', receiver: 'pager' },
  },
  // ... not for a peer reached through another interface, nor for the peer's own side of the
  // cut (its link is up: "check the peer or the switch").
  peerDownMine1Eth2: {
    alert: alert('PatrolHaPeerDown', 'critical', {
      ...haNode('host-mine1:9872', 'mine-ring', 'zjz-mine1'),
      peer: 'zjz-mine3',
      interface: 'eth2',
    }),
    expect: { receiver: 'pager' },
  },
  peerDownMine2: {
    alert: alert('PatrolHaPeerDown', 'critical', {
      ...haNode('host-mine2:9872', 'mine-ring', 'zjz-mine2'),
      peer: 'zjz-mine1',
      interface: 'eth1',
    }),
    expect: { receiver: 'pager' },
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
  // A canary the primary cannot write is why the standby's copy of it stands still: it holds
  // back the stall and the lag of that dataset on the standby (another instance: same job,
  // cluster and dataset) ...
  stalledDb2Archive: {
    alert: alert(
      'PatrolReplicationStalled',
      'critical',
      replica('host-db2:9872', 'mine-db', 'zjz-db2', 'db-archive'),
    ),
    expect: { inhibitedBy: 'canaryUnwritableDb1Archive', receiver: 'pager' },
  },
  lagHighDb2Scans: {
    alert: alert(
      'PatrolReplicationLagHigh',
      'warning',
      replica('host-db2:9872', 'mine-db', 'zjz-db2', 'db-scans'),
    ),
    expect: { inhibitedBy: 'canaryUnwritableDb1Scans', receiver: 'team-chat' },
  },
  // ... not those of a pair of the same name in another job (the same group) ...
  lagHighDb2ScansOtherJob: {
    alert: alert('PatrolReplicationLagHigh', 'warning', {
      ...replica('host-db2:9872', 'mine-db', 'zjz-db2', 'db-scans'),
      job: 'patrol-canary',
    }),
    expect: { receiver: 'team-chat' },
  },
  // ... nor the dataset's compare alerts, which do not use the canary.
  outOfSyncDb2Scans: {
    alert: alert(
      'PatrolReplicationOutOfSync',
      'warning',
      replica('host-db2:9872', 'mine-db', 'zjz-db2', 'db-scans'),
    ),
    expect: { receiver: 'team-chat' },
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
