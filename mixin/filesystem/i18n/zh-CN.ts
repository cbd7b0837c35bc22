import type { FilesystemStrings } from './en.ts';

/** Simplified Chinese (zh-CN). */
export const zhCN: FilesystemStrings = {
  alerts: {
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
  },
  dashboards: {
    variables: {
      mountpoint: '挂载点',
    },
    values: {
      writable: '可写',
      readOnly: '只读',
      notFilling: '未增长',
    },
    overview: {
      rows: {
        disks: '磁盘',
      },
      panels: {
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
        filesystemUsed: {
          title: '使用率最高的文件系统',
          description:
            '使用率最高的 24 个可写文件系统的空间使用率。使用率达到 95 % 时（PatrolFilesystemAlmostOutOfSpace 告警处）变红，85 % 起为橙色。',
        },
      },
    },
    host: {
      rows: {
        filesystems: '文件系统',
      },
      panels: {
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
      },
    },
  },
};
