import { createHash } from 'node:crypto';
import { readFileSync, renameSync } from 'node:fs';
import { writeFileAtomic } from '../../core/fs.ts';
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

/** Where one file was read to. */
export interface FilePosition {
  source: string;
  path: string;
  /** st_dev and st_ino as decimal strings: inode numbers may exceed 2^53. */
  dev: string;
  ino: string;
  /** sha256 (hex) of the first `fpLen` bytes. */
  fp: string;
  fpLen: number;
  offset: number;
  /** For formats whose multi-line events repeat a prefix: the key of the event being read. */
  eventKey?: string;
  /** Unix seconds of the save that wrote this entry. */
  updated: number;
}

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
  return checkDocument(raw);
}

// Checked by hand, not with zod: this runs in the log worker thread, where loading zod would
// cost about 11 MiB of resident memory for a dozen field checks.
const DIGITS = /^\d+$/;
const SHA256 = /^[0-9a-f]{64}$/;
const KEYS = new Set([
  'source',
  'path',
  'dev',
  'ino',
  'fp',
  'fpLen',
  'offset',
  'eventKey',
  'updated',
]);

function checkDocument(raw: unknown): Positions {
  const fail = (where: string, what: string): never => {
    throw new Error(`not a positions file: ${where}: ${what}`);
  };
  if (!isRecord(raw)) return fail('(top)', 'expected an object');
  for (const key of Object.keys(raw)) {
    if (!['version', 'sources', 'files'].includes(key)) fail(key, 'unknown key');
  }
  if (raw.version !== 1) fail('version', `expected 1, got ${JSON.stringify(raw.version)}`);
  const sources = raw.sources ?? [];
  if (!Array.isArray(sources) || !sources.every((x) => typeof x === 'string')) {
    fail('sources', 'expected a list of names');
  }
  if (!Array.isArray(raw.files)) return fail('files', 'expected a list');
  const files = raw.files.map((f: unknown, i): FilePosition => {
    const at = (k: string) => `files.${i}.${k}`;
    if (!isRecord(f)) return fail(`files.${i}`, 'expected an object');
    for (const key of Object.keys(f)) if (!KEYS.has(key)) fail(at(key), 'unknown key');
    const str = (k: string, re?: RegExp): string => {
      const v = f[k];
      if (typeof v !== 'string' || (re !== undefined && !re.test(v))) fail(at(k), 'invalid');
      return v as string;
    };
    const int = (k: string, max = Number.MAX_SAFE_INTEGER): number => {
      const v = f[k];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) fail(at(k), 'invalid');
      return v as number;
    };
    if (typeof f.updated !== 'number' || !Number.isFinite(f.updated))
      fail(at('updated'), 'invalid');
    const eventKey = f.eventKey === undefined ? undefined : str('eventKey');
    return {
      source: str('source'),
      path: str('path'),
      dev: str('dev', DIGITS),
      ino: str('ino', DIGITS),
      fp: str('fp', SHA256),
      fpLen: int('fpLen', FINGERPRINT_BYTES),
      offset: int('offset'),
      ...(eventKey === undefined ? {} : { eventKey }),
      updated: f.updated as number,
    };
  });
  return { files, sources: sources as string[] };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
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
  writeFileAtomic(path, serialize(positions.files, positions.sources));
}
