/**
 * The few panel shapes the dashboards are made of. A wall display is only readable when every
 * tile behaves the same way (big value, background colour, one word for a state), so the
 * dashboards describe panels as data and these builders decide how they look.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import {
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  DatasourceVariableBuilder,
  MappingType,
  QueryVariableBuilder,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  VariableSort,
  type Dashboard,
  type DashboardLink,
  type DynamicConfigValue,
  type Panel,
  type RowPanel,
  type Threshold,
  type ValueMapping,
  type VariableModel,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as BarGaugePanelBuilder } from '@grafana/grafana-foundation-sdk/bargauge';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as StateTimelinePanelBuilder } from '@grafana/grafana-foundation-sdk/statetimeline';
import { PanelBuilder as TablePanelBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import type { MixinConfig } from '../config.ts';
import type { SharedStrings } from '../i18n/en.ts';
import type { Lang } from '../i18n/types.ts';
import type { DashboardPart } from './shared.ts';

/** The words every dashboard can use; an area's own come on top (Context<S>). */
export type DashboardStrings = SharedStrings['dashboards'];

/**
 * The classic dashboard JSON (schemaVersion 4x). The SDK marks it deprecated in favour of the
 * v2 resource, but v2 only imports into Grafana 12 with its new-layouts feature on, and the
 * control rooms run whatever Grafana their offline mirror carries.
 */
// eslint-disable-next-line @typescript-eslint/no-deprecated -- see above
export type DashboardModel = Dashboard;

/** Every panel and target reads from the data source the viewer picked, never a fixed uid. */
export const datasource = { type: 'prometheus', uid: '${datasource}' };

/** Title and description of a panel, straight from the string table. */
export interface Text {
  title: string;
  description: string;
}

/**
 * What every dashboard builder gets: the config, its strings and where its siblings live. `S`
 * is the string table of the area whose builder it is: its dashboard words come on top of the
 * shared ones.
 */
export interface Context<S extends { dashboards: unknown } = { dashboards: unknown }> {
  config: MixinConfig;
  s: DashboardStrings & S['dashboards'];
  /** The uid of a dashboard of this language by its name ('overview', 'host', 'logs'...); an unknown name throws. */
  uid: (name: string) => string;
  /** The header link to a dashboard of this language by its name; an unknown name throws. */
  link: (name: string) => Builder<DashboardLink>;
  /**
   * The header links to every dashboard of this language but `self`: Overview, Host, then the
   * dashboards of the areas in the order of `areas`.
   */
  links: (self: string) => Builder<DashboardLink>[];
  /**
   * The parts other areas give to the dashboard `name` (MixinArea.parts), in the order of the
   * areas: its builder places their rows and variables. An unknown name throws.
   */
  parts: (name: string) => DashboardPart[];
}

/** Grafana refuses uids over 40 characters; a long prefix must fail here, not at import. */
export function dashboardUid(config: MixinConfig, name: string, lang: Lang): string {
  const uid = `${config.dashboardUidPrefix}-${name}${lang === 'en' ? '' : `-${lang.toLowerCase()}`}`;
  if (uid.length > 40) throw new Error(`dashboard uid ${uid} is longer than 40 characters`);
  return uid;
}

export const color = {
  ok: 'green',
  warn: 'orange',
  bad: 'red',
  neutral: 'blue',
  /** Off, and fine so (an inactive unit that is not required). */
  idle: '#808080',
} as const;

/** Threshold steps from a base colour: `steps('green', [0.8, 'orange'], [0.9, 'red'])`. */
export function steps(base: string, ...rest: [number, string][]): ThresholdsConfigBuilder {
  const list: Threshold[] = [
    { value: null, color: base },
    ...rest.map(([value, c]) => ({ value, color: c })),
  ];
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(list);
}

/** A value shown as a word in a colour: `[value, text, colour]`. */
export type ValueText = readonly [number, string, string];

/** Value texts for coded states (a unit's active state, the manager's state), colours included. */
export function valueTexts(entries: readonly ValueText[]): ValueMapping[] {
  return [
    {
      type: MappingType.ValueToText,
      options: Object.fromEntries(
        entries.map(([value, text, c], index) => [String(value), { text, color: c, index }]),
      ),
    },
  ];
}

