/**
 * patrol / Services: the service probes (checklist C7) for the engineer who saw a red service
 * on the wall: which probes fail and why, where the time of a slow one goes (phase by phase,
 * blackbox_exporter's view), the HTTP status codes over time and the certificates' expiry.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import type { ValueMapping } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  barGauge,
  buildDashboard,
  color,
  datasourceVariable,
  instanceVariable,
  jobVariable,
  labelVariable,
  ordered,
  steps,
  table,
  timeseries,
  type Context,
  type DashboardModel,
  type Row,
  valueTexts,
} from '../dashboards/panels.ts';
import { targetMatchers } from '../dashboards/queries.ts';
import { sel } from '../promql.ts';
import { servicesGrid } from './overview.ts';
import { probesQueries } from './queries.ts';
import type { ProbesStrings } from './i18n/en.ts';

type Ctx = Context<ProbesStrings>;

export function serviceTexts(s: Ctx['s']): ValueMapping[] {
  return valueTexts([
    [1, s.values.probeUp, color.ok],
    [0, s.values.probeDown, color.bad],
  ]);
}

export function probesDashboard(ctx: Ctx): DashboardModel {
  const { config, s } = ctx;
  const d = s.probes;
  return buildDashboard(config, {
    uid: ctx.uid('probes'),
    title: d.title,
    description: d.description,
    time: 'now-6h',
    variables: [
      datasourceVariable(s),
      jobVariable(s),
      instanceVariable(s, { multi: true, allValue: '.+' }),
      labelVariable(
        'probe',
        s.variables.probe,
        `label_values(patrol_probe_success${sel(...targetMatchers)}, probe)`,
        { multi: true, allValue: '.+' },
      ),
    ],
    links: ctx.links('probes'),
    rows: [statusRow(ctx), latencyRow(ctx), certificatesRow(ctx)],
  });
}

function statusRow(ctx: Ctx): Row {
  const { config, s } = ctx;
  const p = s.probes.panels;
  const c = s.probes.columns;
  const q = probesQueries(config, { probe: true });
  const t = config.thresholds;
  return {
    title: s.probes.rows.status,
    panels: [
      servicesGrid(ctx, p.services, q.successByProbe).span(24).height(5),
      ordered(
        table(
          p.table,
          [
            { expr: q.success },
            { expr: q.duration },
            { expr: q.statusCode },
            { expr: q.certLeft },
            { expr: q.reason },
          ],
          [
            { field: 'probe', title: c.probe },
            { field: 'module', title: c.module },
            { field: 'target', title: c.target },
            {
              field: 'Value #A',
              title: c.state,
              mappings: serviceTexts(s),
              coloured: true,
              wholeRow: true,
            },
            { field: 'reason', title: c.reason },
            { field: 'Value #B', title: c.duration, unit: 's' },
            { field: 'Value #C', title: c.status },
            { field: 'Value #D', title: c.certificate, unit: 's' },
          ],
          ['Time', 'job', 'Value #E'],
          c.state,
        )
          // The certificate column: red within the critical window, orange within the warning one.
          .thresholds(
            steps(
              color.bad,
              [t.probeCertExpiryCriticalDays * 86_400, color.warn],
              [t.probeCertExpiryWarningDays * 86_400, color.ok],
            ),
          ),
        [
          'probe',
          'module',
          'target',
          'Value #A',
          'reason',
          'Value #B',
          'Value #C',
          'Value #D',
          'instance',
        ],
      )
        .span(24)
        .height(10),
    ],
  };
}

function latencyRow({ config, s }: Ctx): Row {
  const p = s.probes.panels;
  const q = probesQueries(config, { probe: true });
  return {
    title: s.probes.rows.latency,
    panels: [
      timeseries(p.duration, 's', { expr: q.duration, legend: '{{probe}} {{instance}}' }),
      timeseries(p.phases, 's', { expr: q.phases, legend: '{{probe}} {{phase}}' }).stacking(
        new common.StackingConfigBuilder().mode(common.StackingMode.Normal),
      ),
      timeseries(p.statusCodes, 'none', { expr: q.statusCode, legend: '{{probe}}' }).span(24),
    ],
  };
}

function certificatesRow({ config, s }: Ctx): Row {
  const p = s.probes.panels;
  const q = probesQueries(config, { probe: true });
  const t = config.thresholds;
  return {
    title: s.probes.rows.certificates,
    panels: [
      barGauge(
        p.certificateDays,
        { expr: q.certLeft, legend: '{{probe}} {{target}}' },
        's',
      ).thresholds(
        steps(
          color.bad,
          [t.probeCertExpiryCriticalDays * 86_400, color.warn],
          [t.probeCertExpiryWarningDays * 86_400, color.ok],
        ),
      ),
      barGauge(p.tlsVerified, { expr: q.tlsVerified, legend: '{{probe}}' }, 'none')
        .mappings(
          valueTexts([
            [1, s.values.verified, color.ok],
            [0, s.values.notVerified, color.bad],
          ]),
        )
        .thresholds(steps(color.bad, [1, color.ok])),
    ],
  };
}
