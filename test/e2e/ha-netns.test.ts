/**
 * End to end: a hot-standby pair as two hosts. Two real patrol exporters, each in its own
 * network namespace joined by a veth link (192.0.2.1 and .2), heartbeats signed with a shared
 * secret, role by virtual IP (192.0.2.100), and a real lsyncd (Debian's, default.rsync with
 * delay=1) mirroring the primary's dataset to the standby's directory. Then, in turn: the
 * steady lag against the mirror's measured delay; the standby restarted with a clock 30 s ahead
 * (libfaketime); the mirror stopped; the link cut and restored; the VIP moved.
 *
 * Needs root and: util-linux (unshare, nsenter, setpriv), iproute2, lsyncd + rsync, libfaketime
 * (.ci/run installs them). Nothing can outlive the test, even if it is SIGKILLed: the namespaces
 * are held by agents that exit when their stdin closes, and every program inside runs under
 * `setpriv --pdeathsig KILL` (test/harness/netns.ts).
 *
 * Scraping: HTTP from the test process cannot reach a namespace, so each namespace's agent makes
 * the requests from inside it (NetNs.fetch, over a pipe). That keeps the root namespace untouched
 * (no second veth, no routes on the host) and costs no process per scrape.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { globSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { onlyCollectors } from '../harness/config.ts';
import { MAIN, NODE, ROOT } from '../harness/exporter.ts';
import { findSamples, sampleValue } from '../harness/metrics.ts';
import { connect, NetNs } from '../harness/netns.ts';
import { run, type ManagedProcess } from '../harness/process.ts';
import { waitFor } from '../harness/wait.ts';

const PORT = 9872;
const CLUSTER = 'pair';
const VIP = '192.0.2.100';
const INTERVAL_MS = 500;
const TIMEOUT_MS = 200;
const THRESHOLD = 3;
/** The bound the issue sets for peer loss: interval × failure_threshold + 1 s. */
const PEER_BOUND_MS = INTERVAL_MS * THRESHOLD + 1000;
/** lsyncd's delay is a batching window: a canary arrives `delay` after it opened a batch only if the next one comes later (canary interval > delay). */
const LSYNCD_DELAY_S = 1;
const CANARY_MS = 2000;
const LAG_BOUND_S = CANARY_MS / 1000 + 0.5;
const SKEW_S = 30;
const OFFSET_TOLERANCE_S = 0.1;

interface Host {
  readonly name: 'a' | 'b';
  readonly ns: NetNs;
  readonly ifname: string;
  readonly address: string;
  readonly config: string;
  readonly data: string;
  proc: ManagedProcess | undefined;
}

/** libfaketime's preload library, wherever the distribution put it (multiarch or not). */
function libfaketime(): string | undefined {
  return globSync([
    '/usr/lib/*/faketime/libfaketime.so.1',
    '/usr/lib/faketime/libfaketime.so.1',
    '/usr/local/lib/faketime/libfaketime.so.1',
  ])[0];
}

async function preflight(): Promise<string> {
  const need =
    'the HA netns test needs root, unshare/nsenter/setpriv (util-linux), ip (iproute2), lsyncd, rsync and libfaketime';
  assert.equal(process.getuid?.(), 0, `${need}: not running as root`);
  for (const [cmd, arg] of [
    ['unshare', '--version'],
    ['nsenter', '--version'],
    ['setpriv', '--version'],
    ['ip', '-V'],
    ['lsyncd', '-version'],
    ['rsync', '--version'],
  ] as const) {
    const r = await run(cmd, [arg], { timeoutMs: 10_000 }).catch((err: unknown) => ({
      code: -1,
      stderr: String(err),
    }));
    assert.equal(r.code, 0, `${need}: ${cmd}: ${r.stderr}`);
  }
  const lib = libfaketime();
  assert.ok(lib !== undefined, `${need}: libfaketime.so.1 not found`);
  return lib;
}

const fmt = (xs: readonly number[], digits = 3) => xs.map((x) => x.toFixed(digits)).join(' ');
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

