import type { MixinArea } from '../area.ts';
import { kubernetesGroup } from './alerts.ts';
import { kubernetesDashboard } from './dashboard.ts';
import { overviewPart } from './overview.ts';
import { en, type KubernetesStrings } from './i18n/en.ts';
import { zhCN } from './i18n/zh-CN.ts';

/** A Kubernetes cluster, from its API (checklist C3-C6, C11-C13): one patrol per cluster. */
export const kubernetes: MixinArea<KubernetesStrings> = {
  name: 'kubernetes',
  strings: { en, 'zh-CN': zhCN },
  ruleGroups: (config) => [kubernetesGroup(config)],
  dashboards: [{ name: 'kubernetes', link: (s) => s.links.kubernetes, build: kubernetesDashboard }],
  overview: overviewPart,
};