/** Value texts for a 0/1 metric; the colours are part of the mapping so the tile never disagrees with its word. */
export function states(good: 0 | 1, goodText: string, badText: string): ValueMapping[] {
  const bad = good === 1 ? 0 : 1;
  return [
    {
      type: MappingType.ValueToText,
      options: {
        [String(good)]: { text: goodText, color: color.ok, index: 0 },
        [String(bad)]: { text: badText, color: color.bad, index: 1 },
      },
    },
  ];
}

export interface Query {
  expr: string;
  /** Grafana legend template, e.g. `{{instance}} {{mountpoint}}`; omitted for a single series. */
  legend?: string;
}

function target(q: Query, refId: string, instant: boolean): DataqueryBuilder {
  const t = new DataqueryBuilder().datasource(datasource).expr(q.expr).refId(refId);
  if (q.legend !== undefined) t.legendFormat(q.legend);
  return instant ? t.instant() : t.range();
}

const refId = (i: number) => refIds[i] ?? `Q${i}`;

const refIds = 'ABCDEFGHIJ';

/** Every tile: one big value on a coloured background, no sparkline to shrink the text. */
function tile(text: Text, q: Query, unit: string): StatPanelBuilder {
  return (
    new StatPanelBuilder()
      .title(text.title)
      .description(text.description)
      .datasource(datasource)
      // Instant: a tile shows now, and one sample per series is all a wall display asks of Prometheus.
      .withTarget(target(q, 'A', true))
      .unit(unit)
      .colorMode(common.BigValueColorMode.Background)
      .graphMode(common.BigValueGraphMode.None)
      .justifyMode(common.BigValueJustifyMode.Center)
      .textMode(common.BigValueTextMode.Auto)
      .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
      .span(4)
      .height(5)
  );
}

/**
 * How many things are in a bad state: `count(bad) or vector(0)`, so a healthy system shows a
 * green 0 rather than "No data" (which on a wall display looks like a broken panel).
 */
export function countTile(text: Text, bad: string, severity: 'bad' | 'warn' = 'bad') {
  return tile(text, { expr: `count(${bad}) or vector(0)` }, 'none')
    .decimals(0)
    .thresholds(steps(color.ok, [1, color[severity]]));
}

/** One tile per series of a 0/1 metric, showing a word (UP/DOWN, OK/FAILED) rather than a digit. */
export function stateTile(text: Text, q: Query, good: 0 | 1, goodText: string, badText: string) {
  // The thresholds colour a value the mapping does not know (e.g. 0.5 from an average) too.
  const th = good === 1 ? steps(color.bad, [1, color.ok]) : steps(color.ok, [1, color.bad]);
  return tile(text, q, 'none')
    .mappings(states(good, goodText, badText))
    .thresholds(th);
}

/** A level (ratio, duration, bytes) coloured by thresholds. */
export function levelTile(text: Text, q: Query, unit: string, thresholds: ThresholdsConfigBuilder) {
  return tile(text, q, unit).thresholds(thresholds);
}

/** A metric over time, one line per series, every series listed with its last and largest value. */
export function timeseries(text: Text, unit: string, ...queries: Query[]): TimeseriesPanelBuilder {
  const p = new TimeseriesPanelBuilder()
    .title(text.title)
    .description(text.description)
    .datasource(datasource)
    .unit(unit)
    .lineWidth(1)
    .fillOpacity(10)
    .showPoints(common.VisibilityMode.Never)
    .spanNulls(false)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Bottom)
        .calcs(['lastNotNull', 'max']),
    )
    .tooltip(
      new common.VizTooltipOptionsBuilder()
        .mode(common.TooltipDisplayMode.Multi)
        .sort(common.SortOrder.Descending),
    )
    .span(12)
    .height(8);
  queries.forEach((q, i) => p.withTarget(target(q, refId(i), false)));
  return p;
}

