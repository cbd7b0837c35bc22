/** The README's configuration examples stay valid: it is the front door. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { parseConfigText } from '../src/collectors/index.ts';

it('every YAML example in the README is a valid configuration', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  // Kubernetes manifests (apiVersion: ...) are applied to a real API server by the kubernetes
  // collector's tests (test/e2e/kubernetes/faults.test.ts, readmeRole()); the rest are patrol's.
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => m[1] ?? '')
    .filter((b) => !b.startsWith('apiVersion:'));
  assert.ok(blocks.length >= 3, `found ${blocks.length} examples`);
  // Secret files are checked when the configuration is loaded: the examples name files of the
  // host they are meant for, so each is given one here (a secret long enough for any field).
  const secret = join(mkdtempSync(join(tmpdir(), 'patrol-readme-')), 'secret');
  writeFileSync(secret, 'a-secret-long-enough-for-any-field\n', { mode: 0o600 });
  for (const [i, text] of blocks.entries()) {
    const here = text.replace(/^(\s*\w*(?:secret|password|token)_file): \S+/gm, `$1: ${secret}`);
    assert.doesNotThrow(() => parseConfigText(here, `README.md example ${i + 1}`), text);
  }
});
