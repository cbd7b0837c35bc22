/**
 * Test fixture of the systemd collector tests against a real systemd manager (systemd.test.ts,
 * systemd-faults.test.ts): the collector beside another one in a runner, scrapes, and the check
 * that what patrol reports is what `systemctl --user show` says at the same moment.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseConfig } from '../index.ts';
import { createLogger } from '../../core/logger.ts';
import { SampleBuffer } from '../../core/metrics.ts';
import type { Collector } from '../../core/collector.ts';
import { CollectorRunner, runnerFamilies } from '../../core/runner.ts';
import type { Scope } from '../../../test/harness/process.ts';
import type { SystemdManager } from '../../../test/harness/systemd.ts';
import { waitFor } from '../../../test/harness/wait.ts';
import { createSystemdCollector } from './index.ts';
import type { WatcherStatus } from './watcher.ts';
import { DEFAULT_EXCLUDE, DEFAULT_INCLUDE } from './config.ts';
import { compileUnitFilter, isWatched } from './units.ts';

export function collectorFor(scope: Scope, systemd: Record<string, unknown>, lines: string[] = []) {
  const cfg = parseConfig({ collectors: { systemd } });
  const logger = createLogger({
    level: 'info',
    format: 'logfmt',
    write: (l) => lines.push(l),
  });
  const collector = createSystemdCollector(cfg.collectors.systemd, { logger });
  scope.after(() => collector.stop?.() ?? Promise.resolve());
  // Another collector beside it: systemd's troubles must not touch it.
  const other: Collector = {
    name: 'other',
    timeoutMs: 1000,
    collect(sink) {
      sink.add(runnerFamilies.success, { collector: 'other-sample' }, 1);
    },
  };
  return { collector, lines, logger, runner: new CollectorRunner([collector, other], logger) };
}

/** The first attempt may time out on a loaded machine; the watcher retries by itself. */
export async function connected(c: { watcher: { status: WatcherStatus } }): Promise<void> {
  await waitFor('the collector to connect', () => c.watcher.status.up, {
    context: () => JSON.stringify(c.watcher.status),
  });
}

export async function scrape(c: { collect(s: SampleBuffer, a: AbortSignal): unknown }) {
  const sink = new SampleBuffer();
  await c.collect(sink, new AbortController().signal);
  return sink;
}

export interface Reported {
  activeState: string;
  loadState: string;
  restarts: number | undefined;
}

/** Per unit: the active state whose one-hot series is 1, the load state, NRestarts. */
function reported(sink: SampleBuffer): Map<string, Reported> {
  const out = new Map<string, Reported>();
  // Every series once: a unit reported twice (an alias and its unit) would hide behind get().
  const seen = new Set<string>();
  for (const [fam, samples] of sink.families) {
    for (const s of samples) {
      const key = `${fam.name}${JSON.stringify(s.labels)}`;
      assert.ok(!seen.has(key), `duplicate series ${key}`);
      seen.add(key);
    }
  }
  const get = (name: string) => {
    let r = out.get(name);
    if (r === undefined) {
      r = { activeState: '', loadState: '', restarts: undefined };
      out.set(name, r);
    }
    return r;
  };
  for (const [fam, samples] of sink.families) {
    for (const s of samples) {
      const name = s.labels.name;
      if (name === undefined) continue;
      if (fam.name === 'patrol_systemd_unit_state' && s.value === 1) {
        get(name).activeState = s.labels.state ?? '';
      } else if (fam.name === 'patrol_systemd_unit_load_state' && s.value === 1) {
        get(name).loadState = s.labels.state ?? '';
      } else if (fam.name === 'patrol_systemd_service_restarts_total') {
        get(name).restarts = s.value;
      }
    }
  }
  return out;
}

const DEFAULT_FILTER = compileUnitFilter({ include: DEFAULT_INCLUDE, exclude: DEFAULT_EXCLUDE });

