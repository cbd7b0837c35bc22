import type { Strings } from '../en/index.ts';

export const dashboards: Strings['dashboards'] = {
  variables: {
    datasource: '数据源',
    job: '任务',
    instance: '实例',
    mountpoint: '挂载点',
    path: '目录',
    name: '单元',
    source: '日志源',
    cluster: '热备集群',
  },
  values: {
    up: '正常',
    down: '故障',
    ok: '正常',
    failed: '失败',
    writable: '可写',
    readOnly: '只读',
    error: '错误',
    cannotScan: '无法扫描',
    notFilling: '未增长',
    rulesNotLoaded: '未加载规则',
    reachable: '可连接',
    unreachable: '无法连接',
    noRestarts: '没有重启',
    unit: {
      active: '运行中',
      activating: '启动中',
      deactivating: '停止中',
      inactive: '未运行',
      failed: '失败',
      maintenance: '维护中',
      missing: '不存在',
      masked: '已屏蔽',
      badUnitFile: '单元文件错误',
      unreachable: '无法连接 systemd',
      exporterDown: '采集器故障',
      noRequiredUnits: '未配置必需单元',
      loaded: '已加载',
      required: '必需',
      running: '运行中',
      notRunning: '未运行',
    },
    log: {
      noFiles: '无文件',
      noFilesOptional: '无文件（非必需）',
      collectorFailed: '采集模块失败',
      exporterDown: '采集器故障',
      noSources: '未配置日志源',
      written: '有写入',
      silent: '已沉默',
      noMaxSilence: '未设置 max_silence',
      noMatches: '时间范围内没有规则匹配',
      noReadErrors: '时间范围内没有读取错误',
    },
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
    replication: {
      notMeasured: '未测量',
      noDatasets: '未配置数据集',
      notCompared: '未比对',
      advancing: '正常推进',
      waiting: '等待中',
      stalled: '已停滞',
      neverArrived: '未收到金丝雀',
    },
    system: {
      running: '正常运行',
      initializing: '初始化中',
      starting: '启动中',
      degraded: '降级',
      maintenance: '维护模式',
      stopping: '关机中',
      offline: '离线',
      unknown: '未知',
    },
  },
  links: {
    overview: '总览',
    host: '主机',
    openHost: '打开主机仪表盘',
    systemd: 'systemd',
    openSystemd: '打开此单元的 systemd 仪表盘',
    logs: '日志',
    openLogs: '打开此日志源的日志仪表盘',
    ha: '双机热备',
    openHa: '打开此集群的双机热备仪表盘',
  },
  overview: {
    title: 'patrol / 总览',
    description: '控制室大屏：每个巡检领域一行，一切正常时所有方块为绿色，需要有人处理时变为红色。',
    rows: {
      alerts: '告警',
      exporter: '采集器与采集模块',
      disks: '磁盘',
      systemd: 'systemd 单元',
      logs: '日志',
      ha: '双机热备',
    },
    panels: {
      criticalAlerts: {
        title: '严重告警',
        description:
          '当前正在触发的 critical 级别 patrol 告警，包括所选服务器所在热备集群的整体告警。已经在通知值班人员：到 Alertmanager 查看详情和处理手册。“未加载规则”表示此仪表盘背后的 Prometheus 没有加载 patrol 的规则文件，不会产生任何告警。',
      },
      warningAlerts: {
        title: '警告级告警',
        description:
          '当前正在触发的 warning 级别 patrol 告警（包括热备集群的告警）：不紧急，但今天都需要查看。',
      },
      exportersDown: {
        title: '采集器故障',
        description:
          'Prometheus 无法抓取的 patrol 采集器。恢复之前，这些服务器上的所有项目都没有测量数据。',
      },
      collectorsFailing: {
        title: '采集模块失败',
        description:
          '最近一次抓取时失败或超时的采集模块（按服务器计）；其指标缺失或过时。原因见 patrol 日志。',
      },
      configReloadFailed: {
        title: '配置加载失败',
        description:
          '最近一次加载配置失败的采集器；它们仍按之前的配置运行。以 --check-config 运行 patrol 查看原因。',
      },
      exportersWatched: {
        title: '受监控的采集器',
        description:
          'Prometheus 抓取的 patrol 采集器数量（无论正常或故障）。为 0 时显示红色：没有任何监控。',
      },
      exporterUp: {
        title: '各服务器的采集器',
        description: 'Prometheus 能否抓取各服务器上的 patrol。点击方块打开该主机的仪表盘。',
      },
      collectorStatus: {
        title: '采集模块',
        description: '所选服务器上的各采集模块：任何一台服务器上失败或超时即显示为失败。',
      },
      fullestFilesystem: {
        title: '最满的文件系统',
        description: '最满的可写文件系统的空间使用率。下方按挂载点的方块显示是哪一个。',
      },
      inodesUsed: {
        title: 'inode 最高使用率',
        description:
          '剩余 inode 最少的可写文件系统的 inode 使用率。达到 100% 时即使还有空间也无法创建新文件。',
      },
      readOnly: {
        title: '只读文件系统',
        description:
          '变为只读的文件系统（通常是 I/O 错误后被重新挂载为只读），不含设计上即为只读的文件系统。对它们的所有写入都会失败。',
      },
      deviceErrors: {
        title: '无法测量的文件系统',
        description:
          '最近一次抓取时 statfs 调用失败或无响应的挂载点：常见原因是网络挂载卡死或磁盘故障。',
      },
      directoriesDown: {
        title: '无法扫描的目录',
        description: '不存在、无法读取或不是目录的被监视目录；其大小和文件数均未被测量。',
      },
      directoriesStale: {
        title: '目录扫描过时',
        description: '最近一次完整扫描早于告警所用过时界限的被监视目录：显示的数据已经过时。',
      },
      filesystemUsed: {
        title: '使用率最高的文件系统',
        description:
          '使用率最高的 24 个可写文件系统的空间使用率。使用率达到 95 % 时（PatrolFilesystemAlmostOutOfSpace 告警处）变红，85 % 起为橙色。',
      },
      systemdUnreachable: {
        title: '无法连接 systemd',
        description:
          'systemd 管理器不通过 D-Bus 应答、或 systemd 采集模块失败的服务器：其所有单元均未被测量。下方这些服务器的必需单元显示为“无法连接 systemd”。',
      },
      unitsFailed: {
        title: '失败的单元',
        description:
          '所选服务器上处于 failed 状态的单元（无论是否必需）：其进程崩溃、以错误退出或被杀死。用 systemctl status <unit> 和 journalctl -u <unit> 查看原因。橙色：失败的必需单元同时在右侧方块中显示为红色。',
      },
      requiredNotActive: {
        title: '未运行的必需单元',
        description:
          '配置要求（collectors.systemd.units 和 presets）且存在、但不处于 active 状态的单元：失败、已停止，或仍在启动或停止中。',
      },
      requiredMissing: {
        title: '缺失的必需单元',
        description:
          'systemd 不认识（未安装或名称拼错）、被屏蔽（masked）或单元文件有错误的必需单元。',
      },
      servicesRestarting: {
        title: '反复重启的服务',
        description:
          '在告警所用的重启窗口内被 systemd 自动重启过的服务：进程在不断退出。重启一次即显示橙色；重启多次后告警触发。',
      },
      systemsNotRunning: {
        title: 'systemd 状态异常',
        description:
          'systemd 管理器不处于 running 状态的服务器：degraded（有单元失败）、启动中、关机中或维护模式（救援模式）。即 systemctl is-system-running 的输出。',
      },
      requiredUnits: {
        title: '各服务器的必需单元',
        description:
          '每台服务器上的每个必需单元：运行中为绿色，其他状态（失败、未运行、不存在……）为红色。“无法连接 systemd”和“采集器故障”表示该单元当前未被测量，按最近一次的必需单元列表显示。点击单元查看其历史。',
      },
      logErrorsHigh: {
        title: '错误较多的日志源',
        description:
          '按 PatrolLogErrorsHigh 的方式取平均后，每分钟 error 和 critical 条目数当前超过其上限的日志源。橙色：告警还要再等一段时间才会发出。',
      },
      logSourcesWithoutFiles: {
        title: '无文件的必需日志',
        description:
          '没有跟踪任何文件的必需日志源：路径没有匹配到文件，或者 patrol 打不开这些文件（权限不足、期望文件的位置是目录）。其中的错误没有被统计。',
      },
      logReadersBehind: {
        title: '读取落后的日志',
        description:
          '未读字节积压超过 PatrolLogReaderBehind 上限且没有减少的日志源：它们的错误计数落后于文件内容。',
      },
      logSourcesSilent: {
        title: '已沉默的日志源',
        description:
          '配置了 max_silence、但文件超过这段时间没有写入的日志源：写日志的程序可能已停止或卡住。',
      },
      logErrors: {
        title: '各服务器各日志源每分钟错误数',
        description:
          '每台服务器上每个日志源每分钟的 error 和 critical 条目数，取平均的方式与告警相同：低于 PatrolLogErrorsHigh 的上限为绿色，超过为橙色。“无文件”：必需日志源没有跟踪任何文件（红色）；“无文件（非必需）”：非必需日志源没有文件（灰色）。“采集模块失败”和“采集器故障”：当前未被测量，按最近一次的配置显示。点击日志源查看详情。',
      },
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
    },
  },
  host: {
    title: 'patrol / 主机',
    description:
      '单台服务器的详情：采集器状态、各文件系统的空间和 inode 及预计写满时间，以及被监视的目录。',
    rows: {
      exporter: '采集器',
      filesystems: '文件系统',
      directories: '被监视的目录',
    },
    panels: {
      exporterUp: {
        title: '采集器',
        description: 'Prometheus 能否抓取本服务器上的 patrol。',
      },
      version: {
        title: '版本',
        description: '本服务器上运行的 patrol 版本。',
      },
      configReload: {
        title: '最近一次配置加载',
        description:
          '失败：最近一次加载配置失败，patrol 仍按之前的配置运行。以 --check-config 运行 patrol 查看原因。',
      },
      collectorStatus: {
        title: '采集模块',
        description: '最近一次抓取时各采集模块是否成功。',
      },
      collectorDuration: {
        title: '采集耗时',
        description: '每次抓取时各采集模块的耗时，以其超时时间为上限。',
      },
      spaceUsed: {
        title: '空间使用率',
        description: '各可写文件系统的空间使用比例（为 root 保留的空间计为已用）。',
      },
      spaceAvailable: {
        title: '可用空间',
        description: '各可写文件系统上非 root 用户可用的空间。',
      },
      inodesUsed: {
        title: 'inode 使用率',
        description: '各可写文件系统的 inode 使用比例。',
      },
      timeToFull: {
        title: '预计写满时间',
        description:
          '按告警预测窗口内的增长速度，各可写文件系统将在多久后写满。红色和橙色分别对应 critical 和 warning 的预测时限。',
      },
      readOnly: {
        title: '只读',
        description:
          '只读：文件系统本身已变为只读（通常是 I/O 错误之后）；设计上即为只读的文件系统不在此显示。',
      },
      deviceError: {
        title: 'statfs 状态',
        description:
          '错误：最近一次抓取时对该挂载点的 statfs 调用失败或无响应，其容量未被测量（网络挂载卡死或磁盘故障）。',
      },
      directoryUp: {
        title: '目录状态',
        description: '无法扫描：目录不存在、无法读取或不是目录，其各项数据均未被测量。',
      },
      lastScanAge: {
        title: '最近一次完整扫描',
        description: '距各目录最近一次完整扫描的时间；超过告警所用的过时界限后显示红色。',
      },
      sizeBytes: {
        title: '目录大小',
        description: '各目录下普通文件大小之和（硬链接只计一次）。',
      },
      diskUsage: {
        title: '磁盘占用',
        description: '各目录下所有内容实际占用的磁盘空间，即 du -s 的结果。',
      },
      files: {
        title: '文件数',
        description: '各目录下普通文件的数量。',
      },
      oldestFileAge: {
        title: '最旧文件的年龄',
        description:
          '各目录下最旧文件的年龄。呈锯齿状说明旧日志在被清理；只升不降说明没有任何清理。',
      },
      scanErrors: {
        title: '跳过的条目（1 小时）',
        description:
          '过去一小时扫描时跳过的条目，按原因（permission 权限、vanished 已消失、loop 循环、other 其他）区分；大小和文件数不含无法读取的部分。',
      },
      scanDuration: {
        title: '扫描耗时',
        description: '各目录最近一次完整扫描的耗时，包括为遵守 I/O 限额而暂停的时间。',
      },
    },
  },
  systemd: {
    title: 'patrol / systemd 单元',
    description:
      'systemd 单元详情：各服务器的 systemd 管理器、必需单元、各单元随时间的状态、未运行的单元以及重启的服务。',
    rows: {
      manager: 'systemd 管理器',
      required: '必需单元',
      units: '单元',
    },
    columns: {
      host: '服务器',
      unit: '单元',
      activeState: '运行状态',
      loadState: '加载状态',
      required: '必需',
      mainProcess: '主进程',
      inState: '处于此状态已有',
      sinceActive: '距上次运行',
    },
    panels: {
      reachable: {
        title: 'systemd 连接',
        description:
          'patrol 能否通过 D-Bus 连接 systemd 管理器。无法连接：所有单元均未被测量；原因见 patrol 日志（没有总线套接字、权限不足、超时）。',
      },
      systemState: {
        title: '系统状态',
        description:
          'systemctl is-system-running 的输出。降级：至少有一个单元失败；维护模式：救援或紧急模式。',
      },
      version: {
        title: 'systemd 版本',
        description: 'systemd 管理器的版本。',
      },
      unitsFailed: {
        title: '失败的单元',
        description: '所选单元中处于 failed 状态的数量。',
      },
      requiredNotActive: {
        title: '未运行的必需单元',
        description: '所选单元中不处于 active 状态的必需单元数量，包括不存在的。',
      },
      corrections: {
        title: '状态校正',
        description:
          '时间范围内，根据 systemd 信号维护的状态与定期完整读取结果不一致的单元数。应保持为 0；否则单元状态可能滞后，直到下一次完整读取。',
      },
      unitsByState: {
        title: '各状态的单元数',
        description: 'systemd 管理器已加载的单元，按运行状态统计，不受 include 和 exclude 影响。',
      },
      requiredUnits: {
        title: '必需单元',
        description:
          '各必需单元的当前状态：运行中为绿色，其他为红色。“无法连接 systemd”和“采集器故障”表示当前未被测量，按最近一次的必需单元列表显示。',
      },
      timeline: {
        title: '单元状态',
        description:
          '时间范围内各单元的运行状态。显示必需单元、失败的单元和在此范围内状态有变化的单元；所选单元不超过 20 个时显示全部所选单元。空白处表示未被测量。',
      },
      notActive: {
        title: '未运行的单元',
        description:
          '当前不处于 active 状态的所选单元，最严重的在前，附加载状态、是否必需、主进程是否在运行（服务）、处于此状态多久以及上次运行距今多久。对于运行后即退出的单元（oneshot 服务、两次触发之间的定时器），未运行是正常的。',
      },
      timeInState: {
        title: '处于当前状态的时间',
        description:
          '各单元处于当前状态已有多久（必需单元、失败的单元，或所选单元不超过 20 个时的全部所选单元）。在告警所用的重启窗口内发生变化的显示为橙色。',
      },
      restarts: {
        title: '时间范围内的重启次数',
        description:
          '时间范围内各服务被自动重启的次数（systemd 的 NRestarts），最多的在前。不断重启说明进程在不断崩溃：用 journalctl -u <unit> 查看。',
      },
    },
  },
  ha: {
    title: 'patrol / 双机热备',
    description:
      '双机热备集群（巡检项 H1-H6：两台服务器、它们之间的镜像软件、心跳和虚拟 IP）：每个集群一行，显示各节点的角色、双向心跳及其往返时间和时钟偏差、最近一天的切换次数，以及每个镜像数据集在备机上的复制延迟、金丝雀文件、副本的不一致情况和主机上的变更速率；下方是心跳与角色随时间的变化。',
    rows: {
      pair: '热备集群 $cluster',
      history: '心跳与角色的历史',
    },
    legends: {
      outOfSync: '不一致',
      missing: '缺失',
      extra: '多余',
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
  logs: {
    title: 'patrol / 日志',
    description:
      '日志源详情（巡检项 C8、C9：/var/log/messages，nginx、RabbitMQ 和 Redis 日志）：每个日志源按级别的错误条目数、匹配的规则，以及 patrol 在日志轮转和截断时跟踪文件的情况。',
    rows: {
      now: '日志源当前状态',
      errors: '每分钟条目数',
      rules: '规则',
      reading: '文件读取',
    },
    columns: {
      host: '服务器',
      source: '日志源',
      rule: '规则',
      matches: '时间范围内匹配次数',
      lastMatch: '距上次匹配',
    },
    panels: {
      errorsNow: {
        title: '每分钟错误数',
        description:
          '各日志源每分钟的 error 和 critical 条目数，按告警的时间窗口取平均：低于 PatrolLogErrorsHigh 的上限为绿色，超过为橙色。“无文件”：必需日志源没有跟踪任何文件；“采集模块失败”和“采集器故障”：当前未被测量。',
      },
      files: {
        title: '跟踪的文件数',
        description:
          '各日志源当前跟踪的文件数，包括仍在读到末尾的已轮转文件。“无文件”（红色）：必需日志源一个文件也没有，即 PatrolLogSourceMissing；灰色：非必需日志源没有文件。下方的读取错误说明文件为什么打不开。',
      },
      lag: {
        title: '未读积压',
        description:
          '各日志源文件中已写入但尚未读取的字节数。超过 PatrolLogReaderBehind 的上限为橙色；积压在减少说明 patrol 正在追赶（重启或突发写入之后）。',
      },
      lastWrite: {
        title: '距上次写入',
        description: '各日志源最新文件的最后修改时间距今多久。没有可跟踪文件的日志源没有此值。',
      },
      silence: {
        title: '是否在 max_silence 内写入',
        description:
          '对配置了 max_silence 的日志源：在这段时间内有写入为“有写入”，否则为“已沉默”（PatrolLogSourceSilent）。未配置 max_silence 的日志源可以一直没有写入。',
      },
      errorsByLevel: {
        title: '每分钟 error 和 critical 条目数',
        description:
          '各日志源按级别的每分钟 error 和 critical 条目数。多行条目（堆栈跟踪、一条 RabbitMQ 消息）只计一次。',
      },
      entriesByLevel: {
        title: '按级别的每分钟条目数',
        description:
          '各日志源按级别的每分钟条目数：critical、error、warning、info、debug，无法识别级别的为 other。',
      },
      topRules: {
        title: '匹配最多的规则',
        description: '时间范围内匹配条目最多的十条规则（collectors.logs.sources[].rules）。',
      },
      rules: {
        title: '规则',
        description:
          '每条规则在时间范围内的匹配次数，以及距上次匹配的时间（空白：patrol 启动以来没有匹配）。',
      },
      readRate: {
        title: '每秒读取字节数',
        description: 'patrol 读取各日志源文件的速度。',
      },
      lagOverTime: {
        title: '未读积压趋势',
        description:
          '各日志源已写入但尚未读取的字节数。冲高后回落是突发写入被读完；持续上升说明读取跟不上写入。',
      },
      rotations: {
        title: '每小时轮转次数',
        description:
          '以同名新文件替换旧文件的次数（logrotate 改名后新建，或删除后重建）。patrol 会先把旧文件读到末尾：不会丢失内容。',
      },
      truncations: {
        title: '每小时截断次数',
        description:
          '原地截断文件的次数（logrotate 的 copytruncate）；patrol 从文件开头重新读取。复制与截断之间写入的行可能丢失：见“丢失字节数”。',
      },
      lostBytes: {
        title: '丢失字节数（时间范围内）',
        description:
          '文件在 patrol 读到之前就被截断（copytruncate）而无法读取的字节数，是下限值。一个字节起即为橙色：应优先用改名轮转（create）而不是 copytruncate。',
      },
      linesTruncated: {
        title: '超长行（时间范围内）',
        description: '超过 collectors.logs.max_line_bytes 的行：按开头部分分类，其余部分跳过。',
      },
      positionsErrors: {
        title: '位置文件错误（时间范围内）',
        description:
          '加载或保存 patrol 读取位置文件失败的次数。保存失败期间，重启可能会重复统计部分行。',
      },
      readErrors: {
        title: '按原因的读取错误（时间范围内）',
        description:
          '导致文件无法被跟踪的问题，按日志源和原因区分：permission（patrol 无权读取文件）、not_a_file（期望文件的位置是目录或设备）、io、too_many_files（达到 collectors.logs.max_files 上限）。',
      },
    },
  },
};
