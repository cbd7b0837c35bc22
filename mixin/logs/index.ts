import type { MixinArea } from '../area.ts';
import { logsGroup } from './alerts.ts';
import { logsDashboard } from './dashboard.ts';
import { overviewPart } from './overview.ts';
import { en, type LogsStrings } from './i18n/en.ts';
import { zhCN } from './i18n/zh-CN.ts';

/** Log sources (checklist C8, C9). */
export const logs: MixinArea<LogsStrings> = {
  name: 'logs',
  strings: { en, 'zh-CN': zhCN },
  ruleGroups: (config) => [logsGroup(config)],
  dashboards: [{ name: 'logs', link: (s) => s.links.logs, build: logsDashboard }],
  overview: overviewPart,
};
