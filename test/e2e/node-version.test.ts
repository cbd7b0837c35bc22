// End-to-end: patrol's entry point (src/main.ts, dist/main.js) on a Node.js older than
// package.json's engines.node says what it needs and exits 1, before loading a module that
// would fail on it. The old Node.js is the system's (/usr/bin/node, Node 20 on Debian 12); on
// Node 24 the same entry starts the exporter (process.test.ts runs it for every other test).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { nodeSupported } from '../../src/node-version.ts';
import { NODE, ROOT, runExporter } from '../harness/exporter.ts';
import { run } from '../harness/process.ts';
import { tempDir } from '../harness/tmp.ts';

const OLD_NODE = '/usr/bin/node';
const oldVersion = existsSync(OLD_NODE)
  ? execFileSync(OLD_NODE, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim()
  : undefined;

/**
 * The entry as tsc emits it into dist/ (tsconfig.build.json): main.ts and the one module it
 * imports statically. start.ts is left out: an old Node.js must stop before it is loaded.
 */
async function emitEntry(dir: string): Promise<string> {
  for (const name of ['main', 'node-version']) {
    const source = await readFile(join(ROOT, 'src', `${name}.ts`), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2024,
        rewriteRelativeImportExtensions: true,
      },
      fileName: `${name}.ts`,
    });
    await writeFile(join(dir, `${name}.js`), outputText);
  }
  await writeFile(join(dir, 'package.json'), '{"type":"module"}\n');
  return join(dir, 'main.js');
}

test(
  `on Node.js ${oldVersion ?? '(none at /usr/bin/node)'} the entry says what it needs and exits 1`,
  {
    skip:
      oldVersion === undefined || nodeSupported(oldVersion)
        ? 'no old Node.js at /usr/bin/node'
        : false,
  },
  async (t) => {
    const main = await emitEntry(await tempDir(t, 'patrol-entry-'));
    const r = await run(OLD_NODE, [main, '--version']);
    assert.equal(r.code, 1, `${r.stdout}${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr
        .split('\n')[0]
        ?.startsWith(`patrol needs Node.js 22.19 or newer (this is ${oldVersion}, ${OLD_NODE});`),
      true,
      r.stderr,
    );
    assert.doesNotMatch(r.stderr, /SyntaxError|does not provide an export/);
    // The same emitted entry on a Node.js new enough goes on to load start.js (not emitted
    // here): past the check.
    const ok = await run(NODE, [main, '--version']);
    assert.match(ok.stderr, /Cannot find module .*start\.js/);
  },
);

test('on this Node.js the entry starts patrol', async () => {
  const r = await runExporter(['--version']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^patrol, version /);
});
