import { family, stateSet } from '../../core/metrics.ts';
import { ROLES } from './heartbeat.ts';
import { linkFamilies } from './links/metrics.ts';

/** Why a heartbeat failed (patrol_ha_peer_heartbeat_failures_total's `reason`). */
export const FAILURE_REASONS = [
  'timeout',
  'refused',
  'unreachable',
  'auth',
  'http_status',
  'bad_response',
  'wrong_cluster',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export const haFamilies = {
  peerUp: family({
    name: 'patrol_ha_peer_up',
    help: 'Whether the peer answers its heartbeat (1), or failed failure_threshold heartbeats in a row or never answered since start (0).',
    type: 'gauge',
    labels: ['cluster', 'peer'],
  }),
  peerLastSeen: family({
    name: 'patrol_ha_peer_last_seen_timestamp_seconds',
    help: 'When the peer last answered a heartbeat (this node’s clock); absent until it has.',
    type: 'gauge',
    labels: ['cluster', 'peer'],
  }),
  peerRtt: family({
    name: 'patrol_ha_peer_rtt_seconds',
    help: 'Round trip of the last answered heartbeat, less the time the peer took to answer.',
    type: 'gauge',
    labels: ['cluster', 'peer'],
  }),
  peerClockOffset: family({
    name: 'patrol_ha_peer_clock_offset_seconds',
    help: "The peer's clock minus this node's, estimated NTP-style from the heartbeat with the smallest round trip of the last 8 (error at most half that round trip).",
    type: 'gauge',
    labels: ['cluster', 'peer'],
  }),
  peerFailures: family({
    name: 'patrol_ha_peer_heartbeat_failures_total',
    help: 'Heartbeats to the peer that failed, by reason: timeout, refused (connection refused), unreachable (other network errors), auth (401 or a bad signature), http_status (another status), bad_response (not a heartbeat), wrong_cluster (the peer is in another cluster).',
    type: 'counter',
    labels: ['cluster', 'peer', 'reason'],
  }),
  peerRole: stateSet({
    name: 'patrol_ha_peer_role',
    help: 'The role the peer reported in its last heartbeat, one series per role (primary, standby, unknown), 1 for the current one; all 0 while the peer is down.',
    labels: ['cluster', 'peer', 'role'],
    stateLabel: 'role',
    states: ROLES,
  }),
  peerRestarts: family({
    name: 'patrol_ha_peer_restarts_total',
    help: "Times the peer's exporter was seen to restart (its heartbeat's start id changed).",
    type: 'counter',
    labels: ['cluster', 'peer'],
  }),
  role: stateSet({
    name: 'patrol_ha_role',
    help: "This node's role, one series per role (primary, standby, unknown), 1 for the current one.",
    labels: ['cluster', 'node', 'role'],
    stateLabel: 'role',
    states: ROLES,
  }),
  roleChanges: family({
    name: 'patrol_ha_role_changes_total',
    help: "Changes of this node's role between primary and standby (failovers and switchovers; going through unknown is not one).",
    type: 'counter',
    labels: ['cluster'],
  }),
  roleLastChange: family({
    name: 'patrol_ha_role_last_change_timestamp_seconds',
    help: "When this node's role last changed between primary and standby; absent until it has since start.",
    type: 'gauge',
    labels: ['cluster'],
  }),
  splitBrain: family({
    name: 'patrol_ha_split_brain',
    help: 'Whether this node and a peer that answers both say they are primary (1).',
    type: 'gauge',
    labels: ['cluster'],
  }),
  unauthorized: family({
    name: 'patrol_ha_unauthorized_requests_total',
    help: "Requests to this node's heartbeat or manifest endpoint refused because they were not signed with the pair's secret (or replayed), by endpoint.",
    type: 'counter',
    labels: ['cluster', 'endpoint'],
  }),
  replicationLag: family({
    name: 'patrol_replication_lag_seconds',
    help: "On the standby: how old the dataset's canary in its mirrored copy is, against the primary's clock (corrected by the measured clock offset). Grows by a second per second while the mirror stands still; before any canary has arrived, counts from when this node started looking. Not exported by the primary.",
    type: 'gauge',
    labels: ['cluster', 'dataset'],
  }),
  canaryTimestamp: family({
    name: 'patrol_replication_canary_timestamp_seconds',
    help: "The canary's time: on the primary, when it last wrote it; on the standby, the copy's, on this node's clock. Absent until there is one.",
    type: 'gauge',
    labels: ['cluster', 'dataset'],
  }),
  canarySequence: family({
    name: 'patrol_replication_canary_sequence',
    help: "The canary's sequence number (canaries its writer wrote since it started): on the primary the last written, on the standby the copy's. A standby whose sequence stops moving while the primary's moves has a stalled mirror.",
    type: 'gauge',
    labels: ['cluster', 'dataset'],
  }),
  canaryWriteOk: family({
    name: 'patrol_replication_canary_write_ok',
    help: "On the primary: whether its last write of the dataset's canary succeeded (1) or failed (0: the dataset is read-only to patrol, e.g. missing from the unit's ReadWritePaths=, or full); while 0 the standby's lag grows. Absent on other roles and before the first write.",
    type: 'gauge',
    labels: ['cluster', 'dataset'],
  }),
  canaryErrors: family({
    name: 'patrol_replication_canary_errors_total',
    help: 'Failures to write the canary (primary) or to read a usable copy of it (standby: unreadable or half-written; a missing copy is not counted, it shows as lag).',
    type: 'counter',
    labels: ['cluster', 'dataset', 'operation'],
  }),
  outOfSyncFiles: family({
    name: 'patrol_replication_out_of_sync_files',
    help: "On the standby: files in both copies whose size or modification time differ (compare mode), found in two consecutive compares while the primary's file stayed the same (a change in flight through the mirror is not counted). Absent until the first compare.",
    type: 'gauge',
    labels: ['cluster', 'dataset'],
  }),
  outOfSyncBytes: family({
    name: 'patrol_replication_out_of_sync_bytes',
    help: "On the standby: the primary's bytes of the out-of-sync and missing files, what the mirror still has to ship. Absent until the first compare.",
    type: 'gauge',
    labels: ['cluster', 'dataset'],
  }),
  missingFiles: family({
    name: 'patrol_replication_missing_files',
    help: 'On the standby: files on the primary that its copy lacks, found in two consecutive compares. Absent until the first compare.',
    type: 'gauge',
    labels: ['cluster', 'dataset'],
  }),
  extraFiles: family({
    name: 'patrol_replication_extra_files',
    help: 'On the standby: files only its copy has (deleted on the primary, or written on the standby), found in two consecutive compares. Absent until the first compare.',
    type: 'gauge',
    labels: ['cluster', 'dataset'],
  }),
  lastCompare: family({
    name: 'patrol_replication_last_compare_timestamp_seconds',
    help: "On the standby: when its copy was last compared in full with the primary's manifest. Absent until the first compare.",
    type: 'gauge',
    labels: ['cluster', 'dataset'],
  }),
  compareErrors: family({
    name: 'patrol_replication_compare_errors_total',
    help: "Compares of the standby's copy that could not be made, or were incomplete, by reason: local (this node's copy could not be walked, or parts of it could not be read), peer (the primary's manifest could not be fetched or was refused), no_primary (no peer that answers says it is primary).",
    type: 'counter',
    labels: ['cluster', 'dataset', 'reason'],
  }),
  datasetFiles: family({
    name: 'patrol_replication_dataset_files',
    help: "Files (and symlinks) in this node's copy of the dataset as of its last walk, include and exclude applied, the canary left out.",
    type: 'gauge',
    labels: ['cluster', 'dataset'],
  }),
  datasetBytes: family({
    name: 'patrol_replication_dataset_bytes',
    help: "Bytes of those files (apparent sizes) as of this node's last walk.",
    type: 'gauge',
    labels: ['cluster', 'dataset'],
  }),
  walkDuration: family({
    name: 'patrol_replication_walk_duration_seconds',
    help: "How long this node's last walk of its copy took, budget pauses included.",
    type: 'gauge',
    labels: ['cluster', 'dataset'],
  }),
  changedBytes: family({
    name: 'patrol_replication_dataset_changed_bytes_total',
    help: 'On the primary: sizes of the files modified between two consecutive walks, what the mirror must ship (an upper bound for mirrors that ship only the changed parts of files; a file moved in with an old mtime is not counted). Grows only while this node is primary.',
    type: 'counter',
    labels: ['cluster', 'dataset'],
  }),
  filesystemAvail: family({
    name: 'patrol_replication_dataset_filesystem_avail_bytes',
    help: "Bytes available to unprivileged users on the filesystem holding this node's copy of the dataset (statfs at the end of its last walk, every compare.interval).",
    type: 'gauge',
    labels: ['cluster', 'dataset'],
  }),
  filesystemSize: family({
    name: 'patrol_replication_dataset_filesystem_size_bytes',
    help: "Size of the filesystem holding this node's copy of the dataset (statfs at the end of its last walk, every compare.interval).",
    type: 'gauge',
    labels: ['cluster', 'dataset'],
  }),
  ...linkFamilies,
} as const;

/** Why a compare could not be made (patrol_replication_compare_errors_total's `reason`). */
export const COMPARE_ERROR_REASONS = ['local', 'peer', 'no_primary'] as const;
export type CompareErrorReason = (typeof COMPARE_ERROR_REASONS)[number];
