/**
 * `npm run release`: the artifacts an operator carries into an isolated network, built from a
 * clean checkout after `npm ci`, with no network:
 *   patrol-<version>-linux-<arch>.tar.gz        the tree for /opt/patrol with its own Node.js
 *                                               runtime and install.sh
 *   patrol_<version>_<debarch>.deb              the same tree, the unit, a conffile, the user
 *   patrol-<version>-linux-<arch>-image.tar     a FROM-scratch image: docker load / OCI layout
 *   SHA256SUMS
 * Flags: --out=DIR (default release/out), --only=tarball,deb,image (default all).
 * Needs GNU tar, gzip, strip (binutils), ldd, and dpkg-deb for the .deb.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { deb } from './release/deb.ts';
import { sh, sha256File } from './release/exec.ts';
import { image } from './release/image.ts';
import { pinnedRuntime, verifiedRuntime } from './release/runtime.ts';
import { stage, type BuildInfo } from './release/stage.ts';
import { tarball } from './release/tarball.ts';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const KINDS = ['tarball', 'deb', 'image'] as const;
type Kind = (typeof KINDS)[number];

function git(args: string[]): string | undefined {
  try {
    return sh('git', args, { cwd: root }).trim();
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, only: { type: 'string' } },
  });
  const out = resolve(values.out ?? join(root, 'release', 'out'));
  const only = (values.only?.split(',') ?? KINDS) as Kind[];
  for (const k of only) {
    if (!KINDS.includes(k)) throw new Error(`--only: ${k} is not one of ${KINDS.join(', ')}`);
  }

  const started = Date.now();
  const pin = pinnedRuntime(root);
  const runtime = await verifiedRuntime(root, pin);
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  const revision = git(['rev-parse', '--short=12', 'HEAD']) ?? 'unknown';
  const dirty = git(['status', '--porcelain', '--untracked-files=no']);
  // The commit's time, so that two builds of one commit are the same bytes.
  const epoch = Number(process.env.SOURCE_DATE_EPOCH ?? git(['log', '-1', '--format=%ct']) ?? 0);
  const buildInfo: BuildInfo = {
    version,
    revision: dirty ? `${revision}-dirty` : revision,
    date: new Date(epoch * 1000).toISOString(),
  };

  const name = `patrol-${version}-${pin.platform}-${pin.arch}`;
  const workDir = join(out, '.work');
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const stageDir = join(workDir, name);
  stage({ root, dir: stageDir, runtime, buildInfo });
  log(`staged ${name} (Node.js ${pin.version}, sha256 verified, stripped)`, started);

  const files: string[] = [];
  if (only.includes('tarball')) {
    files.push(tarball({ workDir, name, out, epoch }));
    log(`tarball ${basename(files.at(-1) ?? '')}`, started);
  }
  if (only.includes('deb')) {
    files.push(
      deb({ root, stageDir, workDir, out, version, arch: pin.arch, glibc: pin.glibc, epoch }),
    );
    log(`deb ${basename(files.at(-1) ?? '')}`, started);
  }
  if (only.includes('image')) {
    const img = await image({
      stageDir,
      workDir,
      out,
      name,
      version,
      revision: buildInfo.revision,
      arch: pin.arch,
      epoch,
    });
    files.push(img.file);
    log(`image ${img.tag} ${img.id} in ${basename(img.file)}`, started);
  }
  rmSync(workDir, { recursive: true, force: true });

  const sums: string[] = [];
  for (const f of files) sums.push(`${await sha256File(f)}  ${basename(f)}`);
  writeFileSync(join(out, 'SHA256SUMS'), sums.join('\n') + '\n');
  for (const f of files) {
    process.stdout.write(`${f}\t${(statSync(f).size / 1e6).toFixed(1)} MB\n`);
  }
}

function log(msg: string, started: number): void {
  process.stderr.write(`release: ${msg} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`release: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
