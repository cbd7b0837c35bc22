import { parseInfo } from '../../../src/collectors/probes/resp.ts';
import { ready, redisCli, startRedis, type Server } from '../middleware.ts';
import type { Scope } from '../process.ts';
import { notYet, waitFor } from '../wait.ts';
import { linkRules, partitioner, requireIptables } from './iptables.ts';
import { childPid, freezer, newPassword, replicaSlot, respawn, secretFile } from './processes.ts';
import type { Pair } from './types.ts';

/** Primary and replica with `--requirepass`; the replica's link leaves from 127.0.0.2. */
export async function startRedisPair(scope: Scope): Promise<Pair> {
  await requireIptables();
  const password = newPassword();
  const passwordFile = await secretFile(scope, password);
  const common = ['--requirepass', password, '--repl-timeout', '10'];
  const primary = await startRedis(scope, common);
  const first = await startRedis(scope, [
    ...common,
    '--masterauth',
    password,
    '--replicaof',
    '127.0.0.1',
    String(primary.port),
    // The replica's connection to the primary alone comes from this address: cut by iptables.
    '--bind-source-addr',
    '127.0.0.2',
  ]);
  const replica = replicaSlot(scope, first, async (proc) => {
    await proc.terminate();
  });
  const link = partitioner(scope, linkRules('127.0.0.2', 'client', primary.port));
  const frozen = freezer(scope, () => childPid(primary.proc), false);
  const info = async (server: Server) =>
    Object.fromEntries(parseInfo(await redisCli(server.port, ['INFO', 'replication'], password)));
  const pair: Pair = {
    engine: 'redis',
    primary,
    get replica() {
      return replica.get();
    },
    primaryTarget: `127.0.0.1:${primary.port}`,
    replicaTarget: `127.0.0.1:${first.port}`,
    user: undefined,
    passwordFile,
    password,
    partition: link.partition,
    heal: link.heal,
    freezePrimary: frozen.freeze,
    thawPrimary: frozen.thaw,
    async stopReplica() {
      await replica.get().proc.terminate();
    },
    async startReplica() {
      if (replica.get().proc.running) return;
      const proc = respawn(replica.get().proc);
      replica.set(proc);
      await ready(proc, 'redis replica answering', () =>
        Promise.resolve(/Ready to accept connections/.test(proc.stdout)),
      );
    },
    replicaStatus: () => info(replica.get()),
    async waitReplicating(timeoutMs = 30_000) {
      const target = Number((await info(primary)).master_repl_offset);
      await waitFor(
        `redis replica link up at offset ${target}`,
        async () => {
          const s = await info(replica.get());
          return s.master_link_status === 'up' && Number(s.slave_repl_offset) >= target
            ? true
            : notYet(
                `master_link_status=${s.master_link_status} slave_repl_offset=${s.slave_repl_offset}`,
              );
        },
        { timeoutMs, context: () => replica.get().proc.describe() },
      );
    },
  };
  await pair.waitReplicating();
  return pair;
}
