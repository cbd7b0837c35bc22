/**
 * patrol / systemd: the units of one server (or a few) in detail, for the engineer who saw a
 * red unit on the wall (checklist C1, C2). Where the Overview says "kubelet is not active on
 * node-7", this says since when, what it did before, whether it is restarting, and what else on
 * that server is not active.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import type { ValueMapping } from '@grafana/grafana-foundation-sdk/dashboard';
import { durationSeconds } from '../config.ts';
import { sel } from '../promql.ts';
import {
  barGauge,
  buildDashboard,
  color,
  countTile,
  dataLink,
  datasourceVariable,
  instanceVariable,
  jobVariable,
  labelVariable,
  levelTile,
  stateTimeline,
  steps,
  table,
  timeseries,
  type Context,
  type DashboardModel,
  type Row,
  type Text,
  valueTexts,
} from '../dashboards/panels.ts';
import { targetMatchers } from '../dashboards/queries.ts';
import { LOADED, SYSTEM, UNIT, systemdQueries } from './queries.ts';
import type { SystemdStrings } from './i18n/en.ts';

/** The context of this area's builders: the shared words and its own. */
type Ctx = Context<SystemdStrings>;
type DashboardStrings = Ctx['s'];

const rows: ((ctx: Ctx) => Row)[] = [managerRow, requiredRow, unitsRow];

export function systemdDashboard(ctx: Ctx): DashboardModel {
  const { config, s } = ctx;
  const d = s.systemd;
  return buildDashboard(config, {
    uid: ctx.uid('systemd'),
    title: d.title,
    description: d.description,
    time: 'now-24h',
    variables: [
      datasourceVariable(s),
      jobVariable(s),
      // From `up`, like Host: a server whose systemd (or exporter) is down is the one to open.
      // Several can be picked to compare one unit across nodes, but it starts on one: "All"
      // of a fleet would be thousands of unit rows.
      instanceVariable(s, {
        multi: true,
        includeAll: false,
      }),
      // From the active state, which every reported unit has, required ones that do not exist too
      // (load_state is exported for required units only).
      labelVariable(
        'name',
        s.variables.name,
        `label_values(patrol_systemd_unit_state${sel(...targetMatchers)}, name)`,
        { multi: true, allValue: '.+' },
      ),
    ],
    links: ctx.links('systemd'),
    rows: rows.map((row) => row(ctx)),
  });
}

/**
 * Words and colours of a unit's coded state (queries.ts UNIT). `required`: the units must be
 * active, so anything else is red; otherwise inactive is grey (a oneshot service that ran and
 * exited) and the transitions orange.
 */
export function unitTexts(s: DashboardStrings, required: boolean): ValueMapping[] {
  const u = s.values.unit;
  const off = required ? color.bad : color.idle;
  const moving = required ? color.bad : color.warn;
  return valueTexts([
    [UNIT.active, u.active, color.ok],
    [UNIT.activating, u.activating, moving],
    [UNIT.deactivating, u.deactivating, moving],
    [UNIT.inactive, u.inactive, off],
    [UNIT.failed, u.failed, color.bad],
    [UNIT.maintenance, u.maintenance, moving],
    [UNIT.missing, u.missing, color.bad],
    [UNIT.masked, u.masked, color.bad],
    [UNIT.badUnitFile, u.badUnitFile, color.bad],
    ...(required
      ? ([
          [UNIT.unreachable, u.unreachable, color.bad],
          [UNIT.exporterDown, u.exporterDown, color.bad],
          [UNIT.noRequiredUnits, u.noRequiredUnits, color.neutral],
        ] as const)
      : []),
  ]);
}

/**
 * One tile per (server, required unit), the word on a green or red background: the grid of
 * the wall display, and of this dashboard's required row. A click opens this dashboard on the
 * unit. The neutral step is for "no required units" (-1).
 */
export function requiredUnitsGrid(ctx: Ctx, text: Text, expr: string) {
  return levelTile(
    text,
    { expr, legend: '{{instance}} {{name}}' },
    'none',
    steps(color.neutral, [UNIT.active, color.ok], [UNIT.active + 1, color.bad]),
  )
    .mappings(unitTexts(ctx.s, true))
    .textMode(common.BigValueTextMode.ValueAndName)
    .dataLinks([
      dataLink(
        ctx.s.links.openSystemd,
        `/d/${ctx.uid('systemd')}?var-datasource=\${datasource}&var-job=\${__field.labels.job}&var-instance=\${__field.labels.instance}&var-name=\${__field.labels.name}&\${__url_time_range}`,
      ),
    ]);
}

