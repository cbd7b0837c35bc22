import type { MixinConfig } from '../config.ts';
import { directoryGroup } from './directory.ts';
import { exporterGroup } from './exporter.ts';
import { filesystemGroup } from './filesystem.ts';
import { haGroup } from './ha.ts';
import { logsGroup } from './logs.ts';
import { replicationGroup } from './replication.ts';
import { systemdGroup } from './systemd.ts';
import type { GroupSpec } from './types.ts';

export * from './types.ts';
export { EXPORTERS_UP } from './exporter.ts';

/** Every rule group, in file order. A new collector adds its group here. */
export function ruleGroups(config: MixinConfig): GroupSpec[] {
  return [
    exporterGroup(config),
    filesystemGroup(config),
    directoryGroup(config),
    systemdGroup(config),
    logsGroup(config),
    haGroup(config),
    replicationGroup(config),
  ];
}
