/** The kubernetes area's row of patrol / Overview. */
import { countTile, levelTile, steps, color, type Context } from '../dashboards/panels.ts';
import type { DashboardPart } from '../dashboards/shared.ts';
import { kubernetesLink } from './dashboard.ts';
import { kubeQueries } from './queries.ts';
import type { KubernetesStrings } from './i18n/en.ts';

/** The context of this area's builders: the shared words and its own. */
type Ctx = Context<KubernetesStrings>;

/**
 * Checklist C3-C6, C11-C13: the cluster of each patrol that watches one. One count per check
 * of the morning walk, each the condition of its alert without the alert's wait: red where the
 * alert pages, orange where it warns, a green 0 when all is well (and where no patrol watches a
 * cluster). A click on a tile opens patrol / Kubernetes, which says which node, Deployment,
 * pod or Service.
 */
export function overviewPart(ctx: Ctx): DashboardPart {
  const { config, s } = ctx;
  const p = s.overview.panels;
  const c = kubeQueries(config).cluster;
  const q = kubeQueries(config);
  const link = [kubernetesLink(ctx)];
  const pods = (expr: string) => `max by (job, instance, namespace, pod) (${expr})`;
  return {
    rows: [
      {
        id: 'kubernetes',
        title: s.overview.rows.kubernetes,
        panels: [
          countTile(p.kubeApiUnreachable, c.apiUnreachable),
          countTile(p.kubeResourcesNotSynced, c.watchStale, 'warn'),
          countTile(p.kubeNodesNotReady, c.nodeNotReady),
          countTile(p.kubeDeploymentsMismatched, c.deploymentMismatch, 'warn'),
          countTile(p.kubePodsNotReady, c.podNotReady, 'warn'),
          countTile(p.kubePodsCrashLooping, pods(c.crashLooping), 'warn'),
          countTile(p.kubeServicesWithoutEndpoints, c.serviceNoEndpoints),
          // Nodes, not DaemonSets: "2" says how many nodes have no pod network. Orange:
          // PatrolKubeDaemonSetNotScheduled warns. 0 also where there is no calico-node.
          levelTile(
            p.kubeNetworkNotReady,
            { expr: q.network.missing },
            'none',
            steps(color.ok, [1, color.warn]),
          ).decimals(0),
        ].map((tile) => tile.span(3).dataLinks(link)),
      },
    ],
  };
}
