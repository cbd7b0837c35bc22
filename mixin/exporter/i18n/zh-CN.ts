import type { ExporterStrings } from './en.ts';

/** Simplified Chinese (zh-CN). */
export const zhCN: ExporterStrings = {
  alerts: {
    PatrolExporterDown: {
      summary: 'patrol 采集器已停止：本机的巡检项目不再被测量。',
      description:
        'Prometheus 无法抓取 {{ $labels.instance }}（job {{ $labels.job }}）上的 patrol。恢复之前，本机的所有巡检项目都没有数据。',
    },
    PatrolCollectorFailing: {
      summary: 'patrol 的某个采集模块持续失败。',
      description:
        '{{ $labels.instance }} 上 patrol 的采集模块 {{ $labels.collector }} 持续失败或超时（每 5 分钟至少一次），其指标缺失或过时。原因见 patrol 日志。',
    },
    PatrolConfigReloadFailed: {
      summary: 'patrol 无法加载新的配置。',
      description:
        '{{ $labels.instance }} 上 patrol 最近一次重新加载配置失败，仍在使用之前的配置运行。以 `--check-config` 和相同的 `--config.file` 运行 patrol 查看错误。',
    },
  },
  dashboards: {
    values: {
      rulesNotLoaded: '未加载规则',
    },
    overview: {
      rows: {
        alerts: '告警',
        exporter: '采集器与采集模块',
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
      },
    },
    host: {
      rows: {
        exporter: '采集器',
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
      },
    },
  },
};
