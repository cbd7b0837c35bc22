import assert from 'node:assert/strict';
import { it } from 'node:test';
import { groupVersion, isServed, servedResources } from './discovery.ts';

it('reads the served resources of a group version, subresources left out', () => {
  const doc = {
    kind: 'APIResourceList',
    groupVersion: 'apps/v1',
    resources: [
      { name: 'deployments', namespaced: true, kind: 'Deployment', verbs: ['list', 'watch'] },
      { name: 'deployments/scale', namespaced: true, kind: 'Scale' },
      { name: 'daemonsets', namespaced: true, kind: 'DaemonSet' },
      { nonsense: true },
    ],
  };
  const served = new Map([[groupVersion('apps', 'v1'), servedResources(doc)]]);
  assert.deepEqual([...servedResources(doc)], ['deployments', 'daemonsets']);
  assert.equal(isServed(served, { group: 'apps', version: 'v1', resource: 'deployments' }), true);
  assert.equal(isServed(served, { group: 'apps', version: 'v1', resource: 'statefulsets' }), false);
  assert.equal(
    isServed(served, { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' }),
    false,
    'a group version the server does not serve',
  );
  assert.equal(groupVersion('', 'v1'), 'v1');
});
