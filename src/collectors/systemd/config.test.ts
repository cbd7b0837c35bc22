import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../config/load.ts';
import { parseConfig, parseConfigText } from '../index.ts';
import { DEFAULT_EXCLUDE, DEFAULT_INCLUDE } from './config.ts';
import { requirements } from './units.ts';

/** The required units a configuration asks for, as the collector resolves them. */
function required(yaml: string) {
  const c = systemd(yaml);
  return requirements(c.presets, c.units).map((alternatives) =>
    alternatives.length === 1 ? alternatives[0] : { any_of: alternatives },
  );
}

function systemd(yaml: string) {
  return parseConfigText(`collectors:\n  systemd:\n${yaml}`, 'test.yaml').collectors.systemd;
}

function problems(yaml: string): readonly string[] {
  try {
    parseConfigText(`collectors:\n  systemd:\n${yaml}`, 'test.yaml');
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail('configuration was accepted');
}

describe('systemd configuration', () => {
  it('gives every default from an empty document', () => {
    assert.deepEqual(parseConfig({}).collectors.systemd, {
      enabled: true,
      timeout: 5000,
      bus: 'system',
      call_timeout: 2000,
      include: DEFAULT_INCLUDE,
      exclude: DEFAULT_EXCLUDE,
      presets: [],
      units: [],
      resync_interval: 600_000,
    });
    assert.deepEqual(systemd('    {}\n'), parseConfig({}).collectors.systemd);
  });

  it('reads durations, presets and units', () => {
    const c = systemd(
      '    timeout: 10s\n    call_timeout: 3s\n    resync_interval: 1m\n    presets: [k8s-node, middleware]\n',
    );
    assert.equal(c.timeout, 10_000);
    assert.equal(c.call_timeout, 3000);
    assert.equal(c.resync_interval, 60_000);
    assert.deepEqual(c.presets, ['k8s-node', 'middleware']);
  });

  it('makes a name without a type suffix a service, and keeps other suffixes', () => {
    const units = required(
      '    units: [kubelet, docker.socket, etcd.service, "getty@tty1", logrotate.timer, php7.4-fpm]\n',
    );
    assert.deepEqual(units, [
      'kubelet.service',
      'docker.socket',
      'etcd.service',
      'getty@tty1.service',
      'logrotate.timer',
      'php7.4-fpm.service',
    ]);
  });

  it('normalises the alternatives of any_of', () => {
    assert.deepEqual(required('    units: [{any_of: [mysql, mariadb.service]}]\n'), [
      { any_of: ['mysql.service', 'mariadb.service'] },
    ]);
  });

  // systemctl appends .service whenever the last dot-separated part is not a unit type
  // (unit_name_mangle): "snap.docker.dockerd" is the snap-packaged Docker's service.
  it('treats a dotted name whose last part is not a unit type as a service, as systemctl does', () => {
    assert.deepEqual(required('    units: [snap.docker.dockerd, snap.lxd.daemon]\n'), [
      'snap.docker.dockerd.service',
      'snap.lxd.daemon.service',
    ]);
  });

  it('rejects a bad unit name, naming its path', () => {
    const p = problems('    units: [ok, "bad name!"]\n');
    assert.equal(p.length, 1);
    assert.match(p[0] ?? '', /^collectors\.systemd\.units\[1\]: /);
    assert.match(
      problems('    units: ["bad name!"]\n')[0] ?? '',
      /^collectors\.systemd\.units\[0\]/,
    );
  });

  it('says why a unit name is bad (the reason is not lost in the union)', () => {
    assert.deepEqual(problems('    units: ["bad name!"]\n'), [
      'collectors.systemd.units[0]: "bad name!" is not a unit name (letters, digits and ":-_.\\@", a type suffix such as .service, an instance after @ for templates)',
    ]);
  });

  it('rejects any_of with fewer than two alternatives', () => {
    assert.deepEqual(problems('    units: [{any_of: [mysql]}]\n'), [
      'collectors.systemd.units[0].any_of: list at least two alternatives',
    ]);
    assert.deepEqual(problems('    units: [kubelet, {any_of: []}]\n'), [
      'collectors.systemd.units[1].any_of: list at least two alternatives',
    ]);
  });

  it('rejects a bad name inside any_of', () => {
    assert.match(
      problems('    units: [{any_of: [mysql, "no way"]}]\n')[0] ?? '',
      /^collectors\.systemd\.units\[0\]/,
    );
  });

  it('rejects an unknown preset, naming its path and the known ones', () => {
    assert.deepEqual(problems('    presets: [k8s-node, k8s-masterr]\n'), [
      'collectors.systemd.presets[1]: Invalid option: expected one of "k8s-master"|"k8s-node"|"middleware"',
    ]);
    assert.match(
      problems('    presets: [bogus]\n')[0] ?? '',
      /^collectors\.systemd\.presets\[0\]: /,
    );
  });

  it('accepts system, user and D-Bus addresses as bus', () => {
    assert.equal(systemd('    bus: system\n').bus, 'system');
    assert.equal(systemd('    bus: user\n').bus, 'user');
    assert.equal(systemd('    bus: "unix:path=/x"\n').bus, 'unix:path=/x');
    assert.equal(
      systemd('    bus: "unix:path=/run/systemd/private"\n').bus,
      'unix:path=/run/systemd/private',
    );
    assert.equal(
      systemd('    bus: "tcp:host=127.0.0.1,port=5555"\n').bus,
      'tcp:host=127.0.0.1,port=5555',
    );
  });

  it('rejects a misspelt bus and an address without a key', () => {
    for (const bad of ['sytem', 'User', '"unix:path"', '/run/dbus/system_bus_socket', '""']) {
      assert.deepEqual(problems(`    bus: ${bad}\n`), [
        'collectors.systemd.bus: must be "system", "user" or a D-Bus address such as unix:path=/run/dbus/system_bus_socket',
      ]);
    }
  });

  it('requires call_timeout shorter than timeout', () => {
    for (const y of ['    call_timeout: 5s\n', '    timeout: 1s\n    call_timeout: 2s\n']) {
      const p = problems(y);
      assert.equal(p.length, 1);
      assert.match(
        p[0] ?? '',
        /^collectors\.systemd\.call_timeout: must be shorter than collectors\.systemd\.timeout/,
      );
    }
    assert.equal(systemd('    timeout: 1s\n    call_timeout: 999ms\n').call_timeout, 999);
  });

  it('bounds resync_interval and rejects bad durations by path', () => {
    assert.deepEqual(problems('    resync_interval: 5s\n'), [
      'collectors.systemd.resync_interval: duration 5s is shorter than the minimum 10s',
    ]);
    assert.match(
      problems('    call_timeout: 2x\n')[0] ?? '',
      /^collectors\.systemd\.call_timeout: invalid duration/,
    );
  });

  it('rejects bad include/exclude regexes by path', () => {
    assert.deepEqual(problems('    include: "("\n'), [
      'collectors.systemd.include: not a valid regular expression: Unterminated group',
    ]);
    assert.deepEqual(problems('    exclude: "["\n'), [
      'collectors.systemd.exclude: not a valid regular expression: Unterminated character class',
    ]);
  });

  it('rejects an unknown key and suggests the right one', () => {
    assert.deepEqual(problems('    unitz: [kubelet]\n'), [
      'collectors.systemd.unitz: unknown key (did you mean "units"?)',
    ]);
    assert.deepEqual(problems('    call_timout: 1s\n'), [
      'collectors.systemd.call_timout: unknown key (did you mean "call_timeout"?)',
    ]);
  });
});
