/** Reads the generated dashboards and rule files as they are committed. */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './exporter.ts';

export interface Target {
  expr?: string;
  refId?: string;
  datasource?: { type?: string; uid?: string };
}

export interface Panel {
  type: string;
  title?: string;
  gridPos?: unknown;
  datasource?: { type?: string; uid?: string };
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: Target[];
  panels?: Panel[];
}

export interface DashboardModel {
  uid?: string;
  title?: string;
  templating?: { list?: { name: string; type: string; query?: unknown }[] };
  panels?: Panel[];
}

export interface DashboardFile {
  path: string;
  lang: string;
  name: string;
  model: DashboardModel;
  /** Every panel, those inside collapsed rows included. */
  panels: Panel[];
}

export function dashboardFiles(): DashboardFile[] {
  const out: DashboardFile[] = [];
  const base = join(ROOT, 'dashboards');
  for (const lang of readdirSync(base, { withFileTypes: true })) {
    if (!lang.isDirectory()) continue;
    for (const name of readdirSync(join(base, lang.name))
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      const path = join(base, lang.name, name);
      const model = JSON.parse(readFileSync(path, 'utf8')) as DashboardModel;
      const panels = (model.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
      out.push({ path: relative(ROOT, path), lang: lang.name, name, model, panels });
    }
  }
  return out;
}

export function dashboardTargets(f: DashboardFile): { expr: string; panel: string }[] {
  return f.panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({ expr: t.expr ?? '', panel: p.title ?? '' })),
  );
}

export type RuleEntry =
  | { record: string; expr: string }
  | {
      alert: string;
      expr: string;
      for?: string;
      labels: { severity: string } & Record<string, string>;
      annotations: { summary: string; description: string; runbook_url: string };
    };

export interface RuleFile {
  path: string;
  lang: string;
  groups: { name: string; rules: RuleEntry[] }[];
}

/** alerts/patrol.rules.yml is English; alerts/<lang>/patrol.rules.yml the translations. */
export function ruleFiles(): RuleFile[] {
  const base = join(ROOT, 'alerts');
  const files = [{ path: join(base, 'patrol.rules.yml'), lang: 'en' }];
  for (const d of readdirSync(base, { withFileTypes: true }))
    if (d.isDirectory() && d.name !== 'tests')
      for (const n of readdirSync(join(base, d.name)).filter((x) => x.endsWith('.rules.yml')))
        files.push({ path: join(base, d.name, n), lang: d.name });
  return files.map(({ path, lang }) => ({
    path: relative(ROOT, path),
    lang,
    groups: (parse(readFileSync(path, 'utf8')) as { groups: RuleFile['groups'] }).groups,
  }));
}
