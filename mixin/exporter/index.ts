import type { MixinArea } from '../area.ts';
import { exporterGroup } from './alerts.ts';
import { hostPart } from './host.ts';
import { overviewPart } from './overview.ts';
import { en, type ExporterStrings } from './i18n/en.ts';
import { zhCN } from './i18n/zh-CN.ts';

/** The exporter itself: is it scraped, do its collectors succeed, is the rule file loaded. */
export const exporter: MixinArea<ExporterStrings> = {
  name: 'exporter',
  strings: { en, 'zh-CN': zhCN },
  ruleGroups: (config) => [exporterGroup(config)],
  overview: overviewPart,
  host: hostPart,
};
