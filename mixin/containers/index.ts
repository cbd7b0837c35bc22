import type { MixinArea } from '../area.ts';
import { containersGroup } from './alerts.ts';
import { overviewPart } from './overview.ts';
import { en, type ContainersStrings } from './i18n/en.ts';
import { zhCN } from './i18n/zh-CN.ts';

/** Containers of a Docker engine (checklist C7). */
export const containers: MixinArea<ContainersStrings> = {
  name: 'containers',
  strings: { en, 'zh-CN': zhCN },
  ruleGroups: (config) => [containersGroup(config)],
  overview: overviewPart,
};
