/**
 * Routing cases of the Kubernetes alerts. One patrol watches a whole cluster, so every alert of
 * a cluster has that patrol's instance (host-k8s-a, host-k8s-b) and names its object in other
 * labels: node, namespace and deployment, pod, container, endpoint... Sources of inhibition are
 * posted first (see ../alertmanager.test.ts); the rest are the targets and bystanders.
 */
import { alert, type Case } from './alerts.ts';

/** The patrol of cluster A, whose objects the alerts below name. */
const A = { instance: 'host-k8s-a:9872' };
/** The patrol of cluster B, which cannot read its API. */
const B = { instance: 'host-k8s-b:9872' };

/** A pod of the product namespace on a node, as the pod alerts carry it. */
const pod = (name: string, node: string) => ({ ...A, namespace: 'product', pod: name, node });

const deployment = (name: string) => ({ ...A, namespace: 'product', deployment: name });

export const KUBE_SOURCES: Record<string, Case> = {
  // Cluster B's API does not answer patrol ...
  apiDownB: {
    alert: alert('PatrolKubeApiUnreachable', 'critical', { ...B, collector: 'kubernetes' }),
    expect: { receiver: 'pager' },
  },
  // ... and in cluster A, node k8snode03 is not Ready,
  nodeDown03: {
    alert: alert('PatrolKubeNodeNotReady', 'critical', { ...A, node: 'k8snode03' }),
    expect: { receiver: 'pager' },
  },
  // a Service has no ready endpoint,
  noEndpointsRtqgw: {
    alert: alert('PatrolKubeServiceNoReadyEndpoints', 'critical', {
      ...A,
      namespace: 'product',
      endpoint: 'bis-rtqgw-1-3-0',
    }),
    expect: { receiver: 'pager' },
  },
  // a rollout is stuck past its deadline,
  stuckReport: {
    alert: alert('PatrolKubeDeploymentRolloutStuck', 'warning', deployment('bis-report-1-3-0')),
    expect: { receiver: 'team-chat' },
  },
  // and a container cannot pull its image.
  waitingGateway: {
    alert: alert('PatrolKubeContainerWaiting', 'warning', {
      ...pod('oltp-gateway-1-3-0-6b8d9c7f4-m2n7k', 'k8snode05'),
      container: 'oltp-gateway',
      reason: 'ImagePullBackOff',
    }),
    expect: { receiver: 'team-chat' },
  },
};

export const KUBE_OTHERS: Record<string, Case> = {
  // An unreachable API holds back every other Kubernetes alert of that patrol, critical ones
  // too: what it says of the cluster is as old as its last answer ...
  watchStaleB: {
    alert: alert('PatrolKubeWatchStale', 'warning', { ...B, resource: 'pods' }),
    expect: { inhibitedBy: 'apiDownB', receiver: 'team-chat' },
  },
  nodeDownB: {
    alert: alert('PatrolKubeNodeNotReady', 'critical', { ...B, node: 'k8snode01' }),
    expect: { inhibitedBy: 'apiDownB', receiver: 'pager' },
  },
  // ... and the kubernetes collector's failing scrapes (the generic rule: same collector) ...
  collectorKubeB: {
    alert: alert('PatrolCollectorFailing', 'warning', { ...B, collector: 'kubernetes' }),
    expect: { inhibitedBy: 'apiDownB', receiver: 'team-chat' },
  },
  // ... not another collector of that patrol, nor the same alerts under another job (the same
  // groups: group_by has no job).
  collectorLogsB: {
    alert: alert('PatrolCollectorFailing', 'warning', { ...B, collector: 'logs' }),
    expect: { receiver: 'team-chat' },
  },
  watchStaleBOtherJob: {
    alert: alert('PatrolKubeWatchStale', 'warning', {
      ...B,
      job: 'patrol-canary',
      resource: 'pods',
    }),
    expect: { receiver: 'team-chat' },
  },
  nodeDownBOtherJob: {
    alert: alert('PatrolKubeNodeNotReady', 'critical', {
      ...B,
      job: 'patrol-canary',
      node: 'k8snode01',
    }),
    expect: { receiver: 'pager' },
  },
  // A node not Ready holds back the pod alerts on that node ...
  podNotReady03: {
    alert: alert(
      'PatrolKubePodNotReady',
      'warning',
      pod('bis-report-1-3-0-67cb76774c-6zkl2', 'k8snode03'),
    ),
    expect: { inhibitedBy: 'nodeDown03', receiver: 'team-chat' },
  },
  // ... not those of a pod on another node (the same group).
  podNotReady04: {
    alert: alert(
      'PatrolKubePodNotReady',
      'warning',
      pod('bis-report-1-3-0-67cb76774c-bzrc9', 'k8snode04'),
    ),
    expect: { receiver: 'team-chat' },
  },
  // A container that cannot start holds back its own pod's not-ready alert (same group).
  podNotReadyGateway: {
    alert: alert(
      'PatrolKubePodNotReady',
      'warning',
      pod('oltp-gateway-1-3-0-6b8d9c7f4-m2n7k', 'k8snode05'),
    ),
    expect: { inhibitedBy: 'waitingGateway', receiver: 'team-chat' },
  },
  // A node's cordon is not held back by another node's page: `node` tells them apart.
  unschedulable07: {
    alert: alert('PatrolKubeNodeUnschedulable', 'info', { ...A, node: 'k8snode07' }),
    expect: { receiver: 'tickets' },
  },
  // A stuck rollout holds back its Deployment's replica mismatch ...
  mismatchReport: {
    alert: alert('PatrolKubeDeploymentReplicasMismatch', 'warning', deployment('bis-report-1-3-0')),
    expect: { inhibitedBy: 'stuckReport', receiver: 'team-chat' },
  },
  // ... not another Deployment's (the same group), which the critical alert about a Service of
  // the same namespace does not hold back either: `endpoint` and `deployment` differ.
  mismatchGateway: {
    alert: alert(
      'PatrolKubeDeploymentReplicasMismatch',
      'warning',
      deployment('oltp-gateway-1-3-0'),
    ),
    expect: { receiver: 'team-chat' },
  },
  // Likewise the ops rule's ticket about a workload of that namespace.
  notGuaranteedWebui: {
    alert: alert('PatrolKubePodNotGuaranteed', 'info', {
      ...A,
      namespace: 'product',
      workload_kind: 'Deployment',
      workload: 'wcs-webui-1-3-0',
      container: 'wcs-webui',
    }),
    expect: { receiver: 'tickets' },
  },
};
