/** The filesystem area's dashboard panels, as built (the properties of every dashboard: mixin/dashboards/). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfig, durationSeconds, type MixinConfig } from '../config.ts';
import { build, panelsOf } from '../dashboards/testing.ts';

describe('filesystem dashboard panels', () => {
  it('colour with the thresholds of the config, as the alerts use them', () => {
    const config: MixinConfig = {
      ...defaultConfig,
      dashboardThresholds: { usedWarning: 0.5, usedCritical: 0.6 },
      thresholds: {
        ...defaultConfig.thresholds,
        predictCriticalHorizon: '2h',
        predictWindow: '3h',
      },
    };
    const { 'overview.json': overview, 'host.json': host } = build('en', config);
    assert.ok(overview && host);
    const fullest = panelsOf(overview).find((p) =>
      p.targets?.[0]?.expr.startsWith('max((1 - patrol_filesystem_avail'),
    );
    assert.deepEqual(
      fullest?.fieldConfig?.defaults?.thresholds?.steps.map((s) => s.value),
      [null, 0.5, 0.6],
    );
    const ttf = panelsOf(host).find((p) => p.targets?.[0]?.expr.includes('deriv('));
    assert.ok(ttf?.targets?.[0]?.expr.includes('[3h]'));
    assert.equal(ttf?.fieldConfig?.defaults?.thresholds?.steps[1]?.value, durationSeconds('2h'));
    const readOnly = panelsOf(overview).find((p) =>
      p.targets?.[0]?.expr.includes('unless patrol_filesystem_readonly'),
    );
    assert.ok(readOnly?.targets?.[0]?.expr.includes(config.readOnlyExpectedSelector));
  });
});
