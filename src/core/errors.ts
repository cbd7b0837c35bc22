import { inspect } from 'node:util';

/** Error message including its causes, for a single log line at the boundary. */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur !== undefined && depth < 5; depth++) {
    if (cur instanceof Error) {
      parts.push(cur.message);
      cur = cur.cause;
    } else {
      parts.push(typeof cur === 'string' ? cur : inspect(cur, { depth: 2, breakLength: Infinity }));
      break;
    }
  }
  return parts.join(': ');
}

/** Node's errno code (ENOENT, EACCES, ...) when there is one. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') {
    return err.code;
  }
  return undefined;
}
