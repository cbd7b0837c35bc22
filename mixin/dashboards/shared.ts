/**
 * The two dashboards every area adds to, assembled from the areas' parts in the order of
 * `areas`:
 *
 * - patrol / Overview: the wall display of the control room. One row per checklist area; every
 *   tile is green when all is well and red when someone must act, readable across the room.
 * - patrol / Host: one server in detail, for the engineer who saw a red tile on the wall. Where
 *   the Overview says "a disk is filling", this says which mount, how fast, and which watched
 *   directory is growing.
 *
 * An area adds rows (and Host variables) through `overview` and `host` in its MixinArea.
 */
import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import type { Panel, VariableModel } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  buildDashboard,
  dataLink,
  datasourceVariable,
  instanceVariable,
  jobVariable,
  type Context,
  type DashboardModel,
  type Row,
} from './panels.ts';

/** An area's part of a row of the Overview or the Host dashboard. */
export interface RowPart {
  /**
   * Parts with the same id are one row, placed where its first part is: the filesystem and the
   * directory areas share the Overview's disks row.
   */
  id: string;
  /** The row's title, given by its first part and by no other. */
  title?: string;
  /** Laid out left to right, after the panels of the row's earlier parts. */
  panels: Builder<Panel>[];
  /**
   * Laid out after the panels of every part of the row: the per-server grids below a line of
   * counts.
   */
  below?: Builder<Panel>[];
}

/** What an area adds to the Overview or to the Host dashboard. */
export interface DashboardPart {
  /** After the datasource, job and instance variables. */
  variables?: Builder<VariableModel>[];
  rows: RowPart[];
}

/** The rows of the parts, in order: the parts of one id joined into one row. */
export function joinRows(parts: readonly RowPart[]): Row[] {
  const rows = new Map<
    string,
    { title: string; panels: Builder<Panel>[]; below: Builder<Panel>[] }
  >();
  for (const part of parts) {
    const row = rows.get(part.id);
    if (row === undefined) {
      if (part.title === undefined) throw new Error(`row ${part.id}: its first part has no title`);
      rows.set(part.id, {
        title: part.title,
        panels: [...part.panels],
        below: [...(part.below ?? [])],
      });
    } else {
      if (part.title !== undefined) throw new Error(`row ${part.id}: titled twice`);
      row.panels.push(...part.panels);
      row.below.push(...(part.below ?? []));
    }
  }
  return [...rows.values()].map((r) => ({ title: r.title, panels: [...r.panels, ...r.below] }));
}

export function overview(ctx: Context, parts: readonly DashboardPart[]): DashboardModel {
  const { s } = ctx;
  return buildDashboard(ctx.config, {
    uid: ctx.uid('overview'),
    title: s.overview.title,
    description: s.overview.description,
    time: 'now-6h',
    variables: [
      datasourceVariable(s),
      // Several patrol jobs (hosts, Kubernetes) can share one wall; "All" is then the list of
      // those jobs, never `.+`, which would pull in every other exporter's `up`.
      jobVariable(s, true),
      // From `up` rather than patrol_build_info: a dead exporter has no build info, and it must
      // not drop out of the list at the moment it matters.
      instanceVariable(s, {
        multi: true,
        allValue: '.+',
      }),
      ...parts.flatMap((p) => p.variables ?? []),
    ],
    links: ctx.links('overview'),
    rows: joinRows(parts.flatMap((p) => p.rows)),
  });
}

export function host(ctx: Context, parts: readonly DashboardPart[]): DashboardModel {
  const { s } = ctx;
  return buildDashboard(ctx.config, {
    uid: ctx.uid('host'),
    title: s.host.title,
    description: s.host.description,
    time: 'now-24h',
    variables: [
      datasourceVariable(s),
      jobVariable(s),
      // From `up`: a server whose exporter is down is exactly the one someone wants to open.
      instanceVariable(s, {
        multi: false,
      }),
      ...parts.flatMap((p) => p.variables ?? []),
    ],
    links: ctx.links('host'),
    rows: joinRows(parts.flatMap((p) => p.rows)),
  });
}

/** A click on a server's tile opens the Host dashboard on that server. */
export function hostLink(ctx: Context) {
  return dataLink(
    ctx.s.links.openHost,
    `/d/${ctx.uid('host')}?var-datasource=\${datasource}&var-job=\${__field.labels.job}&var-instance=\${__field.labels.instance}&\${__url_time_range}`,
  );
}
