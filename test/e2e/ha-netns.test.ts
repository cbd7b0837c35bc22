/**
 * End to end: a hot-standby pair as two hosts. Two real patrol exporters, each in its own
 * network namespace joined by a veth link (192.0.2.1 and .2), heartbeats signed with a shared
 * secret, role by virtual IP (192.0.2.100), and a real lsyncd (Debian's, default.rsync with
 * delay=1) mirroring the primary's dataset to the standby's directory (the environment:
 * test/harness/ha-netns-env.ts). Then, in turn: the steady lag against the mirror's measured
 * delay; the standby restarted with a clock 30 s ahead (libfaketime); the mirror stopped; the
 * link cut and restored; the VIP moved.
 *
 * Needs root and: util-linux (unshare, nsenter, setpriv), iproute2, lsyncd + rsync, libfaketime
 * (.ci/run installs them). Nothing can outlive the test, even if it is SIGKILLed: the namespaces
 * are held by agents that exit when their stdin closes, and every program inside runs under
 * `setpriv --pdeathsig KILL` (test/harness/netns.ts).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CANARY_MS,
  CLUSTER,
  fmt,
  LAG_BOUND_S,
  LSYNCD_DELAY_S,
  median,
  OFFSET_TOLERANCE_S,
  PEER_BOUND_MS,
  PORT,
  preflight,
  SKEW_S,
  startPair,
  THRESHOLD,
  VIP,
} from '../harness/ha-netns-env.ts';
import { findSamples } from '../harness/metrics.ts';
import { waitFor } from '../harness/wait.ts';

test('a hot-standby pair in two network namespaces, mirrored by lsyncd', async (t) => {
  const faketime = await preflight();
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

  const { a, b, lsyncd, arrivals, stopArrivals, scrape, metric, describe, startPatrol } =
    await startPair(t);
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
  stopArrivals();
  t.diagnostic(`3. lsyncd stopped (${JSON.stringify(exitL)}) after ${elapsed()}`);
  await sleep(300); // an rsync already running when lsyncd stopped finishes within ms
  const stall: { at: number; lag: number; seq: number }[] = [];
  const seqA0 = metric(await scrape(a), 'patrol_replication_canary_sequence', { dataset: 'data' });
  // Samples until they span 3 s: a scrape slowed by a loaded machine must not shorten the span
  // (a budget of wall time would).
  const span = () => (stall.length < 2 ? 0 : (stall.at(-1)?.at ?? 0) - (stall[0]?.at ?? 0));
  while (span() < 3.05) {
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
