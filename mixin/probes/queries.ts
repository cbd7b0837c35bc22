/** The probes' PromQL for the dashboards. */
import type { MixinConfig } from '../config.ts';
import { targetMatchers } from '../dashboards/queries.ts';
import { sel } from '../promql.ts';

const BY = 'job, instance, probe, module, target';

export function probesQueries(c: MixinConfig, variables: { probe: boolean }) {
  const m = [...targetMatchers, variables.probe ? 'probe=~"$probe"' : ''].filter((x) => x !== '');
  const s = sel(...m);
  const earliest = sel(...m, 'cert="earliest"');
  const t = c.thresholds;
  return {
    success: `patrol_probe_success${s}`,
    /** One cell per probe name on the wall: down if any patrol probing it says so. */
    successByProbe: `min by (probe) (patrol_probe_success${s})`,
    failing: `patrol_probe_success${s} == 0`,
    duration: `patrol_probe_duration_seconds${s}`,
    slowest: `max(patrol_probe_duration_seconds${s})`,
    phases: `sum by (probe, phase) (patrol_probe_phase_duration_seconds${s})`,
    statusCode: `patrol_probe_http_status_code${s}`,
    reason: `max by (${BY}, reason) (patrol_probe_failure_reason${s} == 1)`,
    certLeft: `max by (${BY}) (patrol_probe_tls_cert_not_after_timestamp_seconds${earliest} - time())`,
    certExpiring: `(patrol_probe_tls_cert_not_after_timestamp_seconds${earliest} - time()) < ${t.probeCertExpiryWarningDays * 86_400}`,
    tlsVerified: `patrol_probe_tls_verified${s}`,
  };
}
