import type { HaStrings } from './en.ts';

// 链路承载的内容，来自 patrol_ha_link_info（%linkInfo%：告警渲染时在模板中查询）。
const CARRIES =
  '{{ range %linkInfo% }}{{ if eq (. | label "role") "peer" }} 到对端 {{ . | label "peer" }} 的心跳；{{ else if eq (. | label "role") "vip" }} 虚拟 IP；{{ else }} collectors.ha.links.interfaces 中列出的流量；{{ end }}{{ end }}';

// 节点与对端之间的故障位置，来自 patrol_ha_peer_fault（%where%）。
const WHERE =
  '{{ with %where% }}{{ with . | first | label "where" }}{{ if eq . "local_link" }}本节点通往对端的链路 {{ $labels.interface }} 已断开或不存在：检查本节点的网线、网卡和交换机端口（PatrolHaLinkDown 会指出是哪一个）。{{ else if eq . "peer_or_network" }}本节点的链路 {{ $labels.interface }} 正常：检查对端（宕机、卡死、其采集器）或两者之间的交换机。{{ else if eq . "peer_link" }}对端报告它自己的链路断开：检查对端的网线、网卡和交换机端口。{{ else if eq . "unknown" }}本节点不知道通往对端的接口（没有到其地址的路由）：检查本节点的路由和对端的地址。{{ end }}{{ end }}{{ end }}';

