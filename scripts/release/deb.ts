/**
 * The .deb, built with dpkg-deb alone (no debhelper): the same tree under /opt/patrol, the
 * configuration as a conffile, the unit under /lib/systemd/system, and maintainer scripts
 * (deploy/release/debian/) that create the `patrol` system user and enable the unit.
 */
import { chmodSync, cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shareModes, sh } from './exec.ts';

const DEB_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };

export function deb(opts: {
  root: string;
  stageDir: string;
  workDir: string;
  out: string;
  version: string;
  arch: string;
  glibc: string;
  epoch: number;
}): string {
  const arch = DEB_ARCH[opts.arch];
  if (arch === undefined) throw new Error(`no Debian architecture for ${opts.arch}`);
  const pkgRoot = join(opts.workDir, 'deb');
  rmSync(pkgRoot, { recursive: true, force: true });
  mkdirSync(join(pkgRoot, 'opt'), { recursive: true });
  // Hard links: the tree is 150 MB and only read from here.
  sh('cp', ['-al', opts.stageDir, join(pkgRoot, 'opt', 'patrol')]);
  rmSync(join(pkgRoot, 'opt', 'patrol', 'install.sh'));
  mkdirSync(join(pkgRoot, 'etc', 'patrol'), { recursive: true });
  cpSync(join(opts.root, 'config.example.yaml'), join(pkgRoot, 'etc', 'patrol', 'patrol.yml'));
  mkdirSync(join(pkgRoot, 'lib', 'systemd', 'system'), { recursive: true });
  cpSync(
    join(opts.root, 'deploy', 'patrol.service'),
    join(pkgRoot, 'lib', 'systemd', 'system', 'patrol.service'),
  );

  const control = join(pkgRoot, 'DEBIAN');
  mkdirSync(control);
  const installedKiB = Math.ceil(
    Number(sh('du', ['-s', '--block-size=1024', '--apparent-size', pkgRoot]).split('\t')[0]),
  );
  writeFileSync(
    join(control, 'control'),
    [
      'Package: patrol',
      `Version: ${opts.version}`,
      `Architecture: ${arch}`,
      'Maintainer: patrol maintainers <patrol@localhost>',
      `Installed-Size: ${installedKiB}`,
      // The bundled runtime's libraries; adduser for the system user (postinst); procps for
      // the unit's ExecReload=/bin/kill.
      `Depends: libc6 (>= ${opts.glibc}), libstdc++6, libgcc-s1 | libgcc1, adduser, procps`,
      // arping -D: the HA collector's VIP conflict check (with the drop-in granting CAP_NET_RAW).
      'Recommends: iputils-arping',
      'Suggests: prometheus, prometheus-alertmanager',
      'Section: admin',
      'Priority: optional',
      'Homepage: https://git.example.com/ops/patrol',
      'Description: Prometheus exporter for the daily inspection checklist',
      ' Turns disk usage, log directories, systemd unit states, log error counts, hot-standby',
      ' pairs, Kubernetes objects, service probes, containers and database replication into',
      ' metrics. Ships its own Node.js runtime under /opt/patrol; alert rules, dashboards and',
      ' runbooks (English and Chinese) are in /opt/patrol.',
      '',
    ].join('\n'),
  );
  writeFileSync(join(control, 'conffiles'), '/etc/patrol/patrol.yml\n');
  const scripts = join(opts.root, 'deploy', 'release', 'debian');
  for (const s of readdirSync(scripts)) {
    cpSync(join(scripts, s), join(control, s));
    chmodSync(join(control, s), 0o755);
  }
  const file = join(opts.out, `patrol_${opts.version}_${arch}.deb`);
  // dpkg-deb takes the modes from the tree (--root-owner-group, the owner).
  shareModes(pkgRoot);
  // xz at level 6: 31 MB to carry in (gzip: 45 MB), about a minute on 2 cores. The commit's
  // time for the archive members and file times, so that one commit builds one .deb.
  sh('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', pkgRoot, file], {
    env: { ...process.env, SOURCE_DATE_EPOCH: String(opts.epoch) },
  });
  return file;
}
