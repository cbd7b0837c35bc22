/**
 * Go template actions ({{ $labels.x }}, {{ $value | humanize }}), Grafana variables (${x}, $x)
 * and the mixin's own parameters (%horizon%), which a translation must all keep.
 */
function placeholders(text: string): string[] {
  const found = [...text.matchAll(/\{\{.*?\}\}|\$\{\w+\}|\$\w+|%\w+%/g)].map((m) =>
    m[0].replace(/\s+/g, ' '),
  );
  return [...new Set(found)].sort();
}

function leaves(node: unknown, path: string, out: Map<string, string>): void {
  if (typeof node === 'string') {
    out.set(path, node);
    return;
  }
  if (node === null || typeof node !== 'object') {
    out.set(path, String(node));
    return;
  }
  for (const [k, v] of Object.entries(node)) leaves(v, path === '' ? k : `${path}.${k}`, out);
}

/**
 * Every string of the source table must exist in the translation, be non-empty and keep the
 * same template placeholders; extra keys are mistakes too. TypeScript already refuses a
 * missing key; this also catches empty strings, broken templates and `as any` escapes.
 */
export function translationProblems(source: unknown, translation: unknown): string[] {
  const want = new Map<string, string>();
  const have = new Map<string, string>();
  leaves(source, '', want);
  leaves(translation, '', have);
  const problems: string[] = [];
  for (const [key, text] of want) {
    const t = have.get(key);
    if (t === undefined) problems.push(`${key}: missing`);
    else if (t.trim() === '') problems.push(`${key}: empty`);
    else {
      const a = placeholders(text).join(' ');
      const b = placeholders(t).join(' ');
      if (a !== b) problems.push(`${key}: placeholders differ: [${a}] in English, [${b}] here`);
    }
  }
  for (const key of have.keys()) if (!want.has(key)) problems.push(`${key}: not in English`);
  return problems;
}
