/** The logs area's dashboard panels, as built (the properties of every dashboard: mixin/dashboards/). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfig, type MixinConfig } from '../config.ts';
import { all, build, panelsOf } from '../dashboards/testing.ts';
import { strings } from '../i18n/index.ts';

describe('logs dashboard panels', () => {
  it('colour the log cells with the limits and windows of the log alerts', () => {
    const config: MixinConfig = {
      ...defaultConfig,
      thresholds: {
        ...defaultConfig.thresholds,
        logErrorsPerMinute: 25,
        logErrorsWindow: '30m',
        logLagBytes: 1024,
        logLagWindow: '20m',
      },
    };
    const { 'overview.json': overview, 'logs.json': logs } = build('en', config);
    assert.ok(overview && logs);
    const en = strings('en').dashboards;
    const grid = panelsOf(overview).find((p) => p.title === en.overview.panels.logErrors.title);
    const cell = panelsOf(logs).find((p) => p.title === en.logs.panels.errorsNow.title);
    for (const p of [grid, cell]) {
      const expr = p?.targets?.[0]?.expr ?? '';
      // The alerts' rate: error and critical entries over their window, per minute.
      assert.match(
        expr,
        /^\(sum by \(job, instance, source\) \(rate\(patrol_log_lines_total\{[^}]*level=~"critical\|error"\}\[30m\]\)\) \* 60 or /,
      );
      assert.deepEqual(
        p?.fieldConfig?.defaults?.thresholds?.steps.map((x) => [x.value, x.color]),
        [
          [null, 'blue'],
          [0, 'green'],
          [25, 'orange'],
        ],
      );
    }
    const high = panelsOf(overview).find((p) => p.title === en.overview.panels.logErrorsHigh.title);
    assert.ok(high?.targets?.[0]?.expr.includes('[30m])) * 60 > 25'));
    const behind = panelsOf(overview).find(
      (p) => p.title === en.overview.panels.logReadersBehind.title,
    );
    assert.ok(behind?.targets?.[0]?.expr.includes('> 1024 and'));
    assert.ok(behind?.targets?.[0]?.expr.includes('[20m]) >= 0'));
    const lag = panelsOf(logs).find((p) => p.title === en.logs.panels.lag.title);
    assert.equal(lag?.fieldConfig?.defaults?.thresholds?.steps[1]?.value, 1024);
  });

  it('show a word, never a gap, for a log source without files or a host not measured', () => {
    const v = strings('en').dashboards.values.log;
    for (const { lang, file, model } of all.filter((d) =>
      ['overview.json', 'logs.json'].includes(d.file),
    )) {
      const s = strings(lang).dashboards;
      const title =
        file === 'overview.json' ? s.overview.panels.logErrors : s.logs.panels.errorsNow;
      const p = panelsOf(model).find((x) => x.title === title.title);
      const expr = p?.targets?.[0]?.expr ?? '';
      // Each special state is its own branch of the query, after the error rate ...
      assert.match(expr, /\(patrol_log_files\{[^}]*\} > 0\) or /, `${file}: files > 0`);
      assert.match(expr, /required="true"\}\) \* 0 - 1 or /, `${file}: NO FILES`);
      assert.match(expr, /collector="logs"\} == 0\)\) \* 0 - 3 or /, `${file}: COLLECTOR FAILED`);
      assert.match(expr, /\(up\{[^}]*\} == 0\)\) \* 0 - 4 or /, `${file}: EXPORTER DOWN`);
      assert.ok(expr.endsWith(' or on () vector(-5)'), `${file}: NO LOG SOURCES`);
      // ... and says so in words in every language.
      const texts = Object.fromEntries(
        (p?.fieldConfig?.defaults?.mappings ?? []).flatMap((m) =>
          Object.entries(m.options).map(([k, o]) => [k, o.text]),
        ),
      );
      const l = s.values.log;
      assert.deepEqual(texts, {
        '-1': l.noFiles,
        '-2': l.noFilesOptional,
        '-3': l.collectorFailed,
        '-4': l.exporterDown,
        '-5': l.noSources,
      });
      if (lang === 'en') assert.equal(texts['-1'], v.noFiles);
    }
  });
});
