/**
 * Replication lag of a mirrored directory, end to end (pt-heartbeat's idea, for file systems):
 * the primary writes a canary file inside the dataset with its clock's time; the standby reads
 * its mirrored copy and reports now minus that time, with the primary's clock brought onto its
 * own through the offset the heartbeat measured. When the mirror stops, the copy stops changing
 * and the lag grows by a second per second: it is never 0 and never absent while replication
 * is broken (before any canary arrived, it counts from when the standby started looking).
 */
import { closeSync, fchmodSync, fstatSync, openSync, readFileSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorCode } from '../../core/errors.ts';
import { writeFileAtomic } from '../../core/fs.ts';
import type { DatasetConfig } from './config.ts';

export interface Canary {
  readonly cluster: string;
  /** The node that wrote it (the primary then). */
  readonly node: string;
  /** Canaries written since that node's exporter started. */
  readonly seq: number;
  /** The writer's clock when it wrote it, ms since the epoch. */
  readonly ts: number;
}

export function formatCanary(c: Canary): string {
  return `${JSON.stringify(c)}\n`;
}

/** A canary, or undefined for anything else (a half-shipped file, another program's). */
export function parseCanary(text: string): Canary | undefined {
  try {
    const v = JSON.parse(text) as Partial<Canary>;
    if (
      typeof v.cluster === 'string' &&
      typeof v.node === 'string' &&
      typeof v.seq === 'number' &&
      typeof v.ts === 'number' &&
      Number.isFinite(v.ts)
    ) {
      return v as Canary;
    }
  } catch {
    // not JSON: undefined below
  }
  return undefined;
}

/**
 * Lag of a canary seen now on the standby (all ms): `offset` is the writer's clock minus ours.
 * Never below 0: a canary from "the future" is a clock estimate off by a little.
 */
export function lagMs(nowMs: number, canaryTs: number, offsetMs: number): number {
  return Math.max(0, nowMs - (canaryTs - offsetMs));
}

export function canaryPath(d: DatasetConfig): string {
  return join(d.path, d.canary.file);
}

/**
 * The canary's mode whatever patrol's umask (UMask=0077 in deploy/patrol.service): the mirror
 * copies it with its owner and mode, and the standby's patrol, another uid perhaps, must read it.
 */
const CANARY_MODE = 0o644;

/**
 * Writes the canary the way the dataset says: rename (atomic: the mirror never ships half a
 * file) or in place (one write over the same inode, for mirror software that ships
 * modifications but not renames). Throws with the fs error.
 */
export function writeCanary(d: DatasetConfig, c: Canary): void {
  const path = canaryPath(d);
  const text = formatCanary(c);
  if (d.canary.mode === 'in_place') {
    const fd = openSync(path, 'w', CANARY_MODE);
    try {
      // Readable by all once, if patrol created it under its umask; a file someone else made
      // keeps the mode they gave it (chmod would fail: not its owner).
      const st = fstatSync(fd);
      if ((st.mode & 0o044) !== 0o044 && st.uid === process.getuid?.()) {
        fchmodSync(fd, CANARY_MODE);
      }
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    return;
  }
  // Its temporary file is named after the canary, so an include pattern that lets the canary
  // through lets it through too.
  writeFileAtomic(path, text, CANARY_MODE, { exactMode: true });
}

export type CanaryRead = Canary | 'missing' | 'unreadable';

/** The standby's copy: the canary, 'missing', or 'unreadable' (garbage, half a file, EIO). */
export function readCanary(d: DatasetConfig): CanaryRead {
  let text: string;
  try {
    text = readFileSync(canaryPath(d), 'utf8');
  } catch (err) {
    return errorCode(err) === 'ENOENT' ? 'missing' : 'unreadable';
  }
  return parseCanary(text) ?? 'unreadable';
}

/** readCanary without blocking (at scrape time; the runner's timeout bounds a hung mount). */
export async function readCanaryNow(d: DatasetConfig): Promise<CanaryRead> {
  let text: string;
  try {
    text = await readFile(canaryPath(d), 'utf8');
  } catch (err) {
    return errorCode(err) === 'ENOENT' ? 'missing' : 'unreadable';
  }
  return parseCanary(text) ?? 'unreadable';
}
