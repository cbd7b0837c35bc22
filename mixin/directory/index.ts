import type { MixinArea } from '../area.ts';
import { directoryGroup } from './alerts.ts';
import { hostPart } from './host.ts';
import { overviewPart } from './overview.ts';
import { en, type DirectoryStrings } from './i18n/en.ts';
import { zhCN } from './i18n/zh-CN.ts';

/** Watched directories: their growth against their filesystem, and their scans. */
export const directory: MixinArea<DirectoryStrings> = {
  name: 'directory',
  strings: { en, 'zh-CN': zhCN },
  ruleGroups: (config) => [directoryGroup(config)],
  overview: overviewPart,
  host: hostPart,
};
