import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/**
 * What the release build recorded beside package.json (scripts/release.ts): an installed copy
 * has no .git, and its user (patrol) could not read a checkout's anyway.
 */
function releaseRevision(): string | undefined {
  try {
    const info = JSON.parse(
      readFileSync(new URL('../build-info.json', import.meta.url), 'utf8'),
    ) as { revision?: unknown };
    return typeof info.revision === 'string' ? info.revision : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The git revision: PATROL_REVISION, else the release's build-info.json, else asked of git,
 * else "unknown".
 */
function revision(): string {
  if (process.env.PATROL_REVISION) return process.env.PATROL_REVISION;
  const released = releaseRevision();
  if (released !== undefined) return released;
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
