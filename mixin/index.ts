/**
 * The mixin: alerts, recording rules and dashboards from one config, in every language.
 * `mixinFiles()` is what `npm run generate` writes (paths relative to the repository root).
 */
import { defaultConfig, type MixinConfig } from './config.ts';
import { dashboards } from './dashboards/index.ts';
import { alertsMarkdown } from './docs.ts';
import { LANGUAGES, strings, type Lang } from './i18n/index.ts';
import { ruleFileText } from './rules.ts';

export { defaultConfig, type MixinConfig };

/** English files sit at the top (alerts/patrol.rules.yml), translations in a folder per language. */
const langDir = (lang: Lang) => (lang === 'en' ? '' : `${lang}/`);

export function mixinFiles(config: MixinConfig = defaultConfig): Record<string, string> {
  const files: Record<string, string> = {};
  for (const lang of LANGUAGES) {
    files[`alerts/${langDir(lang)}patrol.rules.yml`] = ruleFileText(config, lang);
    for (const [name, model] of Object.entries(dashboards(config, lang, strings(lang))))
      files[`dashboards/${lang}/${name}`] = JSON.stringify(model, null, 2) + '\n';
  }
  files['docs/alerts.md'] = alertsMarkdown(config);
  return files;
}
