import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SampleBuffer } from '../../core/metrics.ts';
import { newMemory, writeGroup, type ReadResult } from './assess.ts';
import { dbReplicationConfig, type GroupConfig } from './config.ts';
import type { ReplicaView, ServerView } from './views.ts';

const group = (heartbeat: boolean): GroupConfig => {
  const cfg = dbReplicationConfig.parse({
    groups: [
      {
        name: 'g',
        engine: 'redis',
        primary: { name: 'p', target: '127.0.0.1:1' },
        replicas: [{ name: 'r', target: '127.0.0.1:2' }],
        ...(heartbeat ? { heartbeat: { write: true } } : {}),
      },
    ],
  });
  return cfg.groups[0] as GroupConfig;
};

const replica = (over: Partial<ReplicaView>): ReplicaView => ({
  configured: true,
  linkUp: true,
  position: 100n,
  serverLagSeconds: 0,
  downForSeconds: undefined,
  ...over,
});

const ok = (view: ServerView): ReadResult => ({ ok: true, view, seconds: 0.01 });
const failed: ReadResult = { ok: false, seconds: 3 };

/** The samples of one scrape as `name{server,method}` → value. */
function scrape(
  g: GroupConfig,
  primary: ReadResult,
  replicaRead: ReadResult,
  memory = newMemory(1000),
  now = 1010,
): Map<string, number> {
  const sink = new SampleBuffer();
  writeGroup(sink, g, primary, [replicaRead], memory, now, undefined);
  const out = new Map<string, number>();
  for (const [fam, samples] of sink.families) {
    for (const s of samples) {
      const extra = s.labels.method ?? s.labels.thread ?? '';
      out.set(`${fam.name}{${s.labels.server ?? ''}${extra === '' ? '' : `,${extra}`}}`, s.value);
    }
  }
  return out;
}

describe('the assessment of a group', () => {
  // The primary's clock runs 5 s ahead of the local one; the replica's 2 s behind.
  const primary = (heartbeat: number, position = 200n): ReadResult =>
    ok({
      localAt: 1010,
      serverTime: 1015,
      heartbeat,
      primary: { connectedReplicas: 1, position },
    });

  it("heartbeat lag is measured against the primary's clock, not the replica's", () => {
    const r = ok({ localAt: 1010, serverTime: 1008, heartbeat: 1012, replica: replica({}) });
    const m = scrape(group(true), primary(1014.5), r);
    // primary now = 1010 + 5 = 1015; newest heartbeat on the replica 1012: 3 s behind.
    assert.equal(m.get('patrol_db_replication_lag_seconds{r,heartbeat}'), 3);
    assert.equal(m.get('patrol_db_replication_heartbeat_age_seconds{p}'), 0.5);
    assert.equal(m.get('patrol_db_replication_lag_bytes{r}'), 100);
  });

  it("a frozen primary: its last measured clock offset keeps the replica's lag growing", () => {
    const memory = newMemory(1000);
    scrape(
      group(true),
      primary(1014.5),
      ok({ localAt: 1010, serverTime: 1008, heartbeat: 1014.5, replica: replica({}) }),
      memory,
      1010,
    );
    const later = scrape(
      group(true),
      failed,
      ok({ localAt: 1030, serverTime: 1028, heartbeat: 1014.5, replica: replica({}) }),
      memory,
      1030,
    );
    assert.equal(later.get('patrol_db_replication_success{p}'), 0);
    assert.equal(later.get('patrol_db_replication_lag_seconds{r,heartbeat}'), 20.5);
    assert.equal(later.has('patrol_db_replication_connected_replicas{p}'), false);
    assert.equal(later.has('patrol_db_replication_lag_bytes{r}'), false);
  });

  it('a replica that does not answer: success 0, no link, no lag (absent, not 0)', () => {
    const m = scrape(group(true), primary(1014.5), failed);
    assert.equal(m.get('patrol_db_replication_success{r}'), 0);
    for (const name of ['link_up', 'configured', 'lag_bytes']) {
      assert.equal(m.has(`patrol_db_replication_${name}{r}`), false, name);
    }
    assert.equal(m.has('patrol_db_replication_lag_seconds{r,heartbeat}'), false);
    assert.equal(m.has('patrol_db_replication_lag_seconds{r,native}'), false);
    assert.equal(m.get('patrol_db_replication_expected_replicas{p}'), 1);
  });

  it('native lag: 0 only when caught up with the primary, else the server figure', () => {
    const caughtUp = scrape(
      group(false),
      primary(0, 100n),
      ok({
        localAt: 1010,
        serverTime: 1010,
        heartbeat: undefined,
        replica: replica({ serverLagSeconds: 35 }),
      }),
    );
    assert.equal(caughtUp.get('patrol_db_replication_lag_seconds{r,native}'), 0);
    const behind = scrape(
      group(false),
      primary(0, 200n),
      ok({
        localAt: 1010,
        serverTime: 1010,
        heartbeat: undefined,
        replica: replica({ serverLagSeconds: 4 }),
      }),
    );
    assert.equal(behind.get('patrol_db_replication_lag_seconds{r,native}'), 4);
    assert.equal(behind.has('patrol_db_replication_lag_seconds{r,heartbeat}'), false);
  });

  it('native lag with the link down grows from when the replica was last current, never 0', () => {
    const memory = newMemory(1000);
    const g = group(false);
    // Up, 4 s behind by its own count at 1010: last current at 1006.
    scrape(
      g,
      primary(0),
      ok({
        localAt: 1010,
        serverTime: 1010,
        heartbeat: undefined,
        replica: replica({ serverLagSeconds: 4 }),
      }),
      memory,
      1010,
    );
    const down = (now: number, downFor: number | undefined) =>
      scrape(
        g,
        primary(0),
        ok({
          localAt: now,
          serverTime: now,
          heartbeat: undefined,
          replica: replica({ linkUp: false, serverLagSeconds: undefined, downForSeconds: downFor }),
        }),
        memory,
        now,
      ).get('patrol_db_replication_lag_seconds{r,native}');
    // The server has just declared the link down (0 s by its count): still 5 s and growing.
    assert.equal(down(1011, 0), 5);
    assert.equal(down(1021, 10), 15);
    // A replica never seen up counts from when patrol started.
    const fresh = scrape(
      g,
      primary(0),
      ok({
        localAt: 1003,
        serverTime: 1003,
        heartbeat: undefined,
        replica: replica({ linkUp: false, serverLagSeconds: undefined }),
      }),
      newMemory(1000),
      1003,
    );
    assert.equal(fresh.get('patrol_db_replication_lag_seconds{r,native}'), 3);
    assert.equal(fresh.get('patrol_db_replication_link_up{r}'), 0);
  });

  it('MySQL threads one-hot and their error codes', () => {
    const m = scrape(
      group(false),
      primary(0),
      ok({
        localAt: 1010,
        serverTime: 1010,
        heartbeat: undefined,
        replica: replica({
          linkUp: false,
          position: undefined,
          threads: { io: 'running', sql: 'stopped', ioErrno: 0, sqlErrno: 1062 },
        }),
      }),
    );
    assert.equal(m.get('patrol_db_replication_last_error_code{r,sql}'), 1062);
    assert.equal(m.get('patrol_db_replication_last_error_code{r,io}'), 0);
  });
});
