/**
 * The installed tree, /opt/patrol, assembled from a checkout after `npm ci`, without network:
 *   bin/node               the pinned Node.js runtime, stripped (runtime.ts checks it first)
 *   bin/patrol             a shell wrapper: bin/node dist/main.js "$@"
 *   dist/                  the compiled JavaScript (tsc -p tsconfig.build.json); nothing is
 *                          compiled at start
 *   node_modules/          production dependencies only (npm ls --omit=dev)
 *   package.json, build-info.json (version, revision, build time: patrol_build_info)
 *   alerts/ dashboards/ docs/ (runbooks, metrics, alerts) config.example.yaml config.schema.json
 *   deploy/                the unit and its drop-in, Prometheus, Alertmanager, Grafana, Kubernetes
 *   install.sh             the tarball's installer (deploy/release/install.sh)
 * The layout is the checkout's own (dist/ beside package.json and docs/), so the code finds its
 * files the same way in both.
 */
import { chmodSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { shareModes, sh } from './exec.ts';

export interface BuildInfo {
  version: string;
  revision: string;
  /** ISO time of the commit built (SOURCE_DATE_EPOCH), not of the build: reproducible. */
  date: string;
}

/** Files and directories copied as they are from the checkout. */
const COPIED = [
  'README.md',
  'config.example.yaml',
  'config.schema.json',
  'alerts',
  'dashboards',
  'docs',
  'deploy',
] as const;

/** The production packages' directories, relative to the root, without their own node_modules. */
function productionPackages(root: string): string[] {
  const out = sh('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root });
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l !== root)
    .map((l) => relative(root, l))
    .filter((l) => l.startsWith(`node_modules${sep}`));
}

export function stage(opts: {
  root: string;
  dir: string;
  runtime: string;
  buildInfo: BuildInfo;
}): void {
  const { root, dir } = opts;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'bin'), { recursive: true });

  // The runtime, stripped of its symbol table (127 to 109 MB; backtraces keep JS frames).
  sh('strip', ['--strip-all', '-o', join(dir, 'bin', 'node'), opts.runtime]);
  chmodSync(join(dir, 'bin', 'node'), 0o755);
  writeFileSync(
    join(dir, 'bin', 'patrol'),
    '#!/bin/sh\n# patrol on its own runtime: no Node.js needed on the host.\n' +
      'here=$(dirname "$(readlink -f "$0")")\n' +
      'exec "$here/node" "$here/../dist/main.js" "$@"\n',
    { mode: 0o755 },
  );

  // Compiled fresh into the stage (not the checkout's dist/, which may hold stale files).
  sh(
    join(root, 'node_modules', '.bin', 'tsc'),
    [
      '-p',
      'tsconfig.build.json',
      '--outDir',
      join(dir, 'dist'),
      '--incremental',
      'false',
      '--tsBuildInfoFile',
      'null',
    ],
    { cwd: root },
  );

  for (const pkg of productionPackages(root)) {
    cpSync(join(root, pkg), join(dir, pkg), {
      recursive: true,
      // Nested packages are listed (and copied) on their own; .bin links point at dev tools.
      filter: (src) => {
        const rel = relative(join(root, pkg), src);
        return !rel.startsWith('node_modules') && !rel.startsWith('.bin');
      },
    });
  }

  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const shipped = {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    type: pkg.type,
    engines: pkg.engines,
    dependencies: pkg.dependencies,
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(shipped, null, 2) + '\n');
  writeFileSync(join(dir, 'build-info.json'), JSON.stringify(opts.buildInfo, null, 2) + '\n');

  for (const f of COPIED) cpSync(join(root, f), join(dir, f), { recursive: true });
  cpSync(join(root, 'deploy', 'release', 'install.sh'), join(dir, 'install.sh'));
  chmodSync(join(dir, 'install.sh'), 0o755);
  shareModes(dir);
}
