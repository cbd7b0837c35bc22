/**
 * The container image, written as files: no daemon, no registry, no base image. Its one layer
 * is the runtime, the shared libraries `ldd` names for it (copied from the build host: glibc,
 * libstdc++, libgcc_s), /etc/passwd and /etc/group with `nobody`, and /opt/patrol; it runs as
 * 65534:65534 and needs no writable path.
 *
 * The archive is both an OCI image layout (oci-layout, index.json, blobs/: `skopeo copy
 * oci-archive:`, `ctr images import`) and a `docker save` archive (manifest.json pointing at the
 * same blobs: `docker load`), the two views Docker itself writes since 25.0. Written by hand
 * because each tool that writes images here (docker, buildah, umoci) needs a daemon, root or a
 * package the release build should not depend on; the format is three small JSON documents.
 */
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { reproducibleTar, shareModes, sh, sha256, sha256File } from './exec.ts';

const OCI_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };

/** The absolute paths of the shared objects `ldd` resolves for a binary, loader included. */
export function sharedLibraries(lddOutput: string): string[] {
  const libs: string[] = [];
  for (const line of lddOutput.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m?.[1] !== undefined) libs.push(m[1]);
  }
  return libs;
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export interface ImageResult {
  file: string;
  tag: string;
  /** The image's config digest: what `docker images --no-trunc` shows as its ID. */
  id: string;
  layerBytes: number;
}

export async function image(opts: {
  stageDir: string;
  workDir: string;
  out: string;
  name: string;
  version: string;
  revision: string;
  arch: string;
  epoch: number;
}): Promise<ImageResult> {
  const arch = OCI_ARCH[opts.arch];
  if (arch === undefined) throw new Error(`no OCI architecture for ${opts.arch}`);
  const rootfs = join(opts.workDir, 'image-rootfs');
  rmSync(rootfs, { recursive: true, force: true });
  mkdirSync(join(rootfs, 'opt'), { recursive: true });
  sh('cp', ['-al', opts.stageDir, join(rootfs, 'opt', 'patrol')]);
  // No shell in the image: the wrapper and the installer could not run there.
  rmSync(join(rootfs, 'opt', 'patrol', 'install.sh'));
  rmSync(join(rootfs, 'opt', 'patrol', 'bin', 'patrol'));

  const node = join(opts.stageDir, 'bin', 'node');
  for (const lib of sharedLibraries(sh('ldd', [node]))) {
    const dest = join(rootfs, lib);
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(realpathSync(lib), dest);
  }
  mkdirSync(join(rootfs, 'etc'));
  writeFileSync(
    join(rootfs, 'etc', 'passwd'),
    'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n',
  );
  writeFileSync(join(rootfs, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
  writeFileSync(
    join(rootfs, 'etc', 'nsswitch.conf'),
    'passwd: files\ngroup: files\nhosts: files dns\n',
  );
  mkdirSync(join(rootfs, 'tmp'));
  shareModes(rootfs);
  chmodSync(join(rootfs, 'tmp'), 0o1777);

  const image = join(opts.workDir, 'image');
  rmSync(image, { recursive: true, force: true });
  const blobs = join(image, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });

  const layerTar = join(opts.workDir, 'layer.tar');
  sh('tar', [...reproducibleTar(opts.epoch), '-cf', layerTar, '-C', rootfs, '.']);
  const diffId = await sha256File(layerTar);
  sh('gzip', ['-n', '-6', '-f', layerTar]);
  const layerDigest = await sha256File(`${layerTar}.gz`);
  const layerBytes = statSync(`${layerTar}.gz`).size;
  renameSync(`${layerTar}.gz`, join(blobs, layerDigest));

  const created = new Date(opts.epoch * 1000).toISOString();
  const labels = {
    'org.opencontainers.image.title': 'patrol',
    'org.opencontainers.image.description':
      'Prometheus exporter for the daily inspection checklist',
    'org.opencontainers.image.version': opts.version,
    'org.opencontainers.image.revision': opts.revision,
    'org.opencontainers.image.created': created,
  };
  const blob = (mediaType: string, doc: unknown): Descriptor => {
    const text = JSON.stringify(doc);
    const digest = sha256(text);
    writeFileSync(join(blobs, digest), text);
    return { mediaType, digest: `sha256:${digest}`, size: Buffer.byteLength(text) };
  };
  const config = blob('application/vnd.oci.image.config.v1+json', {
    created,
    architecture: arch,
    os: 'linux',
    config: {
      User: '65534:65534',
      Entrypoint: ['/opt/patrol/bin/node', '/opt/patrol/dist/main.js'],
      ExposedPorts: { '9872/tcp': {} },
      Env: ['PATH=/opt/patrol/bin'],
      WorkingDir: '/',
      Labels: labels,
    },
    rootfs: { type: 'layers', diff_ids: [`sha256:${diffId}`] },
    history: [{ created, created_by: 'scripts/release.ts (FROM scratch)' }],
  });
  const layer: Descriptor = {
    mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    digest: `sha256:${layerDigest}`,
    size: layerBytes,
  };
  const manifest = blob('application/vnd.oci.image.manifest.v1+json', {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config,
    layers: [layer],
    annotations: labels,
  });
  const tag = `patrol:${opts.version}`;
  writeFileSync(join(image, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(image, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          ...manifest,
          annotations: {
            'org.opencontainers.image.ref.name': opts.version,
            'io.containerd.image.name': `docker.io/library/${tag}`,
          },
        },
      ],
    }),
  );
  const blobPath = (d: Descriptor) => `blobs/sha256/${d.digest.slice('sha256:'.length)}`;
  writeFileSync(
    join(image, 'manifest.json'),
    JSON.stringify([{ Config: blobPath(config), RepoTags: [tag], Layers: [blobPath(layer)] }]),
  );

  const file = join(opts.out, `${opts.name}-image.tar`);
  sh('tar', [...reproducibleTar(opts.epoch), '-cf', file, '-C', image, '.']);
  return { file, tag, id: config.digest, layerBytes };
}
