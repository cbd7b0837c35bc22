import type { MixinArea } from '../area.ts';
import { probesGroup } from './alerts.ts';
import { probesDashboard } from './dashboard.ts';
import { overviewPart } from './overview.ts';
import { en, type ProbesStrings } from './i18n/en.ts';
import { zhCN } from './i18n/zh-CN.ts';

/** Service probes (checklist C7). */
export const probes: MixinArea<ProbesStrings> = {
  name: 'probes',
  strings: { en, 'zh-CN': zhCN },
  ruleGroups: (config) => [probesGroup(config)],
  dashboards: [{ name: 'probes', link: (s) => s.links.probes, build: probesDashboard }],
  overview: overviewPart,
};
