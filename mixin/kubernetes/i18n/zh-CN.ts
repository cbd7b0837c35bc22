/** kubernetes 模块的简体中文文本（英文 en.ts 为源，结构相同）。 */
import type { KubernetesStrings } from './en.ts';

export const zhCN: KubernetesStrings = {
  alerts: {
    PatrolKubeApiUnreachable: {
      summary: 'patrol 无法读取 Kubernetes API：该集群当前无人监视。',
      description:
        '{{ $labels.instance }} 上的 patrol 已有 %for% 无法读取所在集群的 API server：API 不响应 GET /version、拒绝 patrol 的凭据（401），或 patrol 根本没有凭据（collectors.kubernetes.kubeconfig，或在 pod 中运行时的 service account 令牌）。在此期间节点、Deployment、pod 和 Service 都没有被监视，patrol / Kubernetes 看板上显示的是最后一次看到的状态。在 master 上执行 `kubectl get node` 可判断 API 是否对所有人都不响应；patrol 日志会说明它为什么不响应 patrol。',
    },
    PatrolKubeWatchStale: {
      summary: 'patrol 跟不上某种 Kubernetes 资源：它显示的内容可能已过时。',
      description:
        '{{ $labels.instance }} 上的 patrol 已有 %for% 没有资源 {{ $labels.resource }} 的最新副本，而 API 是通的（状态：%state%）。forbidden：RBAC 不允许 patrol list 和 watch 该资源；not_served：这个 API server 没有该资源；failing：它的 list 或 watch 一直失败（patrol 日志中有具体错误）。与 {{ $labels.resource }} 有关的告警和面板显示的是它最后已知的状态。',
    },
    PatrolKubeNodeNotReady: {
      summary: 'Kubernetes 节点不是 Ready 状态。',
      description:
        '节点 {{ $labels.node }} 已有 %for% 不是 Ready（Ready 条件为 %status%）。false：kubelet 报告节点不健康（容器运行时挂了、网络插件未就绪、磁盘或内存压力）；unknown：kubelet 不再上报（主机宕机或网络不通，或 kubelet 停了）。新的 pod 不会再调度到该节点上，约五分钟后其上的 pod 会被驱逐，并在其他有空闲资源的节点上重新启动。用 `kubectl get node` 和 `kubectl describe node {{ $labels.node }}` 查看从何时开始、原因是什么。',
    },
    PatrolKubeNodeUnschedulable: {
      summary: 'Kubernetes 节点已被禁止调度（cordon）：不会再有新 pod 调度到它上面。',
      description:
        '节点 {{ $labels.node }} 已被禁止调度（SchedulingDisabled）%for%：新的 pod 不会调度到它上面；在禁止调度期间，它被视为维护中的节点，不会触发 PatrolKubeNodeNotReady。维护结束后执行：`kubectl uncordon {{ $labels.node }}`。',
    },
    PatrolKubeDeploymentReplicasMismatch: {
      summary: 'Deployment 的 DESIRED、CURRENT、UP-TO-DATE、AVAILABLE 不一致。',
      description:
        'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} 期望 %desired% 个副本，可用的只有 {{ $value }} 个（当前 %current% 个，最新版本 %updated% 个），这几个数已有 %for% 不一致且没有任何变化：它的 pod 起不来、反复崩溃、就绪探针失败，或者无法调度（没有资源足够的节点）。先执行 `kubectl get deployment -n {{ $labels.namespace }} {{ $labels.deployment }}`，再用 `kubectl get po -n {{ $labels.namespace }}` 找出它不是 Running 或 READY 不是 n/n 的 pod，对这些 pod 执行 `kubectl describe pod`。',
    },
    PatrolKubeDeploymentRolloutStuck: {
      summary: 'Deployment 发布卡住，已超过进度期限。',
      description:
        'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} 的发布已超过 progressDeadlineSeconds 没有进展（Progressing 为 false，原因 ProgressDeadlineExceeded）：期望 %desired% 个副本，运行新版本的 {{ $value }} 个，可用的 %available% 个。新 pod 始终无法就绪（镜像或配置有误、就绪探针失败）或无法调度。执行 `kubectl rollout status deployment/{{ $labels.deployment }} -n {{ $labels.namespace }}` 查看；需要回到上一版本时用 `kubectl rollout undo`。',
    },
    PatrolKubeDeploymentGenerationMismatch: {
      summary: 'Deployment 的修改没有被控制器处理。',
      description:
        'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} 的 spec 已处于第 %generation% 代达 %for%，而 deployment 控制器只处理到第 {{ $value }} 代：最近一次修改（镜像、副本数）没有在发布。最可能是 kube-controller-manager 停了，或者它的所有实例都不是 leader：在各 master 上执行 `systemctl status kube-controller-manager` 检查。',
    },
    PatrolKubeStatefulSetReplicasMismatch: {
      summary: 'StatefulSet 的副本数与期望不一致。',
      description:
        'StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} 期望 %desired% 个副本，就绪的只有 {{ $value }} 个（已创建 %current% 个），这几个数已有 %for% 不一致且没有任何变化。StatefulSet 按顺序逐个启动 pod：第一个没有就绪的 pod 会挡住后面所有的 pod。先执行 `kubectl get statefulset -n {{ $labels.namespace }} {{ $labels.statefulset }}`，再对编号最小的未就绪 pod 执行 `kubectl describe pod`。',
    },
    PatrolKubePodNotReady: {
      summary: 'pod 长时间未就绪。',
      description:
        'pod {{ $labels.namespace }}/{{ $labels.pod }}{{ with $labels.node }}（节点 {{ . }}）{{ end }}已有 %for% 未就绪（phase 为 %phase%）：它不处理任何请求。Pending：还没有调度（没有 CPU 或内存足够的节点、节点选择器或污点不匹配），或仍在拉取镜像；Running：有容器的就绪探针失败；Unknown：所在节点不再上报。执行 `kubectl describe pod -n {{ $labels.namespace }} {{ $labels.pod }}`，其 Events 会说明原因。',
    },
    PatrolKubePodCrashLooping: {
      summary: '容器在反复重启。',
      description:
        'pod {{ $labels.namespace }}/{{ $labels.pod }}{{ with $labels.node }}（节点 {{ . }}）{{ end }}的容器 {{ $labels.container }} 在最近 %window% 内重启了 {{ $value }} 次，并且还在不断重启（RESTARTS 持续增加，STATUS 为 CrashLoopBackOff）；上一次退出原因：%lastReason%。OOMKilled：它需要的内存超过了上限；Error：进程自己退出了，用 `kubectl logs -n {{ $labels.namespace }} {{ $labels.pod }} -c {{ $labels.container }} --previous` 查看原因。',
    },
    PatrolKubeContainerWaiting: {
      summary: '容器长时间处于等待状态，没有启动。',
      description:
        'pod {{ $labels.namespace }}/{{ $labels.pod }}{{ with $labels.node }}（节点 {{ . }}）{{ end }}的容器 {{ $labels.container }} 已等待 %for%，原因为 {{ $labels.reason }}。ImagePullBackOff（或 ErrImagePull）：镜像拉不下来（名称或标签写错、镜像仓库不通或拒绝该节点）；CreateContainerConfigError：它使用的 ConfigMap 或 Secret 不存在；ContainerCreating：卷挂载不上，或网络插件（calico）没有给它分配地址。执行 `kubectl describe pod -n {{ $labels.namespace }} {{ $labels.pod }}`，其 Events 会说明是哪一种。',
    },
    PatrolKubeServiceNoReadyEndpoints: {
      summary: 'Service 没有就绪的端点：发给它的请求全部失败。',
      description:
        'Service {{ $labels.namespace }}/{{ $labels.endpoint }} 通过选择器选择 pod，但已有 %for% 没有一个就绪（未就绪地址 %notReady% 个）：发给它的请求全部失败，后面应用的用户会看到报错或白屏。未就绪为 0：没有运行中的 pod 匹配它的选择器（Deployment 被缩到 0，或 pod 处于 Pending，或标签被改了）；大于 0：pod 在运行，但就绪探针失败。先执行 `kubectl get endpoints -n {{ $labels.namespace }} {{ $labels.endpoint }}`，再查看对应的 Deployment 和 pod。',
    },
    PatrolKubeDaemonSetNotScheduled: {
      summary: 'DaemonSet 在部分节点上没有就绪的 pod。',
      description:
        'DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} 应当运行在 %desired% 个节点上（已调度 %scheduled% 个），其中 {{ $value }} 个节点已有 %for% 没有就绪的 pod，且当前没有在滚动更新。如果是 calico-node，这些节点上的 pod 网络不通。用 `kubectl get pod -n {{ $labels.namespace }} -o wide | grep {{ $labels.daemonset }}` 查看是哪些节点；对不是 Running 或 READY 不是 1/1 的那个 pod 执行 `kubectl describe pod` 查看原因。',
    },
    PatrolKubeDaemonSetMisScheduled: {
      summary: 'DaemonSet 的 pod 运行在了不该运行的节点上。',
      description:
        'DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} 有 {{ $value }} 个节点上运行着它的 pod，而这些节点已不符合它的节点选择器、亲和性或容忍度（节点的标签或污点被改了），控制器在 %for% 内没有把它们移除。对比 `kubectl get pod -n {{ $labels.namespace }} -o wide | grep {{ $labels.daemonset }}` 和 `kubectl get node --show-labels` 的输出。',
    },
    PatrolKubePodNotGuaranteed: {
      summary: '工作负载违反了"pod 的最大、最小 CPU 和内存须一致"的运维规范。',
      description:
        '{{ $labels.workload_kind }} {{ $labels.namespace }}/{{ $labels.workload }} 的容器 {{ $labels.container }}（共 {{ $value }} 个 pod）的 requests 与 limits 没有在 CPU 和内存上都相等，违反了运维规范："POD 的最大、最小内存需一致，最大最小 CPU 也要保持一致"。这样的 pod 不是 Guaranteed 级别：节点内存紧张时它最先被驱逐，也可能分不到它需要的资源。在它的模板中把 resources.requests 设成与 resources.limits 相同（`kubectl edit {{ $labels.workload_kind }} -n {{ $labels.namespace }} {{ $labels.workload }}`），并让 JVM 堆内存略小于内存上限。',
    },
  },
  dashboards: {
    variables: {
      namespace: '命名空间',
    },
    values: {
      kube: {
        node: {
          ready: '就绪',
          cordoned: '禁止调度',
          notReadyCordoned: '未就绪（禁止调度）',
          notReady: '未就绪',
          unknown: '失联',
          noNodes: '无节点',
        },
        deployment: {
          ok: '正常',
          paused: '已暂停',
          updating: '更新中',
          mismatch: '不一致',
          stuck: '发布卡住',
        },
        service: {
          ok: '正常',
          noSelector: '无选择器',
          noEndpoints: '无就绪端点',
        },
        resource: {
          synced: '已同步',
          notSynced: '未同步',
          failing: '读取失败',
          forbidden: '无权限',
          notServed: '不支持',
        },
        waiting: '等待中',
        breaksRule: '最小 ≠ 最大',
      },
    },
    links: {
      kubernetes: 'Kubernetes',
      openKubernetes: '打开 Kubernetes 看板',
    },
    overview: {
      rows: {
        kubernetes: 'Kubernetes 集群',
      },
      panels: {
        kubeApiUnreachable: {
          title: 'K8s API 不可达',
          description:
            'patrol 读不到 API server 的集群数（无响应、凭据被拒或没有凭据）：这些集群本行其他数字都不是最新的。',
        },
        kubeResourcesNotSynced: {
          title: '未同步的资源',
          description:
            'API 可用、但 patrol 没有最新副本的资源数（节点、pod、deployment 等）：被 RBAC 禁止、服务端不支持，或 watch 一直失败。',
        },
        kubeNodesNotReady: {
          title: '未就绪节点',
          description:
            'Ready 条件不为 true 的节点数（kubectl get node），不含已禁止调度的节点。红色：PatrolKubeNodeNotReady 持续 5 分钟后会发出严重告警。',
        },
        kubeDeploymentsMismatched: {
          title: '副本数不一致的 Deployment',
          description:
            'DESIRED、CURRENT、UP-TO-DATE、AVAILABLE 不一致且已不再变化的 Deployment 数（kubectl get deployment）。橙色：PatrolKubeDeploymentReplicasMismatch 会发出警告。',
        },
        kubePodsNotReady: {
          title: '未就绪 pod',
          description:
            '处于 Pending、Unknown 或未就绪（READY 不是 n/n）的 pod 数，不含已结束的 pod 和 Job 的 pod。橙色：PatrolKubePodNotReady 持续 15 分钟后会发出警告。',
        },
        kubePodsCrashLooping: {
          title: '反复重启的 pod',
          description:
            '有容器在最近几分钟内重启过或处于 CrashLoopBackOff 的 pod 数（RESTARTS 在增加）。橙色：PatrolKubePodCrashLooping 会发出警告。',
        },
        kubeServicesWithoutEndpoints: {
          title: '无就绪端点的 Service',
          description:
            '选择了 pod、但没有任何就绪地址的 Service 数：发给它们的请求全部失败（即白屏）。红色：PatrolKubeServiceNoReadyEndpoints 会发出严重告警。',
        },
        kubeNetworkNotReady: {
          title: '缺少 calico-node 的节点',
          description:
            '应当运行 pod 网络 DaemonSet（kube-system 中的 calico-node）、却没有就绪 pod 的节点数：这些节点上的 pod 网络不通。橙色：PatrolKubeDaemonSetNotScheduled 会发出警告。',
        },
      },
    },
    kubernetes: {
      title: 'patrol / Kubernetes 集群',
      description:
        '按每日早巡检的顺序查看集群：kubectl get node、get deployment、get po、get svc、calico-node，以及"pod 的最大、最小 CPU 和内存须一致"的规范；最后是 patrol 能否正常读取 API。',
      rows: {
        cluster: '集群：kubectl get node',
        deployments: 'Deployment：kubectl get deployment',
        pods: 'Pod：kubectl get po',
        services: 'Service：kubectl get svc、kubectl get endpoints',
        network: 'Pod 网络：kubectl get pod -n kube-system | grep calico',
        rule: '资源规范：最大、最小 CPU 和内存须一致',
        patrol: 'patrol 与 Kubernetes API',
      },
      columns: {
        namespace: '命名空间',
        name: '名称',
        desired: 'DESIRED 期望',
        current: 'CURRENT 当前',
        upToDate: 'UP-TO-DATE 最新',
        available: 'AVAILABLE 可用',
        state: '状态',
        ready: 'READY 就绪',
        status: 'STATUS 状态',
        restarts: 'RESTARTS 重启',
        restartsToday: '%hour% 以来重启',
        node: '节点',
        readyAddresses: '就绪地址',
        notReadyAddresses: '未就绪地址',
        kind: '类型',
        workload: '工作负载',
        pod: 'Pod',
        container: '容器',
        cpuRequest: 'CPU 请求（最小）',
        cpuLimit: 'CPU 上限（最大）',
        memoryRequest: '内存请求（最小）',
        memoryLimit: '内存上限（最大）',
        rule: '规范',
      },
      panels: {
        api: {
          title: 'K8s API',
          description:
            'patrol 能否读取所在集群的 API server。DOWN：API 无响应、拒绝 patrol 的凭据，或 patrol 没有凭据（patrol 日志会说明是哪一种）；下面所有内容都是最后一次看到的状态。',
        },
        resourcesNotSynced: {
          title: '未同步的资源',
          description:
            'patrol 没有最新副本的资源数：下面相关面板的内容可能滞后。最后一行显示是哪种资源以及原因。',
        },
        nodesNotReady: {
          title: '未就绪节点',
          description: '未就绪的节点数，不含已禁止调度的节点（即 PatrolKubeNodeNotReady 的条件）。',
        },
        deploymentsMismatched: {
          title: '副本不一致的 Deployment',
          description:
            'DESIRED、CURRENT、UP-TO-DATE、AVAILABLE 不一致且已不再变化的 Deployment 数（即 PatrolKubeDeploymentReplicasMismatch 的条件）。',
        },
        statefulSetsMismatched: {
          title: '副本不一致的 StatefulSet',
          description: '就绪或已创建副本数与期望不一致、且已不再变化的 StatefulSet 数。',
        },
        podsNotReady: {
          title: '未就绪 pod',
          description: '处于 Pending、Unknown 或未就绪的 pod 数，不含已结束的 pod 和 Job 的 pod。',
        },
        podsCrashLooping: {
          title: '反复重启的 pod',
          description: '有容器在不断重启的 pod 数（RESTARTS 在增加、CrashLoopBackOff）。',
        },
        servicesWithoutEndpoints: {
          title: '无端点的 Service',
          description: '选择了 pod、但没有任何就绪地址的 Service 数：发给它们的请求全部失败。',
        },
        nodes: {
          title: '节点',
          description:
            '每个节点及其 STATUS：就绪为绿色；禁止调度为蓝色（SchedulingDisabled）；未就绪为红色，如果节点已禁止调度（维护中）则为橙色；失联为红色：kubelet 不再上报。',
        },
        deployments: {
          title: 'Deployment 列表',
          description:
            '所有 Deployment 及 kubectl get deployment 的四个数，这四个数必须相等。状态：更新中——四个数不等但仍在变化（正在发布或扩缩容）；不一致——已不再变化；发布卡住——超过了进度期限；已暂停——发布被暂停。最差的排在最前。',
        },
        pods: {
          title: 'Pod 列表',
          description:
            '与 kubectl get po 一致的 pod 列表：READY 必须是 n/n，STATUS 必须是 Running，RESTARTS 不应增加；"以来重启"一列是从今天早上巡检时刻起的重启次数。STATUS 最差的排在最前。',
        },
        services: {
          title: 'Service 列表',
          description:
            '所有 Service 及其端点中就绪和未就绪的地址数。无就绪端点：它选择了 pod，但没有一个就绪，请求全部失败。无选择器：端点由人工维护，patrol 无法判断是否足够。',
        },
        networkDesired: {
          title: 'calico-node：节点数',
          description: '应当运行 pod 网络 pod 的节点数（DaemonSet 的 DESIRED）。',
        },
        networkReady: {
          title: 'calico-node：就绪',
          description: 'pod 网络的 pod 已就绪的节点数（DaemonSet 的 READY）。',
        },
        networkMissing: {
          title: 'calico-node：缺失',
          description:
            '没有就绪的 pod 网络 pod 的节点数：这些节点上的 pod 网络不通。在这样的节点上执行 calicoctl node status 可查看其 BGP 对端状态。',
        },
        networkPods: {
          title: 'calico 的 pod',
          description:
            'pod 网络的 pod（kubectl get pod -n kube-system | grep calico）：每个节点上的 calico-node 以及 calico-kube-controllers。删除 READY 不是 n/n 的那个 pod 即可让它重启。',
        },
        notGuaranteedCount: {
          title: '违反规范的容器',
          description:
            '在适用该规范的命名空间中，requests（最小值）没有设置、或者与 limits（最大值）在 CPU 或内存上不相等的容器数。',
        },
        notGuaranteed: {
          title: '最小值 ≠ 最大值',
          description:
            '违反运维规范"POD 的最大、最小内存需一致，最大最小 CPU 也要保持一致"的容器，及其工作负载、requests 和 limits（空白表示未设置）。CPU 的单位是核。',
        },
        resources: {
          title: '监视的资源',
          description:
            'patrol list 和 watch 的每种资源：已同步，或者为什么没有同步。未同步：watch 正在重新建立，或 API 无响应；读取失败：list 或 watch 失败（patrol 日志中有具体错误）；无权限：RBAC 拒绝了 patrol；不支持：这个 API server 没有该资源。',
        },
        failures: {
          title: 'API 请求失败',
          description: '每秒发给 API server 的失败请求数，按资源和原因分列。',
        },
        relists: {
          title: '重新 list 次数',
          description:
            '启动之后对资源的完整 list 次数（watch 无法接续：版本过期或收到异常数据）。一天几次属于正常；很多次说明 watch 总是断开。',
        },
        watchRestarts: {
          title: 'watch 重建次数',
          description:
            '从原位置重新开始的 watch 次数：timeout 是 watch 的正常结束，silent 和 error 则不是。',
        },
      },
    },
  },
};
