import { alerts } from './alerts.ts';
import { dashboards } from './dashboards.ts';

/** English is the source language: its shape is the type every translation must fill. */
export const en = { alerts, dashboards };
export type Strings = typeof en;
