/**
 * Divergence between a primary's dataset and the standby's copy, end to end between two HA
 * collectors on loopback: the primary serves its manifest over real HTTP, the standby walks its
 * copy in the walker thread and compares.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../../core/logger.ts';
import { RouteTable } from '../../core/routes.ts';
import { haConfig } from './config.ts';
import { NONCE_HEADER, sign, SIGNATURE_HEADER } from './heartbeat.ts';
import { createHaCollector, MANIFEST_PATH, type HaCollector } from './index.ts';
import { listen, scrape } from './test-fixtures.ts';

const root = mkdtempSync(join(tmpdir(), 'patrol-ha-div-'));
after(() => {
  rmSync(root, { recursive: true, force: true });
});
const logger = createLogger({ level: 'error', format: 'logfmt', write: () => {} });
const SECRET = 'a secret shared by the pair';
const secretFile = join(root, 'secret');
writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });

function write(path: string, content: string) {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
}

/** cp -a keeps modification times to the nanosecond, as rsync -a does. */
function copy(from: string, to: string) {
  execFileSync('cp', ['-a', from, to]);
}

/** A primary and a standby with one dataset each; the standby's copy starts identical. */
async function pair(name: string, compare: Record<string, unknown> = {}) {
  const primaryDir = join(root, name, 'primary');
  const standbyDir = join(root, name, 'standby');
  write(join(primaryDir, 'top.dat'), 'top\n');
  write(join(primaryDir, 'x/a.dat'), 'AAAAAAAA');
  write(join(primaryDir, 'x/y/b.dat'), 'B'.repeat(300));
  write(join(primaryDir, 'w/1.dat'), '1'.repeat(10));
  write(join(primaryDir, 'w/2.dat'), '2'.repeat(20));
  write(join(primaryDir, 'cache/skip.dat'), 'excluded directory');
  write(join(primaryDir, 'x/partial.tmp'), 'excluded name');
  copy(primaryDir, standbyDir);
  const ra = new RouteTable();
  const rb = new RouteTable();
  const sa = await listen(ra);
  const sb = await listen(rb);
  const base = {
    enabled: true,
    cluster: 'c1',
    interval: '200ms',
    timeout: '150ms',
    secret_file: secretFile,
  };
  const dataset = (path: string) => [
    { name: 'data', path, exclude: ['*.tmp', 'cache'], compare: { interval: '1h', ...compare } },
  ];
  const primary = createHaCollector(
    haConfig.parse({
      ...base,
      node: 'a',
      peers: [{ name: 'b', url: sb.url }],
      role: { source: 'static', value: 'primary' },
      datasets: dataset(primaryDir),
    }),
    { logger, routes: ra },
  );
  const standby = createHaCollector(
    haConfig.parse({
      ...base,
      node: 'b',
      peers: [{ name: 'a', url: sa.url }],
      role: { source: 'static', value: 'standby' },
      datasets: dataset(standbyDir),
    }),
    { logger, routes: rb },
  );
  await primary.start();
  await standby.start();
  // The standby compares with a peer it knows to be primary.
  for (let i = 0; i < 100; i++) {
    const s = await scrape(standby);
    if (s.get('patrol_ha_peer_role', { peer: 'a', role: 'primary' }) === 1) break;
    await sleep(50);
  }
  // The compare the standby starts by itself after its first round: settled before the test.
  await standby.compare();
  return {
    primaryDir,
    standbyDir,
    primary,
    standby,
    primaryUrl: sa.url,
    cleanup: async () => {
      await primary.stop();
      await standby.stop();
      await sa.close();
      await sb.close();
    },
  };
}

async function divergence(c: HaCollector) {
  const s = await scrape(c);
  const v = (name: string) => s.get(name, { dataset: 'data' });
  return {
    outOfSync: v('patrol_replication_out_of_sync_files'),
    missing: v('patrol_replication_missing_files'),
    extra: v('patrol_replication_extra_files'),
    bytes: v('patrol_replication_out_of_sync_bytes'),
    files: v('patrol_replication_dataset_files'),
    changed: v('patrol_replication_dataset_changed_bytes_total'),
    lastCompare: v('patrol_replication_last_compare_timestamp_seconds'),
    errors: (reason: string) =>
      s.get('patrol_replication_compare_errors_total', { dataset: 'data', reason }),
  };
}

function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
        });
      })
      .on('error', reject);
  });
}

