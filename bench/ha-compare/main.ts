/**
 * bench/ha-compare.ts, main: the dataset, the peers, then the two exporters in steady state with
 * a mirror that has a delay, measured over a window. The header of bench/ha-compare.ts says how.
 */
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../test/harness/http.ts';
import { fmt, startPatrol, stopAll, type Running } from '../lib/peers.ts';
import { CpuSampler, windowOf } from './cpu.ts';
import { dataParent, generate, leafDirs } from './dataset.ts';
import { config, firstCompare, scrape } from './exporters.ts';
import {
  compares,
  dirs,
  files,
  int,
  intervalS,
  mirrorDelayS,
  QUIET_MS,
  SAMPLE_MS,
  TICK_S,
  TIME,
  touch,
  warmup,
} from './options.ts';
import { measurePeers } from './peers.ts';
import { assertSound, printFigures } from './report.ts';

export async function main(): Promise<void> {
  if ((files + 2 * dirs) / 50_000 < 1.2) {
    throw new Error('--files: at least 60,000 (a walk must last over a second to be seen)');
  }
  if (!existsSync(TIME)) throw new Error(`${TIME} is needed (apt-get install time)`);
  const rsyncVersion = spawnSync('rsync', ['--version'], { encoding: 'utf8' });
  if (rsyncVersion.status !== 0) throw new Error('rsync is needed (apt-get install rsync)');

  const parent = dataParent();
  const work = mkdtempSync(join(parent, 'patrol-bench-ha-'));
  process.once('exit', () => {
    rmSync(work, { recursive: true, force: true });
  });
  const primaryDir = join(work, 'primary');
  const standbyDir = join(work, 'standby');
  const fsType = statfsSync(parent).type.toString(16);
  const leaves = leafDirs();

  let t = performance.now();
  const { bytes, dirCount } = generate(primaryDir, leaves);
  const genS = (performance.now() - t) / 1000;
  t = performance.now();
  const cp = spawnSync('cp', ['-a', primaryDir, standbyDir], { encoding: 'utf8' });
  if (cp.status !== 0) throw new Error(`cp -a failed: ${cp.stderr}`);
  console.log(
    `dataset: ${int(files)} files (${int(bytes)} bytes) in ${int(leaves.length)} leaf directories, ${int(dirCount)} directories in all, under ${work} (filesystem type 0x${fsType}); written in ${fmt(genS, 1)} s, copied with cp -a in ${fmt((performance.now() - t) / 1000, 1)} s`,
  );
  console.log(
    `cpus ${availableParallelism()}; CPU time is utime + stime (/proc, /usr/bin/time), not wall time: other work on this machine stretches the latter`,
  );

  // ---- peers, before any exporter runs ----
  const peers = await measurePeers(primaryDir, standbyDir, rsyncVersion);

  // ---- the exporters ----
  const secretFile = join(work, 'secret');
  writeFileSync(secretFile, `${'bench-secret-'.repeat(3)}\n`, { mode: 0o600 });
  const [pPort, sPort] = [await freePort(), await freePort()];
  const pConfig = join(work, 'primary.yml');
  const sConfig = join(work, 'standby.yml');
  writeFileSync(
    pConfig,
    config('primary', { name: 'standby', port: sPort }, primaryDir, secretFile),
  );
  writeFileSync(
    sConfig,
    config('standby', { name: 'primary', port: pPort }, standbyDir, secretFile),
  );
  let primary: Running | undefined;
  let standby: Running | undefined;
  const samplers: CpuSampler[] = [];
  let mirroring = true;
  let mirror: Promise<void> | undefined;
  try {
    primary = await startPatrol([
      `--config.file=${pConfig}`,
      `--web.listen-address=127.0.0.1:${pPort}`,
    ]);
    const ps = new CpuSampler(primary.proc.pid);
    samplers.push(ps);
    const pFirst = await firstCompare(primary, ps, 'patrol_replication_dataset_files');
    standby = await startPatrol([
      `--config.file=${sConfig}`,
      `--web.listen-address=127.0.0.1:${sPort}`,
    ]);
    const ss = new CpuSampler(standby.proc.pid);
    samplers.push(ss);
    const pBefore = ps.last.ticks;
    const sFirst = await firstCompare(
      standby,
      ss,
      'patrol_replication_last_compare_timestamp_seconds',
    );
    const pServedFirst = (ps.last.ticks - pBefore) * TICK_S;
    console.log(
      `first compare (JIT cold, a new walker thread, page cache warm), start-up included: primary ${fmt(pFirst.cpuS, 2)} s CPU (its walker thread ${fmt(pFirst.walkerS, 2)} s), then ${fmt(pServedFirst, 2)} s serving the standby's first compare; standby ${fmt(sFirst.cpuS, 2)} s CPU (its walker thread ${fmt(sFirst.walkerS, 2)} s)`,
    );

    // ---- steady state: a mirror with a delay ----
    let round = 0;
    const pick = () => {
      const out: string[] = [];
      for (let j = 0; j < touch; j++) {
        const leaf = leaves[(round * 37 + j * 101) % leaves.length] ?? '';
        const perDir = Math.floor(files / leaves.length);
        out.push(`${leaf}/f${String((round * 13 + j) % perDir).padStart(3, '0')}.dat`);
      }
      round++;
      return out;
    };
    let mirrorError: Error | undefined;
    mirror = (async () => {
      while (mirroring) {
        const changed = pick();
        for (const rel of changed) appendFileSync(join(primaryDir, rel), `changed ${round}\n`);
        await sleep(mirrorDelayS * 1000);
        const canary = existsSync(join(primaryDir, '.patrol-canary')) ? ['.patrol-canary'] : [];
        const r = spawnSync('cp', ['-a', '--parents', ...changed, ...canary, standbyDir], {
          cwd: primaryDir,
          encoding: 'utf8',
        });
        if (r.status !== 0) throw new Error(`cp -a --parents failed: ${r.stderr}`);
        for (
          let waited = 0;
          mirroring && waited < intervalS * 1000 - mirrorDelayS * 1000;
          waited += 200
        ) {
          await sleep(200);
        }
      }
    })().catch((err: unknown) => {
      mirrorError = err instanceof Error ? err : new Error(String(err));
    });
    const cycleMs = (intervalS + 10) * 1000;
    if (warmup > 0) {
      const from = ss.samples.length - 1;
      await ss.walks(from, warmup, cycleMs * (warmup + 1), 'warm-up');
    }
    const before = await scrape(standby);
    const pBody0 = await scrape(primary);
    // Start when both have been quiet for a while: no compare is cut in two.
    const startDeadline = performance.now() + cycleMs * 2;
    while (!(ps.quietFor(QUIET_MS) && ss.quietFor(QUIET_MS))) {
      if (performance.now() > startDeadline) throw new Error('the exporters are never quiet');
      await sleep(SAMPLE_MS);
    }
    const start = [ps.samples.length - 1, ss.samples.length - 1] as const;
    console.log(
      `steady state: ${touch} files changed on the primary every ${intervalS} s, copied to the standby ${mirrorDelayS} s later; measuring ${compares} compares of each side after ${warmup} warm-up compare(s)`,
    );
    const ends = await Promise.all(
      [ps, ss].map(async (s, i) => {
        const last = await s.walks(
          start[i] ?? 0,
          compares,
          cycleMs * (compares + 1),
          `window ${i}`,
        );
        const lastT = s.samples[last]?.t ?? 0;
        while (s.last.t - lastT < QUIET_MS || !s.quietFor(QUIET_MS / 2)) await sleep(SAMPLE_MS);
        return s.samples.length - 1;
      }),
    );
    mirroring = false;
    await mirror;
    if (mirrorError !== undefined) throw mirrorError;
    const pw = windowOf(ps, start[0], ends[0] ?? 0);
    const sw = windowOf(ss, start[1], ends[1] ?? 0);

    // ---- the run must be sound before any figure is printed ----
    const after = await scrape(standby);
    const pBody = await scrape(primary);
    const outcome = { before, after, pBody0, pBody, pw, sw, primary, standby };
    assertSound(outcome);
    printFigures(outcome, dirCount, peers);
  } finally {
    mirroring = false;
    await mirror;
    for (const s of samplers) s.stop();
    await stopAll(primary, standby);
    rmSync(work, { recursive: true, force: true });
  }
}
