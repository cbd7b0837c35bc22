// The rabbitmq probe against a real RabbitMQ 3.10 node with its management plugin: an AMQP
// connection opened with credentials, the alarms health check, and a memory alarm raised with
// rabbitmqctl (which the management API reports at once while publishers are blocked).
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request } from '../../harness/http.ts';
import { startRabbitmq, type Rabbitmq } from '../../harness/middleware.ts';
import { failureReason, probeOnce } from '../../harness/probes.ts';
import { suiteScope } from '../../harness/process.ts';
import { tempDir } from '../../harness/tmp.ts';
import { waitFor } from '../../harness/wait.ts';

describe('the rabbitmq probe against a real RabbitMQ', () => {
  const scope = suiteScope();
  let rabbit: Rabbitmq;
  let guest: string;
  let wrong: string;

  before(async () => {
    const secrets = await tempDir(scope, 'patrol-secrets-');
    guest = join(secrets, 'guest');
    wrong = join(secrets, 'wrong');
    writeFileSync(guest, 'guest\n');
    writeFileSync(wrong, 'nope\n');
    chmodSync(guest, 0o600);
    chmodSync(wrong, 0o600);
    rabbit = await startRabbitmq(scope);
  });

  after(async () => {
    await scope.close();
  });

  const probes = () => [
    {
      name: 'rabbit',
      module: 'rabbitmq',
      target: `127.0.0.1:${rabbit.port}`,
      password_file: guest,
      management_url: `http://127.0.0.1:${rabbit.managementPort}`,
    },
    { name: 'amqp-only', module: 'rabbitmq', target: `127.0.0.1:${rabbit.port}` },
    { name: 'wrong', module: 'rabbitmq', target: `127.0.0.1:${rabbit.port}`, password_file: wrong },
    { name: 'no-vhost', module: 'rabbitmq', target: `127.0.0.1:${rabbit.port}`, vhost: 'nosuch' },
  ];

  it('opens a connection, sees no alarm; a wrong password or vhost is refused', async () => {
    const s = await probeOnce(probes());
    assert.equal(s.get('patrol_probe_success', { probe: 'rabbit' }), 1, failureReason(s, 'rabbit'));
    assert.equal(s.get('patrol_probe_rabbitmq_alarm', { probe: 'rabbit', resource: 'memory' }), 0);
    assert.equal(s.get('patrol_probe_rabbitmq_alarm', { probe: 'rabbit', resource: 'disk' }), 0);
    assert.ok(
      (s.get('patrol_probe_phase_duration_seconds', { probe: 'rabbit', phase: 'connect' }) ?? 0) >
        0,
    );
    assert.ok(
      (s.get('patrol_probe_phase_duration_seconds', { probe: 'rabbit', phase: 'query' }) ?? 0) > 0,
    );
    assert.equal(s.get('patrol_probe_success', { probe: 'amqp-only' }), 1);
    assert.equal(
      s.get('patrol_probe_rabbitmq_alarm', { probe: 'amqp-only', resource: 'memory' }),
      undefined,
    );
    assert.equal(s.get('patrol_probe_success', { probe: 'wrong' }), 0);
    assert.equal(failureReason(s, 'wrong'), 'auth');
    assert.equal(s.get('patrol_probe_success', { probe: 'no-vhost' }), 0);
  });

  it('a memory alarm fails the probe at once and names the resource, as the management API does', async () => {
    await rabbit.ctl(['set_vm_memory_high_watermark', 'absolute', '10MB']);
    try {
      const seen = await waitFor('the management API to report the alarm', async () => {
        const res = await request(
          `http://127.0.0.1:${rabbit.managementPort}/api/health/checks/alarms`,
          {
            auth: { user: 'guest', password: 'guest' },
          },
        );
        return res.status === 503 ? res.text : false;
      });
      assert.match(seen, /"resource":"memory"/);
      const s = await probeOnce(probes());
      assert.equal(s.get('patrol_probe_success', { probe: 'rabbit' }), 0);
      assert.equal(failureReason(s, 'rabbit'), 'unexpected_status');
      assert.equal(
        s.get('patrol_probe_rabbitmq_alarm', { probe: 'rabbit', resource: 'memory' }),
        1,
      );
      assert.equal(s.get('patrol_probe_rabbitmq_alarm', { probe: 'rabbit', resource: 'disk' }), 0);
    } finally {
      await rabbit.ctl(['set_vm_memory_high_watermark', '0.4']);
    }
    const s = await waitFor('the alarm to clear', async () => {
      const r = await probeOnce(probes());
      return r.get('patrol_probe_success', { probe: 'rabbit' }) === 1 ? r : false;
    });
    assert.equal(s.get('patrol_probe_rabbitmq_alarm', { probe: 'rabbit', resource: 'memory' }), 0);
  });

  it('the node stopped: refused', async () => {
    await rabbit.ctl(['stop_app']);
    const s = await probeOnce(probes());
    assert.equal(s.get('patrol_probe_success', { probe: 'amqp-only' }), 0);
    assert.equal(failureReason(s, 'amqp-only'), 'refused');
  });
});
