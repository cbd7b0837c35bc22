/** The dashboards of the mixin, in one language, keyed by the file they are written to. */
import type { MixinArea } from '../area.ts';
import { areas } from '../areas.ts';
import type { MixinConfig } from '../config.ts';
import type { Lang, Strings } from '../i18n/index.ts';
import { dashboardLink, dashboardUid, type Context, type DashboardModel } from './panels.ts';
import { host, overview, type DashboardPart } from './shared.ts';

/**
 * What the dashboards are built from: the areas' dashboards and parts (`areas` unless given),
 * each of which reads its words from the whole table.
 */
export type DashboardSource = Pick<
  MixinArea<Strings>,
  'dashboards' | 'overview' | 'host' | 'parts'
>;

/** file name (e.g. 'overview.json') -> the dashboard model, plain JSON from the SDK's builders. */
export function dashboards(
  config: MixinConfig,
  lang: Lang,
  s: Strings,
  list: readonly DashboardSource[] = areas,
): Record<string, object> {
  const d = s.dashboards;
  // Overview and Host first, then each area's own: the order of the header links.
  const owned: { name: string; title: string; build: (ctx: Context<Strings>) => DashboardModel }[] =
    [
      {
        name: 'overview',
        title: d.links.overview,
        build: (ctx) => overview(ctx, parts('overview')),
      },
      { name: 'host', title: d.links.host, build: (ctx) => host(ctx, parts('host')) },
    ];
  for (const area of list)
    for (const dashboard of area.dashboards ?? [])
      owned.push({ name: dashboard.name, title: dashboard.link(d), build: dashboard.build });

  // Both languages are imported into the same Grafana, so each carries its own uids, and the
  // links between the dashboards stay within one language.
  const byName = new Map<string, { title: string; uid: string }>();
  for (const { name, title } of owned) {
    if (byName.has(name)) throw new Error(`two dashboards are named ${name}`);
    byName.set(name, { title, uid: dashboardUid(config, name, lang) });
  }
  const find = (name: string) => {
    const found = byName.get(name);
    if (found === undefined)
      throw new Error(`no dashboard is named ${name}: ${[...byName.keys()].join(', ')} are`);
    return found;
  };
  const link = (name: string) => dashboardLink(find(name).title, find(name).uid);
  // Parts of the dashboards areas own (not Overview and Host: those are `overview` and `host`).
  const given = new Set(list.flatMap((area) => Object.keys(area.parts ?? {})));
  for (const name of given) {
    find(name);
    if (name === 'overview' || name === 'host')
      throw new Error(`parts of ${name} are given as the area's \`${name}\`, not in \`parts\``);
  }
  const placed = new Set<string>();
  const ctx: Context<Strings> = {
    config,
    s: d,
    uid: (name) => find(name).uid,
    link,
    links: (self) => owned.filter((o) => o.name !== self).map((o) => link(o.name)),
    parts: (name) => {
      find(name);
      placed.add(name);
      return list.flatMap((area) => {
        const part = area.parts?.[name];
        return part === undefined ? [] : [part(ctx)];
      });
    },
  };
  /** The areas' parts of the Overview or the Host dashboard, in the order of the areas. */
  function parts(dashboard: 'overview' | 'host'): DashboardPart[] {
    return list.flatMap((area) => {
      const part = area[dashboard];
      return part === undefined ? [] : [part(ctx)];
    });
  }
  const built = Object.fromEntries(owned.map((o) => [`${o.name}.json`, o.build(ctx)]));
  for (const name of given)
    if (!placed.has(name))
      throw new Error(`dashboard ${name} does not place the parts other areas give it`);
  return built;
}
