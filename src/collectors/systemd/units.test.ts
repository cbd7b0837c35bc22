import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_EXCLUDE, DEFAULT_INCLUDE } from './config.ts';
import {
  chooseAlternative,
  compileUnitFilter,
  isWatched,
  PRESETS,
  requirements,
  UNIT_NAME,
  unitObjectPath,
  unitType,
  usecToSeconds,
} from './units.ts';

const defaults = compileUnitFilter({ include: DEFAULT_INCLUDE, exclude: DEFAULT_EXCLUDE });

describe('requirements', () => {
  it('lists presets first, in their order, then the configured units', () => {
    assert.deepEqual(requirements(['k8s-master'], ['nginx.service']), [
      ['kube-apiserver.service'],
      ['kube-controller-manager.service'],
      ['kube-scheduler.service'],
      ['etcd.service'],
      ['nginx.service'],
    ]);
  });

  it('keeps the alternatives of a preset and of any_of, in order', () => {
    assert.deepEqual(
      requirements(['middleware'], [{ any_of: ['postgresql.service', 'postgres.service'] }]),
      [
        ['nginx.service'],
        ['redis-server.service', 'redis.service'],
        ['rabbitmq-server.service'],
        ['mysql.service', 'mysqld.service', 'mariadb.service'],
        ['postgresql.service', 'postgres.service'],
      ],
    );
  });

  it('drops repeats: a unit of a preset listed again, the same any_of twice, a preset twice', () => {
    const r = requirements(
      ['k8s-node', 'k8s-node'],
      [
        'kubelet.service',
        'docker.service',
        'chronyd.service',
        'chronyd.service',
        { any_of: ['a.service', 'b.service'] },
        { any_of: ['a.service', 'b.service'] },
      ],
    );
    assert.deepEqual(r, [
      ['docker.service'],
      ['containerd.service'],
      ['kubelet.service'],
      ['kube-proxy.service'],
      ['chronyd.service'],
      ['a.service', 'b.service'],
    ]);
  });

  it('dedupes an any_of equal to a preset entry, but keeps alternatives in another order', () => {
    const r = requirements(
      ['middleware'],
      [
        { any_of: ['redis-server.service', 'redis.service'] },
        { any_of: ['redis.service', 'redis-server.service'] },
      ],
    );
    assert.equal(r.length, PRESETS.middleware.units.length + 1);
    assert.deepEqual(r.at(-1), ['redis.service', 'redis-server.service']);
  });

  it('requires a unit on its own even when it is also an alternative', () => {
    const r = requirements(['middleware'], ['mysql.service']);
    assert.deepEqual(r.slice(-2), [
      ['mysql.service', 'mysqld.service', 'mariadb.service'],
      ['mysql.service'],
    ]);
  });

  it('is empty without presets and units', () => {
    assert.deepEqual(requirements([], []), []);
  });
});

describe('chooseAlternative', () => {
  const states: Record<string, string> = {
    'mysql.service': 'not-found',
    'mariadb.service': 'loaded',
    'mysqld.service': 'masked',
  };
  const of = (n: string) => states[n];

  it('takes the first alternative systemd knows, whatever its load state but not-found', () => {
    assert.equal(
      chooseAlternative(['mysql.service', 'mariadb.service', 'mysqld.service'], of),
      'mariadb.service',
    );
    assert.equal(
      chooseAlternative(['mysql.service', 'mysqld.service', 'mariadb.service'], of),
      'mysqld.service',
    );
  });

  it('falls back to the first alternative when none is known', () => {
    assert.equal(chooseAlternative(['mysql.service', 'nope.service'], of), 'mysql.service');
    assert.equal(chooseAlternative(['nope.service', 'mysql.service'], of), 'nope.service');
    assert.equal(
      chooseAlternative(['only.service'], () => undefined),
      'only.service',
    );
  });

  it('rejects an empty requirement', () => {
    assert.throws(() => chooseAlternative([], of), /a requirement without units/);
  });
});