/**
 * A state over time, one row per series: the value is a coded state that `mappings` turn into
 * a word and a colour (active, failed, ...), so a change of state reads as a change of colour.
 */
export function stateTimeline(
  text: Text,
  q: Query,
  mappings: ValueMapping[],
  thresholds: ThresholdsConfigBuilder,
): StateTimelinePanelBuilder {
  return new StateTimelinePanelBuilder()
    .title(text.title)
    .description(text.description)
    .datasource(datasource)
    .withTarget(target(q, 'A', false))
    .unit('none')
    .mappings(mappings)
    .thresholds(thresholds)
    .mergeValues(true)
    .showValue(common.VisibilityMode.Auto)
    .rowHeight(0.8)
    .fillOpacity(80)
    .lineWidth(0)
    .alignValue(common.TimelineValueAlignment.Left)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom),
    )
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Single))
    .span(24)
    .height(10);
}

/** Horizontal bars, one per series, largest first: who restarted most, who is fullest. */
export function barGauge(text: Text, q: Query, unit: string): BarGaugePanelBuilder {
  return new BarGaugePanelBuilder()
    .title(text.title)
    .description(text.description)
    .datasource(datasource)
    .withTarget(target(q, 'A', true))
    .unit(unit)
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Basic)
    .valueMode(common.BarGaugeValueMode.Color)
    .showUnfilled(true)
    .min(0)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .span(12)
    .height(8);
}

/** A column of a table: the field it shows (`Value #A` for the value of query A, or a label). */
export interface Column {
  field: string;
  title: string;
  unit?: string;
  mappings?: ValueMapping[];
  /** The cell's background takes the colour of its mapped value. */
  coloured?: boolean;
  /**
   * With `coloured`, the whole row takes it (Grafana's applyToRow, 10.2 and later; an earlier
   * Grafana colours the cell only): the row of a Deployment whose counts differ is red.
   */
  wholeRow?: boolean;
}

/**
 * A table of one row per series, its columns joined from several instant queries on their
 * labels (Grafana's merge transformation): each query adds a column `Value #<refId>`. Every
 * query must return the same labels (aggregate `by` them), else rows do not join.
 */
export function table(
  text: Text,
  queries: Query[],
  columns: Column[],
  hidden: string[],
  sortBy: string,
): TablePanelBuilder {
  const p = new TablePanelBuilder()
    .title(text.title)
    .description(text.description)
    .datasource(datasource)
    .unit('none')
    .withTransformation({ id: 'merge', options: {} })
    .cellHeight(common.TableCellHeight.Sm)
    .sortBy([new common.TableSortByFieldStateBuilder().displayName(sortBy).desc(true)])
    .span(24)
    .height(8);
  queries.forEach((q, i) => p.withTarget(target(q, refId(i), true).format(PromQueryFormat.Table)));
  for (const f of hidden) p.overrideByName(f, [{ id: 'custom.hidden', value: true }]);
  for (const c of columns) {
    const props: DynamicConfigValue[] = [{ id: 'displayName', value: c.title }];
    if (c.unit !== undefined) props.push({ id: 'unit', value: c.unit });
    if (c.mappings !== undefined) props.push({ id: 'mappings', value: c.mappings });
    if (c.coloured === true)
      props.push({
        id: 'custom.cellOptions',
        value: {
          type: common.TableCellDisplayMode.ColorBackground,
          ...(c.wholeRow === true ? { applyToRow: true } : {}),
        },
      });
    p.overrideByName(c.field, props);
  }
  return p;
}

/**
 * The order of a table's columns (Grafana lists a query's labels alphabetically: NAME before
 * NAMESPACE). Fields not named keep their place after these.
 */
export function ordered(panel: TablePanelBuilder, fields: readonly string[]): TablePanelBuilder {
  return panel.withTransformation({
    id: 'organize',
    options: { indexByName: Object.fromEntries(fields.map((f, i) => [f, i])) },
  });
}

/** A row of the dashboard: its title and its panels, laid out left to right by the SDK. */
export interface Row {
  title: string;
  panels: Builder<Panel>[];
  /**
   * A multi-value variable to repeat the row for (one copy per value, `$<name>` in its panels
   * the value of that copy): one row per HA cluster.
   */
  repeat?: string;
}

