import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CollectFailure } from '../../core/collector.ts';
import { HOST_PATHS } from '../../core/host-paths.ts';
import { silentLogger } from '../../core/logger.ts';
import { SampleBuffer } from '../../core/metrics.ts';
import { kubernetesConfig } from './config.ts';
import { createKubernetesCollector, kubernetesCollector } from './index.ts';

it('without usable credentials: says why, reports the API down, and counts as ready', async () => {
  const cfg = kubernetesConfig.parse({ kubeconfig: '/nonexistent/admin.conf' });
  const c = createKubernetesCollector(cfg, { logger: silentLogger });
  await assert.rejects(c.start(), /cannot read kubeconfig \/nonexistent\/admin\.conf/);
  assert.equal(c.ready(), true, 'it will not get further by waiting');
  const sink = new SampleBuffer();
  await assert.rejects(
    Promise.resolve().then(() => c.collect(sink, new AbortController().signal)),
    (err: unknown) => err instanceof CollectFailure && /no credentials/.test(err.message),
  );
  assert.equal(sink.get('patrol_kube_api_up'), 0, 'kept: a CollectFailure keeps what it wrote');
  await c.stop();
});

it('is off, saying why, where there is neither a kubeconfig nor a service account', () => {
  const saved = process.env.KUBERNETES_SERVICE_HOST;
  delete process.env.KUBERNETES_SERVICE_HOST;
  try {
    assert.match(
      kubernetesCollector.unavailable?.(kubernetesConfig.parse({}), HOST_PATHS) ?? 'available',
      /no cluster to watch: not in a pod \(KUBERNETES_SERVICE_HOST is not set\), and collectors\.kubernetes\.kubeconfig is not set/,
    );
  } finally {
    if (saved !== undefined) process.env.KUBERNETES_SERVICE_HOST = saved;
  }
  assert.equal(
    kubernetesCollector.unavailable?.(kubernetesConfig.parse({ kubeconfig: '/x' }), HOST_PATHS),
    undefined,
  );
  assert.throws(() => kubernetesConfig.parse({ context: 'x' }), /set kubeconfig too/);
});
