import type { SystemdStrings } from './en.ts';

/** Simplified Chinese (zh-CN). */
export const zhCN: SystemdStrings = {
  alerts: {
    PatrolSystemdUnreachable: {
      summary: 'patrol 无法连接 systemd：本机的服务单元均未被监视。',
      description:
        '{{ $labels.instance }} 上的 patrol 无法通过 D-Bus 与 systemd 通信（collectors.systemd.bus）：总线套接字不存在或拒绝 patrol 访问，或 systemd 未能及时响应。恢复之前，本机所有服务单元都没有数据；原因见 patrol 日志。',
    },
    PatrolSystemdUnitFailed: {
      summary: 'systemd 服务单元已失败（failed）。',
      description:
        '{{ $labels.instance }} 上的服务单元 {{ $labels.name }} 处于 failed 状态：进程异常退出、被杀死或超时，或重启次数过多被 systemd 放弃。配置要求的单元为 critical，其他单元为 warning。用 `systemctl status {{ $labels.name }}` 和它的日志（journal）查看原因。',
    },
    PatrolSystemdRequiredUnitInactive: {
      summary: '必需的 systemd 服务单元未处于 active 状态。',
      description:
        '{{ $labels.instance }} 上的必需单元 {{ $labels.name }} 处于 {{ $labels.state }} 状态，而不是 active：它被停止、从未启动，或卡在启动或停止过程中。本机依赖它的功能无法提供服务。',
    },
    PatrolSystemdRequiredUnitMissing: {
      summary: '必需的 systemd 服务单元不存在或无法加载。',
      description:
        '{{ $labels.instance }} 上的必需单元 {{ $labels.name }} 的加载状态为 {{ $labels.state }}：not-found 表示 systemd 没有这个单元（未安装，或 collectors.systemd.units 中写错了名字），masked 表示已被屏蔽（mask），bad-setting 或 error 表示单元文件有错误。它无法运行。',
    },
    PatrolSystemdServiceRestarting: {
      summary: 'systemd 服务反复重启。',
      description:
        '{{ $labels.instance }} 上的服务 {{ $labels.name }} 在最近 %window% 内被 systemd 自动重启了 {{ $value | humanize }} 次：其进程不断崩溃或退出，又被 Restart= 重新拉起。',
    },
    PatrolSystemdSystemDegraded: {
      summary: 'systemd 报告系统处于 degraded（降级）状态。',
      description:
        '{{ $labels.instance }} 上的 systemd 报告系统处于 degraded 状态：至少有一个单元已失败。`systemctl --failed` 会列出它们，包括 patrol 未上报的单元。',
    },
  },
  dashboards: {
    variables: {
      name: '单元',
    },
    values: {
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
      systemd: 'systemd',
      openSystemd: '打开此单元的 systemd 仪表盘',
    },
    overview: {
      rows: {
        systemd: 'systemd 单元',
      },
      panels: {
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
  },
};
