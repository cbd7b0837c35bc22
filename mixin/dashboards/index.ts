/** The dashboards of the mixin, in one language, keyed by the file they are written to. */
import type { MixinConfig } from '../config.ts';
import type { Lang, Strings } from '../i18n/index.ts';
import { ha } from './ha.ts';
import { host } from './host.ts';
import { logs } from './logs.ts';
import { overview } from './overview.ts';
import { systemd } from './systemd.ts';
import { dashboardUid, type Context } from './panels.ts';

/** file name (e.g. 'overview.json') -> the dashboard model, plain JSON from the SDK's builders. */
export function dashboards(config: MixinConfig, lang: Lang, s: Strings): Record<string, object> {
  // Both languages are imported into the same Grafana, so each carries its own uids, and the
  // links between the dashboards stay within one language.
  const ctx: Context = {
    config,
    s: s.dashboards,
    uids: {
      overview: dashboardUid(config, 'overview', lang),
      host: dashboardUid(config, 'host', lang),
      systemd: dashboardUid(config, 'systemd', lang),
      logs: dashboardUid(config, 'logs', lang),
      ha: dashboardUid(config, 'ha', lang),
    },
  };
  return {
    'overview.json': overview(ctx),
    'host.json': host(ctx),
    'systemd.json': systemd(ctx),
    'logs.json': logs(ctx),
    'ha.json': ha(ctx),
  };
}
