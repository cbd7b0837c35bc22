/** Test fixture: real journal files, written by systemd-journal-remote from export format. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Debian's systemd-journal-remote: builds a real journal file from export format. */
const JOURNAL_REMOTE = '/lib/systemd/systemd-journal-remote';

export interface Entry {
  priority?: number;
  unit: string;
  message: string | Buffer;
}

let seq = 0;
/** Journal export format (systemd.io/JOURNAL_EXPORT_FORMATS); binary MESSAGE length-prefixed. */
function exportFormat(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    seq++;
    const text = [
      `__REALTIME_TIMESTAMP=${1795261164000000 + seq * 1000}`,
      `__MONOTONIC_TIMESTAMP=${1000 + seq}`,
      '_BOOT_ID=0123456789abcdef0123456789abcdef',
      ...(e.priority === undefined ? [] : [`PRIORITY=${e.priority}`]),
      `_SYSTEMD_UNIT=${e.unit}`,
    ].join('\n');
    parts.push(Buffer.from(`${text}\n`));
    if (typeof e.message === 'string') parts.push(Buffer.from(`MESSAGE=${e.message}\n`));
    else {
      const len = Buffer.alloc(8);
      len.writeBigUInt64LE(BigInt(e.message.length));
      parts.push(Buffer.from('MESSAGE\n'), len, e.message, Buffer.from('\n'));
    }
    parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

/** Appends entries to <dir>/test.journal (created on the first call). */
export function appendJournal(dir: string, entries: Entry[]): void {
  execFileSync(JOURNAL_REMOTE, [`--output=${join(dir, 'test.journal')}`, '-'], {
    input: exportFormat(entries),
    stdio: ['pipe', 'ignore', 'ignore'],
  });
}
