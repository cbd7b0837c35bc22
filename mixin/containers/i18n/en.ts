/** The containers area's words in English, the source language (zh-CN.ts translates them). */
import type { AreaStrings } from '../../area.ts';

export const en = {
  alerts: {
    PatrolContainerEngineUnreachable: {
      summary: 'patrol cannot reach the container engine.',
      description:
        'patrol at {{ $labels.instance }} gets no answer from the Docker engine (collectors.containers.socket): the daemon is down, the socket is gone, or patrol may not open it. The containers shown are the last known.',
    },
    PatrolContainerNotRunning: {
      summary: 'A required container is not running.',
      description:
        'Container {{ $labels.name }} on {{ $labels.instance }} is {{ $labels.state }}, not running. Its service is down: docker ps -a and docker logs {{ $labels.name }} say why.',
    },
    PatrolContainerRequiredMissing: {
      summary: 'A required container does not exist.',
      description:
        'Container {{ $labels.name }}, required on {{ $labels.instance }}, does not exist in the Docker engine: it was removed, renamed, or never created by the installer.',
    },
    PatrolContainerUnhealthy: {
      summary: 'A container fails its health check.',
      description:
        'Container {{ $labels.name }} on {{ $labels.instance }} is unhealthy: its health check fails. docker inspect --format "{{`{{json .State.Health}}`}}" {{ $labels.name }} shows the last checks.',
    },
    PatrolContainerRestarting: {
      summary: 'A container keeps restarting.',
      description:
        'Container {{ $labels.name }} on {{ $labels.instance }} restarted %count% times or more within %window%, or is restarting now: its process keeps dying and the restart policy starts it again.',
    },
  },
  dashboards: {
    values: {},
    overview: {
      rows: {
        containers: 'Containers',
      },
      panels: {
        engineUnreachable: {
          title: 'Container engines down',
          description:
            'Hosts whose Docker engine does not answer patrol: their containers are not measured now.',
        },
        requiredNotRunning: {
          title: 'Required containers down',
          description:
            'Required containers (collectors.containers.required) that are not running or do not exist.',
        },
        unhealthy: {
          title: 'Unhealthy containers',
          description: 'Containers whose health check fails.',
        },
        restarting: {
          title: 'Restarting containers',
          description:
            'Containers restarting now, or restarted several times within the window of PatrolContainerRestarting.',
        },
      },
    },
  },
} satisfies AreaStrings;

export type ContainersStrings = typeof en;
