import type { MixinConfig } from '../config.ts';
import { promql, sel } from '../promql.ts';
import type { GroupSpec } from '../alerts/types.ts';
import type { ProbesStrings } from './i18n/en.ts';

/** The alerts whose texts this area's string table has. */
type Alert = keyof ProbesStrings['alerts'];

/** The labels that name one probe. */
export const PROBE = 'instance, job, probe, module, target';

/**
 * Service probes (checklist C7): blackbox-exporter-mixin's shape. A failing probe pages after a
 * short wait and its description names the reason (from the one-hot failure reason), so the
 * page says "refused" or "tls" without a dashboard. A certificate alert reads the earliest
 * expiry in the chain, which patrol exports even when verification fails: an expired
 * certificate is PatrolProbeCertificateExpired, not a silent gap.
 */
export function probesGroup(c: MixinConfig): GroupSpec<Alert> {
  const s = sel(c.selector);
  const t = c.thresholds;
  const left = `(patrol_probe_tls_cert_not_after_timestamp_seconds${sel(c.selector, 'cert="earliest"')} - time())`;
  const days = (n: number) => n * 86_400;
  return {
    name: 'patrol-probes',
    rules: [
      {
        alert: 'PatrolProbeFailed',
        severity: 'critical',
        // The reason is read into the description (a query in its template), not joined as a
        // label: a probe whose reason alternates (timeout, refused) would restart its `for:`.
        expr: `patrol_probe_success${s} == 0`,
        for: c.for.probeFailed,
      },
      {
        alert: 'PatrolProbeSlow',
        severity: 'warning',
        expr: promql`
          patrol_probe_duration_seconds${s} > on (${PROBE}) patrol_probe_slow_threshold_seconds${s}
          and on (${PROBE})
          patrol_probe_success${s} == 1`,
        for: c.for.probeSlow,
      },
      {
        alert: 'PatrolProbeCertificateExpiring',
        severity: 'warning',
        expr: `${left} < ${days(t.probeCertExpiryWarningDays)} > ${days(t.probeCertExpiryCriticalDays)}`,
        for: c.for.probeCertExpiring,
        params: { days: String(t.probeCertExpiryWarningDays) },
      },
      {
        alert: 'PatrolProbeCertificateExpiring',
        severity: 'critical',
        expr: `${left} <= ${days(t.probeCertExpiryCriticalDays)} > 0`,
        for: c.for.probeCertExpiring,
        params: { days: String(t.probeCertExpiryCriticalDays) },
      },
      {
        alert: 'PatrolProbeCertificateExpired',
        severity: 'critical',
        expr: `${left} <= 0`,
        for: c.for.probeCertExpiring,
      },
      {
        alert: 'PatrolProbeRabbitmqAlarm',
        severity: 'critical',
        expr: `patrol_probe_rabbitmq_alarm${s} == 1`,
        for: c.for.probeRabbitmqAlarm,
      },
    ],
  };
}
