import type { MixinArea } from '../area.ts';
import { systemdGroup } from './alerts.ts';
import { systemdDashboard } from './dashboard.ts';
import { overviewPart } from './overview.ts';
import { en, type SystemdStrings } from './i18n/en.ts';
import { zhCN } from './i18n/zh-CN.ts';

/** systemd units (checklist C1, C2). */
export const systemd: MixinArea<SystemdStrings> = {
  name: 'systemd',
  strings: { en, 'zh-CN': zhCN },
  ruleGroups: (config) => [systemdGroup(config)],
  dashboards: [{ name: 'systemd', link: (s) => s.links.systemd, build: systemdDashboard }],
  overview: overviewPart,
};
