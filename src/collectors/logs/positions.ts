import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { describeError, errorCode } from '../../core/errors.ts';

/**
 * Where each followed file was read to, kept across restarts (issue 5's log collector). A file
 * is known by its device and inode *and* a fingerprint of its first bytes: an inode alone is
 * reused after a delete and create (filebeat's and fluent-bit's lost lines), a fingerprint alone
 * confuses files with the same header (Vector's). The offset is the end of the last line whose
 * count was applied, never inside a line, so a restart neither counts a line twice nor skips one.
 */

/** Bytes of a file's start that identify it (fewer while the file is shorter). */
export const FINGERPRINT_BYTES = 1024;

const position = z.strictObject({
  source: z.string(),
  path: z.string(),
  /** st_dev and st_ino as decimal strings: inode numbers may exceed 2^53. */
  dev: z.string().regex(/^\d+$/),
  ino: z.string().regex(/^\d+$/),
  /** sha256 (hex) of the first `fpLen` bytes. */
  fp: z.string().regex(/^[0-9a-f]{64}$/),
  fpLen: z.int().min(0).max(FINGERPRINT_BYTES),
  offset: z.int().min(0),
  /** For formats whose multi-line events repeat a prefix: the key of the event being read. */
  eventKey: z.string().optional(),
  /** Unix seconds of the last save that changed this entry. */
  updated: z.number(),
});
export type FilePosition = z.output<typeof position>;

const document = z.strictObject({
  version: z.literal(1),
  /**
   * Sources running when this was saved. A source not listed is new: the files it finds start
   * at its start_at; a listed source's unknown files appeared since and start at 0.
   */
  sources: z.array(z.string()).default([]),
  files: z.array(position),
});

export interface Positions {
  readonly files: FilePosition[];
  readonly sources: string[];
}

/** sha256 of a file's first bytes (pass at most FINGERPRINT_BYTES of them). */
export function fingerprint(head: Buffer): string {
  return createHash('sha256').update(head).digest('hex');
}

export function serialize(files: readonly FilePosition[], sources: readonly string[] = []): string {
  return `${JSON.stringify({ version: 1, sources, files }, null, 1)}\n`;
}

/** Parses a positions file; throws with the reason on anything that is not one. */
export function parsePositions(text: string): Positions {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`not JSON: ${describeError(err)}`, { cause: err });
  }
  const result = document.safeParse(raw);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new Error(
      `not a positions file: ${first === undefined ? 'invalid' : `${first.path.join('.') || '(top)'}: ${first.message}`}`,
    );
  }
  return { files: result.data.files, sources: result.data.sources };
}

export interface Loaded extends Positions {
  /** Set when a file was there but unusable: it was moved aside to `<path>.corrupt`. */
  readonly problem?: string;
}

/**
 * Reads the positions file. None yet: no positions. One that cannot be read as positions is
 * moved aside (kept for a human, not overwritten) and reported, and reading starts afresh per
 * each source's start_at: a bad positions file must never stop the exporter.
 */
export function loadPositions(path: string): Loaded {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return { files: [], sources: [] };
    return { files: [], sources: [], problem: `cannot read ${path}: ${describeError(err)}` };
  }
  try {
    return parsePositions(text);
  } catch (err) {
    const aside = `${path}.corrupt`;
    try {
      renameSync(path, aside);
    } catch {
      // Reported below either way; the next save replaces it.
    }
    return { files: [], sources: [], problem: `${path}: ${describeError(err)}; moved to ${aside}` };
  }
}

/**
 * Writes the positions atomically and durably: a temporary file, fsync, rename over the old
 * one, fsync of the directory (without it the rename itself may not survive a power cut).
 * Synchronous: it runs in the reading thread between reads, and a half-done save must not
 * interleave with the next one.
 */
export function savePositions(path: string, positions: Positions): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, serialize(positions.files, positions.sources));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