test('a hot-standby pair in two network namespaces, mirrored by lsyncd', async (t) => {
  const faketime = await preflight();
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

  // Everything the test starts, stopped in one hook in reverse order (exporters and lsyncd
  // before the namespaces' agents, the directory last).
  const cleanups: (() => Promise<void>)[] = [];
  t.after(async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        t.diagnostic(`cleanup: ${String(err)}`);
      }
    }
  });
  const root = await mkdtemp(join(tmpdir(), 'patrol-ha-netns-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  const secretFile = join(root, 'secret');
  writeFileSync(secretFile, `${randomBytes(24).toString('hex')}\n`, { mode: 0o600 });

  const nsA = await NetNs.create('a');
  cleanups.push(() => nsA.close());
  const nsB = await NetNs.create('b');
  cleanups.push(() => nsB.close());
  const host = (name: 'a' | 'b', ns: NetNs, n: number): Host => ({
    name,
    ns,
    ifname: `v${name}`,
    address: `192.0.2.${n}`,
    config: join(root, `${name}.yml`),
    data: join(root, name, 'data'),
    proc: undefined,
  });
  const a = host('a', nsA, 1);
  const b = host('b', nsB, 2);
  await connect(
    { ns: a.ns, ifname: a.ifname, address: `${a.address}/24` },
    { ns: b.ns, ifname: b.ifname, address: `${b.address}/24` },
  );
  // The primary holds the VIP from the start, so its first role is primary (not a change).
  await a.ns.exec('ip', ['addr', 'add', `${VIP}/32`, 'dev', a.ifname]);

  for (const h of [a, b]) {
    const other = h === a ? b : a;
    mkdirSync(h.data, { recursive: true });
    writeFileSync(
      h.config,
      // Only the HA collector: the rest is not this test's business (and the log collector's
      // positions must not land in /var/lib/patrol).
      stringify(
        onlyCollectors({
          ha: {
            enabled: true,
            cluster: CLUSTER,
            node: h.name,
            peers: [{ name: other.name, url: `http://${other.address}:${PORT}` }],
            interval: `${INTERVAL_MS}ms`,
            timeout: `${TIMEOUT_MS}ms`,
            failure_threshold: THRESHOLD,
            secret_file: secretFile,
            role: { source: 'vip', address: VIP },
            // In real life the path is the same on both nodes; here each node has its own
            // directory on the same disk.
            datasets: [{ name: 'data', path: h.data, canary: { interval: `${CANARY_MS}ms` } }],
          },
        }),
      ),
    );
  }

  const local = `http://127.0.0.1:${PORT}`;
  const scrape = async (h: Host): Promise<string> => {
    const res = await h.ns.fetch(`${local}/metrics`, { timeoutMs: 5_000 });
    assert.equal(res.status, 200, `GET /metrics on ${h.name}: ${res.status} ${res.text}`);
    return res.text;
  };
  const metric = (text: string, name: string, labels: Record<string, string> = {}) =>
    sampleValue(text, name, { cluster: CLUSTER, ...labels }) ?? NaN;
  const describe = () =>
    [a, b]
      .map((h) => h.proc?.describe() ?? `patrol ${h.name} not running`)
      .concat(nsA.describe(), nsB.describe())
      .join('\n');

  /** The real exporter in the host's namespace; `env` (e.g. libfaketime) applies to it alone. */
  const startPatrol = async (h: Host, env: readonly string[] = []) => {
    const args = [MAIN, `--web.listen-address=:${PORT}`, `--config.file=${h.config}`];
    const proc =
      env.length === 0
        ? h.ns.spawn(`patrol ${h.name}`, NODE, args, { cwd: ROOT })
        : h.ns.spawn(`patrol ${h.name}`, 'env', [...env, NODE, ...args], { cwd: ROOT });
    h.proc = proc;
    cleanups.push(() => proc.kill());
    await proc.waitForOutput(/msg=listening address=/, 30_000);
    await waitFor(
      `patrol ${h.name} to answer /-/ready`,
      async () => {
        if (!proc.running) throw new Error('exited');
        return (await h.ns.fetch(`${local}/-/ready`, { timeoutMs: 5_000 })).status === 200;
      },
      { timeoutMs: 30_000, context: () => proc.describe() },
    );
  };

  // The primary first (it writes the first canary), then the mirror, then the standby.
  await startPatrol(a);
  const lsyncdConfig = join(root, 'lsyncd.lua');
  writeFileSync(
    lsyncdConfig,
    `settings { nodaemon = true, insist = true }
sync { default.rsync, source = ${JSON.stringify(a.data)}, target = ${JSON.stringify(b.data)},
       delay = ${LSYNCD_DELAY_S}, rsync = { archive = true } }
`,
  );
  // The mirror runs on the primary's host (it only copies between local directories here).
  const lsyncd = a.ns.spawn('lsyncd', 'lsyncd', ['-nodaemon', lsyncdConfig], { cwd: root });
  cleanups.push(() => lsyncd.kill());
  await lsyncd.waitForOutput(/Startup of .* finished/, 15_000);

  // The mirror's real delay, measured from outside patrol: the standby's copy keeps the
  // primary's mtime (rsync -t), so each new copy arrived (time seen − its mtime) after the
  // primary wrote it. Polled every 10 ms until the mirror is stopped.
  const canaryCopy = join(b.data, '.patrol-canary');
  const arrivals: number[] = [];
  let lastMtime: bigint | undefined;
  const watcher = setInterval(() => {
    let mtimeNs: bigint;
    try {
      mtimeNs = statSync(canaryCopy, { bigint: true }).mtimeNs;
    } catch {
      return;
    }
    if (lastMtime !== undefined && mtimeNs !== lastMtime) {
      arrivals.push((Date.now() - Number(mtimeNs / 1_000_000n)) / 1000);
    }
    lastMtime = mtimeNs;
  }, 10);
  cleanups.push(() => {
    clearInterval(watcher);
    return Promise.resolve();
  });

  await startPatrol(b);
  t.diagnostic(`both exporters and lsyncd up after ${elapsed()}`);

  // --- Heartbeats are signed: an unsigned (or wrongly signed) request from the other host is
  // refused and told nothing; /metrics stays open.
  for (const headers of [
    {},
    { 'x-patrol-nonce': randomBytes(16).toString('hex'), 'x-patrol-signature': '0'.repeat(64) },
  ]) {
    const res = await b.ns.fetch(`http://${a.address}:${PORT}/ha/heartbeat`, {
      headers,
      timeoutMs: 5_000,
    });
    assert.equal(res.status, 401, `unsigned heartbeat: ${res.status} ${res.text}`);
    assert.ok(
      res.text.length < 40 && !/pair|primary|standby|node|cluster|startId|[{"]/.test(res.text),
      `a refused heartbeat says nothing: ${JSON.stringify(res.text)}`,
    );
    assert.equal(res.headers['x-patrol-signature'], undefined);
  }
  assert.equal((await b.ns.fetch(`http://${a.address}:${PORT}/metrics`)).status, 200);

  // Both see each other, roles as the VIP says.
  await waitFor(
    'both peers up with their roles',
    async () => {
      const [ta, tb] = await Promise.all([scrape(a), scrape(b)]);
      return (
        metric(ta, 'patrol_ha_peer_up', { peer: 'b' }) === 1 &&
        metric(tb, 'patrol_ha_peer_up', { peer: 'a' }) === 1 &&
        metric(ta, 'patrol_ha_role', { node: 'a', role: 'primary' }) === 1 &&
        metric(tb, 'patrol_ha_role', { node: 'b', role: 'standby' }) === 1 &&
        metric(ta, 'patrol_ha_peer_role', { peer: 'b', role: 'standby' }) === 1 &&
        metric(tb, 'patrol_ha_peer_role', { peer: 'a', role: 'primary' }) === 1 &&
        metric(ta, 'patrol_ha_split_brain') === 0 &&
        metric(tb, 'patrol_ha_split_brain') === 0
      );
    },
    { timeoutMs: 15_000, intervalMs: 100, context: describe },
  );

  /** Waits for a canary the mirror shipped after now, then samples the standby's lag for two canary intervals. */
  const steadyLags = async (what: string) => {
    const seqOf = async () =>
      metric(await scrape(b), 'patrol_replication_canary_sequence', { dataset: 'data' });
    const seq0 = await waitFor(`${what}: a canary on the standby`, async () => {
      const s = await seqOf();
      return Number.isNaN(s) ? undefined : s;
    });
    await waitFor(`${what}: a newly shipped canary`, async () => (await seqOf()) > seq0, {
      timeoutMs: 15_000,
      intervalMs: 100,
      context: describe,
    });
    const lags: number[] = [];
    const offsets: number[] = [];
    const until = performance.now() + 2 * CANARY_MS + 500;
    while (performance.now() < until) {
      const text = await scrape(b);
      lags.push(metric(text, 'patrol_replication_lag_seconds', { dataset: 'data' }));
      offsets.push(metric(text, 'patrol_ha_peer_clock_offset_seconds', { peer: 'a' }));
      await sleep(200);
    }
    assert.ok(arrivals.length >= 2, `${what}: the mirror shipped canaries: ${fmt(arrivals)}`);
    const d = median(arrivals);
    t.diagnostic(
      `${what}: lsyncd delay (canary arrivals, s): ${fmt(arrivals)}; D = ${d.toFixed(3)} s`,
    );
    t.diagnostic(
      `${what}: standby lag (s) min ${Math.min(...lags).toFixed(3)} median ${median(lags).toFixed(3)} max ${Math.max(...lags).toFixed(3)}, bound D ± ${LAG_BOUND_S} s: ${fmt(lags)}`,
    );
    for (const lag of lags) {
      assert.ok(
        Math.abs(lag - d) <= LAG_BOUND_S,
        `${what}: lag ${lag} s not within ${d} ± ${LAG_BOUND_S} s (all: ${fmt(lags)})`,
      );
    }
    return { d, offsets };
  };

  // --- 1. Steady mirror: the standby's lag against lsyncd's measured delay.
  const { d: d1 } = await steadyLags('1. steady mirror');
  assert.ok(
    d1 >= LSYNCD_DELAY_S && d1 < LSYNCD_DELAY_S + 0.5,
    `lsyncd ships a canary about delay=${LSYNCD_DELAY_S} s after it was written: ${d1}`,
  );

  // --- 2. The standby restarts with its clock 30 s ahead (libfaketime on the exporter alone;
  // monotonic time stays real, so timers are unaffected). Each side measures the other's
  // offset, and the standby's lag, corrected by it, stays within the bound.
  const exitB = await b.proc?.terminate();
  assert.deepEqual(exitB, { code: 0, signal: null }, `patrol b stops cleanly\n${describe()}`);
  await startPatrol(b, [
    `LD_PRELOAD=${faketime}`,
    `FAKETIME=+${SKEW_S}`,
    'FAKETIME_DONT_FAKE_MONOTONIC=1',
  ]);
  const skewStart = performance.now();
  await waitFor(
    'both sides to measure the skew',
    async () => {
      const [ta, tb] = await Promise.all([scrape(a), scrape(b)]);
      const offA = metric(ta, 'patrol_ha_peer_clock_offset_seconds', { peer: 'b' });
      const offB = metric(tb, 'patrol_ha_peer_clock_offset_seconds', { peer: 'a' });
      return (
        metric(ta, 'patrol_ha_peer_up', { peer: 'b' }) === 1 &&
        metric(tb, 'patrol_ha_peer_up', { peer: 'a' }) === 1 &&
        Math.abs(offA - SKEW_S) < OFFSET_TOLERANCE_S &&
        Math.abs(offB + SKEW_S) < OFFSET_TOLERANCE_S
      );
    },
    { timeoutMs: 15_000, intervalMs: 100, context: describe },
  );
  t.diagnostic(
    `2. skew measured on both sides ${Math.round(performance.now() - skewStart)} ms after the faked standby was ready`,
  );
  {
    const ta = await scrape(a);
    assert.equal(
      metric(ta, 'patrol_ha_peer_restarts_total', { peer: 'b' }),
      1,
      'the primary saw the standby restart',
    );
  }
  const { offsets: offB } = await steadyLags('2. standby clock +30 s');
  const ta2 = await scrape(a);
  const offA = metric(ta2, 'patrol_ha_peer_clock_offset_seconds', { peer: 'b' });
  t.diagnostic(
    `2. clock offset: a sees b ${offA.toFixed(4)} s; b sees a ${fmt(offB, 4)} s; rtt a→b ${metric(ta2, 'patrol_ha_peer_rtt_seconds', { peer: 'b' }).toFixed(4)} s`,
  );
  assert.ok(Math.abs(offA - SKEW_S) < OFFSET_TOLERANCE_S, `a's offset to b: ${offA}`);
  for (const o of offB) assert.ok(Math.abs(o + SKEW_S) < OFFSET_TOLERANCE_S, `b's offset: ${o}`);

  // --- 3. The mirror stops: the copy stands still and the lag grows a second per second.
  const exitL = await lsyncd.terminate();
  clearInterval(watcher);
  t.diagnostic(`3. lsyncd stopped (${JSON.stringify(exitL)}) after ${elapsed()}`);
  await sleep(300); // an rsync already running when lsyncd stopped finishes within ms
  const stall: { at: number; lag: number; seq: number }[] = [];
  const seqA0 = metric(await scrape(a), 'patrol_replication_canary_sequence', { dataset: 'data' });
  const stallStart = performance.now();
  while (performance.now() - stallStart < 3_200) {
    const before = performance.now();
    const text = await scrape(b);
    const at = (before + performance.now()) / 2 / 1000;
    stall.push({
      at,
      lag: metric(text, 'patrol_replication_lag_seconds', { dataset: 'data' }),
      seq: metric(text, 'patrol_replication_canary_sequence', { dataset: 'data' }),
    });
    await sleep(250);
  }
  const first = stall[0];
  const last = stall.at(-1);
  assert.ok(first !== undefined && last !== undefined && last.at - first.at >= 3);
  const rate = (last.lag - first.lag) / (last.at - first.at);
  t.diagnostic(
    `3. mirror stopped: lag ${first.lag.toFixed(3)} → ${last.lag.toFixed(3)} s over ${(last.at - first.at).toFixed(3)} s = ${rate.toFixed(4)} s/s (samples ${fmt(stall.map((s) => s.lag))})`,
  );
  assert.ok(Math.abs(rate - 1) < 0.05, `the lag grows about 1 s per second: ${rate}`);
  for (let i = 1; i < stall.length; i++) {
    assert.ok((stall[i]?.lag ?? NaN) > (stall[i - 1]?.lag ?? NaN), 'the lag only grows');
  }
  assert.ok(
    stall.every((s) => s.seq === first.seq),
    `the standby's canary stands still: ${stall.map((s) => s.seq).join(' ')}`,
  );
  const seqA1 = metric(await scrape(a), 'patrol_replication_canary_sequence', { dataset: 'data' });
  assert.ok(seqA1 > seqA0, `while the primary goes on writing (${seqA0} → ${seqA1})`);

  // --- 4. The link is cut (the standby's end down: it cannot route, the primary's probes go
  // unanswered), then restored.
  const failures = (text: string, peer: string) =>
    Object.fromEntries(
      findSamples(text, 'patrol_ha_peer_heartbeat_failures_total', {
        cluster: CLUSTER,
        peer,
      }).map((s) => [s.labels.reason ?? '', s.value]),
    );
  /** Both sides' failure counters, by reason: [a's for peer b, b's for peer a]. */
  const bothFailures = async () => {
    const [ta, tb] = await Promise.all([scrape(a), scrape(b)]);
    return [failures(ta, 'b'), failures(tb, 'a')] as const;
  };
  const [fa0, fb0] = await bothFailures();
  /** Milliseconds from `from` until each side reports patrol_ha_peer_up == want. */
  const watchPeerUp = async (want: number, from: number) => {
    const seen: { a?: number; b?: number } = {};
    await waitFor(
      `patrol_ha_peer_up ${want} on both sides`,
      async () => {
        const [ta, tb] = await Promise.all([scrape(a), scrape(b)]);
        const now = performance.now() - from;
        if (seen.a === undefined && metric(ta, 'patrol_ha_peer_up', { peer: 'b' }) === want) {
          seen.a = now;
        }
        if (seen.b === undefined && metric(tb, 'patrol_ha_peer_up', { peer: 'a' }) === want) {
          seen.b = now;
        }
        return seen.a !== undefined && seen.b !== undefined;
      },
      { timeoutMs: 15_000, intervalMs: 50, context: describe },
    );
    return { a: seen.a ?? NaN, b: seen.b ?? NaN };
  };
  const cutAt = performance.now();
  await b.ns.exec('ip', ['link', 'set', b.ifname, 'down']);
  const down = await watchPeerUp(0, cutAt);
  const [fa1, fb1] = await bothFailures();
  const delta = (x: Record<string, number>, y: Record<string, number>) =>
    Object.entries(y)
      .map(([k, v]) => [k, v - (x[k] ?? 0)] as const)
      .filter(([, v]) => v !== 0);
  const failA = delta(fa0, fa1);
  const failB = delta(fb0, fb1);
  t.diagnostic(
    `4. link cut: peer_up 0 on a after ${Math.round(down.a)} ms, on b after ${Math.round(down.b)} ms (bound ${PEER_BOUND_MS} ms); failures a→b ${JSON.stringify(Object.fromEntries(failA))}, b→a ${JSON.stringify(Object.fromEntries(failB))}`,
  );
  assert.ok(down.a <= PEER_BOUND_MS, `a saw b down after ${down.a} ms`);
  assert.ok(down.b <= PEER_BOUND_MS, `b saw a down after ${down.b} ms`);
  for (const [side, f] of [
    ['a', failA],
    ['b', failB],
  ] as const) {
    const total = f.reduce((s, [, v]) => s + v, 0);
    assert.ok(total >= THRESHOLD, `${side} counted its failed heartbeats: ${JSON.stringify(f)}`);
    assert.ok(
      f.every(([reason]) => ['timeout', 'unreachable', 'refused'].includes(reason)),
      `${side}'s failures are network failures: ${JSON.stringify(f)}`,
    );
  }
  const upAt = performance.now();
  await b.ns.exec('ip', ['link', 'set', b.ifname, 'up']);
  const up = await watchPeerUp(1, upAt);
  t.diagnostic(
    `4. link restored: peer_up 1 on a after ${Math.round(up.a)} ms, on b after ${Math.round(up.b)} ms`,
  );
  assert.ok(up.a <= PEER_BOUND_MS && up.b <= PEER_BOUND_MS, 'both see each other again');

  // --- 5. The VIP moves: first both hold it (split brain, seen from either side), then the
  // old primary lets it go.
  {
    const [ta, tb] = await Promise.all([scrape(a), scrape(b)]);
    assert.equal(metric(ta, 'patrol_ha_role_changes_total'), 0, 'a kept its role so far');
    assert.equal(metric(tb, 'patrol_ha_role_changes_total'), 0, 'b kept its role so far');
  }
  const bothAt = performance.now();
  await b.ns.exec('ip', ['addr', 'add', `${VIP}/32`, 'dev', b.ifname]);
  await waitFor(
    'split brain on both sides',
    async () => {
      const [ta, tb] = await Promise.all([scrape(a), scrape(b)]);
      return (
        metric(ta, 'patrol_ha_split_brain') === 1 &&
        metric(tb, 'patrol_ha_split_brain') === 1 &&
        metric(ta, 'patrol_ha_role', { node: 'a', role: 'primary' }) === 1 &&
        metric(tb, 'patrol_ha_role', { node: 'b', role: 'primary' }) === 1
      );
    },
    { timeoutMs: 10_000, intervalMs: 100, context: describe },
  );
  const splitMs = performance.now() - bothAt;
  const movedAt = performance.now();
  await a.ns.exec('ip', ['addr', 'del', `${VIP}/32`, 'dev', a.ifname]);
  const [ta5, tb5] = await waitFor(
    'a standby, b primary, no split brain',
    async () => {
      const [ta, tb] = await Promise.all([scrape(a), scrape(b)]);
      return metric(ta, 'patrol_ha_role', { node: 'a', role: 'standby' }) === 1 &&
        metric(tb, 'patrol_ha_role', { node: 'b', role: 'primary' }) === 1 &&
        metric(ta, 'patrol_ha_peer_role', { peer: 'b', role: 'primary' }) === 1 &&
        metric(tb, 'patrol_ha_peer_role', { peer: 'a', role: 'standby' }) === 1 &&
        metric(ta, 'patrol_ha_split_brain') === 0 &&
        metric(tb, 'patrol_ha_split_brain') === 0
        ? [ta, tb]
        : undefined;
    },
    { timeoutMs: 10_000, intervalMs: 100, context: describe },
  );
  t.diagnostic(
    `5. VIP on both: split brain on both after ${Math.round(splitMs)} ms; VIP off a: failover seen on both after ${Math.round(performance.now() - movedAt)} ms`,
  );
  for (const [side, text] of [
    ['a', ta5],
    ['b', tb5],
  ] as const) {
    assert.equal(metric(text, 'patrol_ha_role_changes_total'), 1, `${side} counted one change`);
    assert.ok(
      metric(text, 'patrol_ha_role_last_change_timestamp_seconds') > 0,
      `${side} says when its role changed`,
    );
    assert.equal(
      metric(text, 'patrol_ha_role', { node: side, role: 'unknown' }),
      0,
      `${side}'s role is known`,
    );
  }

  // Both exporters stop cleanly on SIGTERM.
  for (const h of [a, b]) {
    const exit = await h.proc?.terminate();
    assert.deepEqual(exit, { code: 0, signal: null }, `patrol ${h.name} stops cleanly`);
  }
  t.diagnostic(`done after ${elapsed()}`);
});
