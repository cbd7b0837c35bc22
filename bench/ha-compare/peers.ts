/**
 * bench/ha-compare.ts, the peers, measured while nothing else of the benchmark runs: rsync's dry
 * run, find over each copy (the floor), and patrol's own walk in this process (context).
 */
import { spawn, type SpawnSyncReturns } from 'node:child_process';
import { walkDataset, type DatasetFilter } from '../../src/collectors/ha/manifest.ts';
import { fmt, median } from '../lib/peers.ts';
import { files, passes, TIME } from './options.ts';

const MARK = 'patrol-bench-rusage';

interface Timed {
  cpuS: number;
  wallS: number;
  maxRssKiB: number;
  stdout: string;
}

/** Runs `argv` through /usr/bin/time: CPU time (user + system, children included) and peak RSS. */
function timed(argv: readonly string[], keepStdout: boolean): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(TIME, ['-f', `${MARK} %U %S %M`, ...argv], {
      stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => {
      const wallS = (performance.now() - t0) / 1000;
      const m = new RegExp(`^${MARK} ([\\d.]+) ([\\d.]+) (\\d+)$`, 'm').exec(stderr);
      if (code !== 0 || m === null) {
        reject(new Error(`${argv.join(' ')} exited ${code}: ${stderr.slice(0, 2000)}`));
        return;
      }
      resolve({
        cpuS: Number(m[1]) + Number(m[2]),
        wallS,
        maxRssKiB: Number(m[3]),
        stdout,
      });
    });
  });
}

export interface PeerFigures {
  /** Median CPU time in seconds: rsync -an over both copies, find over both, walkDataset over both. */
  rsyncCpu: number;
  findCpu: number;
  inProcessCpu: number;
}

/** Each peer once untimed, then `passes` times; rsync must list no difference. */
export async function measurePeers(
  primaryDir: string,
  standbyDir: string,
  rsyncVersion: SpawnSyncReturns<string>,
): Promise<PeerFigures> {
  const rsyncArgs = [
    'rsync',
    '-an',
    '--delete',
    '--itemize-changes',
    `${primaryDir}/`,
    `${standbyDir}/`,
  ];
  const findArgs = (dir: string) => ['find', dir, '-printf', '%P %s %T@\\n'];
  const warm = await timed(rsyncArgs, true);
  if (warm.stdout.trim() !== '') {
    throw new Error(`rsync sees differences between the copies:\n${warm.stdout.slice(0, 2000)}`);
  }
  await timed(findArgs(primaryDir), false);
  const rsyncRuns: Timed[] = [];
  const findRuns: number[] = [];
  for (let i = 0; i < passes; i++) {
    const r = await timed(rsyncArgs, true);
    if (r.stdout.trim() !== '')
      throw new Error(`rsync sees differences:\n${r.stdout.slice(0, 2000)}`);
    rsyncRuns.push(r);
    const a = await timed(findArgs(primaryDir), false);
    const b = await timed(findArgs(standbyDir), false);
    findRuns.push(a.cpuS + b.cpuS);
  }
  const rsyncCpu = median(rsyncRuns.map((r) => r.cpuS));
  const findCpu = median(findRuns);
  console.log(
    `${rsyncVersion.stdout.split('\n')[0] ?? 'rsync'}: \`${rsyncArgs.join(' ')}\` lists no difference; CPU ${rsyncRuns.map((r) => fmt(r.cpuS, 2)).join(' ')} s (median ${fmt(rsyncCpu, 2)}), wall ${rsyncRuns.map((r) => fmt(r.wallS, 2)).join(' ')} s, peak RSS ${fmt(Math.max(...rsyncRuns.map((r) => r.maxRssKiB)) / 1024, 1)} MiB`,
  );
  console.log(
    `find -printf over both copies (floor: one walk of each side): CPU ${findRuns.map((x) => fmt(x, 2)).join(' ')} s (median ${fmt(findCpu, 2)})`,
  );

  // patrol's walk itself, in this process: JIT warm, no budget, no worker thread.
  const filter: DatasetFilter = {
    include: [],
    exclude: [],
    canary: '.patrol-canary',
    mtimeResolution: 'ns',
  };
  const walkCpu = () => {
    const c0 = process.cpuUsage();
    for (const root of [primaryDir, standbyDir]) {
      const o = walkDataset(root, filter, {
        rate: 0,
        sleep: () => true,
      });
      if (o.kind !== 'done' || o.result.files !== files) {
        throw new Error(`walkDataset(${root}): ${JSON.stringify(o).slice(0, 300)}`);
      }
    }
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1e6;
  };
  walkCpu();
  const inProcess: number[] = [];
  for (let i = 0; i < passes; i++) inProcess.push(walkCpu());
  const inProcessCpu = median(inProcess);
  console.log(
    `patrol's walk (walkDataset) of both copies in this process, JIT warm, no budget, no worker thread: CPU ${inProcess.map((x) => fmt(x, 2)).join(' ')} s (median ${fmt(inProcessCpu, 2)})`,
  );
  return { rsyncCpu, findCpu, inProcessCpu };
}
