// End-to-end: the release artifacts (scripts/release.ts), each installed the way an operator
// would and run for real, as root on this machine (CI):
// - the tarball, carried into a network namespace with no network and no Node.js, installed by
//   its install.sh, started with the unit's own command as user patrol, scraped, upgraded in
//   place and uninstalled;
// - the .deb, installed with apt-get, its unit checked by systemd-analyze verify, started as
//   user patrol, scraped, then purged with nothing left behind;
// - the image, `docker load`ed into a Docker daemon of the test's own, run read-only as
//   65534 with the host's root mounted: its filesystem collector reports the host's mounts.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { startDocker, type Docker } from '../harness/docker.ts';
import { NODE, ROOT, startExporter } from '../harness/exporter.ts';
import { freePort, request } from '../harness/http.ts';
import { findSamples, sampleValue } from '../harness/metrics.ts';
import { run, suiteScope } from '../harness/process.ts';
import { tempDir } from '../harness/tmp.ts';
import { waitFor } from '../harness/wait.ts';
import { findArtifacts, verifyOciLayout, type Artifacts } from './release/artifacts.ts';

const scope = suiteScope();
let artifacts: Artifacts;
const revision = (
  await run('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT })
).stdout.trim();

before(async () => {
  // PATROL_RELEASE_DIR: artifacts built already (npm run release -- --out=DIR), when iterating
  // on these tests; CI builds them here, from the checkout under test.
  const built = process.env.PATROL_RELEASE_DIR;
  if (built !== undefined) {
    artifacts = await findArtifacts(built);
    return;
  }
  const out = await tempDir(scope, 'patrol-release-');
  const r = await run(NODE, [join(ROOT, 'scripts', 'release.ts'), `--out=${out}`], {
    timeoutMs: 600_000,
  });
  assert.equal(r.code, 0, `npm run release failed:\n${r.stderr}`);
  artifacts = await findArtifacts(out);
});
after(() => scope.close());

/** The collectors `--check-config` says are on. */
function collectorsOn(checkConfig: string): string[] {
  return [...checkConfig.matchAll(/msg="collector on" collector=(\S+)/g)].map((m) => m[1] ?? '');
}

/** Every collector said to be on reports success 1, and the build is the checkout's. */
function assertReporting(metrics: string, on: readonly string[]): void {
  assert.ok(on.length >= 3, `collectors on: ${on.join(', ')}`);
  for (const c of on) {
    assert.equal(sampleValue(metrics, 'patrol_collector_success', { collector: c }), 1, c);
  }
  const build = findSamples(metrics, 'patrol_build_info');
  assert.equal(build.length, 1);
  // A checkout with uncommitted changes builds "<revision>-dirty".
  assert.match(build[0]?.labels.revision ?? '', new RegExp(`^${revision}(-dirty)?$`));
}

describe('the tarball, installed offline', () => {
  let out: string;
  const runbookUrl = 'http://runbooks.plant.local:9872/runbooks';
  before(async () => {
    out = await tempDir(scope, 'patrol-offline-out-');
    const work = await tempDir(scope, 'patrol-offline-');
    const r = await run(
      'unshare',
      [
        '--mount',
        '--net',
        '--propagation=private',
        'bash',
        join(ROOT, 'test', 'e2e', 'release', 'offline-install.sh'),
        artifacts.tarball,
        work,
        out,
        runbookUrl,
      ],
      { timeoutMs: 180_000 },
    );
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  });

  it('runs in a namespace with only a loopback and no Node.js', async () => {
    const links = (await readFile(join(out, 'links.txt'), 'utf8')).trim().split('\n');
    assert.deepEqual(
      links.map((l) => l.split(':')[1]?.trim()),
      ['lo'],
    );
  });

  it('installs under /opt/patrol, as user patrol, with the unit', async () => {
    const id = await readFile(join(out, 'id.txt'), 'utf8');
    assert.match(id, /uid=\d+\(patrol\) gid=\d+\(patrol\)/);
    const unit = await readFile(join(out, 'patrol.service'), 'utf8');
    assert.match(unit, /^ExecStart=\/opt\/patrol\/bin\/node \/opt\/patrol\/dist\/main\.js/m);
    const status = await readFile(join(out, 'status.txt'), 'utf8');
    const uid = /uid=(\d+)/.exec(id)?.[1];
    assert.match(status, new RegExp(`^Uid:\\s+${uid}\\s+${uid}\\s`, 'm'));
  });

  it('serves /metrics with every default collector reporting, and --check-config agrees', async () => {
    const metrics = await readFile(join(out, 'metrics.txt'), 'utf8');
    const on = collectorsOn(await readFile(join(out, 'check-config.txt'), 'utf8'));
    assertReporting(metrics, on);
    assert.equal(
      sampleValue(metrics, 'patrol_build_info', {}) !== undefined &&
        findSamples(metrics, 'patrol_build_info')[0]?.labels.nodejs_version,
      'v24.21.0',
    );
  });

  it('links every alert to the runbook URL given at install time, in both languages', async () => {
    for (const [lang, prefix] of [
      ['en', `${runbookUrl}/`],
      ['zh-CN', `${runbookUrl}/zh-CN/`],
    ] as const) {
      const rules = parseYaml(await readFile(join(out, `rules.${lang}.yml`), 'utf8')) as {
        groups: { rules: { alert?: string; annotations?: { runbook_url?: string } }[] }[];
      };
      const alerts = rules.groups.flatMap((g) => g.rules).filter((r) => r.alert !== undefined);
      assert.ok(alerts.length > 40, `${lang}: ${alerts.length} alerts`);
      for (const a of alerts) {
        assert.equal(a.annotations?.runbook_url, `${prefix}${a.alert ?? ''}.md`);
      }
    }
    assert.equal((await readFile(join(out, 'runbook-status.txt'), 'utf8')).trim(), '200');
  });
  it('upgrades in place keeping the configuration, and uninstalls to nothing', async () => {
    const read = async (f: string) => (await readFile(join(out, f), 'utf8')).trim();
    assert.equal(await read('config-after-upgrade.txt'), '# edited by the operator');
    assert.equal(await read('opt-after-upgrade.txt'), 'patrol');
    assert.equal(await read('left.txt'), '');
  });

  it('installs files of root, readable by all, and never over a directory not its own', async () => {
    const read = async (f: string) => (await readFile(join(out, f), 'utf8')).trim();
    assert.equal(await read('bad-modes.txt'), '');
    assert.match(
      await read('other-prefix.txt'),
      /^install\.sh: \/opt\/other exists and is not a patrol installation.*\nmine$/s,
    );
  });
});

describe('the .deb', () => {
  before(async () => {
    // This machine's own installation, if any, is not the test's to replace or purge.
    if ((await run('dpkg', ['-s', 'patrol'])).code === 0 || existsSync('/opt/patrol')) {
      throw new Error('a patrol package or /opt/patrol is already installed here: not touching it');
    }
    const r = await run(
      'apt-get',
      [
        'install',
        '-y',
        '-q',
        '--no-install-recommends',
        '-o',
        'DPkg::Lock::Timeout=600',
        artifacts.deb,
      ],
      { timeoutMs: 300_000, env: { DEBIAN_FRONTEND: 'noninteractive' } },
    );
    scope.after(async () => {
      await run('apt-get', ['purge', '-y', '-q', 'patrol'], {
        timeoutMs: 120_000,
        env: { DEBIAN_FRONTEND: 'noninteractive' },
      });
    });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  });

  it('installs the tree, a conffile, the unit systemd-analyze verifies, and the user', async () => {
    const listed = (await run('dpkg', ['-L', 'patrol'])).stdout.split('\n');
    for (const f of [
      '/opt/patrol/bin/node',
      '/opt/patrol/dist/main.js',
      '/etc/patrol/patrol.yml',
      '/lib/systemd/system/patrol.service',
    ]) {
      assert.ok(listed.includes(f), `${f} not in dpkg -L`);
    }
    const conffiles = await run('dpkg-query', ['-W', '-f=${Conffiles}', 'patrol']);
    assert.match(conffiles.stdout, /\/etc\/patrol\/patrol\.yml [0-9a-f]{32}/);
    const verify = await run('systemd-analyze', ['verify', '/lib/systemd/system/patrol.service']);
    assert.equal(verify.code, 0, verify.stderr);
    const groups = (await run('id', ['-nG', 'patrol'])).stdout.trim().split(' ');
    assert.ok(groups.includes('patrol') && groups.includes('adm'), groups.join(' '));
  });

  it('runs as user patrol on its own runtime and reports', async () => {
    const exporter = await startExporter(scope, {
      launcher: [
        'setpriv',
        '--reuid=patrol',
        '--regid=patrol',
        '--init-groups',
        '/opt/patrol/bin/node',
        '/opt/patrol/dist/main.js',
      ],
      configFile: '/etc/patrol/patrol.yml',
    });
    const metrics = await exporter.scrape();
    const check = await run('/opt/patrol/bin/patrol', [
      '--config.file=/etc/patrol/patrol.yml',
      '--check-config',
    ]);
    assertReporting(metrics, collectorsOn(check.stdout));
    const status = await readFile(`/proc/${String(exporter.proc.child.pid)}/status`, 'utf8');
    const uid = (await run('id', ['-u', 'patrol'])).stdout.trim();
    assert.match(status, new RegExp(`^Uid:\\s+${uid}\\s`, 'm'));
    await exporter.stop();
  });

  it('purges to nothing', async () => {
    const r = await run('apt-get', ['purge', '-y', '-q', 'patrol'], {
      timeoutMs: 120_000,
      env: { DEBIAN_FRONTEND: 'noninteractive' },
    });
    assert.equal(r.code, 0, r.stderr);
    for (const p of [
      '/opt/patrol',
      '/etc/patrol',
      '/var/lib/patrol',
      '/lib/systemd/system/patrol.service',
    ]) {
      assert.equal(existsSync(p), false, `${p} left behind`);
    }
    assert.equal((await run('getent', ['passwd', 'patrol'])).code, 2, 'user patrol left behind');
    assert.equal((await run('getent', ['group', 'patrol'])).code, 2, 'group patrol left behind');
    assert.notEqual((await run('dpkg', ['-s', 'patrol'])).code, 0);
    const wants = '/etc/systemd/system/multi-user.target.wants';
    const left = existsSync(wants)
      ? (await readdir(wants)).filter((f) => f.startsWith('patrol'))
      : [];
    assert.deepEqual(left, []);
  });
});

describe('the container image', () => {
  let docker: Docker;
  before(async () => {
    docker = await startDocker(scope);
  });

  it('is an OCI image layout whose blobs match their digests', async () => {
    const layout = await verifyOciLayout(artifacts.image, await tempDir(scope));
    assert.equal(layout.config.config.User, '65534:65534');
    assert.equal(
      layout.config.config.Labels['org.opencontainers.image.revision']?.startsWith(revision),
      true,
    );
  });

  it('loads with docker load and runs read-only as 65534, reporting the host’s mounts', async () => {
    const loaded = await docker.cli(['load', '-i', artifacts.image]);
    assert.match(loaded, /Loaded image: patrol:\d+\.\d+\.\d+/);
    const tag = /Loaded image: (\S+)/.exec(loaded)?.[1] ?? '';
    const port = await freePort();
    // rslave needs / to be a shared mount, as systemd makes it on a real host; a machine that is
    // itself a container may have it private, where docker refuses rslave. The mounts present
    // at start are the same either way (a recursive bind); only later ones need propagation.
    const propagation = (await run('findmnt', ['-no', 'PROPAGATION', '/'])).stdout.trim();
    const rootMount = propagation.startsWith('private')
      ? '/:/host/root:ro'
      : '/:/host/root:ro,rslave';
    const started = Date.now();
    await docker.cli([
      'run',
      '-d',
      '--name',
      'patrol',
      '--network',
      'host',
      '--read-only',
      '--user',
      '65534:65534',
      '--cap-drop',
      'ALL',
      '--security-opt',
      'no-new-privileges',
      '-v',
      rootMount,
      tag,
      '--path.rootfs=/host/root',
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    const url = `http://127.0.0.1:${port}`;
    await waitFor(
      'the container ready',
      async () => (await request(`${url}/-/ready`).catch(() => undefined))?.status === 200,
      { timeoutMs: 30_000, context: async () => docker.cli(['logs', 'patrol']).catch(String) },
    );
    const readyMs = Date.now() - started;
    const inContainer = (await request(`${url}/metrics`)).text;

    // The same exporter on the host itself, without the flag: the reference view.
    const host = await startExporter(scope, {});
    const onHost = await host.scrape();
    const mounts = (text: string) =>
      findSamples(text, 'patrol_filesystem_size_bytes')
        .map((s) => s.labels.mountpoint ?? '')
        .sort();
    assert.ok(mounts(onHost).includes('/'));
    assert.deepEqual(mounts(inContainer), mounts(onHost));
    for (const s of findSamples(inContainer, 'patrol_filesystem_size_bytes')) {
      assert.equal(
        s.value,
        sampleValue(onHost, 'patrol_filesystem_size_bytes', {
          mountpoint: s.labels.mountpoint ?? '',
        }),
        s.labels.mountpoint,
      );
    }
    const inspect = JSON.parse(
      await docker.cli(['inspect', '--format', '{{json .State}}', 'patrol']),
    ) as { Pid: number };
    const status = await readFile(`/proc/${inspect.Pid}/status`, 'utf8');
    assert.match(status, /^Uid:\s+65534\s+65534\s/m);
    const rss = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
    // The rules with the operator's runbook URL, straight from the image.
    const rules = await docker.cli([
      'run',
      '--rm',
      '--read-only',
      tag,
      '--print-rules=zh-CN',
      '--rules.runbook-url=http://wiki.plant.local/runbooks',
    ]);
    assert.match(
      rules,
      /runbook_url: http:\/\/wiki\.plant\.local\/runbooks\/zh-CN\/PatrolExporterDown\.md/,
    );
    process.stdout.write(
      `# image ${tag}: ready in ${readyMs} ms (docker run to /-/ready 200), RSS ${(rss / 1024).toFixed(0)} MiB\n`,
    );
  });
});
