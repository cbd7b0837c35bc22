import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../config/load.ts';
import { parseConfig, parseConfigText } from './index.ts';

function problems(text: string): readonly string[] {
  try {
    parseConfigText(text, 'test.yaml');
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail('configuration was accepted');
}

/** The assembled configuration: every collector's section, loaded and validated as a whole. */
describe('configuration', () => {
  it('gives every default from an empty document', () => {
    const cfg = parseConfig({});
    assert.equal(cfg.collectors.filesystem.enabled, true);
    assert.equal(cfg.collectors.filesystem.timeout, 5000);
    assert.equal(cfg.collectors.directory.enabled, true);
    assert.deepEqual(cfg.collectors.directory.paths, []);
    assert.equal(cfg.collectors.directory.interval, 60_000);
    assert.deepEqual(parseConfigText('', 'empty.yaml'), cfg);
  });

  it('accepts the issue example', () => {
    const cfg = parseConfigText(
      'collectors: { directory: { paths: [/data/iuap/logs/nginx], interval: 1m } }',
      'x',
    );
    assert.deepEqual(cfg.collectors.directory.paths, ['/data/iuap/logs/nginx']);
    assert.equal(cfg.collectors.directory.interval, 60_000);
  });

  it('names the path of an unknown key and suggests the right one', () => {
    assert.deepEqual(problems('collectors:\n  filesytem: {}\n'), [
      'collectors.filesytem: unknown key (did you mean "filesystem"?)',
    ]);
    assert.deepEqual(problems('collectors:\n  directory:\n    intervl: 1m\n'), [
      'collectors.directory.intervl: unknown key (did you mean "interval"?)',
    ]);
    assert.match(problems('bogus: 1')[0] ?? '', /^bogus: unknown key; known keys: collectors$/);
  });

  it('names the path and reason of a bad value', () => {
    assert.deepEqual(problems('collectors:\n  directory:\n    interval: 5x\n'), [
      'collectors.directory.interval: invalid duration "5x": use a number and a unit, e.g. 500ms, 30s, 5m, 1h',
    ]);
    assert.deepEqual(problems('collectors:\n  directory:\n    interval: 10ms\n'), [
      'collectors.directory.interval: duration 10ms is shorter than the minimum 1s',
    ]);
    assert.deepEqual(problems('collectors:\n  directory:\n    paths: [/ok, ""]\n'), [
      'collectors.directory.paths[1]: a path must not be empty',
    ]);
    assert.deepEqual(problems('collectors:\n  filesystem:\n    mount_points_exclude: "("\n'), [
      'collectors.filesystem.mount_points_exclude: not a valid regular expression: Unterminated group',
    ]);
    assert.deepEqual(problems('collectors:\n  filesystem:\n    enabled: yes\n'), [
      'collectors.filesystem.enabled: expected true or false, got "yes" (YAML 1.2 reads yes, no, on and off as text)',
    ]);
    assert.deepEqual(problems('collectors:\n  filesystem:\n    enabled: 1\n'), [
      'collectors.filesystem.enabled: expected true or false, got 1',
    ]);
    // The README's promise: an unquoted number is a duration without its unit.
    assert.deepEqual(problems('collectors:\n  filesystem:\n    mount_timeout: 3\n'), [
      'collectors.filesystem.mount_timeout: invalid duration "3": use a number and a unit, e.g. 500ms, 30s, 5m, 1h',
    ]);
    assert.match(
      problems('collectors:\n  directory:\n    max_paths: 0\n')[0] ?? '',
      /^collectors\.directory\.max_paths: /,
    );
    assert.match(problems('collectors: []\n')[0] ?? '', /^collectors: .*expected object/);
  });

  it('bounds durations and relates the filesystem timeouts', () => {
    assert.deepEqual(problems('collectors:\n  directory:\n    interval: 30d\n'), [
      'collectors.directory.interval: duration 30d is longer than the maximum 24d (Node.js timers cannot wait longer)',
    ]);
    assert.match(
      problems('collectors:\n  filesystem:\n    timeout: 5s\n    mount_timeout: 10s\n')[0] ?? '',
      /^collectors\.filesystem\.mount_timeout: must be shorter than collectors\.filesystem\.timeout/,
    );
  });

  it('reports every problem at once', () => {
    assert.equal(
      problems('collectors:\n  directory:\n    interval: x\n    follow_symlinks: 3\n').length,
      2,
    );
  });

  it('reports YAML syntax errors and duplicate keys with their line', () => {
    assert.match(problems('collectors: [\n')[0] ?? '', /^line \d+, column \d+: Flow sequence/);
    assert.match(
      problems('collectors: {}\ncollectors: {}\n')[0] ?? '',
      /^line 2, column 1: Map keys must be unique/,
    );
  });
});
