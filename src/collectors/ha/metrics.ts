import { family } from '../../core/metrics.ts';

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
  peerRole: family({
    name: 'patrol_ha_peer_role',
    help: 'The role the peer reported in its last heartbeat, one series per role (primary, standby, unknown), 1 for the current one; all 0 while the peer is down.',
    type: 'gauge',
    labels: ['cluster', 'peer', 'role'],
  }),
  peerRestarts: family({
    name: 'patrol_ha_peer_restarts_total',
    help: "Times the peer's exporter was seen to restart (its heartbeat's start id changed).",
    type: 'counter',
    labels: ['cluster', 'peer'],
  }),
  role: family({
    name: 'patrol_ha_role',
    help: "This node's role, one series per role (primary, standby, unknown), 1 for the current one.",
    type: 'gauge',
    labels: ['cluster', 'node', 'role'],
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
  canaryErrors: family({
    name: 'patrol_replication_canary_errors_total',
    help: 'Failures to write the canary (primary) or to read a usable copy of it (standby: unreadable or half-written; a missing copy is not counted, it shows as lag).',
    type: 'counter',
    labels: ['cluster', 'dataset', 'operation'],
  }),
} as const;
