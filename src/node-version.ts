/**
 * The Node.js version patrol needs, checked by main.ts before anything else is loaded: an older
 * Node.js otherwise stops at the first module that imports what it lacks, with an error that
 * names the module, not the cause (`SyntaxError: ... does not provide an export named 'glob'`).
 * No imports here: this module must load on any Node.js that runs ES modules.
 */

/** package.json's `engines.node` (>=22.19): a test keeps the two equal. */
export const MINIMUM_NODE: readonly [number, number] = [22, 19];

/** Whether `version` (process.versions.node, e.g. "22.19.0") is MINIMUM_NODE or newer. */
export function nodeSupported(version: string, minimum = MINIMUM_NODE): boolean {
  const [major = 0, minor = 0] = version.split('.').map((n) => Number.parseInt(n, 10));
  return major > minimum[0] || (major === minimum[0] && minor >= minimum[1]);
}

/** What patrol says, and exits 1 with, on a Node.js that is too old. */
export function nodeTooOld(version: string, execPath: string): string {
  const need = MINIMUM_NODE.join('.');
  return (
    `patrol needs Node.js ${need} or newer (this is ${version}, ${execPath}); ` +
    `start it with a newer one: the Node.js 24 that npm ci installs as node_modules/.bin/node, ` +
    `or a system Node.js ${need} or newer\n`
  );
}
