import type { MixinArea } from '../area.ts';
import { haGroup, replicationGroup } from './alerts.ts';
import { haDashboard } from './dashboard.ts';
import { overviewPart } from './overview.ts';
import { en, type HaStrings } from './i18n/en.ts';
import { zhCN } from './i18n/zh-CN.ts';

/** Hot-standby pairs and the replication of their datasets (checklist H1-H6). */
export const ha: MixinArea<HaStrings> = {
  name: 'ha',
  strings: { en, 'zh-CN': zhCN },
  ruleGroups: (config) => [haGroup(config), replicationGroup(config)],
  dashboards: [{ name: 'ha', link: (s) => s.links.ha, build: haDashboard }],
  overview: overviewPart,
};