describe('isWatched with the default include/exclude', () => {
  for (const name of [
    'sshd.service',
    'user@1000.service',
    'docker.socket',
    'logrotate.timer',
    'multi-user.target',
    '-.mount',
    'data.mount',
    'home.mount',
    'boot-efi.mount',
    'sysroot.mount',
    'var-lib-kubelet.mount',
  ]) {
    it(`reports ${name}`, () => {
      assert.equal(isWatched(defaults, name, 'loaded'), true);
    });
  }

  for (const name of [
    'init.scope',
    'session-3.scope',
    'system.slice',
    'user-1000.slice',
    'dev-sda1.device',
    'sys-devices-virtual-net-eth0.device',
    'proc-sys-fs-binfmt_misc.automount',
    'swapfile.swap',
    'systemd-ask-password-wall.path',
    'run-user-1000.mount',
    'run-docker-netns-1a2b3c.mount',
    'run-containerd-io.containerd.runtime.v2.task-k8s.io-abc-rootfs.mount',
    'sys-kernel-debug.mount',
    'sys-fs-fuse-connections.mount',
    'dev-mqueue.mount',
    'dev-hugepages.mount',
    'proc-sys-fs-binfmt_misc.mount',
    'snap-core20-2015.mount',
    'var-lib-docker-overlay2-0123abcd-merged.mount',
    'var-lib-containers-storage-overlay.mount',
    'var-lib-kubelet-pods-5f1c1e9e\\x2d0b6c\\x2d4e1a-volumes-kubernetes.io\\x7eprojected-kube\\x2dapi\\x2daccess\\x2dabcde.mount',
  ]) {
    it(`leaves out ${name}`, () => {
      assert.equal(isWatched(defaults, name, 'loaded'), false);
    });
  }

  it('leaves out units that are not loaded, even when their name matches', () => {
    assert.equal(isWatched(defaults, 'kubelet.service', 'not-found'), false);
    assert.equal(isWatched(defaults, 'kubelet.service', 'masked'), false);
    assert.equal(isWatched(defaults, 'kubelet.service', 'error'), false);
    assert.equal(isWatched(defaults, 'kubelet.service', ''), false);
  });

  it('with an empty exclude, include alone decides', () => {
    const f = compileUnitFilter({ include: '\\.mount$', exclude: '' });
    assert.equal(f.exclude, undefined);
    assert.equal(isWatched(f, 'run-user-1000.mount', 'loaded'), true);
    assert.equal(isWatched(f, 'sshd.service', 'loaded'), false);
  });
});

describe('unit names', () => {
  it('accepts what systemd accepts and rejects the rest', () => {
    for (const ok of ['kubelet.service', 'user@1000.service', 'getty@tty1.service', '-.mount']) {
      assert.ok(UNIT_NAME.test(ok), ok);
    }
    for (const bad of ['kubelet', 'bad name!.service', 'x.bogus', 'getty@.service', '']) {
      assert.ok(!UNIT_NAME.test(bad), bad);
    }
  });

  it('unitType is the suffix', () => {
    assert.equal(unitType('kubelet.service'), 'service');
    assert.equal(unitType('snap.lxd.daemon.service'), 'service');
    assert.equal(unitType('-.mount'), 'mount');
  });
});

describe('unitObjectPath', () => {
  const P = '/org/freedesktop/systemd1/unit/';
  // Values as systemd itself gives them (busctl tree org.freedesktop.systemd1).
  for (const [name, path] of [
    ['ok.service', 'ok_2eservice'],
    ['-.mount', '_2d_2emount'],
    ['user@1000.service', 'user_401000_2eservice'],
    ['kube-apiserver.service', 'kube_2dapiserver_2eservice'],
    ['getty@tty1.service', 'getty_40tty1_2eservice'],
    ['dbus.socket', 'dbus_2esocket'],
    [
      'systemd-fsck@dev-disk-by\\x2duuid-1.service',
      'systemd_2dfsck_40dev_2ddisk_2dby_5cx2duuid_2d1_2eservice',
    ],
    ['var_lib.mount', 'var_5flib_2emount'],
    ['Kubelet2.service', 'Kubelet2_2eservice'],
  ] as const) {
    it(`${name} -> ${path}`, () => {
      assert.equal(unitObjectPath(name), P + path);
    });
  }

  // systemd's bus_label_escape() also escapes a digit when it is the first character
  // (an object path element must not start with one); e.g. the 3proxy package's unit.
  it('escapes a leading digit as systemd does (3proxy.service -> _33proxy_2eservice)', () => {
    assert.equal(unitObjectPath('3proxy.service'), P + '_33proxy_2eservice');
  });
});

describe('usecToSeconds', () => {
  it('converts microseconds (bigint or number) to seconds', () => {
    assert.equal(usecToSeconds(0n), 0);
    assert.equal(usecToSeconds(1_700_000_000_123_456n), 1_700_000_000.123456);
    assert.equal(usecToSeconds(2_500_000), 2.5);
    assert.equal(usecToSeconds(1n), 0.000001);
  });
});
