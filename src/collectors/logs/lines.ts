/**
 * Splits the bytes of a growing file into lines (issue 5's log collector reads files with it).
 * Pure and byte-level: a chunk may end in the middle of a line or of a UTF-8 sequence, lines
 * may hold invalid UTF-8 or binary garbage, and a line may never end. Decoding is the caller's
 * business; here a line is bytes up to "\n" (a "\r" before it is dropped).
 *
 * The offset that may be persisted is `committed`: the end of the last complete line, so a
 * restart resumes at a line start and never counts half a line twice.
 */
export class LineSplitter {
  readonly maxLineBytes: number;
  /** Bytes of the file up to the end of the last complete (or discarded) line. */
  committed: number;
  /** The start of an unfinished line, at most maxLineBytes of it. */
  #head: Buffer[] = [];
  #headBytes = 0;
  /** The unfinished line passed maxLineBytes: the rest of it is skipped up to its newline. */
  #overlong = false;
  /** Bytes pushed beyond `committed` (the unfinished line, whole, including skipped bytes). */
  #pendingBytes = 0;

  constructor(maxLineBytes: number, startOffset = 0) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) {
      throw new RangeError(`maxLineBytes must be a positive integer, not ${maxLineBytes}`);
    }
    this.maxLineBytes = maxLineBytes;
    this.committed = startOffset;
  }

  /** Bytes read but not yet part of a complete line. */
  get pending(): number {
    return this.#pendingBytes;
  }

  /** Bytes held in memory for the unfinished line: never more than maxLineBytes. */
  get held(): number {
    return this.#headBytes;
  }

  /**
   * Feeds the next bytes of the file (the caller may reuse `chunk` afterwards). `onLine` gets
   * each complete line as `buf[start, end)` (valid only during the call: it is often a view of
   * `chunk`, not a copy, which keeps a 1 GiB catch-up free of per-line allocations) and whether
   * it was cut at maxLineBytes.
   */
  push(chunk: Buffer, onLine: OnLine): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl === -1) {
        this.#keep(chunk.subarray(start));
        return;
      }
      if (this.#pendingBytes === 0 && nl - start <= this.maxLineBytes) {
        // The common case: the whole line is inside this chunk.
        onLine(chunk, start, trimCr(chunk, start, nl), false);
        this.committed += nl - start + 1;
      } else {
        this.#keep(chunk.subarray(start, nl));
        this.#emit(onLine);
        this.committed += this.#pendingBytes + 1;
        this.#pendingBytes = 0;
      }
      start = nl + 1;
    }
  }

  /**
   * Ends an unfinished last line as if a newline followed (the file was rotated away and read
   * to its end). Returns whether there was one.
   */
  flush(onLine: OnLine): boolean {
    if (this.#pendingBytes === 0) return false;
    this.#emit(onLine);
    this.committed += this.#pendingBytes;
    this.#pendingBytes = 0;
    return true;
  }

  /** Forgets the unfinished line and starts again at `offset` (truncation, a new file). */
  reset(offset: number): void {
    this.#head = [];
    this.#headBytes = 0;
    this.#overlong = false;
    this.#pendingBytes = 0;
    this.committed = offset;
  }

  #keep(part: Buffer): void {
    this.#pendingBytes += part.length;
    if (this.#overlong || part.length === 0) return;
    const room = this.maxLineBytes - this.#headBytes;
    if (part.length > room) {
      this.#overlong = true;
      if (room > 0) this.#head.push(Buffer.from(part.subarray(0, room)));
      this.#headBytes = this.maxLineBytes;
      return;
    }
    // Copied: the caller reuses its read buffer.
    this.#head.push(Buffer.from(part));
    this.#headBytes += part.length;
  }

  #emit(onLine: OnLine): void {
    const line =
      this.#head.length === 1
        ? (this.#head[0] as Buffer)
        : Buffer.concat(this.#head, this.#headBytes);
    const truncated = this.#overlong;
    const end = truncated ? line.length : trimCr(line, 0, line.length);
    this.#head = [];
    this.#headBytes = 0;
    this.#overlong = false;
    onLine(line, 0, end, truncated);
  }
}

/** Receives one line: `buf[start, end)`, without its newline or a "\r" before it. */
export type OnLine = (buf: Buffer, start: number, end: number, truncated: boolean) => void;

function trimCr(buf: Buffer, start: number, end: number): number {
  return end > start && buf[end - 1] === 0x0d ? end - 1 : end;
}