/** `systemctl --user list-units --all`, kept as the collector's default include/exclude keep it. */
async function watchedByDefault(sd: SystemdManager): Promise<string[]> {
  const r = await sd.systemctl(['list-units', '--all', '--plain', '--no-legend', '--full']);
  return r.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(
      ([name, load]) =>
        name !== undefined && name !== '' && isWatched(DEFAULT_FILTER, name, load ?? ''),
    )
    .map(([name]) => name ?? '')
    .sort();
}

/**
 * Scrapes between two `systemctl show` of every unit patrol reports, until both agree (nothing
 * changed meanwhile); then every unit must match. A unit in an auto-restart loop changes every
 * second, so this retries rather than comparing with whatever a single show happened to see.
 */
export async function assertMatchesSystemctl(
  sd: SystemdManager,
  collector: { collect(s: SampleBuffer, a: AbortSignal): unknown },
): Promise<Map<string, Reported>> {
  const props = ['ActiveState', 'LoadState', 'NRestarts'];
  let lastMismatch = '';
  for (let attempt = 0; attempt < 40; attempt++) {
    const firstSink = await scrape(collector);
    reported(firstSink); // checks for duplicate series
    const required = [...firstSink.families]
      .filter(([f]) => f.name === 'patrol_systemd_unit_required_info')
      .flatMap(([, samples]) => samples.map((s) => s.labels.name ?? ''));
    const listedBefore = await watchedByDefault(sd);
    // Every unit patrol should report: the loaded ones the default filter keeps, the required.
    const units = [...new Set([...listedBefore, ...required])].sort();
    const before = await sd.show(units, props);
    const mine = reported(await scrape(collector));
    const after = await sd.show(units, props);
    const listedAfter = await watchedByDefault(sd);
    if (JSON.stringify([...before]) !== JSON.stringify([...after])) continue;
    if (JSON.stringify(listedBefore) !== JSON.stringify(listedAfter)) continue;
    const mismatches: string[] = [...mine.keys()]
      .filter((u) => !units.includes(u))
      .map((u) => `${u}: reported, but systemctl lists no such loaded unit and none is required`);
    for (const u of units) {
      const want = after.get(u) ?? {};
      const got = mine.get(u);
      if (got === undefined) {
        mismatches.push(`${u}: not reported`);
        continue;
      }
      if (got.activeState !== want.ActiveState) {
        mismatches.push(`${u}: ActiveState ${got.activeState} != ${want.ActiveState}`);
      }
      // Only required units carry load_state series; any other unit is reported only while
      // loaded, which systemctl must confirm.
      const loadState = got.loadState === '' ? 'loaded' : got.loadState;
      if (loadState !== want.LoadState) {
        mismatches.push(`${u}: LoadState ${loadState} != ${want.LoadState}`);
      }
      if (u.endsWith('.service') && String(got.restarts) !== want.NRestarts) {
        mismatches.push(`${u}: NRestarts ${got.restarts} != ${want.NRestarts}`);
      }
    }
    if (mismatches.length === 0) return mine;
    lastMismatch = mismatches.join('\n');
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`patrol never agreed with systemctl show:\n${lastMismatch}`);
}

const SERVICES: Record<string, string> = {
  'web.service': '[Service]\nExecStart=/bin/sleep 600\n',
  'broken.service': '[Service]\nExecStart=/bin/false\n',
  // Restarts forever: StartLimitIntervalSec=0 lifts the 5-starts-in-10s limit.
  'flapping.service':
    '[Unit]\nStartLimitIntervalSec=0\n[Service]\nExecStart=/bin/false\nRestart=always\nRestartSec=300ms\n',
  'stopped.service': '[Service]\nExecStart=/bin/sleep 600\n',
  'oneshot.service': '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n',
};

export async function installServices(sd: SystemdManager): Promise<void> {
  for (const [name, text] of Object.entries(SERVICES)) {
    await writeFile(join(sd.unitDir, name), text);
  }
  await sd.systemctl(['daemon-reload']);
  await sd.systemctl(['start', 'web', 'flapping', 'stopped', 'oneshot']);
  await sd.systemctl(['start', 'broken'], { allowFail: true });
  await sd.systemctl(['stop', 'stopped']);
}
