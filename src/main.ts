// patrol's entry point (dist/main.js, deploy/patrol.service's ExecStart). Checks the Node.js
// version before anything else is loaded, then loads the exporter (start.ts): a static import
// of it would be linked, and fail on an old Node.js, before this check could run.
import { nodeSupported, nodeTooOld } from './node-version.ts';

if (!nodeSupported(process.versions.node)) {
  process.stderr.write(nodeTooOld(process.versions.node, process.execPath));
  process.exit(1);
}
await import('./start.ts');
