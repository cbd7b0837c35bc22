import { family, info, stateSet } from '../../core/metrics.ts';
import { HEALTH, STATES } from './state.ts';

const labels = ['name'] as const;

// cAdvisor's and Docker's own words under patrol_container_; one series set per container name
// (the name, not the id: a container re-created by its installer keeps its series).
export const containerFamilies = {
  up: family({
    name: 'patrol_container_engine_up',
    help: 'Whether the Docker Engine API answered the last list or kept its event stream open (1), or not (0: no socket, permission denied, daemon down); the containers then keep their last known state.',
    type: 'gauge',
    labels: [],
  }),
  synced: family({
    name: 'patrol_container_engine_synced',
    help: 'Whether the containers reported are current: listed and followed by the event stream since (1), or the last known state while the engine is unreachable (0).',
    type: 'gauge',
    labels: [],
  }),
  state: stateSet({
    name: 'patrol_container_state',
    help: "The container's state, one-hot (docker inspect's State.Status): created, running, paused, restarting, removing, exited, dead; missing for a required container that does not exist.",
    labels: [...labels, 'state'],
    stateLabel: 'state',
    states: STATES,
  }),
  health: stateSet({
    name: 'patrol_container_health_status',
    help: "The health check's verdict, one-hot: healthy, unhealthy, starting, or none when the container defines no health check.",
    labels: [...labels, 'status'],
    stateLabel: 'status',
    states: HEALTH,
  }),
  restarts: family({
    name: 'patrol_container_restart_count',
    help: 'How often the engine restarted the container under its restart policy (RestartCount; starts at 0 again when the container is re-created).',
    type: 'gauge',
    labels,
  }),
  oomKilled: family({
    name: 'patrol_container_oom_killed',
    help: "Whether the container's last run was killed for exceeding its memory limit (State.OOMKilled).",
    type: 'gauge',
    labels,
  }),
  exitCode: family({
    name: 'patrol_container_exit_code',
    help: "The exit code of the container's last run (0 while it runs for the first time; 137 killed, 143 terminated).",
    type: 'gauge',
    labels,
  }),
  startTime: family({
    name: 'patrol_container_start_time_seconds',
    help: "When the container last started (Unix seconds), as cAdvisor's container_start_time_seconds.",
    type: 'gauge',
    labels,
  }),
  info: info({
    name: 'patrol_container_info',
    help: 'The image a container runs (its name as given to docker run).',
    labels: [...labels, 'image'],
  }),
  required: info({
    name: 'patrol_container_required_info',
    help: 'A container the configuration requires (collectors.containers.required).',
    labels,
  }),
};
