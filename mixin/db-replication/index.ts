import type { MixinArea } from '../area.ts';
import { dbReplicationGroup } from './alerts.ts';
import { haPart } from './ha.ts';
import { overviewPart } from './overview.ts';
import { en, type DbReplicationStrings } from './i18n/en.ts';
import { zhCN } from './i18n/zh-CN.ts';

/**
 * The replication of the databases the pairs protect (checklist H7): Redis, PostgreSQL and
 * MySQL/MariaDB replication groups, on patrol / HA pairs and the Overview.
 */
export const dbReplication: MixinArea<DbReplicationStrings> = {
  name: 'db-replication',
  strings: { en, 'zh-CN': zhCN },
  ruleGroups: (config) => [dbReplicationGroup(config)],
  overview: overviewPart,
  parts: { ha: haPart },
};
