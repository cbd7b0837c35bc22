import { readFileSync, statSync } from 'node:fs';
import { errorCode } from './errors.ts';

/** A secret file that cannot be used; the message names the path and what to do. */
export class SecretFileError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SecretFileError';
  }
}

/**
 * Reads a secret (a password, a token, a shared key) from a file, refusing what would leak or
 * cannot work: a file anyone may read, an empty one, a directory. Trailing whitespace (the
 * newline an editor adds) is not part of the secret. Synchronous: config validation and a
 * collector's start read it once.
 */
export function readSecretFile(path: string, minLength = 1): string {
  let text: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new SecretFileError(`${path}: not a regular file`);
    if ((st.mode & 0o004) !== 0) {
      throw new SecretFileError(
        `${path}: readable by every user (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}); run chmod o-r ${path}`,
      );
    }
    text = readFileSync(path, 'utf8').replace(/\s+$/, '');
  } catch (err) {
    if (err instanceof SecretFileError) throw err;
    const code = errorCode(err);
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? "patrol's user may not read it"
          : (err as Error).message;
    throw new SecretFileError(`${path}: ${why}`, { cause: err });
  }
  if (text.length === 0) throw new SecretFileError(`${path}: empty`);
  if (text.length < minLength) {
    throw new SecretFileError(`${path}: the secret must be at least ${minLength} characters`);
  }
  return text;
}
