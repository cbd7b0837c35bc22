import { createRequire } from 'node:module';
import type { Registry as RegistryType } from 'prom-client';

const require = createRequire(import.meta.url);

/**
 * Loads one module of prom-client. The package's index also loads the Pushgateway and the
 * cluster aggregator, which patrol never uses (about 8 MiB of idle RSS, bench/idle-memory.ts);
 * the version is pinned by package-lock.json, and the end-to-end tests read what it renders.
 */
export function requirePromClient(path: string): unknown {
  return require(`prom-client/lib/${path}`);
}

/** prom-client's Registry class; its type comes from the package's typings as usual. */
export const Registry = requirePromClient('registry') as typeof RegistryType;
