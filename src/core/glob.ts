/**
 * What makes a configured path a glob pattern (expanded again and again) rather than a plain
 * path, in the syntax of node:fs glob (minimatch): wildcards, classes, braces and extglobs
 * (`!(x)`, `@(x)`, `+(x)`; `?(x)` and `*(x)` start with a wildcard anyway). One definition for
 * every collector, so a path is a glob or not the same everywhere.
 */
const MAGIC = /[*?[\]{}]|[!@+]\(/;

export function isGlob(pattern: string): boolean {
  return MAGIC.test(pattern);
}

/**
 * The directory a pattern's matches all lie under: its part before the first magic character,
 * up to the last slash (what to watch for new matches). A plain path is its own base.
 */
export function globBase(pattern: string): string {
  const i = pattern.search(MAGIC);
  if (i < 0) return pattern;
  const fixed = pattern.slice(0, i);
  const slash = fixed.lastIndexOf('/');
  return slash < 0 ? '.' : slash === 0 ? '/' : fixed.slice(0, slash);
}
