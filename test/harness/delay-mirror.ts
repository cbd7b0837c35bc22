/**
 * A mirror with a known delay, for the HA replication tests: every change to a file in SRC is
 * copied to DST exactly DELAY ms later, with the content it had when it changed (a delay line:
 * what mirror software with a constant shipping delay does). Polls SRC every 20 ms; writes DST
 * files through a temporary file and a rename. Runs until killed.
 *
 *   node delay-mirror.ts SRC DST DELAY_MS
 */
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [src = '', dst = '', delayArg = '1000'] = process.argv.slice(2);
const delay = Number(delayArg);
const seen = new Map<string, string>();

setInterval(() => {
  let names: string[];
  try {
    names = readdirSync(src);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.endsWith('.tmp')) continue;
    const path = join(src, name);
    let key: string;
    let content: Buffer;
    try {
      const st = statSync(path, { bigint: true });
      if (!st.isFile()) continue;
      key = `${st.ino}:${st.size}:${st.mtimeNs}`;
      if (seen.get(name) === key) continue;
      content = readFileSync(path);
    } catch {
      continue;
    }
    seen.set(name, key);
    setTimeout(() => {
      const tmp = join(dst, `.${name}.mirror-tmp`);
      writeFileSync(tmp, content);
      renameSync(tmp, join(dst, name));
    }, delay);
  }
}, 20);
