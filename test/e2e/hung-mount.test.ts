// End-to-end: the filesystem collector against REAL hung mounts. test/harness/hangfs.py serves
// FUSE mounts whose statfs(2) never returns (like a stale hard NFS mount: the caller sleeps in
// the kernel until the server answers or dies). Everything runs in a private mount namespace
// (`unshare --mount`), so no mount is visible to the host and the namespace dies with its
// processes. Needs root, /dev/fuse, unshare (util-linux) and python3; no libfuse.
import assert from 'node:assert/strict';
import { access, constants, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { onlyCollectors } from '../harness/config.ts';
import { Exporter, MAIN, NODE, ROOT } from '../harness/exporter.ts';
import { findSamples, sampleValue } from '../harness/metrics.ts';
import { ManagedProcess, run } from '../harness/process.ts';
import { waitFor } from '../harness/wait.ts';

const HANGFS = fileURLToPath(new URL('../harness/hangfs.py', import.meta.url));
/** More than libuv's default thread pool (4): without UV_THREADPOOL_SIZE raised, these alone exhaust it. */
const HUNG_MOUNTS = 6;
const HEALTHY_SIZE = 8 * 1024 * 1024;
const HEALTHY_INODES = 1000;
/** Generous: a noisy 2-core CI machine must not turn this red; a stalled scrape takes forever. */
const SCRAPE_BOUND_MS = 10_000;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Inside the namespace: mount the hung FUSE file systems first and the healthy tmpfs after them,
// so the tmpfs comes last in mountinfo and its statfs is queued behind the hung ones: with a
// 4-thread pool it would never run. hangfs watches the exporter (same pid: `exec`) and fd 3, our
// end of which closes if this test process dies, so nothing outlives a crashed test.
const SCRIPT = `
set -eu
hangfs=$1 healthy=$2 config=$3 node=$4 main=$5
shift 5
pid=$(python3 "$hangfs" --daemon --watch-pid $$ --lifeline-fd 3 "$@")
echo "patrol-e2e: hangfs pid=$pid" >&2
mount -t tmpfs -o size=${HEALTHY_SIZE},nr_inodes=${HEALTHY_INODES} patrol-e2e-healthy "$healthy"
exec "$node" "$main" --web.listen-address=127.0.0.1:0 --config.file="$config"
`;

interface Scrape {
  text: string;
  ms: number;
}

async function preflight(): Promise<void> {
  const need = 'the hung-mount test needs root, /dev/fuse, unshare (util-linux) and python3';
  assert.equal(process.getuid?.(), 0, `${need}: not running as root`);
  await access('/dev/fuse', constants.R_OK | constants.W_OK).catch((err: unknown) => {
    assert.fail(`${need}: /dev/fuse: ${String(err)}`);
  });
  const ns = await run('unshare', ['--mount', '--propagation', 'private', 'true'], {
    timeoutMs: 10_000,
  }).catch((err: unknown) => ({ code: -1, stderr: String(err) }));
  assert.equal(ns.code, 0, `${need}: unshare --mount failed: ${ns.stderr}`);
  const py = await run('python3', ['--version'], { timeoutMs: 10_000 }).catch((err: unknown) => ({
    code: -1,
    stderr: String(err),
  }));
  assert.equal(py.code, 0, `${need}: python3: ${py.stderr}`);
}

/**
 * Starts the exporter in a private mount namespace with HUNG_MOUNTS hung FUSE mounts and a healthy
 * tmpfs; `t` kills everything at the end. Returns probes and assertions for the test.
 */
async function startWithHungMounts(t: TestContext) {
  const dir = await mkdtemp(join(tmpdir(), 'patrol-hung-'));
  const hung = Array.from({ length: HUNG_MOUNTS }, (_, i) => join(dir, `hung-${i + 1}`));
  const healthy = join(dir, 'healthy');
  for (const d of [...hung, healthy]) await mkdir(d);
  const configFile = join(dir, 'patrol.yml');
  await writeFile(
    configFile,
    // The other collectors are not this test's business (and the log collector's positions
    // must not land in /var/lib/patrol).
    stringify(
      onlyCollectors({
        filesystem: {
          mount_timeout: '500ms',
          timeout: '5s',
          // Only / and our mounts (the rest of the machine is not this test's business); no
          // type exclusions, so / is measured even where it is an overlay (containers).
          mount_points_include: `^(/|${escapeRegex(dir)}/.*)$`,
          fs_types_exclude: '',
        },
      }),
    ),
  );

  const proc = new ManagedProcess(
    'patrol in a mount namespace',
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      '--',
      'sh',
      '-c',
      SCRIPT,
      'sh',
      HANGFS,
      healthy,
      configFile,
      NODE,
      MAIN,
      ...hung,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] },
  );
  const lifeline = proc.child.stdio[3];
  const HANGFS_PID = /patrol-e2e: hangfs pid=(\d+)/;
  const killHangfs = () => {
    const m = HANGFS_PID.exec(proc.stderr);
    if (m === null) return;
    try {
      process.kill(Number(m[1]), 'SIGKILL');
    } catch {
      // already gone
    }
  };
  t.after(async () => {
    // Order matters: the exporter cannot finish exiting while one of its threads sleeps in a
    // statfs the server holds, so the server goes first.
    killHangfs();
    await proc.terminate(10_000);
    lifeline?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  await proc.waitForOutput(HANGFS_PID, 30_000);
  const url =
    (await proc.waitForOutput(/msg=listening address=(http:\/\/127\.0\.0\.1:\d+)/, 60_000))[1] ??
    '';
  const exporter = new Exporter(proc, url, {});
  await waitFor(
    'the exporter to answer /-/ready',
    async () => {
      if (!proc.running) throw new Error('exporter exited');
      return (await exporter.fetch('/-/ready', { timeoutMs: 5_000 })).status === 200;
    },
    { timeoutMs: 30_000, context: () => proc.describe() },
  );

  const scrape = async (): Promise<Scrape> => {
    const started = performance.now();
    const res = await exporter.fetch('/metrics', { timeoutMs: 60_000 });
    const ms = performance.now() - started;
    assert.equal(res.status, 200, `GET /metrics: ${res.status} ${res.text}\n${proc.describe()}`);
    assert.ok(
      ms < SCRAPE_BOUND_MS,
      `scrape took ${Math.round(ms)} ms (hung mounts must be cut at mount_timeout)`,
    );
    return { text: res.text, ms };
  };
  const fsDuration = (s: Scrape) =>
    sampleValue(s.text, 'patrol_collector_duration_seconds', { collector: 'filesystem' });

  const assertHealthy = (s: Scrape, when: string) => {
    const ctx = `${when}\n${s.text}`;
    assert.equal(
      sampleValue(s.text, 'patrol_collector_success', { collector: 'filesystem' }),
      1,
      ctx,
    );
    const rootSize = sampleValue(s.text, 'patrol_filesystem_size_bytes', { mountpoint: '/' });
    assert.ok(rootSize !== undefined && rootSize > 0, `/ has a size: ${ctx}`);
    assert.equal(
      sampleValue(s.text, 'patrol_filesystem_device_error', { mountpoint: '/' }),
      0,
      ctx,
    );
    const tmpfs = { mountpoint: healthy, fstype: 'tmpfs', device: 'patrol-e2e-healthy' };
    assert.equal(
      sampleValue(s.text, 'patrol_filesystem_device_error', tmpfs),
      0,
      `healthy tmpfs: ${ctx}`,
    );
    assert.equal(
      sampleValue(s.text, 'patrol_filesystem_size_bytes', tmpfs),
      HEALTHY_SIZE,
      `healthy tmpfs: ${ctx}`,
    );
    assert.equal(
      sampleValue(s.text, 'patrol_filesystem_files', tmpfs),
      HEALTHY_INODES,
      `healthy tmpfs: ${ctx}`,
    );
  };
  const assertHungReported = (s: Scrape, when: string) => {
    for (const m of hung) {
      const ctx = `${m} ${when}\n${s.text}`;
      const errs = findSamples(s.text, 'patrol_filesystem_device_error', { mountpoint: m });
      assert.equal(errs.length, 1, `one device_error series: ${ctx}`);
      assert.equal(errs[0]?.value, 1, ctx);
      assert.equal(errs[0]?.labels.fstype, 'fuse.hangfs', ctx);
      for (const name of [
        'patrol_filesystem_size_bytes',
        'patrol_filesystem_free_bytes',
        'patrol_filesystem_avail_bytes',
        'patrol_filesystem_files',
      ]) {
        assert.deepEqual(findSamples(s.text, name, { mountpoint: m }), [], `no ${name}: ${ctx}`);
      }
    }
  };
  const stderrLines = (re: RegExp) => proc.stderr.split('\n').filter((l) => re.test(l));
  const logLines = (msg: string, m: string) =>
    stderrLines(new RegExp(`msg="?${escapeRegex(msg)}"? .*mountpoint=${escapeRegex(m)}( |$)`));
  const statfsHeld = (m: string) =>
    stderrLines(new RegExp(`^hangfs: holding statfs mountpoint=${escapeRegex(m)} `)).length;

  return {
    proc,
    exporter,
    hung,
    scrape,
    fsDuration,
    assertHealthy,
    assertHungReported,
    logLines,
    statfsHeld,
    killHangfs,
  };
}

test('filesystem collector with hung FUSE mounts (statfs never answers)', async (t) => {
  await preflight();
  const {
    proc,
    exporter,
    hung,
    scrape,
    fsDuration,
    assertHealthy,
    assertHungReported,
    logLines,
    statfsHeld,
    killHangfs,
  } = await startWithHungMounts(t);

  await t.test(
    'first scrape: answered, hung mounts are device errors, / and tmpfs measured',
    async (st) => {
      const first = await scrape();
      st.diagnostic(
        `first scrape with ${HUNG_MOUNTS} hung mounts: ${Math.round(first.ms)} ms, filesystem collector ${fsDuration(first)} s`,
      );
      // (a)-(c): the scrape answered, / and the tmpfs are measured, hung mounts are errors without sizes.
      assertHealthy(first, 'first scrape');
      assertHungReported(first, 'first scrape');
      // The setup is real: hangfs received the exporter's statfs for each mount and answers none.
      // (Polled: its log line and the HTTP answer reach this process in either order.)
      await waitFor(
        'hangfs to log the statfs it holds for every mount',
        () => hung.every((m) => statfsHeld(m) === 1),
        { timeoutMs: 10_000, context: () => proc.describe() },
      );
      assert.ok(
        (fsDuration(first) ?? 0) >= 0.45,
        'the first scrape waited mount_timeout (500ms) for the hung mounts',
      );
    },
  );

  await t.test(
    '10 more scrapes: healthy mounts measured every time, hung mounts never asked again',
    async (st) => {
      const times: number[] = [];
      for (let i = 1; i <= 10; i++) {
        const s = await scrape();
        times.push(s.ms);
        assertHungReported(s, `scrape ${i}`);
        assertHealthy(s, `scrape ${i}`);
      }
      st.diagnostic(`scrapes 2-11: ${times.map((ms) => Math.round(ms)).join(', ')} ms`);
      for (const m of hung) {
        // One statfs per hung mount in 11 scrapes: each stuck call holds one libuv thread, so
        // asking again would exhaust the pool; the tmpfs result above shows it is not exhausted.
        assert.equal(
          statfsHeld(m),
          1,
          `${m} was not asked again while its first statfs is out\n${proc.describe()}`,
        );
        const warned = logLines('statfs failed', m);
        assert.equal(
          warned.length,
          1,
          `one warning for ${m}, not one per scrape: ${warned.join('\n')}`,
        );
        assert.match(warned[0] ?? '', /did not return within 500 ms/);
        assert.deepEqual(logLines('mount answers statfs again', m), []);
      }
    },
  );

  await t.test(
    'after the server dies the stuck calls return and the mounts are asked again',
    async (st) => {
      killHangfs();
      // The kernel aborts the connection: the held statfs calls fail (ECONNABORTED), which frees
      // their threads and clears the stuck state.
      await waitFor(
        'every hung mount to be logged as answering statfs again',
        () => hung.every((m) => logLines('mount answers statfs again', m).length === 1),
        { timeoutMs: 20_000, context: () => proc.describe() },
      );
      for (let i = 1; i <= 3; i++) {
        const s = await scrape();
        // The mounts are still there but dead: statfs now fails at once with ENOTCONN.
        assertHungReported(s, `scrape ${i} after the server died`);
        assertHealthy(s, `scrape ${i} after the server died`);
        if (i === 1)
          st.diagnostic(
            `first scrape after the server died: ${Math.round(s.ms)} ms, filesystem collector ${fsDuration(s)} s`,
          );
      }
      await waitFor(
        'the new error of every hung mount to be logged',
        () => hung.every((m) => logLines('statfs failed', m).length >= 2),
        { timeoutMs: 10_000, context: () => proc.describe() },
      );
      for (const m of hung) {
        const warned = logLines('statfs failed', m);
        assert.equal(
          warned.length,
          2,
          `${m}: the timeout, then the new error once\n${warned.join('\n')}`,
        );
        assert.match(warned[1] ?? '', /err=ENOTCONN/, `${m} was asked again and got ENOTCONN`);
      }
      // With no thread left sleeping in the kernel the exporter shuts down cleanly.
      await exporter.stop();
    },
  );
});

// Regression test: a configuration reload (SIGHUP) builds a new filesystem collector; if it forgot
// which mounts are stuck, every reload would ask each hung mount again and hold one more libuv
// thread per hung mount. With 6 hung mounts the 32-thread pool would be gone after 5 reloads.
test('a configuration reload does not ask stuck mounts again', async (t) => {
  await preflight();
  const { proc, hung, scrape, assertHealthy, statfsHeld } = await startWithHungMounts(t);
  assertHealthy(await scrape(), 'before any reload');
  const reloads = () =>
    proc.stderr.split('\n').filter((l) => l.includes('msg="configuration reloaded"')).length;
  for (let i = 1; i <= 6; i++) {
    proc.signal('SIGHUP');
    await waitFor(`reload ${i}`, () => reloads() === i, {
      timeoutMs: 20_000,
      context: () => proc.describe(),
    });
    assertHealthy(await scrape(), `after reload ${i}`);
  }
  for (const m of hung) assert.equal(statfsHeld(m), 1, `${m} asked again after a reload`);
});
