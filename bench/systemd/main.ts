/**
 * bench/systemd.ts, main: the manager with its units, the three exporters, the timed rounds, then
 * the proof. The header of bench/systemd.ts says how.
 */
import { readlink, realpath, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { onlyCollectors } from '../../test/harness/config.ts';
import { startSystemd } from '../../test/harness/systemd.ts';
import { tempDir } from '../../test/harness/tmp.ts';
import {
  fmt,
  get,
  median,
  NODE,
  NODE_EXPORTER,
  quantile,
  startPatrol,
  type Running,
} from '../lib/peers.ts';
import { GOAL_RATIO, headers, proofScrapes, rounds, units, warmup } from './options.ts';
import { busNames, connectCalls, connectionsTo, serverConnections } from './proof.ts';
import { contents, scrape, summary, waitForPatrolSync, type Target } from './scrape.ts';
import { Cleanups, killNamespaceSync, loadUnits, startNodeExporterInNamespace } from './setup.ts';

export async function main(): Promise<void> {
  const scope = new Cleanups();
  const agents: http.Agent[] = [];
  let holderPid: number | undefined;
  const emergency = () => {
    if (holderPid !== undefined) killNamespaceSync(holderPid);
  };
  process.prependOnceListener('SIGINT', emergency);
  process.prependOnceListener('SIGTERM', emergency);
  process.once('exit', emergency);
  try {
    const dir = await tempDir(scope, 'patrol-bench-systemd-');
    const started = performance.now();
    const manager = await startSystemd(scope);
    holderPid = manager.holderPid;
    const loaded = await loadUnits(manager);
    if (loaded.all < units || loaded.bench !== units) {
      throw new Error(
        `expected ${units} bench units active and >= ${units} units listed, got ${loaded.bench} and ${loaded.all}`,
      );
    }
    const systemdVersion = (await manager.systemctl(['--version'])).stdout.split('\n')[0];
    console.log(
      `systemd: ${systemdVersion}; ${loaded.all} units listed by \`systemctl --user list-units --all\` (${loaded.bench} bench@N.service active), set up in ${fmt((performance.now() - started) / 1000, 1)} s`,
    );

    const patrolConfig = async (file: string, bus: string) => {
      const path = join(dir, file);
      // Only the systemd collector (YAML is a superset of JSON).
      await writeFile(path, JSON.stringify(onlyCollectors({ systemd: { bus } }), null, 2));
      return path;
    };
    const privateConfig = await patrolConfig('private.yml', manager.privateAddress);
    const busConfig = await patrolConfig('bus.yml', manager.busAddress);

    const stop = (r: Running) => {
      scope.after(() => r.proc.stop());
    };
    const nodeExporter = await startNodeExporterInNamespace(manager);
    stop(nodeExporter);
    const patrolPrivate = await startPatrol([`--config.file=${privateConfig}`]);
    stop(patrolPrivate);
    const patrolBus = await startPatrol([`--config.file=${busConfig}`]);
    stop(patrolBus);

    // The processes measured are the exporters themselves, not nsenter, sh or npm.
    const nodeExe = await realpath(NODE);
    for (const [r, exe] of [
      [nodeExporter, await realpath(NODE_EXPORTER)],
      [patrolPrivate, nodeExe],
      [patrolBus, nodeExe],
    ] as const) {
      const actual = await readlink(`/proc/${r.proc.pid}/exe`);
      if (actual !== exe)
        throw new Error(`${r.proc.name} pid ${r.proc.pid} runs ${actual}, not ${exe}`);
    }

    const target = (name: string, running: Running): Target => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      agents.push(agent);
      return { name, running, agent, samples: [], bytes: 0, body: '' };
    };
    const ne = target('node_exporter', nodeExporter);
    const pp = target('patrol (private socket)', patrolPrivate);
    const pb = target('patrol (session bus)', patrolBus);
    await waitForPatrolSync(pp, loaded.all);
    await waitForPatrolSync(pb, loaded.all);

    console.log(
      `systemd scrape: ${rounds} rounds after ${warmup} warm-up requests each, keep-alive, ${headers['accept-encoding'] === undefined ? 'uncompressed' : 'gzip'}; node_exporter pid ${nodeExporter.proc.pid}, patrol pids ${patrolPrivate.proc.pid} (private socket), ${patrolBus.proc.pid} (session bus)`,
    );
    const targets = [ne, pp, pb];
    for (let i = 0; i < warmup; i++) for (const t of targets) await scrape(t);
    const orders = [
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
      [1, 0, 2],
      [0, 2, 1],
    ];
    for (let i = 0; i < rounds; i++) {
      for (const k of orders[i % orders.length] ?? []) {
        const t = targets[k] as Target;
        t.samples.push(await scrape(t));
      }
    }

    // What each one reported (from its last, uncompressed, body).
    if (headers['accept-encoding'] !== undefined) {
      for (const t of targets) t.body = (await get(`${t.running.url}/metrics`, t.agent)).body;
    }
    const neC = contents(ne.body, 'node');
    const ppC = contents(pp.body, 'patrol');
    const pbC = contents(pb.body, 'patrol');
    const onlyNe = [...neC.names].filter((n) => !ppC.names.has(n));
    const onlyP = [...ppC.names].filter((n) => !neC.names.has(n));
    for (const [t, c] of [
      [ne, neC],
      [pp, ppC],
      [pb, pbC],
    ] as const) {
      console.log(
        `${t.name}: ${c.total} series (${c.systemd} systemd), ${c.unitState} unit_state series for ${c.names.size} units, ${c.benchActive} bench units active; families: ${c.families.join(' ')}`,
      );
    }
    console.log(
      `units reported by node_exporter only: ${onlyNe.length} (${onlyNe.slice(0, 8).join(' ')}); by patrol only: ${onlyP.length} (${onlyP.slice(0, 8).join(' ')})`,
    );
    for (const c of [neC, ppC, pbC]) {
      if (c.benchActive !== units)
        throw new Error(`an exporter reports ${c.benchActive} bench units active, not ${units}`);
    }

    for (const t of targets) console.log(await summary(t));
    const paired = pp.samples.map((x, i) => x / (ne.samples[i] ?? NaN));
    console.log(
      `per-round ratio patrol (private)/node_exporter: median ${fmt(median(paired))}, p10 ${fmt(quantile(paired, 0.1))}, p90 ${fmt(quantile(paired, 0.9))}`,
    );
    const busRatio = median(pb.samples) / median(ne.samples);
    console.log(`patrol (session bus)/node_exporter: ratio of medians ${fmt(busRatio)}`);

    // ---- proof: no new connection per scrape ----
    const privatePath = manager.privateAddress.replace(/^unix:path=/, '');
    const busPath = manager.busAddress.replace(/^unix:path=/, '');
    const proof = async (t: Target, path: string) => {
      const pid = t.running.proc.pid;
      const before = await connectionsTo(pid, path);
      const serverBefore = await serverConnections(path);
      const connects = await connectCalls(pid, dir, async () => {
        for (let i = 0; i < proofScrapes; i++) await scrape(t);
      });
      const after = await connectionsTo(pid, path);
      const serverAfter = await serverConnections(path);
      const same = before.length === after.length && before.every((c, i) => c === after[i]);
      const paths = [
        ...new Set(connects.map((l) => /sun_path="([^"]*)"/.exec(l)?.[1] ?? 'not a unix socket')),
      ];
      console.log(
        `${t.name}: ${proofScrapes} scrapes made ${connects.length} connect() calls${paths.length > 0 ? ` (to ${paths.join(', ')})` : ''}; its connections to ${path}: ${before.length} before [${before.join(', ')}], ${after.length} after${same ? ' (the same sockets)' : ` [${after.join(', ')}]`}; connections open on that socket, server side: ${serverBefore} before, ${serverAfter} after`,
      );
      return { connects: connects.length, same, before: before.length };
    };
    const proofNe = await proof(ne, privatePath);
    const proofPp = await proof(pp, privatePath);
    const namesBefore = await busNames(manager.busAddress);
    const proofPb = await proof(pb, busPath);
    const namesAfter = await busNames(manager.busAddress);
    const pbPid = patrolBus.proc.pid;
    console.log(
      `session bus: patrol's unique name ${namesBefore.byPid.get(pbPid)?.join(',') ?? 'none'} before, ${namesAfter.byPid.get(pbPid)?.join(',') ?? 'none'} after; highest unique name handed out :1.${namesBefore.maxSerial} before, :1.${namesAfter.maxSerial} after (+1 is busctl's own connection)`,
    );
    const patrolKeeps =
      proofPp.connects === 0 &&
      proofPb.connects === 0 &&
      proofPp.same &&
      proofPb.same &&
      proofPp.before === 1 &&
      proofPb.before === 1 &&
      namesBefore.byPid.get(pbPid)?.join() === namesAfter.byPid.get(pbPid)?.join() &&
      namesAfter.maxSerial - namesBefore.maxSerial === 1;

    const ratio = median(pp.samples) / median(ne.samples);
    console.log(
      `systemd (${units} units): patrol median ${fmt(median(pp.samples))} ms p90 ${fmt(quantile(pp.samples, 0.9))} ms (session bus ${fmt(median(pb.samples))} ms), node_exporter median ${fmt(median(ne.samples))} ms p90 ${fmt(quantile(ne.samples, 0.9))} ms, ratio ${fmt(ratio)} (goal <= ${GOAL_RATIO}${ratio <= GOAL_RATIO ? ', met' : ', MISSED'}); connect() calls in ${proofScrapes} scrapes: patrol ${proofPp.connects} (private) and ${proofPb.connects} (bus), node_exporter ${proofNe.connects} (goal: none, ${patrolKeeps ? 'met' : 'MISSED'})`,
    );
  } finally {
    for (const a of agents) a.destroy();
    await scope.run();
    process.removeListener('exit', emergency);
  }
}
