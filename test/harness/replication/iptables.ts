import { spawnSync } from 'node:child_process';
import { requireRoot } from '../middleware.ts';
import { run, type Scope } from '../process.ts';

/*
 * The iptables rules that cut one replication link (partition) and delete it again (heal), each
 * marked with this process' comment (see ./types.ts).
 */

const COMMENT = `patrol-test-${process.pid}`;

/** Rules inserted and not deleted yet, deleted synchronously if the process exits first. */
const liveRules = new Set<readonly string[]>();
process.once('exit', () => {
  for (const rule of liveRules) spawnSync('iptables', ['-w', '5', '-D', ...rule]);
});

let iptablesChecked: Promise<void> | undefined;

/** Fails early, and clearly, where partition() could not work. */
export function requireIptables(): Promise<void> {
  iptablesChecked ??= (async () => {
    requireRoot('A replicated pair');
    const r = await run('iptables', ['-w', '5', '-S'], { timeoutMs: 20_000 }).catch(
      (err: unknown) => ({ code: -1, stderr: String(err) }),
    );
    if (r.code !== 0)
      throw new Error(
        `iptables -S failed (${r.stderr.trim()}): partition() needs iptables (apt-get install iptables) and root in a kernel with netfilter`,
      );
  })();
  return iptablesChecked;
}

/**
 * DROP rules on loopback's INPUT for one replication link. Both directions are cut, so that no
 * segment already in flight is still delivered (the replica's ACKs alone being dropped lets
 * the primary's current window through).
 */
export function linkRules(address: string, side: 'client' | 'server', port: number): string[][] {
  const toPrimary = side === 'client' ? ['-s', address] : ['-d', address];
  const fromPrimary = side === 'client' ? ['-d', address] : ['-s', address];
  const tail = ['-m', 'comment', '--comment', COMMENT, '-j', 'DROP'];
  return [
    ['INPUT', '-i', 'lo', ...toPrimary, '-p', 'tcp', '--dport', String(port), ...tail],
    ['INPUT', '-i', 'lo', ...fromPrimary, '-p', 'tcp', '--sport', String(port), ...tail],
  ];
}

async function iptables(op: '-I' | '-D', rule: readonly string[]): Promise<void> {
  const r = await run('iptables', ['-w', '5', op, ...rule], { timeoutMs: 20_000 });
  if (r.code === 0) return;
  // A rule someone else deleted already (scripts/down.sh, by its comment) is healed too.
  if (op === '-D' && (await run('iptables', ['-w', '5', '-C', ...rule])).code !== 0) return;
  throw new Error(`iptables ${op} ${rule.join(' ')}: ${r.stderr}`);
}

export function partitioner(scope: Scope, rules: readonly (readonly string[])[]) {
  const added: (readonly string[])[] = [];
  const heal = async () => {
    while (added.length > 0) {
      const rule = added[added.length - 1];
      if (rule === undefined) break;
      await iptables('-D', rule);
      added.pop();
      liveRules.delete(rule);
    }
  };
  scope.after(heal);
  return {
    partition: async () => {
      if (added.length > 0) return;
      for (const rule of rules) {
        await iptables('-I', rule);
        added.push(rule);
        liveRules.add(rule);
      }
    },
    heal,
  };
}
