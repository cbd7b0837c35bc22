import type { Strings } from '../en/index.ts';

export const alerts: Strings['alerts'] = {
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
  PatrolFilesystemSpaceFillingUp: {
    summary: '预计文件系统很快会用完空间。',
    description:
      '{{ $labels.instance }} 上的文件系统 {{ $labels.mountpoint }}（{{ $labels.device }}，{{ $labels.fstype }}）仅剩 {{ $value | humanizePercentage }} 的空间，按最近 %window% 的增长速度将在 %horizon% 内写满。',
  },
  PatrolFilesystemAlmostOutOfSpace: {
    summary: '文件系统空间即将耗尽。',
    description:
      '{{ $labels.instance }} 上的文件系统 {{ $labels.mountpoint }}（{{ $labels.device }}，{{ $labels.fstype }}）仅剩 {{ $value | humanizePercentage }} 的空间。',
  },
  PatrolFilesystemFilesFillingUp: {
    summary: '预计文件系统很快会用完 inode。',
    description:
      '{{ $labels.instance }} 上的文件系统 {{ $labels.mountpoint }}（{{ $labels.device }}，{{ $labels.fstype }}）仅剩 {{ $value | humanizePercentage }} 的 inode，按最近 %window% 的消耗速度将在 %horizon% 内用完。',
  },
  PatrolFilesystemAlmostOutOfFiles: {
    summary: '文件系统 inode 即将耗尽。',
    description:
      '{{ $labels.instance }} 上的文件系统 {{ $labels.mountpoint }}（{{ $labels.device }}，{{ $labels.fstype }}）仅剩 {{ $value | humanizePercentage }} 的 inode；即使还有空间，也将无法创建新文件。',
  },
  PatrolFilesystemReadOnly: {
    summary: '文件系统已变为只读。',
    description:
      '{{ $labels.instance }} 上的文件系统 {{ $labels.mountpoint }}（{{ $labels.device }}，{{ $labels.fstype }}）的超级块为只读，所有写入都会失败。通常是内核在 I/O 错误后将其重新挂载为只读（errors=remount-ro）。',
  },
  PatrolFilesystemDeviceError: {
    summary: '无法测量文件系统：statfs 失败或无响应。',
    description:
      '{{ $labels.instance }} 上对 {{ $labels.mountpoint }}（{{ $labels.device }}，{{ $labels.fstype }}）的 statfs 调用失败或超时，其容量指标缺失。常见原因是网络挂载卡死或磁盘故障。',
  },
  PatrolDirectoryFillingFilesystem: {
    summary: '被监视的目录增长过快，所在文件系统的剩余空间不足。',
    description:
      '按最近 %window% 的增长速度，预计 {{ $labels.instance }} 上的目录 {{ $labels.path }} 在 %horizon% 内将增长 {{ $value | humanize1024 }}B，超过 {{ $labels.mountpoint }}（{{ $labels.device }}）的剩余空间。',
  },
  PatrolDirectoryScanFailing: {
    summary: '无法扫描被监视的目录。',
    description:
      '{{ $labels.instance }} 上的 patrol 无法扫描 {{ $labels.path }}：目录不存在、无法读取或不是目录。其大小、文件数和文件时间均未被测量。',
  },
  PatrolDirectoryScanStale: {
    summary: '被监视目录的测量数据已过时。',
    description:
      '{{ $labels.instance }} 上 {{ $labels.path }} 的最近一次完整扫描结束于 {{ $value | humanizeDuration }} 之前；目录相对于扫描间隔和 I/O 限额过大，或扫描一再被中断。',
  },
  PatrolDirectoryScanErrors: {
    summary: '扫描被监视目录时跳过了部分条目。',
    description:
      '{{ $labels.instance }} 上的 patrol 扫描 {{ $labels.path }} 时持续跳过条目（{{ $labels.reason }}）：过去 %window% 内跳过 {{ $value | humanize }} 次，每次扫描都会重复计入同一条目。其大小和文件数因无法读取的部分而偏低。',
  },
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
  PatrolLogErrorsHigh: {
    summary: '日志源持续写入大量错误条目。',
    description:
      '{{ $labels.instance }} 上的日志源 {{ $labels.source }} 在最近 %window% 内平均每分钟有 {{ $value | humanize }} 条 error 和 critical 级别的条目，超过每分钟 %threshold% 条的上限，并且还在持续。它的日志文件（collectors.logs.sources）说明了哪里出错：查看其中最新的错误行。',
  },
  PatrolLogErrorsSpike: {
    summary: '日志源写入错误条目的频率远高于平时。',
    description:
      '{{ $labels.instance }} 上的日志源 {{ $labels.source }} 在最近 %window% 内平均每分钟有 {{ $value | humanize }} 条 error 和 critical 级别的条目，是它最近 %baseline% 平均水平的 %factor% 倍以上。情况发生了变化：从错误率上升的时刻开始阅读它的日志文件。',
  },
  PatrolLogSourceMissing: {
    summary: '必需的日志源没有可跟踪的文件：其中的错误没有被统计。',
    description:
      '{{ $labels.instance }} 上的 patrol 没有跟踪必需日志源 {{ $labels.source }} 的任何文件：它的路径或通配符都没有匹配到文件，或者 patrol 无法打开这些文件（原因见 patrol_log_read_errors_total：permission、not_a_file、too_many_files）。写入该日志的错误不会被统计。',
  },
  PatrolLogReaderBehind: {
    summary: 'patrol 读取日志源的进度落后。',
    description:
      '{{ $labels.instance }} 上的 patrol 有 {{ $value | humanize1024 }}B 的日志源 {{ $labels.source }} 内容已写入但尚未读取，且这部分积压在最近 %window% 内没有减少：文件写入速度超过 patrol 的读取速度，或者读取卡住了。该日志源的错误计数落后于文件内容。',
  },
  PatrolLogSourceSilent: {
    summary: '本应定期写入的日志源已经沉默。',
    description:
      '{{ $labels.instance }} 上日志源 {{ $labels.source }} 的文件已有 {{ $value | humanizeDuration }} 没有写入，超过了它的 max_silence：写这个日志的程序可能已停止、卡住，或者把日志写到了别处。',
  },
  PatrolHaPeerDown: {
    summary: '双机热备中的一个节点收不到对端的心跳。',
    description:
      '热备集群 {{ $labels.cluster }} 的节点 {{ $labels.node }}（{{ $labels.instance }}）收不到对端 {{ $labels.peer }} 的心跳应答（连续失败 collectors.ha.failure_threshold 次）：对端主机宕机或卡死，或两者之间的网络断了。两者之间的镜像很可能也已停止，热备软件可能会切换。原因见 patrol_ha_peer_heartbeat_failures_total（timeout、refused、unreachable、auth 等）。',
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
};
