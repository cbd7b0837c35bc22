import assert from 'node:assert/strict';
import { it } from 'node:test';
import { failureReason, ProbeError } from './outcome.ts';

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

it('gives each error a bounded reason', () => {
  assert.equal(failureReason(new ProbeError('tls', 'x')), 'tls');
  assert.equal(failureReason(coded('ECONNREFUSED')), 'refused');
  assert.equal(failureReason(coded('ETIMEDOUT')), 'timeout');
  assert.equal(failureReason(coded('ENOTFOUND')), 'dns');
  assert.equal(failureReason(coded('28P01')), 'auth');
  assert.equal(failureReason(coded('CERT_HAS_EXPIRED')), 'tls');
  assert.equal(failureReason(new Error('something else')), 'other');
});

it("counts amqplib's own socket timeout (an error without a code) as a timeout", () => {
  // amqplib's socket timeout is set to the probe's deadline and can fire just before it.
  assert.equal(failureReason(new Error('connect ETIMEDOUT')), 'timeout');
  assert.equal(
    failureReason(new Error('Handshake terminated by server: 403 (ACCESS-REFUSED)')),
    'auth',
  );
});
