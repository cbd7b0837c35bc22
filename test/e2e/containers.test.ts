// The containers collector against a real Docker daemon (Debian's docker.io, started by the
// test): a running container, one that keeps exiting under --restart always, one whose health
// check fails, one that exited with a code, one killed for memory, one removed, and the daemon
// stopped and started again. What patrol reports is compared with `docker inspect`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/core/logger.ts';
import { SampleBuffer } from '../../src/core/metrics.ts';
import type { Collector } from '../../src/core/collector.ts';
import { containersConfig } from '../../src/collectors/containers/config.ts';
import { createContainersCollector } from '../../src/collectors/containers/index.ts';
import { FAILING_HEALTH_CHECK, IMAGE, startDocker, type Docker } from '../harness/docker.ts';
import { suiteScope } from '../harness/process.ts';
import { notYet, waitFor } from '../harness/wait.ts';

/** What `docker inspect` says of a container, in the collector's terms. */
async function inspected(docker: Docker, name: string) {
  const out = await docker.cli([
    'inspect',
    name,
    '--format',
    '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.RestartCount}} {{.State.OOMKilled}} {{.State.ExitCode}} {{.Config.Image}}',
  ]);
  const [state, health, restarts, oom, exit, image] = out.split(' ');
  return {
    state,
    health,
    restarts: Number(restarts),
    oom: oom === 'true' ? 1 : 0,
    exit: Number(exit),
    image,
  };
}

function collect(c: Collector): SampleBuffer {
  const sink = new SampleBuffer();
  void c.collect(sink, new AbortController().signal);
  return sink;
}

/** The one state of a state set that is 1 for this container. */
function current(s: SampleBuffer, family: string, label: string, name: string): string | undefined {
  for (const [fam, samples] of s.families) {
    if (fam.name !== family) continue;
    return samples.find((x) => x.labels.name === name && x.value === 1)?.labels[label];
  }
  return undefined;
}

function reported(s: SampleBuffer, name: string) {
  return {
    state: current(s, 'patrol_container_state', 'state', name),
    health: current(s, 'patrol_container_health_status', 'status', name),
    restarts: s.get('patrol_container_restart_count', { name }),
    oom: s.get('patrol_container_oom_killed', { name }),
    exit: s.get('patrol_container_exit_code', { name }),
    image: s.get('patrol_container_info', { name, image: IMAGE }) === 1 ? IMAGE : undefined,
  };
}

