// The shipped systemd unit (deploy/patrol.service) as systemd itself judges it: it loads
// (systemd-analyze verify) and its sandbox keeps the exposure score of
// `systemd-analyze security --offline=yes` at or under MAX_EXPOSURE. systemd need not run as
// PID 1 for either.
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { DEPLOY } from '../../harness/deploy.ts';
import { run } from '../../harness/process.ts';

const UNIT = join(DEPLOY, 'patrol.service');

/** The highest exposure accepted for the unit as shipped (the goal). */
const MAX_EXPOSURE = 2.0;
/**
 * With the drop-in for the HA VIP conflict check (arping: CAP_NET_RAW ambient, AF_PACKET and
 * AF_NETLINK, capset and setuid let through the system call filter), on the nodes that need it.
 */
const MAX_EXPOSURE_WITH_VIP_CHECK = 2.1;
const DROP_IN = join(DEPLOY, 'patrol.service.d', 'vip-conflict.conf');

/**
 * The unit in a directory of its own, with the drop-ins given: systemd-analyze merges the
 * `<unit>.d/` directory beside a unit file, so deploy/patrol.service is never judged alone there.
 */
async function unitDir(t: TestContext, dropIns: readonly string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'patrol-unit-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const unit = (await readFile(UNIT, 'utf8')).replace(
    /^ExecStart=\S+/m,
    `ExecStart=${process.execPath}`,
  );
  await writeFile(join(dir, 'patrol.service'), unit);
  if (dropIns.length > 0) {
    await mkdir(join(dir, 'patrol.service.d'));
    for (const d of dropIns) await copyFile(d, join(dir, 'patrol.service.d', basename(d)));
  }
  return join(dir, 'patrol.service');
}

interface Finding {
  readonly line: string;
  readonly weight: number;
}

/** The ✗ lines of `systemd-analyze security`, heaviest first, and the overall exposure. */
function parseSecurity(out: string): { exposure: number | undefined; findings: Finding[] } {
  const overall = /Overall exposure level for \S+: (\d+\.\d)/.exec(out);
  const findings = out
    .split('\n')
    .filter((l) => l.startsWith('✗'))
    .map((l) => ({
      line: l.replace(/\s+/g, ' ').trim(),
      weight: Number(/(\d+\.\d)\s*$/.exec(l)?.[1] ?? 0),
    }))
    .sort((a, b) => b.weight - a.weight);
  return { exposure: overall ? Number(overall[1]) : undefined, findings };
}

for (const [what, dropIns, max] of [
  ['deploy/patrol.service', [], MAX_EXPOSURE],
  ['deploy/patrol.service with the VIP conflict drop-in', [DROP_IN], MAX_EXPOSURE_WITH_VIP_CHECK],
] as const) {
  test(`systemd-analyze security scores ${what} at ${max.toFixed(1)} or lower`, async (t) => {
    const path = await unitDir(t, dropIns);
    const r = await run('systemd-analyze', [
      'security',
      '--offline=yes',
      '--no-pager',
      `--threshold=${Math.round(max * 10)}`,
      path,
    ]);
    const { exposure, findings } = parseSecurity(r.stdout);
    assert.ok(exposure !== undefined, `no "Overall exposure level" line:\n${r.stdout}${r.stderr}`);
    const top = findings
      .slice(0, 10)
      .map((f) => `  ${f.line}`)
      .join('\n');
    assert.ok(
      exposure <= max,
      `${what} scores ${exposure}, above ${max}; heaviest findings:\n${top}`,
    );
    // --threshold makes systemd-analyze itself fail above it: the two must agree.
    assert.equal(r.code, 0, `systemd-analyze security failed:\n${r.stdout}${r.stderr}`);
  });
}

test('systemd-analyze verify accepts deploy/patrol.service and its drop-in', async (t) => {
  // verify checks that ExecStart's binary exists: unitDir points it at this test's Node.js.
  const path = await unitDir(t, [DROP_IN]);
  const r = await run('systemd-analyze', ['verify', '--man=no', path]);
  // verify warns about the unit's dependencies (network-online.target) on a host without a
  // running systemd; only lines about patrol.service itself count.
  const own = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.includes('patrol.service'));
  assert.equal(r.code, 0, `systemd-analyze verify failed:\n${r.stdout}${r.stderr}`);
  assert.deepEqual(own, [], `systemd-analyze verify complains:\n${own.join('\n')}`);
});

test('the unit keeps what its collectors need, the drop-in what the VIP check needs', async () => {
  const settings = (text: string) => text.split('\n').filter((l) => /^[A-Z]\w+=/.test(l));
  const unit = settings(await readFile(UNIT, 'utf8'));
  const dropIn = settings(await readFile(DROP_IN, 'utf8'));
  // The logs collector (/var/log by group adm); no capability without the drop-in.
  for (const s of ['SupplementaryGroups=adm', 'CapabilityBoundingSet=']) {
    assert.ok(unit.includes(s), `deploy/patrol.service lacks ${s}`);
  }
  // The HA VIP conflict check (arping).
  for (const s of [
    'AmbientCapabilities=CAP_NET_RAW',
    'CapabilityBoundingSet=CAP_NET_RAW',
    'RestrictAddressFamilies=AF_NETLINK AF_PACKET',
    'SystemCallFilter=capset setuid',
  ]) {
    assert.ok(dropIn.includes(s), `deploy/patrol.service.d/vip-conflict.conf lacks ${s}`);
  }
  // V8's JIT cannot run under it; PrivateTmp would hide /tmp from the directory collector.
  for (const s of ['MemoryDenyWriteExecute=yes', 'PrivateTmp=yes', 'ProtectHome=yes']) {
    assert.ok(!unit.includes(s), `deploy/patrol.service must not set ${s}`);
  }
});
