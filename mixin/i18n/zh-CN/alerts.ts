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
};
