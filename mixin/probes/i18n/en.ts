/**
 * The probes area's words in English, the source language: this table's shape is the type of its
 * translations (zh-CN.ts).
 */
import type { AreaStrings } from '../../area.ts';

// The failure reason of the probe, read from patrol_probe_failure_reason at the time the alert
// is evaluated (Prometheus' template `query`).
const REASON =
  '{{ with printf "patrol_probe_failure_reason{instance=%q,probe=%q} == 1" $labels.instance $labels.probe | query }}{{ . | first | label "reason" }}{{ end }}';

export const en = {
  alerts: {
    PatrolProbeFailed: {
      summary: 'A service does not answer its probe.',
      description: `Probe {{ $labels.probe }} ({{ $labels.module }} {{ $labels.target }}) from {{ $labels.instance }} fails: ${REASON}. The service is down, unreachable from here, or answers wrongly.`,
    },
    PatrolProbeSlow: {
      summary: 'A service answers its probe slowly.',
      description:
        'Probe {{ $labels.probe }} ({{ $labels.module }} {{ $labels.target }}) from {{ $labels.instance }} takes {{ $value | humanizeDuration }}, more than its slow_threshold. The dashboard patrol / Services shows which phase (connect, TLS, the answer) takes the time.',
    },
    PatrolProbeCertificateExpiring: {
      summary: 'A certificate expires within %days% days.',
      description:
        'The certificate of {{ $labels.target }} (probe {{ $labels.probe }}), or one in its chain, expires in {{ $value | humanizeDuration }}. Renew it and install it on the server before then.',
    },
    PatrolProbeCertificateExpired: {
      summary: 'A certificate has expired.',
      description:
        'The certificate of {{ $labels.target }} (probe {{ $labels.probe }}), or one in its chain, expired {{ $value | humanizeDuration }} ago (the value is negative). Clients that verify it refuse the connection.',
    },
    PatrolProbeRabbitmqAlarm: {
      summary: 'RabbitMQ has a resource alarm: publishers are blocked.',
      description:
        'RabbitMQ at {{ $labels.target }} (probe {{ $labels.probe }}) reports a {{ $labels.resource }} alarm: every connection that publishes is blocked until it clears, so producers hang or time out.',
    },
  },
  dashboards: {
    variables: {
      probe: 'Probe',
    },
    /** Texts that replace 0/1 values on the tiles: one word, readable across the room. */
    values: {
      probeUp: 'UP',
      probeDown: 'DOWN',
      verified: 'VERIFIED',
      notVerified: 'NOT VERIFIED',
    },
    links: {
      probes: 'Services',
    },
    overview: {
      rows: {
        services: 'Services',
      },
      panels: {
        probesFailing: {
          title: 'Services down',
          description:
            'Probes that failed on their last run (refused, timed out, wrong answer, TLS or authentication failure). Each one is red below.',
        },
        certificatesExpiring: {
          title: 'Certificates expiring',
          description:
            'Probed servers whose certificate (or one in its chain) expires within the warning window of PatrolProbeCertificateExpiring, or has expired.',
        },
        slowest: {
          title: 'Slowest answer',
          description:
            'The longest duration of the last probes. Orange above one second, red above five.',
        },
        services: {
          title: 'Services',
          description:
            'One tile per probe: UP in green, DOWN in red. Click a tile for patrol / Services.',
        },
      },
    },
    probes: {
      title: 'patrol / Services',
      description:
        'The service probes (checklist C7): which services answer, how long each phase takes, the HTTP status codes and the certificates.',
      rows: {
        status: 'Status',
        latency: 'Latency',
        certificates: 'Certificates',
      },
      panels: {
        services: {
          title: 'Services',
          description: 'One tile per probe: UP in green, DOWN in red.',
        },
        table: {
          title: 'Probes',
          description:
            'Every probe: up or down, why it failed (none when it succeeded), how long it took, the HTTP status and the days left on its certificate.',
        },
        duration: {
          title: 'Probe duration',
          description: 'How long each probe took, cut at its timeout.',
        },
        phases: {
          title: 'Time by phase',
          description:
            'Where the time goes: resolve, connect, tls, then the answer (processing, transfer, auth, query). A slow connect is the network; a slow processing is the service.',
        },
        statusCodes: {
          title: 'HTTP status codes',
          description: 'The status code of each HTTP probe over time; 0 when no answer came.',
        },
        certificateDays: {
          title: 'Certificate expiry',
          description:
            'Time left on each probed certificate (the earliest in its chain). Red within the critical window of PatrolProbeCertificateExpiring, orange within its warning window. Kept when verification fails, so an expired certificate shows its date.',
        },
        tlsVerified: {
          title: 'Certificate verified',
          description:
            'Whether each TLS probe verified its certificate (trusted CA, matching name, not expired).',
        },
      },
      columns: {
        probe: 'Probe',
        module: 'Module',
        target: 'Target',
        state: 'State',
        reason: 'Reason',
        duration: 'Duration',
        status: 'HTTP status',
        certificate: 'Certificate left',
      },
    },
  },
} satisfies AreaStrings;

export type ProbesStrings = typeof en;
