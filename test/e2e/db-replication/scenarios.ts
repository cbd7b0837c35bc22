/**
 * The breakages every engine goes through, against a real replicated pair
 * (test/harness/replication.ts) and the collector in this process (test/harness/db-replication.ts),
 * each checked second by second against the truth: a writer on the primary that records when
 * each row was written, read back on the replica.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { HEARTBEAT_SECONDS, watchPair, type Scrape } from '../../harness/db-replication.ts';
import { mariadb, psql, redisCli } from '../../harness/middleware.ts';
import { suiteScope, type Scope } from '../../harness/process.ts';
import { startTruth, type Pair, type Truth } from '../../harness/replication.ts';
import { waitFor } from '../../harness/wait.ts';

export interface Watch {
  scrape(): Promise<Scrape>;
}

/** One second of a scenario: what patrol said and what was true. */
interface Row {
  readonly at: number;
  readonly s: Scrape;
  readonly truth: number | undefined;
}

const fmt = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(2));

function table(rows: readonly Row[]): string {
  return [
    't(s)  truth  heartbeat  native  link_up',
    ...rows.map(
      (r) =>
        `${r.at.toFixed(1).padStart(5)} ${fmt(r.truth).padStart(6)} ${fmt(r.s.heartbeatLag()).padStart(10)} ${fmt(r.s.nativeLag()).padStart(7)} ${fmt(r.s.linkUp()).padStart(8)}`,
    ),
  ].join('\n');
}

/** Scrapes and reads the truth once a second for `seconds`. */
async function follow(w: Watch, truth: Truth | undefined, seconds: number): Promise<Row[]> {
  const rows: Row[] = [];
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    const tick = performance.now();
    const [s, lag] = await Promise.all([w.scrape(), truth?.trueLagSeconds(1500)]);
    rows.push({ at: (tick - t0) / 1000, s, truth: lag });
    await sleep(Math.max(0, 1000 - (performance.now() - tick)));
  }
  return rows;
}

/**
 * Waits until the replica replicates and patrol sees it so, with a heartbeat lag below 1.5 s and
 * the heartbeat's age on the primary known (the primary is read at the same time as the replica:
 * at the start, a scrape may read the primary before the writer has created its table and the
 * replica just after).
 */
export async function healthy(w: Watch, timeoutMs = 60_000): Promise<Scrape> {
  return waitFor(
    'patrol to see the pair healthy',
    async () => {
      const s = await w.scrape();
      const lag = s.heartbeatLag();
      const age = s.get('heartbeat_age_seconds', 'primary');
      return s.linkUp() === 1 && lag !== undefined && lag < 1.5 && age !== undefined ? s : false;
    },
    { timeoutMs, intervalMs: 500 },
  );
}

/** The number of replicas the primary itself says are connected, by its own client. */
export async function primaryCount(pair: Pair): Promise<number> {
  switch (pair.engine) {
    case 'redis': {
      const info = await redisCli(pair.primary.port, ['INFO', 'replication'], pair.password);
      return Number(/connected_slaves:(\d+)/.exec(info)?.[1]);
    }
    case 'postgres':
      return Number(
        await psql(
          pair.primary,
          pair.password,
          "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'",
        ),
      );
    case 'mysql':
      return Number(
        await mariadb(
          pair.primary,
          "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND IN ('Binlog Dump', 'Binlog Dump GTID')",
        ),
      );
  }
}

/** Whether the replica's own client says its replication runs. */
export async function replicaSaysUp(pair: Pair): Promise<boolean> {
  const st = await pair.replicaStatus();
  switch (pair.engine) {
    case 'redis':
      return st.master_link_status === 'up';
    case 'postgres':
      return st.status === 'streaming';
    case 'mysql':
      return st.Slave_IO_Running === 'Yes' && st.Slave_SQL_Running === 'Yes';
  }
}

/** Healthy: link, configured and the primary's count agree with the servers' own clients. */
export async function agreesWhenHealthy(w: Watch, pair: Pair): Promise<void> {
  const s = await healthy(w);
  assert.equal(await replicaSaysUp(pair), true);
  assert.equal(s.get('configured', 'replica'), 1);
  assert.equal(s.get('success', 'primary'), 1);
  assert.equal(s.get('connected_replicas', 'primary'), await primaryCount(pair), s.describe());
  assert.equal(s.get('expected_replicas', 'primary'), 1);
  const age = s.get('heartbeat_age_seconds', 'primary');
  assert.ok(age !== undefined && age < 1.5, `heartbeat age on the primary ${String(age)}`);
  if (pair.engine !== 'mysql') {
    const bytes = s.get('lag_bytes', 'replica');
    assert.ok(bytes !== undefined && bytes >= 0, s.describe());
  }
}

/**
 * A primary with no writes but patrol's heartbeat for `seconds`: the lag stays within the
 * heartbeat interval (where the naive PostgreSQL form reads the idle time).
 */
export async function idle(w: Watch, seconds: number): Promise<void> {
  await healthy(w);
  const rows = await follow(w, undefined, seconds);
  for (const r of rows) {
    const hb = r.s.heartbeatLag();
    const native = r.s.nativeLag();
    assert.ok(
      hb !== undefined && hb <= HEARTBEAT_SECONDS + 0.5,
      `heartbeat lag at ${r.at.toFixed(1)} s\n${table(rows)}`,
    );
    assert.ok(
      native !== undefined && native <= 2,
      `native lag at ${r.at.toFixed(1)} s\n${table(rows)}`,
    );
    assert.equal(r.s.linkUp(), 1, table(rows));
  }
}

