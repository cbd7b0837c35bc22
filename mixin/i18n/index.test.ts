import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LANGUAGES, stringTable, strings, translationProblems } from './index.ts';

describe('translation tables', () => {
  it('every language is complete against English', () => {
    for (const lang of LANGUAGES) assert.doesNotThrow(() => strings(lang), lang);
  });

  it('a missing, empty or extra string and a lost template are each reported with its path', () => {
    const en = strings('en');
    const broken = structuredClone(en) as unknown as {
      alerts: Record<string, Record<string, string> | undefined>;
    };
    delete broken.alerts.PatrolExporterDown;
    const collector = broken.alerts.PatrolCollectorFailing ?? {};
    collector.summary = ' ';
    collector.description = 'Collector {{ $labels.job }} failed'; // was $labels.collector
    broken.alerts.PatrolNotAnAlert = { summary: 'x', description: 'y' };
    const problems = translationProblems(en, broken);
    assert.deepEqual(problems.sort(), [
      'alerts.PatrolCollectorFailing.description: placeholders differ: [{{ $labels.collector }} {{ $labels.instance }}] in English, [{{ $labels.job }}] here',
      'alerts.PatrolCollectorFailing.summary: empty',
      'alerts.PatrolExporterDown.description: missing',
      'alerts.PatrolExporterDown.summary: missing',
      'alerts.PatrolNotAnAlert.description: not in English',
      'alerts.PatrolNotAnAlert.summary: not in English',
    ]);
  });

  it('mixin parameters (%horizon%) count as placeholders', () => {
    const a = { x: 'fills within %horizon%' };
    assert.deepEqual(translationProblems(a, { x: '很快写满' }), [
      'x: placeholders differ: [%horizon%] in English, [] here',
    ]);
    assert.deepEqual(translationProblems(a, { x: '%horizon% 内写满' }), []);
  });

  it('are checked per area: a problem names the file to fix, and a string two tables give is refused', () => {
    const alerts = { PatrolX: { summary: 'x {{ $labels.instance }}', description: 'y' } };
    const area = (zh: object, dashboards: object = {}) => ({
      name: 'x',
      strings: { en: { alerts, dashboards }, 'zh-CN': zh },
    });
    assert.throws(
      () =>
        stringTable('zh-CN', [area({ alerts: { PatrolX: { summary: 'x', description: 'y' } } })]),
      /mixin\/x\/i18n\/zh-CN\.ts: alerts\.PatrolX\.summary: placeholders differ/,
    );
    assert.deepEqual(stringTable('en', [area({})]).alerts, alerts);
    assert.throws(
      () => stringTable('en', [area({}, { values: { up: 'UP' } })]),
      /dashboards\.values\.up is given by two string tables/,
    );
  });
});
