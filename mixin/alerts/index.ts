/** The rule groups of every area; the areas write theirs in `mixin/<area>/alerts.ts`. */
import { areas } from '../areas.ts';
import type { MixinConfig } from '../config.ts';
import type { Strings } from '../i18n/index.ts';
import type { GroupSpec } from './types.ts';

export * from './types.ts';

/** Every alert of the mixin: the alerts with texts in a string table. */
export type AlertName = keyof Strings['alerts'];

/** Every rule group, in file order: each area's, in the order of `areas`. */
export function ruleGroups(config: MixinConfig): GroupSpec<AlertName>[] {
  return areas.flatMap((area): GroupSpec<AlertName>[] => area.ruleGroups(config));
}
