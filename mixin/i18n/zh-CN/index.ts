import type { Strings } from '../en/index.ts';
import { alerts } from './alerts.ts';
import { dashboards } from './dashboards.ts';

/** Simplified Chinese (zh-CN). */
export const zhCN: Strings = { alerts, dashboards };
