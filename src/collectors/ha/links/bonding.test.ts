import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseBonding } from './bonding.ts';

// Written from drivers/net/bonding/bond_procfs.c's format (bonds cannot be made here: the test
// machine's kernel has no bonding module).
const fixture = (name: string) =>
  readFileSync(new URL(`./testdata/bonding/${name}`, import.meta.url), 'utf8');

describe('parseBonding', () => {
  it('reads an active-backup bond with a slave down', () => {
    assert.deepEqual(parseBonding(fixture('active-backup.txt')), {
      mode: 'fault-tolerance (active-backup)',
      activeSlave: 'eth1',
      slaves: [
        { name: 'eth1', up: true, linkFailures: 0 },
        { name: 'eth2', up: false, linkFailures: 3 },
      ],
    });
  });

  it('reads an 802.3ad bond: no active slave, LACP details skipped, going down is not up', () => {
    assert.deepEqual(parseBonding(fixture('8023ad.txt')), {
      mode: 'IEEE 802.3ad Dynamic link aggregation',
      activeSlave: undefined,
      slaves: [
        { name: 'ens1f0', up: true, linkFailures: 1 },
        { name: 'ens1f1', up: false, linkFailures: 2 },
      ],
    });
  });

  it('says None is no active slave, and survives garbage', () => {
    assert.equal(parseBonding('Currently Active Slave: None\n').activeSlave, undefined);
    assert.deepEqual(parseBonding('garbage\n\n:::\n'), {
      mode: undefined,
      activeSlave: undefined,
      slaves: [],
    });
  });
});
