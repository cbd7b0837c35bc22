// End-to-end checks of the Alertmanager example in deploy/: the real amtool accepts
// deploy/alertmanager.yml, and a real Alertmanager running it routes, groups and inhibits
// patrol's alerts as the file's comments say. The cases, one alert each with where it must go,
// are in cases/ (a host's alerts, an HA pair's, a Kubernetes cluster's, a database replication
// group's).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { AMTOOL_BIN, startAlertmanager, type GettableAlert } from '../../harness/alertmanager.ts';
import { deadlineMs } from '../../harness/budget.ts';
import { DEPLOY, readYaml } from '../../harness/deploy.ts';
import { run } from '../../harness/process.ts';
import { notYet } from '../../harness/wait.ts';
import { startWebhook, type Delivery } from '../../harness/webhook.ts';
import { DB_OTHERS, DB_SOURCES } from './cases/db-replication.ts';
import { HA_OTHERS, HA_SOURCES } from './cases/ha.ts';
import { HOST_OTHERS, HOST_SOURCES } from './cases/hosts.ts';
import { KUBE_OTHERS, KUBE_SOURCES } from './cases/kubernetes.ts';

test('amtool check-config accepts deploy/alertmanager.yml', async () => {
  const r = await run(AMTOOL_BIN, ['check-config', join(DEPLOY, 'alertmanager.yml')]);
  assert.equal(r.code, 0, `amtool check-config failed:\n${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /SUCCESS/);
});

interface Route {
  receiver?: string;
  group_wait?: string;
  routes?: Route[];
  [key: string]: unknown;
}

interface Receiver {
  name: string;
  webhook_configs?: { url: string; [key: string]: unknown }[];
  [key: string]: unknown;
}

/** Sets group_wait on every route of the tree that sets it (the root must). */
function shortenGroupWait(route: Route, to: string): void {
  if (route.group_wait !== undefined) route.group_wait = to;
  for (const r of route.routes ?? []) shortenGroupWait(r, to);
}

/** group_wait of every route that sets one, in place of the shipped 30s (see the test). */
const GROUP_WAIT_SECONDS = 1;

// Sources of inhibition are posted first (see below); the rest are the targets and bystanders.
const SOURCES = { ...HOST_SOURCES, ...HA_SOURCES, ...KUBE_SOURCES, ...DB_SOURCES };
const OTHERS = { ...HOST_OTHERS, ...HA_OTHERS, ...KUBE_OTHERS, ...DB_OTHERS };

/** Labels the shipped route groups by (deploy/alertmanager.yml `group_by`). */
const GROUP_BY = ['alertname', 'instance', 'cluster'] as const;

/** A notification group: the receiver and the group_by labels the alert has. */
const groupKey = (receiver: string, labels: Record<string, string | undefined>): string =>
  [receiver, ...GROUP_BY.map((l) => labels[l] ?? '')].join(' ');

const labelKey = (labels: Record<string, string>): string =>
  JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));

test('deploy/alertmanager.yml routes by severity, groups by alertname, instance and cluster, inhibits per target', async (t) => {
  const hook = await startWebhook(t);

  const cfg = (await readYaml(join(DEPLOY, 'alertmanager.yml'))) as {
    route: Route & { group_by?: string[] };
    receivers: Receiver[];
  };
  assert.deepEqual(cfg.route.group_by, [...GROUP_BY]);
  // Every receiver must deliver to the recorder, and only to it: a receiver with another kind
  // of integration would try to reach the outside world from the test.
  for (const r of cfg.receivers) {
    const kinds = Object.keys(r).filter((k) => k.endsWith('_configs'));
    assert.deepEqual(kinds, ['webhook_configs'], `receiver ${r.name} has only webhooks`);
    for (const w of r.webhook_configs ?? []) w.url = `${hook.url}/${r.name}`;
  }
  assert.deepEqual(cfg.receivers.map((r) => r.name).sort(), ['pager', 'team-chat', 'tickets']);
  // The only change to the file's behaviour: group_wait 30s would make every first
  // notification wait 30 s. 1s still collects each POST below into one group notification;
  // group_interval stays as written (minutes), so every group notifies exactly once during
  // the test and an alert left out of it stays out.
  assert.ok(cfg.route.group_wait !== undefined, 'the root route sets group_wait');
  shortenGroupWait(cfg.route, `${GROUP_WAIT_SECONDS}s`);

  const am = await startAlertmanager(t, { config: cfg });

  // Inhibition sources first, so that Alertmanager's inhibitor has them before the targets'
  // groups are flushed (as with Prometheus, which keeps sending firing alerts every minute).
  await am.postAlerts(Object.values(SOURCES).map((c) => c.alert));
  await am.waitFor(
    'the source alerts to be stored',
    async () => {
      const got = await am.alerts();
      return (
        got.length === Object.keys(SOURCES).length ||
        notYet(`${got.length} of ${Object.keys(SOURCES).length} stored`)
      );
    },
    deadlineMs({}),
  );
  await am.postAlerts(Object.values(OTHERS).map((c) => c.alert));

  const cases = { ...SOURCES, ...OTHERS };
  const caseOf = new Map(Object.entries(cases).map(([k, c]) => [labelKey(c.alert.labels), k]));
  const nameOf = (labels: Record<string, string>): string =>
    caseOf.get(labelKey(labels)) ?? `unknown ${JSON.stringify(labels)}`;

  // The notifications expected: one per (receiver, alertname, instance, cluster) of the alerts
  // that are not inhibited, carrying exactly those alerts.
  const expected = new Map<string, { receiver: string; cases: string[] }>();
  for (const [name, c] of Object.entries(cases)) {
    if ('inhibitedBy' in c.expect) continue;
    const { receiver } = c.expect;
    const key = groupKey(receiver, c.alert.labels);
    const group = expected.get(key) ?? { receiver, cases: [] };
    group.cases.push(name);
    expected.set(key, group);
  }
  // Each inhibited alert must share its group with a delivered one: that group's notification
  // then shows it left out, not merely late (no sleeping to prove a negative).
  for (const [name, c] of Object.entries(cases)) {
    if (!('inhibitedBy' in c.expect)) continue;
    const key = groupKey(c.expect.receiver, c.alert.labels);
    assert.ok(expected.has(key), `case ${name}: add a delivered alert to its group ${key}`);
  }
  const groupOf = (d: Delivery) => groupKey(d.message.receiver, d.message.groupLabels);
  const firing = await hook.waitFor(
    `a firing notification for each of ${[...expected.keys()].join('; ')}`,
    (ds) => {
      const f = ds.filter((d) => d.message.status === 'firing');
      return [...expected.keys()].every((k) => f.some((d) => groupOf(d) === k)) && f;
    },
    // Each group waits group_wait after its first alert (hook.describe() says what came).
    deadlineMs({ work: GROUP_WAIT_SECONDS }),
  );
  const inhibited = Object.entries(cases).filter(([, c]) => 'inhibitedBy' in c.expect);

  await t.test(
    'each group is notified once, to its severity’s receiver, with all its alerts',
    () => {
      const byGroup = new Map<string, Delivery[]>();
      for (const d of firing) byGroup.set(groupOf(d), [...(byGroup.get(groupOf(d)) ?? []), d]);
      assert.deepEqual(
        [...byGroup.keys()].sort(),
        [...expected.keys()].sort(),
        `groups notified\n${hook.describe()}`,
      );
      for (const [key, want] of expected) {
        const ds = byGroup.get(key) ?? [];
        assert.equal(ds.length, 1, `${key}: one notification\n${hook.describe()}`);
        const d = ds[0];
        assert.ok(d);
        assert.equal(d.path, `/${want.receiver}`, `${key}: sent to the receiver's webhook`);
        // The group_by labels its alerts have: a pair alert has no instance, most no cluster.
        const first = cases[want.cases[0] ?? '']?.alert.labels ?? {};
        assert.deepEqual(
          Object.keys(d.message.groupLabels).sort(),
          GROUP_BY.filter((l) => first[l] !== undefined).sort(),
        );
        assert.deepEqual(
          d.message.alerts.map((a) => nameOf(a.labels)).sort(),
          [...want.cases].sort(),
          `${key}: the alerts of the notification\n${hook.describe()}`,
        );
      }
      assert.deepEqual(hook.rejected, [], 'every request was a version 4 webhook payload');
    },
  );

  await t.test('critical alerts go to pager, warnings to team-chat, info to tickets', () => {
    const delivered = new Map<string, string>();
    for (const d of firing)
      for (const a of d.message.alerts) delivered.set(nameOf(a.labels), d.message.receiver);
    assert.equal(delivered.get('critData'), 'pager');
    assert.equal(delivered.get('downC'), 'pager');
    assert.equal(delivered.get('warnVar'), 'team-chat');
    assert.equal(delivered.get('warnDataB'), 'team-chat');
    assert.equal(delivered.get('scanErrorsLogs'), 'tickets');
    assert.equal(delivered.get('kubeletFailedE'), 'pager');
    assert.equal(delivered.get('chronydFailedE'), 'team-chat');
    assert.equal(delivered.get('splitBrainGas'), 'pager');
    assert.equal(delivered.get('peerDownCl1'), 'pager');
    assert.equal(delivered.get('clockSkewCl'), 'team-chat');
    assert.equal(delivered.get('stalledDb2'), 'pager');
    assert.equal(delivered.get('spaceLowDb2Data'), 'team-chat');
    assert.equal(delivered.get('noEndpointsRtqgw'), 'pager');
    assert.equal(delivered.get('mismatchGateway'), 'team-chat');
    assert.equal(delivered.get('unschedulable07'), 'tickets');
  });

  await t.test('inhibited alerts are marked in the API and never delivered', async () => {
    const all = await am.alerts();
    const byCase = new Map<string, GettableAlert>(all.map((a) => [nameOf(a.labels), a]));
    assert.equal(all.length, Object.keys(cases).length, JSON.stringify(all.map((a) => a.labels)));
    for (const [name, c] of Object.entries(cases)) {
      const got = byCase.get(name);
      assert.ok(got, `${name} is known to Alertmanager`);
      assert.deepEqual(
        got.receivers.map((r) => r.name),
        [c.expect.receiver],
        `${name} is routed to ${c.expect.receiver}`,
      );
      if ('inhibitedBy' in c.expect) {
        const source = byCase.get(c.expect.inhibitedBy);
        assert.ok(source);
        assert.equal(got.status.state, 'suppressed', `${name} is suppressed`);
        assert.deepEqual(
          got.status.inhibitedBy,
          [source.fingerprint],
          `${name} is inhibited by ${c.expect.inhibitedBy}`,
        );
      } else {
        assert.equal(
          got.status.state,
          'active',
          `${name} is active: ${JSON.stringify(got.status)}`,
        );
        assert.deepEqual(got.status.inhibitedBy, [], `${name} is not inhibited`);
      }
    }
    // Each shares a group with a delivered alert (checked above): absent from that notification.
    const sent = new Set(
      hook.deliveries.flatMap((d) => d.message.alerts.map((a) => nameOf(a.labels))),
    );
    for (const [name] of inhibited)
      assert.ok(!sent.has(name), `${name} was delivered\n${hook.describe()}`);
    // The filter the UI uses to hide them agrees.
    const visible = await am.alerts({ inhibited: false });
    assert.deepEqual(
      visible.map((a) => nameOf(a.labels)).sort(),
      Object.keys(cases)
        .filter((k) => !inhibited.some(([n]) => n === k))
        .sort(),
    );
  });

  await am.stop();
});
