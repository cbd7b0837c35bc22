import { z } from 'zod';
import { collectorBase, duration, regex } from '../../config/fields.ts';

const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export const containersConfig = z
  .strictObject({
    ...collectorBase({ enabled: true, timeout: '5s' }),
    socket: z
      .string()
      .regex(/^\//, 'must be an absolute path')
      .default('/var/run/docker.sock')
      .meta({
        description:
          "The Docker Engine API's Unix socket (Podman's Docker-compatible service works the same: /run/podman/podman.sock). patrol's user must be allowed to open it (the docker group).",
        default: '/var/run/docker.sock',
      }),
    names: regex('', 'Only containers whose name matches this regex (empty: all).'),
    labels: z
      .record(z.string().min(1), z.string())
      .default({})
      .meta({
        description:
          "Only containers carrying every one of these labels with these values (empty: all), e.g. the installer's com.docker.compose.project.",
        default: {},
        examples: [{ 'com.docker.compose.project': 'iuap' }],
      }),
    required: z
      .array(z.string().regex(CONTAINER_NAME, 'not a container name'))
      .default([])
      .meta({
        description:
          'Containers that must exist: one that does not is reported with state "missing" (never silently left out), and the engine being unreachable is reported for them too.',
        default: [],
        examples: [['nginx', 'redis', 'rabbitmq', 'mysql']],
      }),
    request_timeout: duration('10s', 'Deadline of one request to the engine (a list, an inspect).'),
    events_idle_timeout: duration(
      '10m',
      'The event stream is silent while nothing happens; after this long without an event it is opened again and the containers listed afresh, so a stream that died without a word is not trusted for longer.',
      '10s',
    ),
  })
  .meta({
    description:
      "Containers on this host from the Docker Engine API (checklist C7, for middleware an installer runs in Docker): state, health, restarts, OOM kills, exit codes. Listed once, then kept current from the engine's events. On when the socket exists or required containers are listed.",
  });

export type ContainersConfig = z.output<typeof containersConfig>;
