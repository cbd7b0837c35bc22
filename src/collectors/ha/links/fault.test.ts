import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { locateFault } from './fault.ts';
import { chooseInterface } from './watch.ts';

describe('locateFault', () => {
  it('puts the fault on our link, the peer or the network, or says it cannot tell', () => {
    assert.equal(locateFault({ link: 'up', peerUp: true }), 'none');
    assert.equal(locateFault({ link: 'down', peerUp: false }), 'local_link');
    assert.equal(locateFault({ link: 'missing', peerUp: false }), 'local_link');
    assert.equal(locateFault({ link: 'down', peerUp: true }), 'local_link');
    assert.equal(locateFault({ link: 'up', peerUp: false }), 'peer_or_network');
    assert.equal(locateFault({ link: 'not_found', peerUp: false }), 'unknown');
    assert.equal(locateFault({ link: 'not_found', peerUp: true }), 'none');
    assert.equal(locateFault({ link: 'up', peerUp: true, peerLinkUp: false }), 'peer_link');
    assert.equal(locateFault({ link: 'up', peerUp: false, peerLinkUp: false }), 'peer_link');
    assert.equal(locateFault({ link: 'down', peerUp: false, peerLinkUp: false }), 'local_link');
  });
});

describe('chooseInterface', () => {
  it('keeps the interface found before while it is down and the route moved away', () => {
    assert.equal(chooseInterface(undefined, 'eth1', false), 'eth1');
    assert.equal(chooseInterface('eth1', 'eth1', false), 'eth1');
    assert.equal(chooseInterface('eth1', 'eth0', false), 'eth1', 'eth1 down: its route left');
    assert.equal(chooseInterface('eth1', undefined, false), 'eth1', 'no route at all');
    assert.equal(chooseInterface('eth1', 'eth0', true), 'eth0', 'eth1 up: the route moved');
    assert.equal(chooseInterface(undefined, undefined, false), undefined);
  });
});
