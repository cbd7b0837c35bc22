import type { Strings } from '../en/index.ts';

export const dashboards: Strings['dashboards'] = {
  variables: {
    datasource: '数据源',
    job: '任务',
    instance: '实例',
    mountpoint: '挂载点',
    path: '目录',
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
  },
  links: {
    overview: '总览',
    host: '主机',
    openHost: '打开主机仪表盘',
  },
  overview: {
    title: 'patrol / 总览',
    description: '控制室大屏：每个巡检领域一行，一切正常时所有方块为绿色，需要有人处理时变为红色。',
    rows: {
      alerts: '告警',
      exporter: '采集器与采集模块',
      disks: '磁盘',
    },
    panels: {
      criticalAlerts: {
        title: '严重告警',
        description:
          '当前正在触发的 critical 级别 patrol 告警。已经在通知值班人员：到 Alertmanager 查看详情和处理手册。“未加载规则”表示此仪表盘背后的 Prometheus 没有加载 patrol 的规则文件，不会产生任何告警。',
      },
      warningAlerts: {
        title: '警告级告警',
        description: '当前正在触发的 warning 级别 patrol 告警：不紧急，但今天都需要查看。',
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
};