describe('divergence between the copies of a dataset', () => {
  it('counts a file changed only on the standby, missing files and extra files exactly, after two compares', async () => {
    const p = await pair('exact');
    try {
      await p.standby.compare();
      let d = await divergence(p.standby);
      assert.deepEqual(
        [d.outOfSync, d.missing, d.extra, d.bytes],
        [0, 0, 0, 0],
        'identical copies',
      );
      assert.equal(d.files, 5, 'cache/ and *.tmp are excluded');
      assert.ok(d.lastCompare !== undefined && Math.abs(d.lastCompare - Date.now() / 1000) < 5);

      // On the standby only: one file rewritten (same size, another mtime), one file and one
      // whole directory deleted, one extra file, and changes in what the dataset excludes.
      writeFileSync(join(p.standbyDir, 'x/a.dat'), 'ZZZZZZZZ');
      utimesSync(join(p.standbyDir, 'x/a.dat'), new Date(2020, 0, 1), new Date(2020, 0, 1));
      rmSync(join(p.standbyDir, 'x/y/b.dat'));
      rmSync(join(p.standbyDir, 'w'), { recursive: true });
      write(join(p.standbyDir, 'x/y/extra.dat'), 'extra');
      write(join(p.standbyDir, 'cache/other.dat'), 'excluded');
      write(join(p.standbyDir, 'x/y/more.tmp'), 'excluded');

      await p.standby.compare();
      d = await divergence(p.standby);
      assert.deepEqual(
        [d.outOfSync, d.missing, d.extra],
        [0, 0, 0],
        'seen once: could be a change in flight, not counted yet',
      );

      // A file new on the primary (not shipped yet) differs once more by now.
      write(join(p.primaryDir, 'x/new.dat'), 'in flight');
      await p.standby.compare();
      d = await divergence(p.standby);
      assert.equal(d.outOfSync, 1, 'x/a.dat');
      assert.equal(d.missing, 3, 'x/y/b.dat, w/1.dat, w/2.dat (x/new.dat only seen once)');
      assert.equal(d.extra, 1, 'x/y/extra.dat');
      assert.equal(d.bytes, 8 + 300 + 10 + 20, "the primary's bytes of a.dat, b.dat, w/*");

      await p.standby.compare();
      d = await divergence(p.standby);
      assert.equal(d.missing, 4, 'x/new.dat never arrived: now it counts');

      // The mirror catches up: everything in sync again at the next compare.
      rmSync(p.standbyDir, { recursive: true });
      copy(p.primaryDir, p.standbyDir);
      await p.standby.compare();
      d = await divergence(p.standby);
      assert.deepEqual([d.outOfSync, d.missing, d.extra, d.bytes], [0, 0, 0, 0]);
      assert.equal(d.errors('peer'), 0);
      assert.equal(d.errors('local'), 0);
      assert.equal(d.errors('no_primary'), 0);
    } finally {
      await p.cleanup();
    }
  });

  it('lists hundreds of long directory names in requests that fit, and counts from live listings only', async () => {
    const p = await pair('many');
    try {
      const long = 'd'.repeat(70);
      for (let i = 0; i < 250; i++) write(join(p.primaryDir, `deep/${long}${i}/f`), 'x');
      // The primary's manifest now lists them, and w/: removed on both sides after that walk, it
      // must not count, though the primary's summaries (served again, ETag unchanged) list it.
      await p.primary.compare();
      rmSync(join(p.primaryDir, 'w'), { recursive: true });
      rmSync(join(p.standbyDir, 'w'), { recursive: true });
      await p.standby.compare();
      await p.standby.compare();
      const d = await divergence(p.standby);
      assert.equal(d.missing, 250, 'every file of the 250 directories, none of w/');
      assert.equal(d.extra, 0);
      assert.equal(d.errors('peer'), 0, 'no request too long');
    } finally {
      await p.cleanup();
    }
  });

  it('compares modification times at the resolution the mirror keeps', async () => {
    const exact = await pair('ns');
    const ms = await pair('ms', { mtime_resolution: 'ms' });
    try {
      for (const p of [exact, ms]) {
        // A copy that keeps mtimes to the millisecond only (Node's cpSync uses utimes()).
        rmSync(p.standbyDir, { recursive: true });
        cpSync(p.primaryDir, p.standbyDir, { recursive: true, preserveTimestamps: true });
        await p.standby.compare();
        await p.standby.compare();
      }
      assert.equal((await divergence(exact.standby)).outOfSync, 5, 'every file, to the ns');
      assert.equal((await divergence(ms.standby)).outOfSync, 0, 'equal to the ms');
    } finally {
      await exact.cleanup();
      await ms.cleanup();
    }
  });

  it('serves the manifest to signed requests only, and never outside the dataset', async () => {
    const p = await pair('auth');
    try {
      const url = `${p.primaryUrl}${MANIFEST_PATH}?dataset=data`;
      const unsigned = await get(url);
      assert.equal(unsigned.status, 401);
      assert.equal(unsigned.body, 'Unauthorized\n', 'says nothing else');
      assert.equal(unsigned.headers['www-authenticate'], 'Patrol-HMAC');
      assert.equal(unsigned.headers['x-patrol-challenge'], undefined, 'no challenge for strangers');
      assert.doesNotMatch(unsigned.body, /dat/);
      const forged = await get(url, { [NONCE_HEADER]: 'n1', [SIGNATURE_HEADER]: 'f'.repeat(64) });
      assert.equal(forged.status, 401);

      const signedGet = async (pathAndQuery: string) => {
        const leg = (challenge?: string) => {
          const nonce = `nonce-${Math.random()}`;
          const parts = [
            'req',
            'c1',
            pathAndQuery,
            nonce,
            ...(challenge === undefined ? [] : [challenge]),
          ];
          const headers: Record<string, string> = {
            [NONCE_HEADER]: nonce,
            [SIGNATURE_HEADER]: sign(Buffer.from(SECRET), parts),
          };
          if (challenge !== undefined) headers['x-patrol-challenge'] = challenge;
          return { headers, send: () => get(`${p.primaryUrl}${pathAndQuery}`, headers) };
        };
        const first = await leg().send();
        assert.equal(first.status, 401, 'a signed request first gets a challenge');
        const challenge = first.headers['x-patrol-challenge'];
        assert.ok(typeof challenge === 'string');
        const second = leg(challenge);
        const answer = await second.send();
        const replay = await get(`${p.primaryUrl}${pathAndQuery}`, second.headers);
        assert.equal(replay.status, 401, 'a challenge is good once: a replay is refused');
        return answer;
      };
      const ok = await signedGet(`${MANIFEST_PATH}?dataset=data`);
      assert.equal(ok.status, 200);
      const manifest = JSON.parse(ok.body) as { dirs: [string][] };
      assert.deepEqual(manifest.dirs.map((d) => d[0]).sort(), ['', 'w', 'x', 'x/y']);
      assert.doesNotMatch(ok.body, /a\.dat/, 'summaries carry no file names');

      const outside = await signedGet(`${MANIFEST_PATH}?dataset=data&dir=..&dir=x&dir=cache`);
      const listed = JSON.parse(outside.body) as { dirs: Record<string, unknown> };
      assert.equal(listed.dirs['..'], null, 'not a path of the dataset');
      assert.equal(listed.dirs.cache, null, 'excluded directory');
      assert.deepEqual(
        (listed.dirs.x as [string][]).map((e) => e[0]),
        ['a.dat'],
        'x/partial.tmp is excluded',
      );
      const unknown = await signedGet(`${MANIFEST_PATH}?dataset=etc`);
      assert.equal(unknown.status, 404);
      const refused = (await scrape(p.primary)).get('patrol_ha_unauthorized_requests_total', {
        endpoint: 'manifest',
      });
      assert.equal(refused, 2 + 3, 'unsigned, forged, and the three replays');
    } finally {
      await p.cleanup();
    }
  });

  it("counts the primary's changed bytes between its walks", async () => {
    const p = await pair('rate');
    try {
      await p.primary.compare();
      assert.equal((await divergence(p.primary)).changed, 0, 'the first walk is the baseline');
      await sleep(30); // past the walk's start on the filesystem's coarse clock
      write(join(p.primaryDir, 'x/y/new.bin'), 'n'.repeat(4096));
      writeFileSync(join(p.primaryDir, 'top.dat'), 'top, longer now\n');
      write(join(p.primaryDir, 'cache/ignored.bin'), 'i'.repeat(1000));
      await sleep(50); // a walk counts what was written until a clock tick before it started
      await p.primary.compare();
      const d = await divergence(p.primary);
      assert.equal(d.changed, 4096 + statSync(join(p.primaryDir, 'top.dat')).size);
      await sleep(30);
      await p.primary.compare();
      assert.equal((await divergence(p.primary)).changed, d.changed, 'nothing new since');
      assert.equal(
        (await divergence(p.standby)).changed,
        0,
        'the standby ships nothing: its counter stays',
      );
    } finally {
      await p.cleanup();
    }
  });
});
