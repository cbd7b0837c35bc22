import { fileURLToPath } from 'node:url';

/**
 * The directory that holds `src/` in a checkout and `dist/` in an installed copy
 * (/opt/patrol/dist/main.js -> /opt/patrol): the shipped runbooks (docs/runbooks) and rule files
 * (alerts/) are found under it, whatever the working directory.
 */
export const INSTALL_ROOT = fileURLToPath(new URL('..', import.meta.url));
