/**
 * The mirrored pair of the bundle's replication tests (test/e2e/bundle/replication.test.ts,
 * replication-canary.test.ts): primary `mirror-p` and standby `mirror-s` of the cluster
 * `mirror` (static roles, a shared secret, nothing but the HA collector), each with its own copy
 * of the dataset `data` (the same path on both nodes in real life), heartbeating each other on
 * 127.0.0.1. This writes each node's configuration and makes its copy; how a node is started and
 * what mirrors the copies is the test's.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeConfig } from './bundle-env.ts';
import { onlyCollectors, type CollectorSections } from './config.ts';
import { freePort } from './http.ts';

/** A node of the pair, ready to start: `--web.listen-address=127.0.0.1:${port}`. */
export interface MirrorNode {
  node: 'mirror-p' | 'mirror-s';
  /** Its copy of the dataset `data`, an empty directory. */
  path: string;
  port: number;
  configFile: string;
}

type Dataset = NonNullable<NonNullable<CollectorSections['ha']>['datasets']>[number];

export interface MirrorPairOptions {
  heartbeatSeconds: number;
  canarySeconds: number;
  /** The standby's compare of its copy (collectors.ha.datasets[].compare). */
  compare: NonNullable<Dataset['compare']>;
}

/** Writes both nodes' configurations under `dir` and makes their copies of the dataset. */
export async function mirrorPairConfigs(
  dir: string,
  opts: MirrorPairOptions,
): Promise<{ primary: MirrorNode; standby: MirrorNode }> {
  const ports = { 'mirror-p': await freePort(), 'mirror-s': await freePort() };
  const secretFile = join(dir, 'mirror-secret');
  await writeFile(secretFile, 'bundle-test-mirror-pair-secret\n', { mode: 0o600 });
  const node = async (name: MirrorNode['node'], peer: MirrorNode['node']): Promise<MirrorNode> => {
    const path = join(dir, name);
    await mkdir(path);
    const configFile = await writeConfig(
      join(dir, `${name}.yml`),
      onlyCollectors({
        ha: {
          enabled: true,
          cluster: 'mirror',
          node: name,
          peers: [{ name: peer, url: `http://127.0.0.1:${ports[peer]}` }],
          interval: `${opts.heartbeatSeconds * 1000}ms`,
          timeout: '250ms',
          secret_file: secretFile,
          role: { source: 'static', value: name === 'mirror-p' ? 'primary' : 'standby' },
          datasets: [
            {
              name: 'data',
              path,
              // In place: rsync must not catch a temporary canary on its way to the rename.
              canary: { interval: `${opts.canarySeconds}s`, mode: 'in_place' },
              compare: opts.compare,
            },
          ],
        },
      }),
    );
    return { node: name, path, port: ports[name], configFile };
  };
  return {
    primary: await node('mirror-p', 'mirror-s'),
    standby: await node('mirror-s', 'mirror-p'),
  };
}
