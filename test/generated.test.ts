import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseConfig, parseConfigText } from '../src/collectors/index.ts';
import { allFamilies, generatedFiles } from '../scripts/generate.ts';

const root = new URL('..', import.meta.url);

describe('generated files', () => {
  it('are current (run `npm run generate` and commit when this fails)', () => {
    for (const [rel, content] of Object.entries(generatedFiles())) {
      assert.equal(readFileSync(new URL(rel, root), 'utf8'), content, `${rel} is stale`);
    }
  });

  it('config.example.yaml parses to exactly the embedded default', () => {
    const text = readFileSync(new URL('config.example.yaml', root), 'utf8');
    assert.deepEqual(parseConfigText(text, 'config.example.yaml'), parseConfig({}));
  });

  it('docs/metrics.md lists every declared family once', () => {
    const doc = readFileSync(new URL('docs/metrics.md', root), 'utf8');
    const names = allFamilies().flatMap((g) => g.families.map((f) => f.name));
    assert.equal(new Set(names).size, names.length, 'a family is declared twice');
    for (const n of names) assert.ok(doc.includes(`\`${n}\``), `${n} missing from docs/metrics.md`);
  });
});
