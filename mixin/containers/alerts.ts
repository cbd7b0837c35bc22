import type { MixinConfig } from '../config.ts';
import { promql, sel } from '../promql.ts';
import type { GroupSpec } from '../alerts/types.ts';
import type { ContainersStrings } from './i18n/en.ts';

type Alert = keyof ContainersStrings['alerts'];

/**
 * Containers (checklist C7 where an installer runs the middleware in Docker). Required
 * containers (collectors.containers.required) page when they are not running or do not exist;
 * any selected container warns when unhealthy or crash looping. A stopped one-off container
 * that is not required raises nothing: many are meant to exit.
 */
export function containersGroup(c: MixinConfig): GroupSpec<Alert> {
  const s = sel(c.selector);
  const t = c.thresholds;
  const required = `patrol_container_required_info${s}`;
  return {
    name: 'patrol-containers',
    rules: [
      {
        alert: 'PatrolContainerEngineUnreachable',
        severity: 'warning',
        expr: `patrol_container_engine_up${s} == 0`,
        for: c.for.containerEngineUnreachable,
      },
      {
        // Restarting is PatrolContainerRestarting's; missing is PatrolContainerRequiredMissing's.
        alert: 'PatrolContainerNotRunning',
        severity: 'critical',
        expr: promql`
          patrol_container_state${sel(c.selector, 'state=~"created|paused|exited|dead|removing"')} == 1
          and on (instance, job, name)
          ${required}`,
        for: c.for.containerNotRunning,
      },
      {
        alert: 'PatrolContainerRequiredMissing',
        severity: 'critical',
        expr: `patrol_container_state${sel(c.selector, 'state="missing"')} == 1`,
        for: c.for.containerRequiredMissing,
      },
      {
        alert: 'PatrolContainerUnhealthy',
        severity: 'warning',
        expr: `patrol_container_health_status${sel(c.selector, 'status="unhealthy"')} == 1`,
        for: c.for.containerUnhealthy,
      },
      {
        // The count starts again at 0 when a container is re-created: increase() takes that
        // drop for a reset, as it does for a counter.
        alert: 'PatrolContainerRestarting',
        severity: 'warning',
        expr: promql`
          increase(patrol_container_restart_count${s}[${t.containerRestartsWindow}]) >= ${t.containerRestartsCount}
          or
          patrol_container_state${sel(c.selector, 'state="restarting"')} == 1`,
        for: c.for.containerRestarting,
        params: { window: t.containerRestartsWindow, count: String(t.containerRestartsCount) },
      },
    ],
  };
}
