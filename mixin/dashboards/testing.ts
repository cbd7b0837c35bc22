/**
 * What the dashboard tests of every area share: the dashboards as built, in every language, read
 * as the plain JSON Grafana imports.
 */
import { defaultConfig, type MixinConfig } from '../config.ts';
import { LANGUAGES, strings, type Lang } from '../i18n/index.ts';
import { dashboards } from './index.ts';

export interface Target {
  expr: string;
  refId?: string;
  legendFormat?: string;
  datasource?: { type?: string; uid?: string };
}
export interface Threshold {
  value: number | null;
  color: string;
}
export interface Panel {
  id?: number;
  type: string;
  title?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  options?: { colorMode?: string };
  fieldConfig?: {
    defaults?: {
      unit?: string;
      thresholds?: { steps: Threshold[] };
      mappings?: { options: Record<string, { text?: string }> }[];
    };
  };
  targets?: Target[];
}
export interface Model {
  uid: string;
  links?: { url?: string }[];
  title: string;
  refresh?: string;
  tags?: string[];
  templating: {
    list: { name: string; type: string; query?: unknown; multi?: boolean; includeAll?: boolean }[];
  };
  panels: (Panel & { repeat?: string })[];
}

export function build(lang: Lang, config: MixinConfig = defaultConfig): Record<string, Model> {
  return dashboards(config, lang, strings(lang)) as Record<string, Model>;
}

export const all = LANGUAGES.flatMap((lang) =>
  Object.entries(build(lang)).map(([file, model]) => ({ lang, file, model })),
);
export const panelsOf = (m: Model) => m.panels.filter((p) => p.type !== 'row');
