/**
 * The string table of one language: the shared words (this folder) merged with each area's
 * (`mixin/<area>/i18n/`), each table checked against its English source.
 */
import { areas } from '../areas.ts';
import { translationProblems } from './check.ts';
import { en, type SharedStrings } from './en.ts';
import type { Lang } from './types.ts';
import { zhCN } from './zh-CN.ts';

export { LANGUAGES, type Lang, type AlertText } from './types.ts';
export { translationProblems };

/** A union's members all at once: `A | B` -> `A & B`. */
type Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

/** The whole table: the shared words and every area's, one tree. */
export type Strings = SharedStrings & Intersection<(typeof areas)[number]['strings']['en']>;

const shared: Readonly<Record<Lang, SharedStrings>> = { en, 'zh-CN': zhCN };

/** What the tables are read from: the areas' names and string tables. */
type TableSources = readonly { name: string; strings: Readonly<Record<Lang, object>> }[];

/** The tables of one language, with their English source and the file that holds them. */
function tables(lang: Lang, list: TableSources): { file: string; source: object; table: object }[] {
  return [
    { file: `mixin/i18n/${lang}.ts`, source: shared.en, table: shared[lang] },
    ...list.map((area) => ({
      file: `mixin/${area.name}/i18n/${lang}.ts`,
      source: area.strings.en,
      table: area.strings[lang],
    })),
  ];
}

const isTree = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

/** Adds `from` to `into`; two tables giving the same string is a mistake in one of them. */
function merge(into: Record<string, unknown>, from: object, path: string): void {
  for (const [key, value] of Object.entries(from)) {
    const at = path === '' ? key : `${path}.${key}`;
    const there = into[key];
    if (there === undefined) into[key] = isTree(value) ? structuredClone(value) : value;
    else if (isTree(there) && isTree(value)) merge(there, value, at);
    else throw new Error(`${at} is given by two string tables`);
  }
}

/**
 * The whole table of one language from the shared table and the areas' (`areas` unless given),
 * refused unless every table of it is complete and no string is given by two of them.
 */
export function stringTable(lang: Lang, list: TableSources = areas): Strings {
  const all = tables(lang, list);
  const problems = all.flatMap(({ file, source, table }) =>
    lang === 'en' ? [] : translationProblems(source, table).map((p) => `${file}: ${p}`),
  );
  if (problems.length > 0)
    throw new Error(`translation ${lang} is incomplete:\n  ${problems.join('\n  ')}`);
  const merged: Record<string, unknown> = {};
  for (const { table } of all) merge(merged, table, '');
  return merged as Strings;
}

const checked = new Map<Lang, Strings>();

/** The strings of one language, refused unless complete (checked once per language). */
export function strings(lang: Lang): Strings {
  const done = checked.get(lang) ?? stringTable(lang);
  checked.set(lang, done);
  return done;
}
