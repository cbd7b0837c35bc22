import type { DbReplicationStrings } from './en.ts';

/** Simplified Chinese (zh-CN). */
export const zhCN: DbReplicationStrings = {
  alerts: {
    PatrolDbReplicationBroken: {
      summary: '数据库从库没有在从主库复制。',
      description:
        '{{ $labels.instance }} 读取的复制组 {{ $labels.group }} 中的从库 {{ $labels.server }}（{{ $labels.engine }}）{{ if eq $value %notAnswering% }}不应答 patrol（宕机、拒绝连接或超时）：无法知道它是否仍在复制，它的延迟也没有被测量{{ else if eq $value %notReplicating% }}已不再配置为复制：它被提升为主库，或者它的复制被重置，不再接收主库的任何变更{{ else }}配置为复制，但按数据库自己的说法复制没有在运行（Redis 的 master_link_status 为 down、PostgreSQL 没有处于 streaming 的 WAL 接收进程、MySQL/MariaDB 的复制线程没有运行）{{ end }}。此时切换到它，会丢失主库此后写入的数据。',
    },
    PatrolDbReplicationLagHigh: {
      summary: '数据库从库落后主库超过 %threshold%。',
      description:
        '{{ $labels.instance }} 读取的复制组 {{ $labels.group }} 中的从库 {{ $labels.server }}（{{ $labels.engine }}）落后主库 {{ $value | humanizeDuration }}，超过 %threshold%：这是它拥有的最新心跳的年龄；它没有心跳、或主库上的心跳已过期时，是数据库自己给出的数值。此时切换到它，会丢失主库在这段时间内写入的数据；从它读到的数据也旧了这么久。',
    },
    PatrolDbReplicaMissing: {
      summary: '数据库主库连接的从库少于预期。',
      description:
        '{{ $labels.instance }} 读取的复制组 {{ $labels.group }} 中的主库 {{ $labels.server }}（{{ $labels.engine }}）只有 {{ $value }} 个从库连接并在接收复制流，预期为 %expected% 个：其余从库宕机、与它断开，或已不再复制。这个复制组保有的副本比应有的少；使用同步复制时，主库上的提交可能会一直等待缺少的从库。',
    },
    PatrolDbHeartbeatStale: {
      summary: '数据库主库上的复制心跳没有被写入。',
      description:
        '{{ $labels.instance }} 读取的复制组 {{ $labels.group }} 中主库 {{ $labels.server }}（{{ $labels.engine }}）上的心跳已有 {{ $value | humanizeDuration }}，超过 %threshold%：写心跳的程序已停止或无法写入（由 patrol 写心跳时，patrol_db_replication_heartbeat_writes_total{result="error"} 在增长；变成只读的主库会拒绝写入）。它的从库的心跳延迟会随之增长，在此期间不能说明复制的情况：这些从库的延迟告警改为读取数据库自己给出的数值。',
    },
    PatrolDbReplicationError: {
      summary: 'MySQL/MariaDB 复制线程因错误停止。',
      description:
        '{{ $labels.instance }} 读取的复制组 {{ $labels.group }} 中从库 {{ $labels.server }} 的 {{ $labels.thread }} 线程报告错误 {{ $value }}{{ if eq $value 1062.0 }}（主键重复：主库插入的行在从库上已经存在）{{ else if eq $value 1032.0 }}（找不到记录：主库修改或删除的行在从库上不存在）{{ else if eq $value 1236.0 }}（主库上已没有从库需要的二进制日志）{{ else if eq $value 2003.0 }}（从库连接不上主库）{{ else if eq $value 1045.0 }}（主库拒绝复制用户登录）{{ end }}。在从库上执行 SHOW REPLICA STATUS\\G 可以看到错误文本（Last_IO_Error、Last_SQL_Error）。',
    },
  },
  dashboards: {
    variables: {
      group: '复制组',
    },
    values: {
      db: {
        ok: '复制中',
        notAnswering: '不应答',
        notReplicating: '未复制',
        linkDown: '链路中断',
        notMeasured: '未测量',
        noDatabases: '无数据库',
      },
    },
    links: {
      openDatabases: '在双机热备仪表盘上查看数据库复制',
    },
    overview: {
      rows: {
        databases: '数据库',
      },
      panels: {
        dbBroken: {
          title: '未在复制的从库',
          description:
            '复制没有运行、被提升或重置、或不应答 patrol 的数据库从库（Redis、PostgreSQL、MySQL/MariaDB）：即不含等待时间的 PatrolDbReplicationBroken。点击打开双机热备仪表盘。',
        },
        dbLagging: {
          title: '延迟的从库',
          description:
            '落后主库超过 PatrolDbReplicationLagHigh 警告阈值的数据库从库（用心跳延迟；没有心跳或主库心跳过期时，用数据库自己给出的数值）。',
        },
        dbReplicasMissing: {
          title: '缺少从库的主库',
          description: '连接的从库少于预期的数据库主库：即不含等待时间的 PatrolDbReplicaMissing。',
        },
        dbHeartbeatStale: {
          title: '过期的心跳',
          description:
            '复制心跳超过 PatrolDbHeartbeatStale 阈值的数据库主库：写心跳的程序已停止，其从库的心跳延迟无法测量。',
        },
      },
    },
    dbReplication: {
      rows: {
        databases: '数据库',
      },
      panels: {
        replicas: {
          title: '数据库从库',
          description:
            '每个数据库从库一格（复制组 服务器）：绿色为"复制中"；红色为"链路中断"（配置为复制，但数据库自己说复制没有运行）、"未复制"（被提升为主库或被重置）和"不应答"（patrol 读不到它：宕机、拒绝连接、超时）。即不含等待时间的 PatrolDbReplicationBroken 条件。',
        },
        lag: {
          title: '数据库复制延迟',
          description:
            '每个从库落后主库多少：从库上最新心跳的年龄（主库每秒写一次，健康的从库读数为一两秒）；没有心跳或主库心跳过期时，是数据库自己给出的数值。绿色；达到 PatrolDbReplicationLagHigh 的警告阈值变橙色，达到其严重阈值变红色。"未测量"（红色）：从库不应答。',
        },
        primaries: {
          title: '数据库已连接 / 预期的从库',
          description:
            '每个主库：主库看到的已连接并在接收复制流的从库数 / 预期的从库数。少于预期时为橙色（PatrolDbReplicaMissing 发出警告）。"不应答"（红色）：patrol 读不到这个主库。',
        },
        heartbeatAge: {
          title: '数据库主库上的心跳年龄',
          description:
            '每个主库自身上心跳的年龄：写心跳的程序正常时低于心跳间隔。达到 PatrolDbHeartbeatStale 的阈值变橙色：写心跳的程序已停止，从库的心跳延迟会随之增长。"不应答"（红色）：patrol 读不到这个主库。',
        },
        lagOverTime: {
          title: '数据库复制延迟趋势',
          description:
            '每个从库的延迟（用心跳，否则用数据库自己的数值），以及 PatrolDbReplicationLagHigh 的阈值线。以 45 度角上升的线表示从库什么也没收到（链路中断、线程停止）；升起后又回落的驼峰是正在应用一个大事务。',
        },
        lagBytesOverTime: {
          title: '数据库落后字节数趋势',
          description:
            '每个 Redis 或 PostgreSQL 从库尚未应用的主库复制流字节数（MySQL/MariaDB 没有这个数值）。字节数增长而秒数延迟仍低：主库写入的比从库应用的多。',
        },
      },
    },
  },
};
