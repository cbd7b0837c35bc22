/** The watched directory PromQL of the dashboards (the Overview's disks row and the Host's directories). */
import { targetMatchers } from '../dashboards/queries.ts';
import { sel } from '../promql.ts';

/** The watched directories of the picked targets, plus $path where the dashboard has it. */
export function directorySelector(variables: { path: boolean }): string {
  return sel(...targetMatchers, variables.path ? 'path=~"$path"' : '');
}
