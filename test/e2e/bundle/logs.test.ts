/**
 * The log alerts on real Prometheus: a source whose nginx log keeps getting errors, a silent
 * source and a source without files (a directory where its glob expects files) fire them, and
 * nothing else does.
 *
 * Needs the Debian package prometheus.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RULES_CONFIG, startBundle, writeConfig } from '../../harness/bundle-env.ts';
import {
  APPEND_SECONDS,
  ERRORS_PER_APPEND,
  LOG_POLL_SECONDS,
  LOG_RESCAN_SECONDS,
  MAX_SILENCE_SECONDS,
  logsFixture,
} from '../../harness/bundle-fixtures.ts';
import { seconds, type Needs } from '../../harness/budget.ts';
import { onlyCollectors } from '../../harness/config.ts';
import { startExporter } from '../../harness/exporter.ts';
import { tempDir } from '../../harness/tmp.ts';

describe('the log alerts on real Prometheus', () => {
  it('fire from real log files', async (t) => {
    const dir = await tempDir(t, 'patrol-bundle-logs-');
    const logs = await logsFixture(t, dir);
    const configFile = await writeConfig(join(dir, 'patrol.yml'), onlyCollectors(logs.sections));
    const exporter = await startExporter(t, { configFile });
    const b = await startBundle(t, { dir, exporters: [exporter] });
    const { instance, prom, sel } = b;
    // After a first scrape, so the read error is an increase Prometheus sees.
    await b.waitForData(`patrol_log_read_errors_total${sel}`, {
      scrapes: 1,
      work: LOG_RESCAN_SECONDS,
    });
    await logs.makeMissingDir();

    await t.test(
      'errors, a source without files and a silent source fire the log alerts',
      async () => {
        const firing = async (alert: string, source: string, needs: Needs) =>
          (await b.firing(alert, { source, instance }, needs))[0] ?? assert.fail(`no ${alert}`);
        // Errors appended and read, in two scrapes (a rate). rate() divides by the whole window:
        // above the threshold once the window holds threshold x window errors, that many
        // appends' worth of time.
        const { logErrorsPerMinute, logErrorsWindow } = RULES_CONFIG.thresholds;
        const errorsNeeded = (logErrorsPerMinute * seconds(logErrorsWindow)) / 60;
        const high = await firing('PatrolLogErrorsHigh', 'app', {
          scrapes: 2,
          evaluations: 1,
          work: APPEND_SECONDS + LOG_POLL_SECONDS,
          wait: Math.ceil(errorsNeeded / ERRORS_PER_APPEND) * APPEND_SECONDS,
        });
        assert.match(high.annotations.description ?? '', /app/);
        // The glob rescanned and the directory refused.
        await firing('PatrolLogSourceMissing', 'missing', {
          scrapes: 1,
          evaluations: 1,
          work: LOG_RESCAN_SECONDS,
        });
        // Silent for longer than max_silence.
        await firing('PatrolLogSourceSilent', 'quiet', {
          scrapes: 1,
          evaluations: 1,
          wait: MAX_SILENCE_SECONDS,
        });
        const errors = await prom.query(
          `patrol_log_read_errors_total{instance="${instance}", source="missing", reason="not_a_file"}`,
        );
        assert.equal(Number(errors[0]?.value[1]), 1);
        const wrong = (await prom.alerts()).filter(
          (a) =>
            (a.labels.alertname ?? '').startsWith('PatrolLog') &&
            !(
              (a.labels.alertname === 'PatrolLogErrorsHigh' && a.labels.source === 'app') ||
              (a.labels.alertname === 'PatrolLogSourceMissing' && a.labels.source === 'missing') ||
              (a.labels.alertname === 'PatrolLogSourceSilent' && a.labels.source === 'quiet')
            ),
        );
        assert.deepEqual(wrong, [], 'no other log alert');
      },
    );
  });
});
