import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { globBase, isGlob } from './glob.ts';

describe('isGlob', () => {
  it('tells patterns from plain paths', () => {
    assert.equal(isGlob('/data/iuap/logs/nginx'), false);
    assert.equal(isGlob('/data/my dir/logs-1.2'), false);
    assert.equal(isGlob('/data/*/logs'), true);
    assert.equal(isGlob('/data/**'), true);
    assert.equal(isGlob('/data/log?'), true);
    assert.equal(isGlob('/data/[ab]'), true);
    assert.equal(isGlob('/data/{a,b}'), true);
  });

  it('knows the extglobs node:fs glob expands', () => {
    assert.equal(isGlob('/var/log/!(*.gz)'), true);
    assert.equal(isGlob('/var/log/@(a|b).log'), true);
    assert.equal(isGlob('/var/log/+(x).log'), true);
    assert.equal(isGlob('/data/wow!/x'), false, 'a ! without a parenthesis is a name');
  });
});

describe('globBase', () => {
  it('is the directory above the first magic character', () => {
    assert.equal(globBase('/data/iuap/logs/nginx/tomcat_access.*.log'), '/data/iuap/logs/nginx');
    assert.equal(globBase('/data/*/logs/*.log'), '/data');
    assert.equal(globBase('/*.log'), '/');
    assert.equal(globBase('*.log'), '.');
    assert.equal(globBase('/var/log/syslog'), '/var/log/syslog', 'a plain path is its own base');
  });
});
