import type { DirectoryStrings } from './en.ts';

/** Simplified Chinese (zh-CN). */
export const zhCN: DirectoryStrings = {
  alerts: {
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
  },
  dashboards: {
    variables: {
      path: '目录',
    },
    values: {
      cannotScan: '无法扫描',
    },
    overview: {
      panels: {
        directoriesDown: {
          title: '无法扫描的目录',
          description: '不存在、无法读取或不是目录的被监视目录；其大小和文件数均未被测量。',
        },
        directoriesStale: {
          title: '目录扫描过时',
          description: '最近一次完整扫描早于告警所用过时界限的被监视目录：显示的数据已经过时。',
        },
      },
    },
    host: {
      rows: {
        directories: '被监视的目录',
      },
      panels: {
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
  },
};
