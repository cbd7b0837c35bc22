/** The exporter area's dashboard panels, as built (the properties of every dashboard: mixin/dashboards/). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { build, panelsOf } from '../dashboards/testing.ts';
import { strings } from '../i18n/index.ts';

describe('exporter dashboard panels', () => {
  it('count the alerts about a whole HA pair on the Overview, for the pairs of the selected servers', () => {
    const { 'overview.json': overview } = build('en');
    assert.ok(overview);
    const o = strings('en').dashboards.overview.panels;
    for (const [title, severity] of [
      [o.criticalAlerts.title, 'critical'],
      [o.warningAlerts.title, 'warning'],
    ]) {
      const p = panelsOf(overview).find((x) => x.title === title);
      assert.ok(
        (p?.targets?.[0]?.expr ?? '').startsWith(
          `(count(ALERTS{alertstate="firing", severity="${severity}", job=~"$job", instance=~"$instance"} or (ALERTS{alertstate="firing", severity="${severity}", job=~"$job", instance=""} and on (job, cluster) patrol_ha_role{job=~"$job", instance=~"$instance"})) or vector(0))`,
        ),
        p?.targets?.[0]?.expr,
      );
    }
  });
});
