/**
 * bench/systemd.ts, the set-up: cleanups, the manager's units, node_exporter inside the
 * manager's namespace, and the emergency kill of everything in that namespace.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { freePort } from '../../test/harness/http.ts';
import type { Scope } from '../../test/harness/process.ts';
import type { SystemdManager } from '../../test/harness/systemd.ts';
import { NODE_EXPORTER, Proc, waitUntilAnswers, type Running } from '../lib/peers.ts';
import { BATCH, units } from './options.ts';

/** Cleanups run in reverse order at the end, each one even if another failed. */
export class Cleanups implements Scope {
  readonly #fns: (() => Promise<void>)[] = [];
  after(fn: () => Promise<void>): void {
    this.#fns.push(fn);
  }
  async run(): Promise<void> {
    for (const fn of this.#fns.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        process.stderr.write(
          `cleanup failed: ${err instanceof Error ? err.message : String(err)}\n`,
        );
      }
    }
  }
}

/**
 * bench/lib/peers.ts exits at once on SIGINT/SIGTERM, and the harness only SIGKILLs its own
 * children on exit: the bus daemon the manager started would outlive us. This kills every
 * process in the namespace, synchronously, whatever way the benchmark ends.
 */
export function killNamespaceSync(holderPid: number): void {
  let ns: string;
  try {
    ns = readlinkSync(`/proc/${holderPid}/ns/mnt`);
  } catch {
    return;
  }
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readlinkSync(`/proc/${pid}/ns/mnt`) === ns) process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

export async function loadUnits(manager: SystemdManager): Promise<{ all: number; bench: number }> {
  await manager.writeUnit(
    'bench@.service',
    '[Unit]\nDescription=patrol benchmark unit %i\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n',
  );
  for (let first = 1; first <= units; first += BATCH) {
    const names: string[] = [];
    for (let i = first; i < first + BATCH && i <= units; i++) names.push(`bench@${i}.service`);
    await manager.systemctl(['start', ...names]);
  }
  const r = await manager.systemctl([
    'list-units',
    '--all',
    '--no-legend',
    '--plain',
    '--no-pager',
  ]);
  const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
  const bench = lines.filter((l) => /^bench@\d+\.service\s+loaded\s+active\s+exited/.test(l));
  return { all: lines.length, bench: bench.length };
}

/** node_exporter inside the manager's namespace, on the manager's private socket. */
export async function startNodeExporterInNamespace(manager: SystemdManager): Promise<Running> {
  const port = await freePort();
  const args = [
    '--collector.disable-defaults',
    '--collector.systemd',
    '--collector.systemd.private',
    `--web.listen-address=127.0.0.1:${port}`,
  ];
  const script = [
    'set -e',
    'touch /run/systemd/private',
    `mount --bind '${manager.runtimeDir}/systemd/private' /run/systemd/private`,
    `exec ${[NODE_EXPORTER, ...args].map((a) => `'${a}'`).join(' ')}`,
  ].join('\n');
  // nsenter enters a mount namespace without forking, and sh execs: the pid is node_exporter's.
  const proc = new Proc('node_exporter', 'nsenter', [
    '-t',
    String(manager.holderPid),
    '-m',
    '--',
    'sh',
    '-c',
    script,
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilAnswers(proc, `${url}/metrics`);
  return { proc, url };
}
