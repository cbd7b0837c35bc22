/**
 * The codes of the Kubernetes dashboards' cells and table rows (a higher code is worse), and the
 * texts kubectl prints for them; the expressions that compute them are in queries.ts.
 */

/** A node's cell (patrol / Kubernetes' nodes grid): kubectl get node's STATUS as a code. */
export const NODE = {
  ready: 0,
  /** Ready,SchedulingDisabled. */
  cordoned: 1,
  /** NotReady (or Unknown) and cordoned: taken out for maintenance. */
  notReadyCordoned: 2,
  notReady: 3,
  /** Ready unknown: the kubelet stopped reporting (node down, kubelet stopped, network). */
  unknown: 4,
  /** The one cell when patrol reports no node at all. */
  noNodes: -1,
} as const;

/**
 * A pod's STATUS as `kubectl get po` prints it, as a code; a higher code is worse, so a table
 * sorted on it lists the pods to look at first. A waiting container's reason wins over the
 * phase, as in kubectl.
 */
export const POD = {
  running: 0,
  completed: 1,
  /** Running, READY not n/n: one of its containers fails its readiness probe. */
  runningNotReady: 2,
  pending: 3,
  containerCreating: 4,
  podInitializing: 5,
  unknown: 6,
  failed: 7,
  /** Waiting for a reason not listed here. */
  waiting: 8,
  createContainerConfigError: 9,
  createContainerError: 10,
  invalidImageName: 11,
  errImagePull: 12,
  imagePullBackOff: 13,
  crashLoopBackOff: 14,
} as const;

/**
 * kubectl's own words for a pod's STATUS, the same in every language: they are what
 * `kubectl get po` prints and what one searches for. `waiting` (a reason not listed) is a word
 * of the string table instead.
 */
export const POD_STATUS_WORDS: Readonly<Record<Exclude<keyof typeof POD, 'waiting'>, string>> = {
  running: 'Running',
  completed: 'Completed',
  runningNotReady: 'Running',
  pending: 'Pending',
  containerCreating: 'ContainerCreating',
  podInitializing: 'PodInitializing',
  unknown: 'Unknown',
  failed: 'Failed',
  createContainerConfigError: 'CreateContainerConfigError',
  createContainerError: 'CreateContainerError',
  invalidImageName: 'InvalidImageName',
  errImagePull: 'ErrImagePull',
  imagePullBackOff: 'ImagePullBackOff',
  crashLoopBackOff: 'CrashLoopBackOff',
};

/**
 * kubectl's READY column, `ready/containers`, as one number: ready * READY_BASE + containers,
 * which the table maps back to the text "1/2" (red unless all are ready). PromQL has numbers
 * only, and Grafana cannot join two columns into one text.
 */
export const READY_BASE = 100;
/** The READY texts are written out for pods of up to this many containers (beyond: a number). */
export const READY_MAX_CONTAINERS = 10;

/** Every "ready/containers" text of the READY column, with its code. */
export function readyCodes(): { code: number; text: string; all: boolean }[] {
  const out: { code: number; text: string; all: boolean }[] = [];
  for (let total = 1; total <= READY_MAX_CONTAINERS; total++)
    for (let ready = 0; ready <= total; ready++)
      out.push({
        code: ready * READY_BASE + total,
        text: `${ready}/${total}`,
        all: ready === total,
      });
  return out;
}

/** Texts that are the same in every language: kubectl's STATUS words and READY fractions. */
export const LITERAL_TEXTS: ReadonlySet<string> = new Set([
  ...Object.values(POD_STATUS_WORDS),
  ...readyCodes().map((r) => r.text),
]);

/** A Deployment's state in its table row: the seed's rule, and why it does not hold. */
export const DEPLOYMENT = {
  ok: 0,
  paused: 1,
  /** The counts differ, but its pods are still changing: a rollout or a scale in progress. */
  updating: 2,
  /** PatrolKubeDeploymentReplicasMismatch's condition. */
  mismatch: 3,
  /** PatrolKubeDeploymentRolloutStuck's condition. */
  stuck: 4,
} as const;

/** A Service's state in its table row. */
export const SERVICE = {
  ok: 0,
  /** No selector: its endpoints are kept by hand, patrol cannot tell whether they are enough. */
  noSelector: 1,
  /** PatrolKubeServiceNoReadyEndpoints' condition. */
  noEndpoints: 2,
} as const;

/** A resource patrol watches (patrol_kube_resource_state and _synced), as a code. */
export const RESOURCE = {
  synced: 0,
  /** Listed once, but its watch is not open now (or the API does not answer): may be behind. */
  notSynced: 1,
  failing: 2,
  forbidden: 3,
  notServed: 4,
} as const;
