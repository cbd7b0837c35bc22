import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { MINIMUM_NODE, nodeSupported, nodeTooOld } from './node-version.ts';

describe('Node.js version check', () => {
  it('is package.json engines.node', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      engines: { node: string };
    };
    assert.equal(pkg.engines.node, `>=${MINIMUM_NODE.join('.')}`);
  });

  it('accepts 22.19 and newer, refuses older', () => {
    for (const v of ['22.19.0', '22.20.1', '23.0.0', '24.21.0', '100.0.0']) {
      assert.equal(nodeSupported(v), true, v);
    }
    for (const v of ['22.18.9', '22.0.0', '20.20.2', '18.19.1', '9.11.2', '']) {
      assert.equal(nodeSupported(v), false, v);
    }
  });

  it('says what is needed and what runs', () => {
    assert.match(
      nodeTooOld('20.20.2', '/usr/bin/node'),
      /^patrol needs Node\.js 22\.19 or newer \(this is 20\.20\.2, \/usr\/bin\/node\); .*node_modules\/\.bin\/node/,
    );
  });
});
