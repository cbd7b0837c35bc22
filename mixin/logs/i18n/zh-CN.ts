import type { LogsStrings } from './en.ts';

/** Simplified Chinese (zh-CN). */
export const zhCN: LogsStrings = {
  alerts: {
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
  },
  dashboards: {
    variables: {
      source: '日志源',
    },
    values: {
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
    },
    links: {
      logs: '日志',
      openLogs: '打开此日志源的日志仪表盘',
    },
    overview: {
      rows: {
        logs: '日志',
      },
      panels: {
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
  },
};
