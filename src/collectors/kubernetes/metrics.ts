/**
 * The collector's own families (is the API there, is each resource synced); the families of
 * the objects are declared beside the function that fills them, in resources/*.ts.
 */
import { family, info, stateSet } from '../../core/metrics.ts';
import { FAILURE_REASONS } from './api.ts';
import { EVENT_TYPES, RELIST_REASONS, RESTART_REASONS } from './reflector.ts';
import { nodeFamilies } from './resources/nodes.ts';
import { podFamilies } from './resources/pods.ts';
import { serviceFamilies } from './resources/services.ts';
import {
  daemonSetFamilies,
  deploymentFamilies,
  statefulSetFamilies,
} from './resources/workloads.ts';

export const RESOURCE_STATES = ['ok', 'forbidden', 'not_served', 'failing'] as const;

export const kubeFamilies = {
  up: family({
    name: 'patrol_kube_api_up',
    help: "Whether the API server answered patrol's last check (GET /version, every 15 s or request_timeout, whichever is shorter) with the credentials patrol has (1), or did not answer, refused them (401) or timed out (0). While 0, the object series show the last state known, marked by patrol_kube_resource_synced 0.",
    type: 'gauge',
    labels: [],
  }),
  apiInfo: info({
    name: 'patrol_kube_api_info',
    help: "Always 1: the API server's version as it reports it (GET /version).",
    labels: ['git_version'],
  }),
  available: family({
    name: 'patrol_kube_resource_available',
    help: 'Whether patrol can read the resource (1), or not (0): the server does not serve it (discovery) or RBAC forbids listing or watching it (the log names the verb). The other resources keep working.',
    type: 'gauge',
    labels: ['resource'],
  }),
  state: stateSet({
    name: 'patrol_kube_resource_state',
    help: 'Why a resource is read or not: ok, forbidden (RBAC), not_served (this server has no such resource), failing (its list or watch fails otherwise), 1 for the current one.',
    labels: ['resource', 'state'],
    stateLabel: 'state',
    states: RESOURCE_STATES,
  }),
  synced: family({
    name: 'patrol_kube_resource_synced',
    help: "Whether patrol's copy of the resource equals the server's view (1: listed, its watch open and the API answering), or may be behind (0: the series of its objects show the last state known).",
    type: 'gauge',
    labels: ['resource'],
  }),
  lastEvent: family({
    name: 'patrol_kube_watch_last_event_timestamp_seconds',
    help: 'When the last watch event (or completed list) of the resource arrived.',
    type: 'gauge',
    labels: ['resource'],
  }),
  objects: family({
    name: 'patrol_kube_objects',
    help: 'Objects of the resource patrol holds (only the fields its metrics need).',
    type: 'gauge',
    labels: ['resource'],
  }),
  relists: family({
    name: 'patrol_kube_relists_total',
    help: 'Full lists of the resource, by reason: start (the first), expired (410 Gone: the version to resume from was compacted away), garbage (the watch sent something that is not an event).',
    type: 'counter',
    labels: ['resource', 'reason'],
  }),
  restarts: family({
    name: 'patrol_kube_watch_restarts_total',
    help: 'Watches of the resource started again from the last version seen, by reason: timeout (the server ended it at its timeoutSeconds, as asked), silent (nothing for longer than it may be silent: a frozen server or a dead connection), error (a dropped connection, an error answer).',
    type: 'counter',
    labels: ['resource', 'reason'],
  }),
  events: family({
    name: 'patrol_kube_watch_events_total',
    help: 'Watch events of the resource, by type (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR).',
    type: 'counter',
    labels: ['resource', 'type'],
  }),
  skipped: family({
    name: 'patrol_kube_objects_skipped_total',
    help: 'Objects or events of the resource that were not what the API should send (no name, not JSON): counted and skipped.',
    type: 'counter',
    labels: ['resource'],
  }),
  failures: family({
    name: 'patrol_kube_api_failures_total',
    help: 'Failed requests to the API server, by resource (discovery and version for the checks) and reason (unauthorized, forbidden, not_found, expired, http_status, timeout, refused, tls, bad_response, other).',
    type: 'counter',
    labels: ['resource', 'reason'],
  }),
} as const;

export { EVENT_TYPES, FAILURE_REASONS, RELIST_REASONS, RESTART_REASONS };

/** Every family the collector can emit, for docs/metrics.md. */
export const allKubeFamilies = [
  ...Object.values(kubeFamilies),
  ...Object.values(nodeFamilies),
  ...Object.values(podFamilies),
  ...Object.values(deploymentFamilies),
  ...Object.values(statefulSetFamilies),
  ...Object.values(daemonSetFamilies),
  ...Object.values(serviceFamilies),
];
