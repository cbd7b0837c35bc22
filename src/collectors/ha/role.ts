import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import type { RoleConfig } from './config.ts';
import type { Role } from './heartbeat.ts';

/** Words HA software writes for the two roles (RoseMirrorHA, keepalived, Pacemaker, DRBD). */
export function roleFromText(text: string): Role {
  const word = text.trim().toLowerCase();
  if (['primary', 'master', 'active', 'main'].includes(word)) return 'primary';
  if (['standby', 'secondary', 'slave', 'backup', 'passive'].includes(word)) return 'standby';
  return 'unknown';
}

/** Whether a local interface holds `address` (the virtual IP follows the primary). */
export function holdsAddress(
  address: string,
  interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces(),
): boolean {
  const want = address.toLowerCase();
  return Object.values(interfaces).some((list) =>
    (list ?? []).some((i) => i.address.toLowerCase() === want),
  );
}

function runCommand(argv: readonly string[], timeoutMs: number): Promise<Role> {
  const [cmd = '', ...args] = argv;
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 }, (err, stdout) => {
      const out = roleFromText(stdout);
      if (err === null) {
        resolve(out === 'unknown' ? 'primary' : out);
        return;
      }
      // Exit 1 with no role word: standby. Anything else (timeout, not found, other codes):
      // unknown, never a guess.
      const code = (err as { code?: unknown }).code;
      resolve(out !== 'unknown' ? out : code === 1 ? 'standby' : 'unknown');
    });
  });
}

/** This node's role now, per the configuration; errors make it unknown. */
export async function detectRole(cfg: RoleConfig | undefined): Promise<Role> {
  if (cfg === undefined) return 'unknown';
  switch (cfg.source) {
    case 'static':
      return cfg.value;
    case 'vip':
      return holdsAddress(cfg.address) ? 'primary' : 'standby';
    case 'file':
      return readFile(cfg.path, 'utf8').then(roleFromText, () => 'unknown' as const);
    case 'command':
      return runCommand(cfg.command, cfg.timeout);
  }
}
