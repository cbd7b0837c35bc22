import type { ProbesStrings } from './en.ts';

const REASON =
  '{{ with printf "patrol_probe_failure_reason{instance=%q,probe=%q} == 1" $labels.instance $labels.probe | query }}{{ . | first | label "reason" }}{{ end }}';

/** Simplified Chinese (zh-CN). */
export const zhCN: ProbesStrings = {
  alerts: {
    PatrolProbeFailed: {
      summary: '服务探测失败：服务没有正确应答。',
      description: `{{ $labels.instance }} 对 {{ $labels.probe }}（{{ $labels.module }} {{ $labels.target }}）的探测失败，原因：${REASON}。服务已停止、从这里无法到达，或应答不正确。`,
    },
    PatrolProbeSlow: {
      summary: '服务应答缓慢。',
      description:
        '{{ $labels.instance }} 对 {{ $labels.probe }}（{{ $labels.module }} {{ $labels.target }}）的探测耗时 {{ $value | humanizeDuration }}，超过其 slow_threshold。仪表盘 patrol / 服务 显示时间耗在哪个阶段（连接、TLS、应答）。',
    },
    PatrolProbeCertificateExpiring: {
      summary: '证书将在 %days% 天内过期。',
      description:
        '{{ $labels.target }}（探测 {{ $labels.probe }}）的证书或其证书链中的某个证书将在 {{ $value | humanizeDuration }} 后过期。请在此之前续签并安装到服务器上。',
    },
    PatrolProbeCertificateExpired: {
      summary: '证书已过期。',
      description:
        '{{ $labels.target }}（探测 {{ $labels.probe }}）的证书或其证书链中的某个证书已于 {{ $value | humanizeDuration }} 前过期（数值为负）。校验证书的客户端会拒绝连接。',
    },
    PatrolProbeRabbitmqAlarm: {
      summary: 'RabbitMQ 资源告警：发布消息被阻塞。',
      description:
        '{{ $labels.target }} 上的 RabbitMQ（探测 {{ $labels.probe }}）报告 {{ $labels.resource }} 告警：在告警解除之前，所有发布消息的连接都被阻塞，生产者会挂起或超时。',
    },
  },
  dashboards: {
    variables: {
      probe: '探测',
    },
    values: {
      probeUp: '正常',
      probeDown: '故障',
      verified: '已验证',
      notVerified: '未验证',
    },
    links: {
      probes: '服务',
    },
    overview: {
      rows: {
        services: '服务',
      },
      panels: {
        probesFailing: {
          title: '故障服务',
          description:
            '上一次探测失败的服务（连接被拒绝、超时、应答错误、TLS 或认证失败）。下方每个都显示为红色。',
        },
        certificatesExpiring: {
          title: '即将过期的证书',
          description:
            '证书（或其证书链中的某个证书）在 PatrolProbeCertificateExpiring 的告警期限内过期或已经过期的被探测服务器。',
        },
        slowest: {
          title: '最慢应答',
          description: '最近一次探测中耗时最长的。超过 1 秒为橙色，超过 5 秒为红色。',
        },
        services: {
          title: '服务',
          description: '每个探测一格：绿色“正常”，红色“故障”。点击进入 patrol / 服务。',
        },
      },
    },
    probes: {
      title: 'patrol / 服务',
      description: '服务探测（检查项 C7）：哪些服务在应答、每个阶段耗时多少、HTTP 状态码和证书。',
      rows: {
        status: '状态',
        latency: '耗时',
        certificates: '证书',
      },
      panels: {
        services: {
          title: '服务',
          description: '每个探测一格：绿色“正常”，红色“故障”。',
        },
        table: {
          title: '探测',
          description:
            '所有探测：正常或故障、失败原因（成功时为 none）、耗时、HTTP 状态码和证书剩余天数。',
        },
        duration: {
          title: '探测耗时',
          description: '每次探测的耗时，最长到其超时时间。',
        },
        phases: {
          title: '各阶段耗时',
          description:
            '时间耗在哪里：解析（resolve）、连接（connect）、TLS，然后是应答（processing、transfer、auth、query）。连接慢是网络问题，处理慢是服务问题。',
        },
        statusCodes: {
          title: 'HTTP 状态码',
          description: '每个 HTTP 探测的状态码随时间的变化；没有应答时为 0。',
        },
        certificateDays: {
          title: '证书有效期',
          description:
            '每个被探测证书（证书链中最早过期的）的剩余时间。在 PatrolProbeCertificateExpiring 的严重期限内为红色，在告警期限内为橙色。证书校验失败时仍然保留，因此过期证书也会显示其日期。',
        },
        tlsVerified: {
          title: '证书校验',
          description: '每个 TLS 探测是否通过了证书校验（受信任的 CA、名称匹配、未过期）。',
        },
      },
      columns: {
        probe: '探测',
        module: '模块',
        target: '目标',
        state: '状态',
        reason: '原因',
        duration: '耗时',
        status: 'HTTP 状态码',
        certificate: '证书剩余',
      },
    },
  },
};
