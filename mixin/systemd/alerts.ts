import type { MixinConfig } from '../config.ts';
import { promql, sel } from '../promql.ts';
import type { GroupSpec } from '../alerts/types.ts';
import type { SystemdStrings } from './i18n/en.ts';

/** The alerts whose texts this area's string table has. */
type Alert = keyof SystemdStrings['alerts'];

/**
 * systemd units (checklist C1, C2: kube-apiserver, kubelet, docker... "active (running)").
 * Each problem of a unit raises one alert. For a required unit (collectors.systemd.units and
 * presets) the three unit alerts split the cases between them:
 *   load state not "loaded"             -> PatrolSystemdRequiredUnitMissing
 *   loaded and failed                   -> PatrolSystemdUnitFailed (critical)
 *   loaded, neither active nor failed   -> PatrolSystemdRequiredUnitInactive
 * Other units only raise PatrolSystemdUnitFailed (warning). PatrolSystemdSystemDegraded says
 * the same as a failed unit when that unit is reported; deploy/alertmanager.yml holds it back
 * then.
 */
export function systemdGroup(c: MixinConfig): GroupSpec<Alert> {
  const s = sel(c.selector);
  const t = c.thresholds;
  const failed = `patrol_systemd_unit_state${sel(c.selector, 'state="failed"')} == 1`;
  const required = `patrol_systemd_unit_required_info${s}`;
  // Exactly the complement of PatrolSystemdRequiredUnitMissing's condition, so a required unit
  // is never both missing and failed or inactive.
  const notLoaded = `patrol_systemd_unit_load_state${sel(c.selector, 'state!="loaded"')} == 1`;

  return {
    name: 'patrol-systemd',
    rules: [
      {
        // Unit series are absent while it fires: the unit alerts resolve instead of lying.
        alert: 'PatrolSystemdUnreachable',
        severity: 'warning',
        expr: `patrol_systemd_up${s} == 0`,
        for: c.for.systemdUnreachable,
      },
      {
        // A unit that systemd no longer knows (unit file removed after it failed) is still
        // listed as failed; that is PatrolSystemdRequiredUnitMissing's case.
        alert: 'PatrolSystemdUnitFailed',
        severity: 'critical',
        expr: promql`
          ${failed}
          and on (instance, job, name)
          ${required}
          unless on (instance, job, name)
          ${notLoaded}`,
        for: c.for.systemdUnitFailed,
      },
      {
        alert: 'PatrolSystemdUnitFailed',
        severity: 'warning',
        expr: promql`
          ${failed}
          unless on (instance, job, name)
          ${required}`,
        for: c.for.systemdUnitFailed,
      },
      {
        // The one-hot series that is 1, other than active and failed: its `state` label is the
        // current state (inactive, activating, deactivating, reloading, maintenance). A unit
        // moving from one such state to another starts a new alert (a new `state`), whose
        // description is then right.
        alert: 'PatrolSystemdRequiredUnitInactive',
        severity: 'critical',
        expr: promql`
          patrol_systemd_unit_state${sel(c.selector, 'state!~"active|failed"')} == 1
          and on (instance, job, name)
          ${required}
          unless on (instance, job, name)
          ${notLoaded}`,
        for: c.for.systemdRequiredUnitInactive,
      },
      {
        // not-found, masked, bad-setting or error: the only load states other than loaded, and
        // only required units are reported in them.
        alert: 'PatrolSystemdRequiredUnitMissing',
        severity: 'critical',
        expr: promql`
          ${notLoaded}
          and on (instance, job, name)
          ${required}`,
        for: c.for.systemdRequiredUnitMissing,
      },
      {
        // NRestarts counts automatic restarts (Restart=) only, not `systemctl restart`. A service
        // that gave up (failed at its start limit) is PatrolSystemdUnitFailed's; while the
        // manager is unreachable the counter's last samples would keep this firing for a window.
        alert: 'PatrolSystemdServiceRestarting',
        severity: 'warning',
        expr: promql`
          increase(patrol_systemd_service_restarts_total${s}[${t.systemdRestartsWindow}]) >= ${t.systemdRestartsCount}
          unless on (instance, job, name)
          ${failed}
          unless on (instance, job)
          patrol_systemd_up${s} == 0`,
        for: c.for.systemdServiceRestarting,
        params: { window: t.systemdRestartsWindow },
      },
      {
        // Any failed unit, reported by patrol or not (scopes, devices, excluded units).
        alert: 'PatrolSystemdSystemDegraded',
        severity: 'warning',
        expr: `patrol_systemd_system_state${sel(c.selector, 'state="degraded"')} == 1`,
        for: c.for.systemdSystemDegraded,
      },
    ],
  };
}
