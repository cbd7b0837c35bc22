import type { MixinArea } from '../area.ts';
import { filesystemGroup } from './alerts.ts';
import { hostPart } from './host.ts';
import { overviewPart } from './overview.ts';
import { en, type FilesystemStrings } from './i18n/en.ts';
import { zhCN } from './i18n/zh-CN.ts';

/** Filesystems: space, inodes, read-only and statfs errors of every mount. */
export const filesystem: MixinArea<FilesystemStrings> = {
  name: 'filesystem',
  strings: { en, 'zh-CN': zhCN },
  ruleGroups: (config) => [filesystemGroup(config)],
  overview: overviewPart,
  host: hostPart,
};
