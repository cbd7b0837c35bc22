/** The release build's output, found by name, and an independent check of the image's layout. */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../../harness/process.ts';

export interface Artifacts {
  tarball: string;
  deb: string;
  image: string;
}

export async function findArtifacts(dir: string): Promise<Artifacts> {
  const files = await readdir(dir);
  const one = (re: RegExp) => {
    const found = files.filter((f) => re.test(f));
    if (found.length !== 1)
      throw new Error(`${re.source}: ${found.join(', ') || 'nothing'} in ${dir}`);
    return join(dir, found[0] ?? '');
  };
  return {
    tarball: one(/^patrol-\d+\.\d+\.\d+-linux-x64\.tar\.gz$/),
    deb: one(/^patrol_\d+\.\d+\.\d+_amd64\.deb$/),
    image: one(/^patrol-\d+\.\d+\.\d+-linux-x64-image\.tar$/),
  };
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export interface ImageConfig {
  architecture: string;
  os: string;
  config: { User: string; Entrypoint: string[]; Labels: Record<string, string | undefined> };
  rootfs: { diff_ids: string[] };
}

/**
 * Unpacks the image archive and follows the OCI layout from index.json: every blob named by
 * a descriptor exists, has that size and hashes to that digest; the layer's uncompressed hash
 * is the config's diff_id; docker's manifest.json names the same config and layer.
 */
export async function verifyOciLayout(
  archive: string,
  dir: string,
): Promise<{ config: ImageConfig }> {
  const x = await run('tar', ['-xf', archive, '-C', dir], { timeoutMs: 120_000 });
  if (x.code !== 0) throw new Error(`tar: ${x.stderr}`);
  const layout = JSON.parse(await readFile(join(dir, 'oci-layout'), 'utf8')) as {
    imageLayoutVersion: string;
  };
  if (layout.imageLayoutVersion !== '1.0.0')
    throw new Error(`oci-layout: ${JSON.stringify(layout)}`);
  const blob = async (d: Descriptor): Promise<Buffer> => {
    const [algo, hex] = d.digest.split(':');
    if (algo !== 'sha256' || hex === undefined) throw new Error(`digest ${d.digest}`);
    const data = await readFile(join(dir, 'blobs', 'sha256', hex));
    if (data.length !== d.size)
      throw new Error(`${d.digest}: ${data.length} bytes, descriptor says ${d.size}`);
    const actual = createHash('sha256').update(data).digest('hex');
    if (actual !== hex) throw new Error(`${d.digest}: content hashes to ${actual}`);
    return data;
  };
  const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as {
    manifests: Descriptor[];
  };
  const [entry] = index.manifests;
  if (index.manifests.length !== 1 || entry === undefined)
    throw new Error('index.json: not one manifest');
  const manifest = JSON.parse((await blob(entry)).toString()) as {
    config: Descriptor;
    layers: Descriptor[];
  };
  const config = JSON.parse((await blob(manifest.config)).toString()) as ImageConfig;
  const diffIds: string[] = [];
  for (const l of manifest.layers) {
    await blob(l);
    // The uncompressed stream is 150 MB: hashed by sha256sum through a pipe.
    const path = join(dir, 'blobs', 'sha256', l.digest.slice('sha256:'.length));
    const h = await run('sh', ['-c', 'gzip -dc "$1" | sha256sum', 'sh', path], {
      timeoutMs: 120_000,
    });
    if (h.code !== 0) throw new Error(`gzip -dc | sha256sum: ${h.stderr}`);
    diffIds.push(`sha256:${h.stdout.split(' ')[0] ?? ''}`);
  }
  if (JSON.stringify(diffIds) !== JSON.stringify(config.rootfs.diff_ids)) {
    throw new Error(
      `diff_ids ${JSON.stringify(config.rootfs.diff_ids)}, layers unpack to ${JSON.stringify(diffIds)}`,
    );
  }
  const docker = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
    Config: string;
    Layers: string[];
  }[];
  const want = {
    Config: `blobs/sha256/${manifest.config.digest.slice(7)}`,
    Layers: manifest.layers.map((l) => `blobs/sha256/${l.digest.slice(7)}`),
  };
  if (
    docker[0]?.Config !== want.Config ||
    JSON.stringify(docker[0].Layers) !== JSON.stringify(want.Layers)
  ) {
    throw new Error(
      `manifest.json ${JSON.stringify(docker)} does not name ${JSON.stringify(want)}`,
    );
  }
  return { config };
}
