import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { parseStubStatus } from './stub-status.ts';

// Recorded from nginx 1.22.1 (Debian 12) with curl, after 16 requests on 11 connections.
const page = readFileSync(new URL('testdata/stub_status.txt', import.meta.url), 'utf8');

it('parses the page nginx writes', () => {
  assert.deepEqual(parseStubStatus(page), {
    active: 1,
    accepted: 12,
    handled: 12,
    requests: 17,
    reading: 0,
    writing: 1,
    waiting: 0,
  });
  assert.deepEqual(parseStubStatus(page.replace(/\n/g, '\r\n'))?.requests, 17);
});

it('refuses anything else rather than reading zeros', () => {
  assert.equal(parseStubStatus('<html><body>Login</body></html>'), undefined);
  assert.equal(parseStubStatus(''), undefined);
  assert.equal(parseStubStatus(page.replace('17', 'x')), undefined);
});
