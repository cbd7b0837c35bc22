/** The containers area's row of patrol / Overview: four counts, green at 0. */
import { countTile, type Context } from '../dashboards/panels.ts';
import { targetMatchers } from '../dashboards/queries.ts';
import type { DashboardPart } from '../dashboards/shared.ts';
import { sel } from '../promql.ts';
import type { MixinConfig } from '../config.ts';
import type { ContainersStrings } from './i18n/en.ts';

type Ctx = Context<ContainersStrings>;

export function containersQueries(c: MixinConfig) {
  const s = sel(...targetMatchers);
  const t = c.thresholds;
  return {
    engineDown: `patrol_container_engine_up${s} == 0`,
    requiredDown: `(patrol_container_state${sel(...targetMatchers, 'state=~"created|paused|exited|dead|removing|missing"')} == 1) and on (instance, job, name) patrol_container_required_info${s}`,
    unhealthy: `patrol_container_health_status${sel(...targetMatchers, 'status="unhealthy"')} == 1`,
    restarting: `max by (instance, job, name) (increase(patrol_container_restart_count${s}[${t.containerRestartsWindow}]) >= ${t.containerRestartsCount} or patrol_container_state${sel(...targetMatchers, 'state="restarting"')} == 1)`,
  };
}

export function overviewPart({ config, s }: Ctx): DashboardPart {
  const p = s.overview.panels;
  const q = containersQueries(config);
  return {
    rows: [
      {
        id: 'containers',
        title: s.overview.rows.containers,
        panels: [
          countTile(p.engineUnreachable, q.engineDown, 'warn').span(6),
          countTile(p.requiredNotRunning, q.requiredDown).span(6),
          countTile(p.unhealthy, q.unhealthy, 'warn').span(6),
          countTile(p.restarting, q.restarting, 'warn').span(6),
        ],
      },
    ],
  };
}
