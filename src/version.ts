import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** The git revision: PATROL_REVISION (set by packaging), else asked of git, else "unknown". */
function revision(): string {
  if (process.env.PATROL_REVISION) return process.env.PATROL_REVISION;
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
      cwd: new URL('..', import.meta.url),
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 2000,
    })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
}

export const buildInfo = {
  version: pkg.version,
  revision: revision(),
  nodejs_version: process.version,
} as const;
