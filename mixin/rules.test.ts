import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ruleGroups, isAlert } from './alerts/index.ts';
import { defaultConfig, durationSeconds } from './config.ts';
import { fillParams, localizeGroups, ruleFileText, runbookUrl } from './rules.ts';

describe('rule files', () => {
  it('fill %parameters% and refuse one without a value', () => {
    assert.equal(fillParams('full within %horizon%', { horizon: '4h' }), 'full within 4h');
    assert.throws(() => fillParams('full within %horizon%'), /no value for %horizon%/);
  });

  it('carry every alert with its language and runbook, and parse back as the same rules', () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      const text = ruleFileText(defaultConfig, lang);
      assert.deepEqual(parse(text), { groups: localizeGroups(defaultConfig, lang) });
    }
    assert.equal(
      runbookUrl(defaultConfig, 'zh-CN', 'PatrolExporterDown'),
      `${defaultConfig.runbookUrlBase}/zh-CN/PatrolExporterDown.md`,
    );
  });

  it('follow the config: selector, thresholds and for: durations reach the expressions', () => {
    const config = {
      ...defaultConfig,
      selector: 'job="patrol-dc1"',
      thresholds: { ...defaultConfig.thresholds, spaceAvailableCritical: 0.01 },
      for: { ...defaultConfig.for, exporterDown: '2m' },
    };
    const alerts = ruleGroups(config)
      .flatMap((g) => g.rules)
      .filter(isAlert);
    for (const a of alerts) assert.match(a.expr, /job="patrol-dc1"/, a.alert);
    const down = alerts.find((a) => a.alert === 'PatrolExporterDown');
    assert.equal(down?.for, '2m');
    const critical = alerts.find(
      (a) => a.alert === 'PatrolFilesystemAlmostOutOfSpace' && a.severity === 'critical',
    );
    assert.match(critical?.expr ?? '', /< 0\.01\b/);
  });

  it('reads Prometheus durations as seconds', () => {
    assert.equal(durationSeconds('24h'), 86400);
    assert.equal(durationSeconds('90s'), 90);
    assert.throws(() => durationSeconds('1h30m'), /single-unit/);
  });
});
