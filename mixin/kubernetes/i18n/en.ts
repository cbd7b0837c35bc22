/**
 * The kubernetes area's words in English, the source language: this table's shape is the type
 * of its translations (zh-CN.ts). kubectl's own words (a pod's STATUS, READY 1/2) are not here:
 * they are the same in every language (queries.ts POD_STATUS_WORDS).
 */
import type { AreaStrings } from '../../area.ts';

export const en = {
  alerts: {
    PatrolKubeApiUnreachable: {
      summary: 'patrol cannot read the Kubernetes API: the cluster is not watched.',
      description:
        "patrol at {{ $labels.instance }} has not been able to read its cluster's API server for %for%: the API does not answer GET /version, refuses patrol's credentials (401), or patrol has no credentials at all (collectors.kubernetes.kubeconfig, or the service account's token in a pod). Nodes, Deployments, pods and Services are not watched meanwhile, and patrol / Kubernetes shows them as last seen. `kubectl get node` on a master tells whether the API answers anyone; the patrol log says why it does not answer patrol.",
    },
    PatrolKubeWatchStale: {
      summary: 'patrol cannot keep up with a Kubernetes resource: what it shows of it may be old.',
      description:
        'patrol at {{ $labels.instance }} has had no current copy of resource {{ $labels.resource }} for %for% although the API answers (state: %state%). forbidden: RBAC does not let patrol list and watch it; not_served: this API server has no such resource; failing: its list or watch keeps failing (the patrol log names the error). Alerts and panels about {{ $labels.resource }} show its last state known.',
    },
    PatrolKubeNodeNotReady: {
      summary: 'A Kubernetes node is not Ready.',
      description:
        'Node {{ $labels.node }} has not been Ready for %for% (Ready is %status%). false: its kubelet reports it unhealthy (container runtime down, network plugin not ready, disk or memory pressure); unknown: its kubelet stopped reporting (the host is down or cut off, or kubelet stopped). No new pod goes to it, and after about five minutes its pods are evicted and started on other nodes where there is room. `kubectl get node` and `kubectl describe node {{ $labels.node }}` say since when and why.',
    },
    PatrolKubeNodeUnschedulable: {
      summary: 'A Kubernetes node is cordoned: no new pod is scheduled on it.',
      description:
        'Node {{ $labels.node }} has been cordoned (SchedulingDisabled) for %for%: no new pod goes to it, and while it is cordoned it raises no PatrolKubeNodeNotReady, as a node taken out for maintenance. Once the maintenance is over: `kubectl uncordon {{ $labels.node }}`.',
    },
    PatrolKubeDeploymentReplicasMismatch: {
      summary: 'A Deployment does not have DESIRED = CURRENT = UP-TO-DATE = AVAILABLE.',
      description:
        'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has {{ $value }} of %desired% replicas available (%current% current, %updated% up to date), and the counts have not matched for %for% with none of them moving: its pods do not start, crash, fail their readiness probe, or cannot be scheduled (no node with room). `kubectl get deployment -n {{ $labels.namespace }} {{ $labels.deployment }}`, then `kubectl get po -n {{ $labels.namespace }}` and `kubectl describe pod` of its pods that are not Running with READY n/n.',
    },
    PatrolKubeDeploymentRolloutStuck: {
      summary: 'A Deployment rollout is stuck past its progress deadline.',
      description:
        'The rollout of Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has made no progress for longer than its progressDeadlineSeconds (Progressing false, ProgressDeadlineExceeded): {{ $value }} of %desired% replicas run the new version, %available% are available. The new pods do not become ready (a bad image or configuration, a failing readiness probe) or cannot be scheduled. `kubectl rollout status deployment/{{ $labels.deployment }} -n {{ $labels.namespace }}`; back to the previous version with `kubectl rollout undo`.',
    },
    PatrolKubeDeploymentGenerationMismatch: {
      summary: 'A change to a Deployment has not been picked up by its controller.',
      description:
        'The deployment controller has acted on generation {{ $value }} of Deployment {{ $labels.namespace }}/{{ $labels.deployment }}, whose spec has been at generation %generation% for %for%: its last change (an image, a replica count) is not being rolled out. kube-controller-manager is most likely stopped, or none of its instances is leader: `systemctl status kube-controller-manager` on the masters.',
    },
    PatrolKubeStatefulSetReplicasMismatch: {
      summary: 'A StatefulSet does not have the replicas it asks for.',
      description:
        'StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} has {{ $value }} of %desired% replicas ready (%current% created), and the counts have not matched for %for% with none of them moving. A StatefulSet starts its pods one after the other: the first one that is not ready holds back the others. `kubectl get statefulset -n {{ $labels.namespace }} {{ $labels.statefulset }}`, then `kubectl describe pod` of its lowest-numbered pod that is not ready.',
    },
    PatrolKubePodNotReady: {
      summary: 'A pod has not been ready for a long time.',
      description:
        'Pod {{ $labels.namespace }}/{{ $labels.pod }}{{ with $labels.node }} on node {{ . }}{{ end }} has not been ready for %for% (phase %phase%): it serves no request. Pending: not scheduled (no node with enough CPU or memory, a node selector or taint) or still pulling its image; Running: a container fails its readiness probe; Unknown: its node stopped reporting. `kubectl describe pod -n {{ $labels.namespace }} {{ $labels.pod }}`: its Events say why.',
    },
    PatrolKubePodCrashLooping: {
      summary: 'A container keeps restarting.',
      description:
        'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }}{{ with $labels.node }} on node {{ . }}{{ end }} restarted {{ $value }} times in the last %window% and keeps restarting (RESTARTS goes up, STATUS CrashLoopBackOff); its last end: %lastReason%. OOMKilled: it needs more memory than its limit; Error: its process exits, and `kubectl logs -n {{ $labels.namespace }} {{ $labels.pod }} -c {{ $labels.container }} --previous` says why.',
    },
    PatrolKubeContainerWaiting: {
      summary: 'A container has been waiting to start for a long time.',
      description:
        'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }}{{ with $labels.node }} on node {{ . }}{{ end }} has been waiting for %for% with reason {{ $labels.reason }}. ImagePullBackOff (or ErrImagePull): the image cannot be pulled (a wrong name or tag, the registry unreachable or refusing the node); CreateContainerConfigError: a ConfigMap or Secret it uses is missing; ContainerCreating: a volume cannot be mounted, or the network plugin (calico) gives it no address. `kubectl describe pod -n {{ $labels.namespace }} {{ $labels.pod }}`: its Events say which.',
    },
    PatrolKubeServiceNoReadyEndpoints: {
      summary: 'A Service has no ready endpoint: every request to it fails.',
      description:
        'Service {{ $labels.namespace }}/{{ $labels.endpoint }} selects pods, but none of them has been ready for %for% (%notReady% addresses not ready): requests to it fail, and the users of the application behind it get errors or a white screen. 0 not ready: no running pod matches its selector (its Deployment scaled to 0, its pods pending or relabelled); more: its pods run but fail their readiness probe. `kubectl get endpoints -n {{ $labels.namespace }} {{ $labels.endpoint }}`, then its Deployment and its pods.',
    },
    PatrolKubeDaemonSetNotScheduled: {
      summary: 'A DaemonSet has no ready pod on some of its nodes.',
      description:
        'DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} has had no ready pod on {{ $value }} of the %desired% nodes that should run one (%scheduled% have one scheduled) for %for%, with no rollout going on. For calico-node, the pods on those nodes have no working network. `kubectl get pod -n {{ $labels.namespace }} -o wide | grep {{ $labels.daemonset }}` shows which nodes; `kubectl describe pod` of the one that is not Running with READY 1/1 says why.',
    },
    PatrolKubeDaemonSetMisScheduled: {
      summary: 'A DaemonSet runs pods on nodes that should not run them.',
      description:
        'DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} has been running a pod on {{ $value }} nodes that its node selector, affinity or tolerations do not allow (a node relabelled or tainted) for %for%, and its controller has not removed them. Compare `kubectl get pod -n {{ $labels.namespace }} -o wide | grep {{ $labels.daemonset }}` with `kubectl get node --show-labels`.',
    },
    PatrolKubePodNotGuaranteed: {
      summary:
        "A workload breaks the rule that its pods' minimum and maximum CPU and memory are equal.",
      description:
        "Container {{ $labels.container }} of {{ $labels.workload_kind }} {{ $labels.namespace }}/{{ $labels.workload }} ({{ $value }} pods) does not have requests equal to limits for both CPU and memory, against the ops rule that a pod's minimum and maximum memory are equal, and its minimum and maximum CPU too. Such a pod is not Guaranteed: under memory pressure it is evicted first, and it may get less than it needs. Set resources.requests to resources.limits in its template (`kubectl edit {{ $labels.workload_kind }} -n {{ $labels.namespace }} {{ $labels.workload }}`), and keep the JVM heap a little below the memory limit.",
    },
  },
  dashboards: {
    variables: {
      namespace: 'Namespace',
    },
    values: {
      /** Texts that replace codes on the Kubernetes tiles and table cells. */
      kube: {
        /** A node: kubectl get node's STATUS. */
        node: {
          ready: 'READY',
          cordoned: 'CORDONED',
          notReadyCordoned: 'NOT READY, CORDONED',
          notReady: 'NOT READY',
          unknown: 'UNKNOWN',
          noNodes: 'NO NODES',
        },
        /** A Deployment's row: DESIRED = CURRENT = UP-TO-DATE = AVAILABLE or why not. */
        deployment: {
          ok: 'OK',
          paused: 'PAUSED',
          updating: 'UPDATING',
          mismatch: 'MISMATCH',
          stuck: 'ROLLOUT STUCK',
        },
        service: {
          ok: 'OK',
          noSelector: 'NO SELECTOR',
          noEndpoints: 'NO READY ENDPOINTS',
        },
        /** A resource patrol watches. */
        resource: {
          synced: 'SYNCED',
          notSynced: 'NOT SYNCED',
          failing: 'FAILING',
          forbidden: 'FORBIDDEN',
          notServed: 'NOT SERVED',
        },
        /** A pod's STATUS when a container waits for a reason kubectl's words here do not list. */
        waiting: 'Waiting',
        breaksRule: 'REQUESTS ≠ LIMITS',
      },
    },
    links: {
      kubernetes: 'Kubernetes',
      openKubernetes: 'Open the Kubernetes dashboard',
    },
    overview: {
      rows: {
        kubernetes: 'Kubernetes',
      },
      panels: {
        kubeApiUnreachable: {
          title: 'Kubernetes API unreachable',
          description:
            'Clusters whose API server patrol cannot read (no answer, credentials refused, no credentials): nothing else in this row is current for them.',
        },
        kubeResourcesNotSynced: {
          title: 'Resources not synced',
          description:
            'Resources (nodes, pods, deployments...) of which patrol has no current copy although the API answers: forbidden by RBAC, not served, or their watch keeps failing.',
        },
        kubeNodesNotReady: {
          title: 'Nodes not Ready',
          description:
            'Nodes whose Ready condition is not true (kubectl get node), cordoned ones left out. Red: PatrolKubeNodeNotReady pages after 5 minutes.',
        },
        kubeDeploymentsMismatched: {
          title: 'Deployments not DESIRED = AVAILABLE',
          description:
            'Deployments whose DESIRED, CURRENT, UP-TO-DATE and AVAILABLE differ and have stopped changing (kubectl get deployment). Orange: PatrolKubeDeploymentReplicasMismatch warns.',
        },
        kubePodsNotReady: {
          title: 'Pods not ready',
          description:
            "Pods Pending, Unknown or not ready (READY not n/n), finished ones and Jobs' left out. Orange: PatrolKubePodNotReady warns after 15 minutes.",
        },
        kubePodsCrashLooping: {
          title: 'Pods crash looping',
          description:
            'Pods with a container that restarted within the last minutes or waits in CrashLoopBackOff (RESTARTS going up). Orange: PatrolKubePodCrashLooping warns.',
        },
        kubeServicesWithoutEndpoints: {
          title: 'Services without ready endpoints',
          description:
            'Services that select pods but have no ready address: every request to them fails (the white screen). Red: PatrolKubeServiceNoReadyEndpoints pages.',
        },
        kubeNetworkNotReady: {
          title: 'Nodes without calico-node',
          description:
            "Nodes that should run a pod of the pod network's DaemonSet (calico-node in kube-system) and have no ready one: the pods there have no working network. Orange: PatrolKubeDaemonSetNotScheduled warns.",
        },
      },
    },
    kubernetes: {
      title: 'patrol / Kubernetes',
      description:
        "The cluster as the morning walk sees it: kubectl get node, get deployment, get po, get svc, calico-node, and the rule that a pod's minimum and maximum CPU and memory are equal; then whether patrol reads the API at all.",
      rows: {
        cluster: 'Cluster: kubectl get node',
        deployments: 'Deployments: kubectl get deployment',
        pods: 'Pods: kubectl get po',
        services: 'Services: kubectl get svc, kubectl get endpoints',
        network: 'Pod network: kubectl get pod -n kube-system | grep calico',
        rule: 'Requests = limits: minimum and maximum CPU and memory equal',
        patrol: 'patrol and the Kubernetes API',
      },
      /** Column titles: kubectl's where kubectl has the column. */
      columns: {
        namespace: 'NAMESPACE',
        name: 'NAME',
        desired: 'DESIRED',
        current: 'CURRENT',
        upToDate: 'UP-TO-DATE',
        available: 'AVAILABLE',
        state: 'STATE',
        ready: 'READY',
        status: 'STATUS',
        restarts: 'RESTARTS',
        restartsToday: 'RESTARTS SINCE %hour%',
        node: 'NODE',
        readyAddresses: 'READY ADDRESSES',
        notReadyAddresses: 'NOT READY ADDRESSES',
        kind: 'KIND',
        workload: 'WORKLOAD',
        pod: 'POD',
        container: 'CONTAINER',
        cpuRequest: 'CPU REQUEST (MIN)',
        cpuLimit: 'CPU LIMIT (MAX)',
        memoryRequest: 'MEMORY REQUEST (MIN)',
        memoryLimit: 'MEMORY LIMIT (MAX)',
        rule: 'RULE',
      },
      panels: {
        api: {
          title: 'Kubernetes API',
          description:
            "Whether patrol reads its cluster's API server. DOWN: it does not answer, refuses patrol's credentials, or patrol has none (the patrol log says which); everything below is as last seen.",
        },
        resourcesNotSynced: {
          title: 'Resources not synced',
          description:
            'Resources of which patrol has no current copy: their panels below may be behind. The last row says which and why.',
        },
        nodesNotReady: {
          title: 'Nodes not Ready',
          description:
            'Nodes not Ready, cordoned ones left out (the condition of PatrolKubeNodeNotReady).',
        },
        deploymentsMismatched: {
          title: 'Deployments mismatched',
          description:
            'Deployments without DESIRED = CURRENT = UP-TO-DATE = AVAILABLE that have stopped changing (the condition of PatrolKubeDeploymentReplicasMismatch).',
        },
        statefulSetsMismatched: {
          title: 'StatefulSets mismatched',
          description:
            'StatefulSets whose ready or created replicas differ from what they ask for and have stopped changing.',
        },
        podsNotReady: {
          title: 'Pods not ready',
          description: "Pods Pending, Unknown or not ready, finished ones and Jobs' left out.",
        },
        podsCrashLooping: {
          title: 'Pods crash looping',
          description:
            'Pods with a container that keeps restarting (RESTARTS going up, CrashLoopBackOff).',
        },
        servicesWithoutEndpoints: {
          title: 'Services without endpoints',
          description:
            'Services that select pods and have no ready address: every request to them fails.',
        },
        nodes: {
          title: 'Nodes',
          description:
            'Every node and its STATUS: READY in green; CORDONED in blue (SchedulingDisabled); NOT READY in red, orange when the node is cordoned (maintenance); UNKNOWN in red: its kubelet stopped reporting.',
        },
        deployments: {
          title: 'Deployments',
          description:
            "Every Deployment with kubectl get deployment's four counts, which must be equal. STATE: UPDATING while they differ and still change (a rollout, a scale), MISMATCH once they stopped changing, ROLLOUT STUCK past the progress deadline, PAUSED for a paused rollout. Worst first.",
        },
        pods: {
          title: 'Pods',
          description:
            "Every pod as kubectl get po shows it: READY must be n/n, STATUS Running, and RESTARTS must not go up; RESTARTS SINCE counts the restarts since this morning's check. Worst STATUS first.",
        },
        services: {
          title: 'Services',
          description:
            'Every Service with the ready and not-ready addresses of its endpoints. NO READY ENDPOINTS: it selects pods and none is ready, every request fails. NO SELECTOR: its endpoints are kept by hand, patrol cannot judge them.',
        },
        networkDesired: {
          title: 'calico-node: nodes',
          description: 'Nodes that should run a pod of the pod network (DESIRED of the DaemonSet).',
        },
        networkReady: {
          title: 'calico-node: ready',
          description: 'Nodes whose pod of the pod network is ready (READY of the DaemonSet).',
        },
        networkMissing: {
          title: 'calico-node: missing',
          description:
            'Nodes without a ready pod of the pod network: the pods on them have no working network. calicoctl node status on such a node shows its BGP peers.',
        },
        networkPods: {
          title: 'calico pods',
          description:
            "The pods of the pod network (kubectl get pod -n kube-system | grep calico): each node's calico-node and calico-kube-controllers. Deleting one that is not READY n/n restarts it.",
        },
        notGuaranteedCount: {
          title: 'Containers breaking the rule',
          description:
            'Containers, in the namespaces the rule applies to, whose requests (minimum) are not set or differ from their limits (maximum) for CPU or memory.',
        },
        notGuaranteed: {
          title: 'Requests ≠ limits',
          description:
            "The containers breaking the ops rule that a pod's minimum and maximum memory are equal, and its minimum and maximum CPU too, with their workload, requests and limits (empty: not set). CPU in cores.",
        },
        resources: {
          title: 'Resources watched',
          description:
            'Each resource patrol lists and watches: SYNCED, or why not. NOT SYNCED: its watch is being opened again, or the API does not answer; FAILING: its list or watch fails (the patrol log names the error); FORBIDDEN: RBAC refuses patrol; NOT SERVED: this API server has no such resource.',
        },
        failures: {
          title: 'API failures',
          description: 'Failed requests to the API server per second, by resource and reason.',
        },
        relists: {
          title: 'Relists',
          description:
            'Full lists of a resource after the start (a watch that could not resume: expired or garbage). A few a day is normal; many mean the watch keeps breaking.',
        },
        watchRestarts: {
          title: 'Watch restarts',
          description:
            'Watches started again from where they were: timeout is the normal end of a watch, silent and error are not.',
        },
      },
    },
  },
} satisfies AreaStrings;

export type KubernetesStrings = typeof en;
