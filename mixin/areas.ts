import { containers } from './containers/index.ts';
import { dbReplication } from './db-replication/index.ts';
import { directory } from './directory/index.ts';
import { exporter } from './exporter/index.ts';
import { filesystem } from './filesystem/index.ts';
import { ha } from './ha/index.ts';
import { kubernetes } from './kubernetes/index.ts';
import { logs } from './logs/index.ts';
import { probes } from './probes/index.ts';
import { systemd } from './systemd/index.ts';

/**
 * Every area of the mixin, the one list a new area is added to. The order is the order of the
 * rule groups in the rule file and of the rows on the Overview and Host dashboards.
 */
export const areas = [
  exporter,
  filesystem,
  directory,
  systemd,
  logs,
  ha,
  dbReplication,
  kubernetes,
  probes,
  containers,
] as const;
