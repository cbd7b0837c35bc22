/**
 * What one area of the mixin (the exporter itself, or one collector) contributes. An area is a
 * folder `mixin/<area>/` whose index.ts exports one MixinArea; `mixin/areas.ts` lists them, and
 * nothing else needs to know about it.
 */
import type { GroupSpec } from './alerts/types.ts';
import type { MixinConfig } from './config.ts';
import type { Context, DashboardModel } from './dashboards/panels.ts';
import type { DashboardPart } from './dashboards/shared.ts';
import type { AlertText, Lang } from './i18n/types.ts';

/**
 * The words of an area, in the shape of the whole string table so that all tables merge into
 * one: the texts of its alerts, and its part of the dashboards' words (its variables, values,
 * links, Overview and Host rows and panels, and its own dashboards). A string belongs to one
 * table only; words that several areas use are in `mixin/i18n/`.
 */
export interface AreaStrings {
  alerts: Readonly<Record<string, AlertText>>;
  dashboards: object;
}

/** A dashboard an area owns. */
export interface AreaDashboard<S extends AreaStrings> {
  /**
   * The file is `<name>.json` and the uid `<dashboardUidPrefix>-<name>` (plus the language);
   * `Context.uid(name)` and `Context.link(name)` find it from any dashboard.
   */
  name: string;
  /** The title of the link to it in the header of the other dashboards. */
  link: (s: S['dashboards']) => string;
  build: (ctx: Context<S>) => DashboardModel;
}

export interface MixinArea<S extends AreaStrings> {
  /** The folder's name. */
  name: string;
  /**
   * Its string table in every language: English is the source and the type of the others,
   * which `strings(lang)` also refuses when a string is empty, extra or lost a placeholder.
   */
  strings: Readonly<Record<Lang, S>>;
  /** Its rule groups, in file order; an alert's texts are in its own table. */
  ruleGroups: (config: MixinConfig) => GroupSpec<keyof S['alerts'] & string>[];
  /** The dashboards it owns, in the order of the links to them. */
  dashboards?: readonly AreaDashboard<S>[];
  /** Its rows of patrol / Overview. */
  overview?: (ctx: Context<S>) => DashboardPart;
  /** Its rows (and variables) of patrol / Host. */
  host?: (ctx: Context<S>) => DashboardPart;
  /**
   * Its rows (and variables) of dashboards other areas own, by the owner's dashboard name: the
   * owner places them where they belong with `ctx.parts(name)` (the database replication
   * groups' row on patrol / HA pairs, below the pairs and their mirrored datasets). An unknown
   * name, or a dashboard that never places the parts it is given, fails the generation.
   */
  parts?: Readonly<Record<string, (ctx: Context<S>) => DashboardPart>>;
}
