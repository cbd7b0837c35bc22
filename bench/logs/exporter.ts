/** bench/logs.ts, memory: the exporter as deployed (dist/main.js), with and without the log collector. */
import { linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LEVELS } from '../../src/collectors/logs/metrics.ts';
import { get, residentKiB, startPatrol, statusKiB } from '../lib/peers.ts';

export interface ExporterRun {
  /** From the file's appearance to the last line counted. */
  ms: number;
  lines: number[];
  /** VmRSS (and its anonymous and file-backed parts) after start-up and a few scrapes, the worker following an empty file. */
  idleKiB: number;
  idleAnonKiB: number;
  idleFileKiB: number;
  rssKiB: number;
  hwmKiB: number;
}

/**
 * The exporter as deployed (dist/main.js through bench/lib/peers.ts startPatrol, not pinned):
 * the embedded default configuration plus one logs source, a glob over a directory holding one
 * empty file (so the log worker thread runs from the start; positions kept in the temporary
 * directory). Once it follows that file and has answered 5 scrapes, its VmRSS is the idle
 * figure; then the big file is hard-linked into the directory (inotify makes the worker look
 * again, and a new file is read from its start) and the exporter is scraped every 250 ms until
 * all of it is counted; then its VmHWM is the peak.
 */
export async function exporter(dir: string, file: string, size: number): Promise<ExporterRun> {
  const logDir = join(dir, 'exporter');
  mkdirSync(logDir);
  writeFileSync(join(logDir, 'empty.log'), '');
  const config = join(dir, 'patrol.yml');
  writeFileSync(
    config,
    [
      'collectors:',
      '  logs:',
      `    positions_file: ${JSON.stringify(join(dir, 'positions.json'))}`,
      '    sources:',
      '      - name: bench',
      `        paths: [${JSON.stringify(join(logDir, '*.log'))}]`,
      '        format: syslog',
      '        start_at: beginning',
      '',
    ].join('\n'),
  );
  const running = await startPatrol([`--config.file=${config}`]);
  try {
    const value = (body: string, name: string, level?: string) => {
      const labels = level === undefined ? '' : `,level="${level}"`;
      const line = `${name}{source="bench"${labels}} `;
      const at = body.indexOf(`\n${line}`);
      return at === -1
        ? undefined
        : Number(body.slice(at + line.length + 1, body.indexOf('\n', at + 1)));
    };
    const scrape = async () => (await get(`${running.url}/metrics`, false)).body;
    const ready = performance.now();
    while (value(await scrape(), 'patrol_log_files') !== 1) {
      if (performance.now() - ready > 30_000) {
        throw new Error(
          `the exporter does not follow ${logDir}/empty.log\n${running.proc.describe()}`,
        );
      }
      await sleep(100);
    }
    for (let i = 0; i < 5; i++) {
      await scrape();
      await sleep(200);
    }
    const idle = await residentKiB(running.proc.pid);
    const started = performance.now();
    linkSync(file, join(logDir, 'mixed.log'));
    let body = '';
    for (;;) {
      body = await scrape();
      const read = value(body, 'patrol_log_read_bytes_total');
      if (read !== undefined && read >= size && value(body, 'patrol_log_lag_bytes') === 0) break;
      if (!running.proc.running || performance.now() - started > 120_000) {
        throw new Error(
          `the exporter did not read ${file} (read ${read} bytes)\n${running.proc.describe()}`,
        );
      }
      await sleep(250);
    }
    const ms = performance.now() - started;
    const { status } = await residentKiB(running.proc.pid);
    return {
      ms,
      lines: LEVELS.map((l) => value(body, 'patrol_log_lines_total', l) ?? NaN),
      idleKiB: idle.rssKiB,
      idleAnonKiB: statusKiB(idle.status, 'RssAnon') ?? NaN,
      idleFileKiB: statusKiB(idle.status, 'RssFile') ?? NaN,
      rssKiB: statusKiB(status, 'VmRSS') ?? NaN,
      hwmKiB: statusKiB(status, 'VmHWM') ?? NaN,
    };
  } finally {
    await running.proc.stop();
  }
}

/** The same exporter without the log collector, idle after 5 scrapes: VmRSS and its split, in KiB. */
export async function exporterWithoutLogs(
  dir: string,
): Promise<{ rssKiB: number; anonKiB: number; fileKiB: number }> {
  const config = join(dir, 'patrol-nologs.yml');
  writeFileSync(config, 'collectors:\n  logs:\n    enabled: false\n');
  const running = await startPatrol([`--config.file=${config}`]);
  try {
    for (let i = 0; i < 5; i++) {
      await get(`${running.url}/metrics`, false);
      await sleep(200);
    }
    const { rssKiB, status } = await residentKiB(running.proc.pid);
    return {
      rssKiB,
      anonKiB: statusKiB(status, 'RssAnon') ?? NaN,
      fileKiB: statusKiB(status, 'RssFile') ?? NaN,
    };
  } finally {
    await running.proc.stop();
  }
}