/** Simplified Chinese (zh-CN). */
export const zhCN: HaStrings = {
  alerts: {
    PatrolHaPeerDown: {
      summary: '双机热备中的一个节点收不到对端的心跳。',
      description: `热备集群 {{ $labels.cluster }} 的节点 {{ $labels.node }}（{{ $labels.instance }}）收不到对端 {{ $labels.peer }} 的心跳应答（连续失败 collectors.ha.failure_threshold 次）：对端主机宕机或卡死，或两者之间的网络断了。${WHERE}两者之间的镜像很可能也已停止，热备软件可能会切换。原因见 patrol_ha_peer_heartbeat_failures_total（timeout、refused、unreachable、auth 等）。`,
    },
    PatrolHaSplitBrain: {
      summary: '脑裂：双机热备中不止一个节点是主机。',
      description:
        '热备集群 {{ $labels.cluster }}（job {{ $labels.job }}）中不止一个节点声称自己是主机：两者可能都持有虚拟 IP 并接受写入，两份数据随每次写入而分叉。判断依据是 Prometheus 从各节点抓取的角色，或者某个主机节点在对端心跳中得知对端也是 "primary"。',
    },
    PatrolHaNoPrimary: {
      summary: '双机热备中没有主机：它承载的业务无人提供。',
      description:
        '热备集群 {{ $labels.cluster }}（job {{ $labels.job }}）中被 Prometheus 抓取的节点（共 {{ $value }} 个）都不是主机（备机或未知），而这对节点的角色在最近 %memory% 内是已知的：切换没有发生或失败了，或者角色检测出错。Prometheus 抓取不到的节点（PatrolExporterDown）可能仍然是主机。',
    },
    PatrolHaFailover: {
      summary: '双机热备中的节点切换了角色：确认这次切换是否预期之内。',
      description:
        '热备集群 {{ $labels.cluster }} 的节点 {{ $labels.node }}（{{ $labels.instance }}）在最近 %window% 内在主机和备机之间切换过，现在是 {{ $labels.role }}。如果没有人主动切换，就是热备软件自动切换了：查明它为什么放弃原主机，以及新主机是否拥有全部数据。',
    },
    PatrolHaClockSkew: {
      summary: '双机热备中各节点的时钟不一致。',
      description:
        '通过心跳测得热备集群 {{ $labels.cluster }}（job {{ $labels.job }}）各节点的时钟相差 {{ $value | humanizeDuration }}，超过 %threshold%：NTP 或 chrony 没有让至少其中一台保持准确时间。复制延迟的数值，以及两台节点日志时间戳之间的对照，都会偏差这么多。',
    },
    PatrolHaLinkDown: {
      summary: '双机热备节点的一条网络链路断开。',
      description: `热备集群 {{ $labels.cluster }} 的节点 {{ $labels.node }}（{{ $labels.instance }}）的接口 {{ $labels.interface }}{{ if eq $value %missing% }}不存在（/sys/class/net 中没有：被改名、驱动未加载或网卡已不在）{{ else }}已断开（没有载波，或运行状态不是 up：网线、交换机端口、网卡，或被手工关闭）{{ end }}。它承载：${CARRIES}这些在本节点上全部中断。`,
    },
    PatrolHaLinkFlapping: {
      summary: '双机热备节点的一条网络链路反复断开又恢复。',
      description: `热备集群 {{ $labels.cluster }} 的节点 {{ $labels.node }}（{{ $labels.instance }}）的接口 {{ $labels.interface }} 在最近 %window% 内载波变化了 {{ $value | humanize }} 次，超过 %count% 次（每次断开和每次恢复各算一次）：网线松动或损坏、交换机端口或网卡故障，或速率与双工反复协商。它承载：${CARRIES}每次断开都可能丢失心跳、使镜像停顿，并让热备软件切换。`,
    },
    PatrolHaLinkErrors: {
      summary: '双机热备节点的一条网络链路出现错误或丢包。',
      description: `热备集群 {{ $labels.cluster }} 的节点 {{ $labels.node }}（{{ $labels.instance }}）的接口 {{ $labels.interface }}{{ if eq $labels.kind "errors" }}在最近 %window% 内每秒有 {{ $value | humanize }} 个收发错误，超过 %errors%：网线或接头损坏、交换机端口或网卡故障、双工不匹配（正常链路没有错误）{{ else }}在最近 %window% 内每秒丢弃 {{ $value | humanize }} 个数据包，超过 %drops%：流量超出主机的接收能力（流量攻击或广播风暴、接收队列已满），或收到主机不需要的帧{{ end }}。它承载：${CARRIES}经过它的心跳和镜像会变慢或失败。`,
    },
    PatrolHaBondDegraded: {
      summary: '双机热备节点的一个绑定接口（bond）有从接口断开。',
      description: `热备集群 {{ $labels.cluster }} 的节点 {{ $labels.node }}（{{ $labels.instance }}）的绑定接口 {{ $labels.interface }} 的 %slaves% 个从接口中只有 {{ $value }} 个正常：{{ range %downSlaves% }} {{ . | label "slave" }} 已断开；{{ end }}它失去了冗余，再坏一个就会中断。它承载：${CARRIES}/proc/net/bonding/{{ $labels.interface }} 显示每个从接口的 MII 状态和链路故障次数。`,
    },
    PatrolHaVipConflict: {
      summary: '另一台机器也在应答双机热备的虚拟 IP：IP 冲突。',
      description: `热备集群 {{ $labels.cluster }} 的节点 {{ $labels.node }}（{{ $labels.instance }}）持有虚拟 IP {{ $labels.vip }}，而另一台机器也在应答它的 ARP，MAC 地址为{{ range %macs% }} {{ . | label "mac" }}{{ end }}：IP 冲突。客户端会连到最后应答的那台机器，一部分业务流量因此走错。如果这个 MAC 是对端的，说明两个节点都持有 VIP（脑裂）；否则按 MAC 在交换机的地址表中找到那台机器，去掉它上面的这个地址。`,
    },
    PatrolReplicationLagHigh: {
      summary: '备机上镜像数据集的副本远远落后于主机，而且没有在追赶。',
      description:
        '热备集群 {{ $labels.cluster }} 的备机 {{ $labels.node }}（{{ $labels.instance }}）上数据集 {{ $labels.dataset }} 的副本落后主机 {{ $value | humanizeDuration }}，超过 %threshold%，按最近 %window% 的趋势，%horizon% 之后仍然追不上：镜像传输的速度比主机写入的慢（带宽限制、链路繁忙、队列前面有大文件）。此时切换会丢失主机在这段时间内写入的数据。',
    },
    PatrolReplicationStalled: {
      summary: '数据集到备机的镜像已停滞：金丝雀文件不再更新。',
      description:
        '热备集群 {{ $labels.cluster }} 的备机 {{ $labels.node }}（{{ $labels.instance }}）上数据集 {{ $labels.dataset }} 的金丝雀文件副本已有 %window% 或更久没有变化，或者从未到达：副本落后 {{ $value | humanizeDuration }}，并且每秒再落后一秒。镜像什么都没有传输：镜像进程停止或卡住，两台节点之间的链路断了，备机无法写入，或者主机上的 patrol 无法写金丝雀文件（patrol_replication_canary_errors_total）。此时切换会丢失此后写入的全部数据。',
    },
    PatrolReplicationOutOfSync: {
      summary: '镜像数据集的文件在主机和备机之间不一致。',
      description:
        '热备集群 {{ $labels.cluster }} 中，数据集 {{ $labels.dataset }} 有 {{ $value }} 个文件在主机和备机 {{ $labels.node }}（{{ $labels.instance }}）之间不一致（大小或修改时间不同），或者在备机上缺失，连续两次比对都如此，且已持续 %duration%：不是正在传输的变更，而是镜像跳过或写不进去的文件。还需要传输多少数据见 patrol_replication_out_of_sync_bytes。',
    },
    PatrolReplicationCompareFailing: {
      summary: '备机不再把它的数据集副本与主机进行比对。',
      description:
        '热备集群 {{ $labels.cluster }} 的备机 {{ $labels.node }}（{{ $labels.instance }}）已超过 %stale% 没有完成数据集 {{ $labels.dataset }} 与主机清单（manifest）的比对，或者从未完成过且比对一直失败：这个数据集的不一致数值已过时或缺失。原因见 patrol_replication_compare_errors_total：local（遍历本机副本失败）、peer（无法获取主机的清单或被拒绝）、no_primary（没有一个能应答的对端声称自己是主机）。',
    },
    PatrolReplicationStandbySpaceLow: {
      summary: '备机上存放数据集副本的文件系统即将写满。',
      description:
        '热备集群 {{ $labels.cluster }} 的备机 {{ $labels.node }}（{{ $labels.instance }}）上存放数据集 {{ $labels.dataset }} 的文件系统仅剩 {{ $value | humanizePercentage }} 的空间，低于 %threshold%。一旦写满，镜像就无法写入，副本不再跟随主机。',
    },
    PatrolReplicationCanaryUnwritable: {
      summary: '主机上的 patrol 无法把复制金丝雀文件写入数据集。',
      description:
        '热备集群 {{ $labels.cluster }} 的主机 {{ $labels.node }}（{{ $labels.instance }}）已有 %duration% 无法写入数据集 {{ $labels.dataset }} 的金丝雀文件（patrol_replication_canary_write_ok 为 0），而它的 HA 采集器仍然成功。备机上这个数据集的延迟会像镜像停止了一样持续增长，因此它的延迟和停滞告警不再能说明镜像是否正常：此时切换会在无人察觉的情况下丢失镜像没有传输的数据。请在主机上检查：patrol 单元的 ReadWritePaths= 必须包含该数据集的路径（ProtectSystem=strict 会让它只读：EROFS；用 `systemctl cat patrol` 查看，patrol 的日志会给出路径）；patrol 用户必须能在该目录中创建金丝雀文件（EACCES/EPERM：对该路径执行 `ls -ld`）；文件系统不能是只读的或已写满（对该路径执行 `findmnt`）。',
    },
  },
  dashboards: {
    variables: {
      cluster: '热备集群',
    },
    values: {
      ha: {
        primary: '主机',
        standby: '备机',
        unknown: '角色未知',
        exporterDown: '采集器故障',
        ok: '正常',
        splitBrain: '脑裂',
        noPrimary: '无主机',
        peerDown: '对端失联',
        notMeasured: '采集器全部故障',
        noPairs: '未配置热备',
      },
      haLink: {
        up: '正常',
        down: '断开',
        missing: '不存在',
        noLinks: '未监视链路',
        faultNone: '正常',
        faultLocalLink: '本节点链路',
        faultPeerOrNetwork: '对端或网络',
        faultPeerLink: '对端链路',
        faultUnknown: '位置未知',
        noBonds: '无绑定接口',
        vipNone: '无冲突',
        vipConflict: 'IP 冲突',
        vipUnknown: '无法检测',
        vipNotHeld: '未持有 VIP',
      },
      replication: {
        notMeasured: '未测量',
        noDatasets: '未配置数据集',
        notCompared: '未比对',
        advancing: '正常推进',
        waiting: '等待中',
        stalled: '已停滞',
        neverArrived: '未收到金丝雀',
        written: '已写入',
        cannotWrite: '无法写入',
      },
    },
    links: {
      ha: '双机热备',
      openHa: '打开此集群的双机热备仪表盘',
    },
    overview: {
      rows: {
        ha: '双机热备',
      },
      panels: {
        haPairs: {
          title: '各热备集群状态',
          description:
            '每个热备集群（collectors.ha.cluster）显示最严重的状态：“脑裂”（不止一个节点是主机）、“无主机”（在角色已知的集群中，被抓取的节点都不是主机）、“对端失联”（某节点收不到对端的心跳），否则为“正常”。“采集器全部故障”：该集群当前没有任何节点被抓取。这些是热备告警的条件，但不等待告警的持续时间。点击集群打开它的仪表盘。',
        },
        replicationLag: {
          title: '各热备集群最严重的复制延迟',
          description:
            '每个集群中延迟最大的数据集，其备机副本落后主机多少（金丝雀文件的年龄）：绿色；达到 PatrolReplicationLagHigh 警告的阈值为橙色，达到其通知值班的阈值为红色。镜像停止时它每秒增长一秒。“未测量”（红色）：集群中有数据集当前没有备机报告（备机的采集器故障，或没有节点是备机）。点击集群打开它的仪表盘。',
        },
        datasetsOutOfSync: {
          title: '不一致的数据集',
          description:
            '备机副本中有文件与主机不一致或缺失的数据集，以最近两次比对为准（PatrolReplicationOutOfSync 的条件，不等待其持续时间）。从 1 起为橙色。',
        },
        haLinksDown: {
          title: '热备链路断开',
          description:
            '热备集群各节点被监视的链路（通往各对端的接口、持有 VIP 的接口、collectors.ha.links.interfaces 中列出的接口）中断开或不存在的数量：即不含等待时间的 PatrolHaLinkDown。',
        },
      },
    },
    ha: {
      title: 'patrol / 双机热备',
      description:
        '双机热备集群（巡检项 H1-H6：两台服务器、它们之间的镜像软件、心跳和虚拟 IP）：每个集群一行，显示各节点的角色、双向心跳及其故障位置、往返时间和时钟偏差、各节点的链路（状态、载波变化、错误、绑定接口、VIP 冲突）、最近一天的切换次数，以及每个镜像数据集在备机上的复制延迟、金丝雀文件（主机能否写入、备机副本是否更新）、副本的不一致情况和主机上的变更速率；下方是心跳与角色随时间的变化。',
      rows: {
        pair: '热备集群 $cluster',
        history: '心跳与角色的历史',
      },
      legends: {
        outOfSync: '不一致',
        missing: '缺失',
        extra: '多余',
        receiveErrors: '接收错误',
        transmitErrors: '发送错误',
        receiveDrops: '接收丢包',
        transmitDrops: '发送丢包',
      },
      panels: {
        roles: {
          title: '各节点角色',
          description:
            '每个节点自己报告的角色（collectors.ha.role：虚拟 IP、文件、命令或静态配置）：主机为绿色，备机为蓝色，角色未知为橙色（未配置角色检测，或检测失败）。“采集器故障”：Prometheus 抓取不到该节点，按它最近一次报告的名字显示；它可能仍然是主机。',
        },
        splitBrain: {
          title: '脑裂',
          description:
            '“脑裂”：集群中不止一个节点声称自己是主机（两者可能都接受写入，两份数据逐渐分叉），依据是各节点角色的计数，或主机节点从对端心跳中得知对端也是主机。持续一段时间后，PatrolHaSplitBrain 会通知值班人员。',
        },
        failovers: {
          title: '切换次数（24 小时）',
          description:
            '最近 24 小时内主备角色的切换次数，取切换最多的那个节点的计数（一次故障切换或手动切换，每个节点各计一次）。从 1 起为橙色：确认切换是否预期之内。',
        },
        heartbeat: {
          title: '心跳',
          description:
            '每个节点能否收到每个对端的心跳应答（节点 → 对端）：连续失败 collectors.ha.failure_threshold 次，或本节点启动以来对端从未应答，即为“故障”。两个方向都故障：链路断了或对端没了；只有一个方向：防火墙、路由或共享密钥的问题。',
        },
        fault: {
          title: '故障位置',
          description:
            '每个节点到每个对端的心跳（节点 → 对端）的故障位置：正常（对端应答，本节点通往它的链路正常）、本节点链路（通往对端的接口断开或不存在：本节点的网线、网卡或交换机端口）、对端或网络（本节点链路正常而对端不应答：对端或交换机）、对端链路（对端报告它自己的链路断开）、位置未知（不知道通往对端的接口，且对端不应答）。',
        },
        links: {
          title: '各节点的链路',
          description:
            '每个节点监视的每个接口及其承载的内容：peer（到该对端的心跳）、vip（虚拟 IP）、configured（collectors.ha.links.interfaces）。正常为绿色；断开为红色（无载波或不可用）；不存在为红色（配置了或找到了，但没有这个接口）。断开和不存在时 PatrolHaLinkDown 告警。',
        },
        bondSlaves: {
          title: '绑定接口的从接口',
          description:
            '每个被监视的绑定接口（/proc/net/bonding）的每个从接口：正常或断开（MII 状态）。从接口断开意味着绑定接口失去冗余：PatrolHaBondDegraded 告警。',
        },
        vipConflict: {
          title: 'VIP 冲突',
          description:
            '在持有虚拟 IP 的节点上（角色来自 VIP）：无冲突（没有其他机器应答它的 ARP）、IP 冲突为红色（另一个 MAC 应答：PatrolHaVipConflict 告警）、无法检测为灰色（检测需要 arping 和 CAP_NET_RAW）。未持有 VIP：这对节点中没有节点报告持有它，或角色不来自 VIP。',
        },
        carrierChanges: {
          title: '载波变化',
          description:
            '每条链路的载波变化次数（每次断开和每次恢复各算一次），按节点和接口。正常的链路保持为 0；阶梯状上升说明网线或端口在抖动：超过限值时 PatrolHaLinkFlapping 告警。',
        },
        linkErrors: {
          title: '链路每秒错误和丢包',
          description:
            '每秒的收发错误（网线、端口或网卡损坏：正常链路没有）和丢包（流量超出主机接收能力：流量攻击、队列已满），按节点和接口。超过限值时 PatrolHaLinkErrors 告警。',
        },
        rtt: {
          title: '往返时间',
          description:
            '最近一次得到应答的心跳的往返时间（节点 → 对端），已扣除对端处理的时间。局域网约为一毫秒；接近 collectors.ha.timeout 时心跳开始失败。',
        },
        clockOffset: {
          title: '时钟偏差',
          description:
            '对端时钟减去本节点时钟，按 NTP 的方法从心跳中估算（误差不超过往返时间的一半）。任一方向超过 PatrolHaClockSkew 的上限即为橙色：复制延迟的数值也会偏差这么多。',
        },
        lastSeen: {
          title: '距上次心跳',
          description:
            '每个节点距上一次收到每个对端应答的时间。对端正常时最多几个心跳间隔；对端故障时，就是它失联的时长。',
        },
        rolesOverTime: {
          title: '角色的历史',
          description:
            '时间范围内每个节点的角色，颜色与上方方块相同：一次切换表现为两行同时变色，脑裂表现为两行同时为绿色。空白：采集器没有报告。',
        },
        rttOverTime: {
          title: '往返时间的历史',
          description:
            '心跳的往返时间（节点 → 对端）。持续上升说明链路繁忙或拥塞，镜像也会随之变慢。',
        },
        clockOffsetOverTime: {
          title: '时钟偏差的历史',
          description:
            '对端时钟减去本节点时钟。逐渐偏离又突然跳回，说明 NTP 或 chrony 是在跳变校时而不是持续保持时间准确；横线为 PatrolHaClockSkew 的上限。',
        },
        failuresByReason: {
          title: '每分钟失败的心跳（按原因）',
          description:
            'timeout（collectors.ha.timeout 内没有应答）、refused（没有进程监听：对端采集器停了）、unreachable（没有路由、连接被重置）、auth（共享密钥不一致）、http_status、bad_response（不是 patrol 的心跳）、wrong_cluster（对端配置的是另一个集群）。',
        },
        lag: {
          title: '复制延迟',
          description:
            '备机上每个数据集的副本落后主机多少：主机写入数据集的金丝雀文件的年龄，按主机的时钟计算（已用测得的时钟偏差修正）。绿色；达到 PatrolReplicationLagHigh 警告的阈值为橙色，达到其通知值班的阈值为红色。镜像停止时它每秒增长一秒；还没有收到金丝雀文件时，从备机开始等待时算起。“未测量”（红色）：当前没有节点是备机，或备机的采集器故障。',
        },
        canaryWritten: {
          title: '主机写入金丝雀文件',
          description:
            '主机最近一次能否把金丝雀文件写入每个数据集（patrol_replication_canary_write_ok）：“已写入”为绿色；“无法写入”为红色（该数据集对 patrol 只读：ProtectSystem=strict 而 ReadWritePaths= 中没有该数据集的路径时写入失败，报 EROFS；或者权限不足，或者文件系统只读或已写满）。此时备机上的延迟会像镜像停止了一样持续增长，PatrolReplicationCanaryUnwritable 会通知值班。“未测量”（红色）：当前没有节点是主机，主机的采集器故障，或者它还没有尝试第一次写入。',
        },
        canary: {
          title: '备机上的金丝雀文件',
          description:
            '备机上的金丝雀文件副本是否在更新：“正常推进”（在停滞判定窗口内有变化）、“等待中”（备机开始等待后还没有收到，且未超过该窗口）、“已停滞”（不再变化：PatrolReplicationStalled 的条件）、“未收到金丝雀”（超过该窗口仍从未收到：镜像没有传输这个数据集，或不支持金丝雀文件的写入方式）。',
        },
        standbySpace: {
          title: '备机副本所在文件系统的剩余空间',
          description:
            '备机上存放每个数据集副本的文件系统的剩余空间。低于 PatrolReplicationStandbySpaceLow 的阈值为橙色：一旦写满，镜像就无法写入。',
        },
        lagOverTime: {
          title: '复制延迟的历史',
          description:
            '备机上每个数据集的延迟（节点 数据集）。在镜像延迟之上、幅度为金丝雀间隔的锯齿是正常的；以 45 度上升的直线表示镜像什么都没有传输；停在高位的平台表示镜像在传输，但比主机写入的慢。',
        },
        canaryOverTime: {
          title: '金丝雀序号：主机与备机副本',
          description:
            '金丝雀文件的序号：主机最近写入的，以及备机副本中的。副本的曲线比主机的落后一个镜像延迟；主机的曲线在上升而副本的曲线是平的，就是镜像停滞。主机的采集器重启时，两者都从 1 重新开始。',
        },
        filesOff: {
          title: '不一致或缺失的文件',
          description:
            '每个数据集中主机与备机不一致（大小或修改时间不同；比对模式为 size 时只比较大小）或在备机上缺失的文件数，需连续两次比对确认：正在传输的变更不计入。从 1 起为橙色。“未比对”：还没有完成过比对（第一次比对正在进行、比对已关闭或一直失败）。',
        },
        bytesToShip: {
          title: '尚待传输的字节数',
          description:
            '备机上不一致和缺失的文件在主机上的大小：镜像还需要复制这么多数据，两边才能一致。',
        },
        extraFiles: {
          title: '备机上多余的文件',
          description:
            '只存在于备机上的文件：不删除文件的镜像（不带 --delete 的 rsync）留下的，或者是别的程序在备机上写入的。从 1 起为橙色；切换后它们会被当作业务数据使用。',
        },
        lastCompare: {
          title: '距上次比对',
          description:
            '备机上次完成副本与主机清单（manifest）比对到现在的时间：大约是比对间隔（collectors.ha.datasets[].compare.interval）。达到 PatrolReplicationCompareFailing 的阈值为橙色：不一致的数值已过时；原因见 patrol_replication_compare_errors_total。',
        },
        divergenceOverTime: {
          title: '不一致情况的历史',
          description: '每个数据集在备机上不一致、缺失和多余的文件数，以每次比对的结果为准。',
        },
        bytesToShipOverTime: {
          title: '尚待传输字节数的历史',
          description:
            '备机上不一致和缺失的文件在主机上的大小。下降：镜像在追赶；居高不下：镜像跳过了它们。',
        },
        changeRate: {
          title: '主机上的变更速率',
          description:
            '主机上每秒被修改的文件字节数（主机遍历时发现有变化的文件的大小）：镜像需要传输的数据量。与镜像的带宽限制对比：长时间高于限制，延迟就会增长。',
        },
        datasetSize: {
          title: '各节点上的数据集大小',
          description:
            '每个节点上每个数据集的字节数（以最近一次遍历为准）：主机与备机副本并列显示。差距持续存在，说明有数据镜像没有复制（或备机上有多余的文件）。',
        },
        peerRestarts: {
          title: '对端采集器重启次数（时间范围内）',
          description:
            '每个节点发现对端 patrol 重启的次数（心跳中的启动标识变了）。从 1 起为橙色：重启也会清零对端自己的计数，包括角色切换次数。',
        },
      },
    },
  },
};
