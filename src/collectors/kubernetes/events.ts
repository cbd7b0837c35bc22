/**
 * A watch answer is a stream of JSON objects, one per line ({"type": ..., "object": ...}),
 * arriving in chunks that cut lines anywhere. Pure: chunks in, events out.
 */
import { num, obj, str, type Json } from './json.ts';

export type WatchEvent =
  | {
      readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
      readonly object: unknown;
      readonly rv: string | undefined;
    }
  /** The server's "nothing for you, but you are up to date as of rv" (allowWatchBookmarks). */
  | { readonly type: 'BOOKMARK'; readonly rv: string | undefined }
  /** A Status: code 410 means the resourceVersion asked for is gone (compacted). */
  | { readonly type: 'ERROR'; readonly code: number | undefined; readonly reason: string }
  /** A line that is not an event: counted and skipped. */
  | { readonly type: 'GARBAGE'; readonly line: string };

/** The longest line kept: a pod is a few KiB; a line past this is garbage, not memory. */
export const MAX_EVENT_BYTES = 16 * 1024 * 1024;

export class EventSplitter {
  #partial = '';
  #skipping = false;

  /** The complete events in `chunk` (and what earlier chunks left unfinished). */
  push(chunk: Buffer | string): WatchEvent[] {
    const text = this.#partial + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    const lines = text.split('\n');
    this.#partial = lines.pop() ?? '';
    const out: WatchEvent[] = [];
    for (const line of lines) {
      if (this.#skipping) {
        this.#skipping = false; // the end of an oversized line
        continue;
      }
      if (line.trim() !== '') out.push(parseEvent(line));
    }
    if (this.#partial.length > MAX_EVENT_BYTES) {
      out.push({
        type: 'GARBAGE',
        line: `${this.#partial.slice(0, 80)}… (over ${MAX_EVENT_BYTES} bytes)`,
      });
      this.#partial = '';
      this.#skipping = true;
    }
    return out;
  }
}

export function parseEvent(line: string): WatchEvent {
  let doc: Json | undefined;
  try {
    doc = obj(JSON.parse(line));
  } catch {
    doc = undefined;
  }
  const type = str(doc?.type);
  const object = doc?.object;
  const rv = str(obj(obj(object)?.metadata)?.resourceVersion);
  switch (type) {
    case 'ADDED':
    case 'MODIFIED':
    case 'DELETED':
      if (obj(object) === undefined) break;
      return { type, object, rv };
    case 'BOOKMARK':
      return { type, rv };
    case 'ERROR': {
      const status = obj(object);
      return {
        type,
        code: num(status?.code),
        reason: str(status?.reason) ?? str(status?.message) ?? 'unknown',
      };
    }
    default:
  }
  return { type: 'GARBAGE', line: line.slice(0, 200) };
}