/**
 * The replication link cut (both servers still answer): from the first second the heartbeat lag
 * grows at 1 s/s, within the heartbeat interval plus a scrape of the truth, never 0; link_up
 * goes to 0 no later than the server's own timeout (10 s here) plus a scrape; the native lag
 * is never 0 once the link is down. Then healed: back within the interval, link up.
 */
export async function partition(
  scope: Scope,
  w: Watch,
  pair: Pair,
  opts: { serverTimeoutSeconds: number; seconds: number },
): Promise<string> {
  await healthy(w);
  const truth = await startTruth(pair, scope);
  await sleep(1000);
  await pair.partition();
  const rows = await follow(w, truth, opts.seconds);
  await truth.stop();
  const why = table(rows);
  let downAt: number | undefined;
  for (const r of rows) {
    const hb = r.s.heartbeatLag();
    assert.equal(r.s.get('success', 'replica'), 1, why);
    assert.ok(hb !== undefined && hb > 0, `heartbeat lag at ${r.at.toFixed(1)} s\n${why}`);
    if (r.truth !== undefined) {
      assert.ok(
        hb >= r.truth - 0.5 && hb <= r.truth + HEARTBEAT_SECONDS + 1,
        `heartbeat lag ${hb.toFixed(2)} against the truth ${r.truth.toFixed(2)} at ${r.at.toFixed(1)} s\n${why}`,
      );
    }
    if (r.s.linkUp() === 0) {
      downAt ??= r.at;
      const native = r.s.nativeLag();
      assert.ok(native !== undefined && native > 0, `native lag with the link down\n${why}`);
    }
  }
  assert.ok(
    downAt !== undefined && downAt <= opts.serverTimeoutSeconds + 3,
    `link_up went to 0 at ${String(downAt)} s\n${why}`,
  );
  const first = rows.find((r) => r.at >= 2);
  const last = rows.at(-1);
  assert.ok(first !== undefined && last !== undefined);
  const rate =
    ((last.s.heartbeatLag() ?? 0) - (first.s.heartbeatLag() ?? 0)) / (last.at - first.at);
  assert.ok(rate > 0.8 && rate < 1.2, `the lag grew at ${rate.toFixed(2)} s/s\n${why}`);
  await pair.heal();
  await healthy(w);
  return why;
}

/** The primary frozen (SIGSTOP): it fails, and the replica's heartbeat lag keeps growing. */
export async function frozenPrimary(w: Watch, pair: Pair): Promise<void> {
  await healthy(w);
  await pair.freezePrimary();
  try {
    const rows = await follow(w, undefined, 8);
    const why = table(rows);
    const last = rows.at(-1);
    assert.equal(last?.s.get('success', 'primary'), 0, why);
    assert.equal(last.s.get('success', 'replica'), 1, why);
    const lag = last.s.heartbeatLag();
    assert.ok(
      lag !== undefined && lag >= 5,
      `heartbeat lag ${String(lag)} after 8 s frozen\n${why}`,
    );
    for (const r of rows.slice(1)) {
      assert.ok((r.s.heartbeatLag() ?? 0) > 0, why);
    }
  } finally {
    await pair.thawPrimary();
  }
  await healthy(w);
}

/** The replica stopped: its success is 0 and its link and lag are absent, never 0. */
export async function stoppedReplica(w: Watch, pair: Pair): Promise<void> {
  await healthy(w);
  await pair.stopReplica();
  const s = await w.scrape();
  assert.equal(s.get('success', 'replica'), 0, s.describe());
  assert.equal(s.linkUp(), undefined, s.describe());
  assert.equal(s.heartbeatLag(), undefined, s.describe());
  assert.equal(s.nativeLag(), undefined, s.describe());
  assert.equal(s.get('success', 'primary'), 1, s.describe());
  await pair.startReplica();
  await healthy(w);
}

/**
 * The suite every engine runs: a pair started by `start`, the collector over it, and each
 * scenario above in turn; `more` adds an engine's own cases, given the running pair.
 */
export function describePair<P extends Pair>(
  title: string,
  start: (scope: Scope) => Promise<P>,
  more: (env: () => { pair: P; w: Watch }) => void = () => undefined,
): void {
  describe(title, () => {
    const scope = suiteScope();
    let env: { pair: P; w: Watch } | undefined;
    const get = () => env ?? assert.fail('the pair did not start');
    before(async () => {
      const pair = await start(scope);
      env = { pair, w: await watchPair(scope, pair) };
    });
    after(() => scope.close());

    it('healthy: link, replicas and heartbeat as the servers see them', async () => {
      await agreesWhenHealthy(get().w, get().pair);
    });

    it('an idle primary for a minute: the lag stays within the heartbeat interval', async () => {
      await idle(get().w, 60);
    });

    it('a partition of the replication link: the lag follows the truth from the first second', async (t) => {
      const rows = await partition(t, get().w, get().pair, {
        serverTimeoutSeconds: 10,
        seconds: 16,
      });
      t.diagnostic(rows);
    });

    it('the primary frozen: it fails, the lag keeps growing', async () => {
      await frozenPrimary(get().w, get().pair);
    });

    it('the replica stopped: success 0, no link or lag series', async () => {
      await stoppedReplica(get().w, get().pair);
    });

    more(get);
  });
}
