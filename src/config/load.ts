import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';

/** A configuration that cannot be used; `problems` each name a field path and the reason. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(source: string, problems: readonly string[], options?: ErrorOptions) {
    super(`invalid configuration in ${source}:\n  ${problems.join('\n  ')}`, options);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] ?? 0;
      row[j] = Math.min(cur + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] ?? 0;
}

/** The keys an object schema at `path` accepts, to suggest a correction for a typo. */
function knownKeys(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType = root;
  for (const key of path) {
    let inner: unknown = schema;
    // unwrap prefault/default/optional wrappers down to the object
    while (
      inner !== null &&
      typeof inner === 'object' &&
      'unwrap' in inner &&
      typeof inner.unwrap === 'function'
    ) {
      inner = (inner.unwrap as () => unknown)();
    }
    const def = (inner as { def?: { innerType?: unknown } }).def;
    if (def?.innerType !== undefined) inner = def.innerType;
    const shape = (inner as { shape?: Record<string, z.ZodType> }).shape;
    const next = shape?.[String(key)];
    if (next === undefined) return [];
    schema = next;
  }
  let inner: unknown = schema;
  for (let i = 0; i < 5; i++) {
    const shape = (inner as { shape?: Record<string, unknown> }).shape;
    if (shape !== undefined) return Object.keys(shape);
    const def = (inner as { def?: { innerType?: unknown } }).def;
    if (def?.innerType === undefined) break;
    inner = def.innerType;
  }
  return [];
}

export function formatIssues(issues: readonly z.core.$ZodIssue[], schema: z.ZodType): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const candidates = knownKeys(schema, issue.path);
      for (const key of issue.keys) {
        const best = candidates
          .map((c) => ({ c, d: editDistance(key, c) }))
          .sort((x, y) => x.d - y.d)[0];
        const hint = best !== undefined && best.d <= 3 ? ` (did you mean "${best.c}"?)` : '';
        const known = candidates.length > 0 ? `; known keys: ${candidates.join(', ')}` : '';
        out.push(
          `${formatPath([...issue.path, key])}: unknown key${hint}${hint === '' ? known : ''}`,
        );
      }
    } else if (issue.code === 'invalid_union' && unionBranch(issue) !== undefined) {
      // "Invalid input" says nothing; the branch whose type the value had knows what is wrong.
      const branch = unionBranch(issue) ?? [];
      out.push(
        ...formatIssues(
          branch.map((i) => ({ ...i, path: [...issue.path, ...i.path] })),
          schema,
        ),
      );
    } else if (issue.code === 'invalid_type' && issue.expected === 'boolean') {
      out.push(`${formatPath(issue.path)}: ${booleanProblem(issue.input)}`);
    } else {
      out.push(`${formatPath(issue.path)}: ${issue.message}`);
    }
  }
  return out;
}

/**
 * YAML 1.2 (which the yaml package speaks) reads yes, no, on and off as text, where YAML 1.1
 * tools (and many people) take them for booleans: say so, rather than "expected boolean".
 */
function booleanProblem(input: unknown): string {
  const got = typeof input === 'string' ? JSON.stringify(input) : String(input);
  const hint =
    typeof input === 'string' && /^(y|yes|n|no|on|off|true|false)$/i.test(input)
      ? ' (YAML 1.2 reads yes, no, on and off as text)'
      : '';
  return `expected true or false, got ${got}${hint}`;
}

/** The one alternative of a union the value's type matched (its issues), if exactly one did. */
function unionBranch(issue: z.core.$ZodIssueInvalidUnion): z.core.$ZodIssue[] | undefined {
  const matched = issue.errors.filter(
    (branch) => !branch.some((i) => i.code === 'invalid_type' && i.path.length === 0),
  );
  return matched.length === 1 ? matched[0] : undefined;
}

/** Parsing, validating and loading configuration files of one schema. */
export interface ConfigLoader<T> {
  /** Validates an already-parsed document (YAML or JS object). */
  readonly parseConfig: (raw: unknown, source?: string) => T;
  /** Parses YAML text; syntax errors and duplicate keys carry line and column. */
  readonly parseConfigText: (text: string, source: string) => T;
  /** Reads and parses a file; undefined: the embedded default (every key at its default). */
  readonly loadConfigFile: (path: string | undefined) => Promise<T>;
}

export function configLoader<S extends z.ZodType>(schema: S): ConfigLoader<z.output<S>> {
  const parseConfig = (raw: unknown, source = 'configuration'): z.output<S> => {
    const result = schema.safeParse(raw ?? {}, { reportInput: true });
    if (!result.success) throw new ConfigError(source, formatIssues(result.error.issues, schema));
    return result.data;
  };
  const parseConfigText = (text: string, source: string): z.output<S> => {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
      throw new ConfigError(
        source,
        doc.errors.map(
          (e) =>
            `line ${e.linePos?.[0]?.line ?? '?'}, column ${e.linePos?.[0]?.col ?? '?'}: ${(e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
        ),
      );
    }
    return parseConfig(doc.toJS(), source);
  };
  return {
    parseConfig,
    parseConfigText,
    async loadConfigFile(path) {
      if (path === undefined) return parseConfig({}, 'embedded default configuration');
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (err) {
        throw new ConfigError(path, [`cannot read file: ${(err as Error).message}`], {
          cause: err,
        });
      }
      return parseConfigText(text, path);
    },
  };
}
