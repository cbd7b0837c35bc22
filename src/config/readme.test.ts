/** The README's configuration examples stay valid: it is the front door. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { parseConfigText } from './load.ts';

it('every YAML example in the README is a valid configuration', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  assert.ok(blocks.length >= 3, `found ${blocks.length} examples`);
  for (const [i, text] of blocks.entries()) {
    assert.doesNotThrow(() => parseConfigText(text, `README.md example ${i + 1}`), text);
  }
});