function managerRow({ s }: Ctx): Row {
  const p = s.systemd.panels;
  const v = s.values;
  const q = systemdQueries({ name: true });
  const perHost = { legend: '{{instance}}' };
  const sys = v.system;
  return {
    title: s.systemd.rows.manager,
    panels: [
      levelTile(p.reachable, { expr: q.up, ...perHost }, 'none', steps(color.bad, [1, color.ok]))
        .mappings(
          valueTexts([
            [1, v.reachable, color.ok],
            [0, v.unreachable, color.bad],
          ]),
        )
        .height(4),
      levelTile(
        p.systemState,
        { expr: q.systemState, ...perHost },
        'none',
        steps(color.ok, [SYSTEM.initializing, color.warn], [SYSTEM.degraded, color.bad]),
      )
        .mappings(
          valueTexts([
            [SYSTEM.running, sys.running, color.ok],
            [SYSTEM.initializing, sys.initializing, color.warn],
            [SYSTEM.starting, sys.starting, color.warn],
            [SYSTEM.degraded, sys.degraded, color.bad],
            [SYSTEM.maintenance, sys.maintenance, color.bad],
            [SYSTEM.stopping, sys.stopping, color.warn],
            [SYSTEM.offline, sys.offline, color.bad],
            [SYSTEM.unknown, sys.unknown, color.bad],
          ]),
        )
        .height(4),
      levelTile(
        p.version,
        { expr: q.version, legend: '{{instance}} {{version}}' },
        'none',
        steps(color.neutral),
      )
        .textMode(common.BigValueTextMode.Name)
        .height(4),
      countTile(p.unitsFailed, q.failed).height(4),
      countTile(p.requiredNotActive, q.requiredNotActive).height(4),
      levelTile(p.corrections, { expr: q.corrections }, 'none', steps(color.ok, [1, color.warn]))
        .decimals(0)
        .height(4),
      timeseries(p.unitsByState, 'short', { expr: q.units, legend: '{{instance}} {{state}}' })
        .decimals(0)
        .min(0)
        .span(24)
        .height(7),
    ],
  };
}

function requiredRow(ctx: Ctx): Row {
  const { s } = ctx;
  const q = systemdQueries({ name: true });
  return {
    title: s.systemd.rows.required,
    panels: [
      requiredUnitsGrid(ctx, s.systemd.panels.requiredUnits, q.requiredGrid).span(24).height(6),
    ],
  };
}

function unitsRow({ config, s }: Ctx): Row {
  const p = s.systemd.panels;
  const v = s.values;
  const c = s.systemd.columns;
  const q = systemdQueries({ name: true });
  const perUnit = { legend: '{{instance}} {{name}}' };
  const onUnit = q.onUnit;
  /** A column of the not-active table: one value per unit, for the units not active only. */
  const column = (expr: string) => ({
    expr: `max by (${q.byUnit}) (${expr}) and ${onUnit} (${q.notActive})`,
  });
  return {
    title: s.systemd.rows.units,
    panels: [
      stateTimeline(
        p.timeline,
        { expr: `(${q.unitCode}) and ${onUnit} (${q.shown})`, ...perUnit },
        unitTexts(s, false),
        steps(color.neutral),
      )
        .span(24)
        .height(10),
      table(
        p.notActive,
        [
          column(q.activeCode),
          column(q.loadCode),
          column(q.required),
          column(q.running),
          column(q.timeInState),
          column(q.sinceActive),
        ],
        [
          { field: 'instance', title: c.host },
          { field: 'name', title: c.unit },
          {
            field: 'Value #A',
            title: c.activeState,
            mappings: unitTexts(s, false),
            coloured: true,
          },
          {
            field: 'Value #B',
            title: c.loadState,
            mappings: valueTexts([
              [LOADED, v.unit.loaded, color.ok],
              [UNIT.missing, v.unit.missing, color.bad],
              [UNIT.masked, v.unit.masked, color.bad],
              [UNIT.badUnitFile, v.unit.badUnitFile, color.bad],
            ]),
            coloured: true,
          },
          {
            field: 'Value #C',
            title: c.required,
            mappings: valueTexts([[1, v.unit.required, color.neutral]]),
          },
          {
            field: 'Value #D',
            title: c.mainProcess,
            mappings: valueTexts([
              [1, v.unit.running, color.ok],
              [0, v.unit.notRunning, color.idle],
            ]),
          },
          { field: 'Value #E', title: c.inState, unit: 'dtdurations' },
          { field: 'Value #F', title: c.sinceActive, unit: 'dtdurations' },
        ],
        ['Time', 'job'],
        c.activeState,
      )
        .span(24)
        .height(9),
      levelTile(
        p.timeInState,
        { expr: `${q.timeInState} and ${onUnit} (${q.shown})`, ...perUnit },
        'dtdurations',
        steps(color.warn, [
          durationSeconds(config.thresholds.systemdRestartsWindow),
          color.neutral,
        ]),
      )
        .textMode(common.BigValueTextMode.ValueAndName)
        .span(12)
        .height(8),
      barGauge(p.restarts, { expr: q.restartsInRange, ...perUnit }, 'none')
        .decimals(0)
        .thresholds(steps(color.warn))
        .noValue(v.noRestarts),
    ],
  };
}