export function datasourceVariable(s: DashboardStrings): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder('datasource')
    .label(s.variables.datasource)
    .type('prometheus');
}

/**
 * A label_values variable. `multi` also offers "All" and starts on it (unless `includeAll` is
 * false: then it starts on the first value); `allValue` replaces
 * Grafana's joined list of every value by a regex, so series that appeared after the list was
 * loaded (a new server, a new mount) are still shown.
 */
/**
 * The exporter's job, from patrol_build_info (only patrol targets have it). One job at a time
 * on a per-server dashboard; the Overview may show several.
 */
export function jobVariable(s: DashboardStrings, multi = false): QueryVariableBuilder {
  return labelVariable('job', s.variables.job, 'label_values(patrol_build_info, job)', { multi });
}

/** The exporters of $job, from `up`: a node whose exporter is down still belongs on the wall. */
export function instanceVariable(
  s: DashboardStrings,
  opts: { multi: boolean; allValue?: string; includeAll?: boolean },
): QueryVariableBuilder {
  return labelVariable(
    'instance',
    s.variables.instance,
    'label_values(up{job=~"$job"}, instance)',
    opts,
  );
}

export function labelVariable(
  name: string,
  label: string,
  query: string,
  opts: { multi: boolean; allValue?: string; includeAll?: boolean },
): QueryVariableBuilder {
  // Without "All", a multi-value variable starts on its first value, as a single one does.
  const all = opts.includeAll ?? opts.multi;
  const v = new QueryVariableBuilder(name)
    .label(label)
    .datasource(datasource)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.NaturalAsc)
    .multi(opts.multi)
    .includeAll(all);
  if (all) v.current({ selected: true, text: ['All'], value: ['$__all'] });
  if (opts.allValue !== undefined) v.allValue(opts.allValue);
  return v;
}

/**
 * The SDK files every link under the dashboard controls menu (`placement: inControlsMenu`),
 * where nobody finds it; without a placement Grafana shows it in the header.
 */
function visible(link: DashboardLinkBuilder): Builder<DashboardLink> {
  return {
    build: () => {
      const l = link.build();
      delete l.placement;
      return l;
    },
  };
}

/** A link in the dashboard header that keeps the time range and the selected variables. */
export function dashboardLink(title: string, uid: string): Builder<DashboardLink> {
  return visible(
    new DashboardLinkBuilder(title)
      .type(DashboardLinkType.Link)
      .url(`/d/${uid}`)
      .icon('dashboard')
      .keepTime(true)
      .includeVars(true),
  );
}

/** A data link: a click on a tile opens `url` (which may use `${__field.labels.x}`). */
export function dataLink(title: string, url: string): Builder<DashboardLink> {
  return visible(new DashboardLinkBuilder(title).url(url));
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  time: string;
  variables: Builder<VariableModel>[];
  links: Builder<DashboardLink>[];
  rows: Row[];
}

/**
 * Assembles a dashboard. Rows stay expanded (their panels follow them in the flat panel list;
 * a collapsed row would hide the wall display behind a click), and ids are numbered in order
 * so that regenerating never reshuffles them.
 */
export function buildDashboard(config: MixinConfig, spec: DashboardSpec): DashboardModel {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- see DashboardModel
  const d = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([...config.dashboardTags])
    .refresh(config.refresh)
    .time({ from: spec.time, to: 'now' })
    .timezone('browser')
    .tooltip(DashboardCursorSync.Crosshair)
    .variables(spec.variables)
    .links(spec.links)
    .annotations([]);
  for (const row of spec.rows) {
    const r = new RowBuilder(row.title);
    if (row.repeat !== undefined) r.repeat(row.repeat);
    d.withRow(r);
    for (const p of row.panels) d.withPanel(p);
  }
  const model = d.build();
  (model.panels ?? []).forEach((p: Panel | RowPanel, i) => {
    p.id = i + 1;
  });
  return model;
}