describe('containers on a real Docker daemon', () => {
  const scope = suiteScope();
  let docker: Docker;
  let collector: Collector;
  const names = ['web', 'flappy', 'sick', 'done', 'oom'];

  before(async () => {
    docker = await startDocker(scope);
    await docker.run('web', ['sleep', '300'], ['--label', 'app=iuap']);
    await docker.run('flappy', ['sh', '-c', 'sleep 1; exit 3'], ['--restart', 'always']);
    await docker.run('sick', ['sleep', '300'], FAILING_HEALTH_CHECK);
    await docker.run('done', ['sh', '-c', 'exit 7']);
    // 8 MiB of memory and a shell that reads 100 MB into a variable: the kernel kills it.
    await docker.run(
      'oom',
      ['sh', '-c', 'x=$(head -c 100000000 /dev/zero | tr "\\0" x); sleep 100'],
      ['--memory', '8m'],
    );
    collector = createContainersCollector(
      containersConfig.parse({ socket: docker.socket, required: ['web', 'ghost'] }),
      { logger: silentLogger },
    );
    await collector.start?.();
  });

  after(async () => {
    await collector.stop?.();
    await scope.close();
  });

  const agrees = (what: string, only = names) =>
    waitFor(
      what,
      async () => {
        const s = collect(collector);
        for (const name of only) {
          const want = await inspected(docker, name);
          const got = reported(s, name);
          if (JSON.stringify(got) !== JSON.stringify(want)) {
            return notYet(
              `${name}: patrol ${JSON.stringify(got)}, docker inspect ${JSON.stringify(want)}`,
            );
          }
        }
        return s;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );

  it('reports each container as docker inspect does, kept current by the event stream', async () => {
    // The health check fails once a second; the memory hog is killed at once. Docker may mark
    // it OOMKilled after it shows it exited (the kernel's OOM event can come after the exit):
    // the wait is for both.
    await waitFor('sick to be unhealthy and oom to be killed', async () => {
      const [sick, oom] = [await inspected(docker, 'sick'), await inspected(docker, 'oom')];
      return sick.health === 'unhealthy' && oom.state === 'exited' && oom.oom === 1;
    });
    const s = await agrees('patrol to agree with docker inspect');
    assert.equal(s.get('patrol_container_engine_up'), 1);
    assert.equal(s.get('patrol_container_engine_synced'), 1);
    assert.equal(reported(s, 'web').state, 'running');
    assert.equal(reported(s, 'sick').health, 'unhealthy');
    assert.equal(reported(s, 'done').exit, 7);
    assert.deepEqual([reported(s, 'oom').oom, reported(s, 'oom').exit], [1, 137]);
    assert.ok(
      (s.get('patrol_container_start_time_seconds', { name: 'web' }) ?? 0) >
        Date.now() / 1000 - 600,
    );
    // Required and absent: missing, never silently left out.
    assert.equal(current(s, 'patrol_container_state', 'state', 'ghost'), 'missing');
    assert.equal(s.get('patrol_container_required_info', { name: 'ghost' }), 1);
    // The restarting one moves on its own: its count grows as docker's does.
    const before = reported(s, 'flappy').restarts ?? 0;
    await waitFor(
      'flappy to restart again',
      () => (reported(collect(collector), 'flappy').restarts ?? 0) > before,
    );
    await agrees('the restart count to agree', ['flappy']);
  });

  it('a removed container vanishes; a required one is then missing', async () => {
    await docker.cli(['rm', '-f', 'web']);
    const s = await waitFor('web to be gone', () => {
      const x = collect(collector);
      return current(x, 'patrol_container_state', 'state', 'web') === 'missing' ? x : false;
    });
    assert.equal(s.get('patrol_container_restart_count', { name: 'web' }), undefined);
    await docker.run('web', ['sleep', '300'], ['--label', 'app=iuap']);
    await agrees('the new web to be reported', ['web']);
  });

  it('selects by name pattern and by label', async () => {
    const only = async (selection: object) => {
      const c = createContainersCollector(
        containersConfig.parse({ socket: docker.socket, ...selection }),
        {
          logger: silentLogger,
        },
      );
      await c.start?.();
      try {
        const s = await waitFor('the selection', () => {
          const x = collect(c);
          return x.get('patrol_container_engine_synced') === 1 ? x : false;
        });
        const seen = [...s.families].find(
          ([f]) => f.name === 'patrol_container_restart_count',
        )?.[1];
        return seen?.map((x) => x.labels.name).sort();
      } finally {
        await c.stop?.();
      }
    };
    assert.deepEqual(await only({ names: '^(web|sick)$' }), ['sick', 'web']);
    assert.deepEqual(await only({ labels: { app: 'iuap' } }), ['web']);
  });

  it('the daemon stopped: engine_up 0 and the last state kept; started again: current again', async () => {
    await docker.stop();
    const down = await waitFor('engine_up 0', () => {
      const x = collect(collector);
      return x.get('patrol_container_engine_up') === 0 ? x : false;
    });
    assert.equal(down.get('patrol_container_engine_synced'), 0);
    assert.notEqual(reported(down, 'sick').state, undefined, 'the last known state is kept');
    await docker.start();
    await waitFor('engine_up 1', () => collect(collector).get('patrol_container_engine_up') === 1, {
      timeoutMs: 90_000,
    });
    await agrees('patrol to agree with docker inspect after the restart', ['sick', 'done', 'oom']);
  });
});
