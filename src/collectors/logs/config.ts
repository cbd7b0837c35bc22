import { z } from 'zod';
import { collectorBase, duration, optionalDuration, regex } from '../../config/fields.ts';
import { inRootfs, type HostPaths } from '../../core/host-paths.ts';
import { FORMAT_DESCRIPTIONS, FORMATS, type Format } from './presets.ts';

/**
 * Rotated and compressed generations of a log (`messages.1`, `syslog.2.gz`, logrotate's
 * dateext `messages-20261121`): a glob such as /var/log/nginx/*.log matches none of them, but
 * /var/log/messages* would, and reading them as new files would count every line again.
 */
export const DEFAULT_EXCLUDE =
  '\\.(?:gz|bz2|xz|zst|lz4|zip|Z|\\d+)$|-\\d{8}(?:\\d\\d)?$|\\.(?:tmp|swp)$';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const RESERVED_LABELS = new Set(['source', 'rule', 'instance', 'job', 'level', 'le']);
const SOURCE_NAME = /^[a-zA-Z0-9_][a-zA-Z0-9_.:-]*$/;

/** Named groups of a pattern, in order (`(?<name>...)`). */
export function namedGroups(pattern: string): string[] {
  return [...pattern.matchAll(/\(\?<([a-zA-Z_][a-zA-Z0-9_]*)>/g)].map((m) => m[1] as string);
}

const rule = z
  .strictObject({
    name: z
      .string()
      .regex(LABEL_NAME, 'letters, digits and _, not starting with a digit')
      .meta({ description: 'The `rule` label of patrol_log_matches_total.' }),
    regex: regex('', 'JavaScript regular expression tested on every line of an entry.').meta({
      examples: ['upstream timed out .* upstream: "(?<upstream>[^"]+)"', '(?i:out of memory)'],
    }),
    labels: z.array(z.string()).default([]).meta({
      description:
        'Named captures of `regex` to turn into labels of patrol_log_matches_total. Only those listed here become labels (a capture of a user name or request id would make series without bound).',
      default: [],
    }),
    max_values: z.int().min(1).max(1000).default(20).meta({
      description:
        'Distinct values kept per label; later values are counted under "other" (cardinality stays bounded).',
      default: 20,
    }),
  })
  .superRefine((r, ctx) => {
    if (r.regex === '') {
      ctx.addIssue({ code: 'custom', path: ['regex'], message: 'must not be empty' });
      return;
    }
    const groups = new Set(namedGroups(r.regex));
    r.labels.forEach((label, i) => {
      if (!LABEL_NAME.test(label) || label.startsWith('__') || RESERVED_LABELS.has(label)) {
        ctx.addIssue({
          code: 'custom',
          path: ['labels', i],
          message: `${JSON.stringify(label)} cannot be a label name (letters, digits, _; not ${[...RESERVED_LABELS].join(', ')})`,
        });
      } else if (!groups.has(label)) {
        ctx.addIssue({
          code: 'custom',
          path: ['labels', i],
          message: `regex has no named capture (?<${label}>...)`,
        });
      }
    });
  });
export type RuleConfig = z.output<typeof rule>;

const source = z
  .strictObject({
    name: z
      .string()
      .regex(SOURCE_NAME, 'letters, digits and _.:- only')
      .meta({
        description: 'The `source` label of every series of this source.',
        examples: ['nginx-error'],
      }),
    paths: z
      .array(z.string().regex(/^\//, 'must be an absolute path'))
      .default([])
      .meta({
        description:
          'Files to follow: absolute paths or globs. Files a glob matches later (daily files) are read from their start. Not with format: journal.',
        examples: [['/data/iuap/logs/nginx/error.log'], ['/data/tomcat/logs/tomcat_access.*.log']],
      }),
    format: z.enum([...FORMATS, 'journal']).meta({
      description: `How levels and entries are recognised: ${FORMATS.map((f) => `${f} (${FORMAT_DESCRIPTIONS[f]})`).join('; ')}; journal (the systemd journal through journalctl, levels from PRIORITY; see journal).`,
    }),
    journal: z
      .strictObject({
        units: z
          .array(z.string().regex(/^[\w:.@-]+$/, 'a unit name such as kubelet.service'))
          .default([])
          .meta({
            description:
              'Only entries of these units (journalctl --unit); empty: every entry. One source per unit gives per-unit series.',
            examples: [['kubelet.service']],
          }),
        directory: z.string().regex(/^\//, 'must be an absolute path').optional().meta({
          description:
            'A journal directory to read (journalctl --directory) instead of the system journal.',
        }),
        journalctl: z.string().default('journalctl').meta({
          description: 'The journalctl binary.',
          default: 'journalctl',
        }),
      })
      .optional()
      .meta({ description: 'For format: journal, which entries to count.' }),
    rules: z
      .array(rule)
      .default([])
      .meta({ description: 'Extra patterns to count (patrol_log_matches_total).', default: [] }),
    start_at: z.enum(['end', 'beginning']).default('end').meta({
      description:
        'Where to start in the files present when the source is first seen (no saved position): at their end (only new lines count) or at their beginning. Files that appear later are always read from their start.',
      default: 'end',
    }),
    required: z.boolean().default(true).meta({
      description:
        'Whether the source must have a file to follow: PatrolLogSourceMissing fires when it has none.',
      default: true,
    }),
    max_silence: optionalDuration(
      'The source is expected to be written to at least this often (e.g. 15m): PatrolLogSourceSilent fires when its newest file is older. Unset: silence is fine.',
      '1s',
    ),
  })
  .superRefine((s, ctx) => {
    if (s.format === 'journal') {
      if (s.paths.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['paths'],
          message: 'a journal source reads no files',
        });
      }
    } else {
      if (s.paths.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['paths'],
          message: 'list at least one path or glob',
        });
      }
      if (s.journal !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['journal'], message: 'only with format: journal' });
      }
    }
  });
export type SourceConfig = z.output<typeof source>;
/** A source of files (every format but journal): what the worker thread follows. */
export type FileSourceConfig = SourceConfig & { readonly format: Format };
export type JournalSourceConfig = SourceConfig & { readonly format: 'journal' };

export function isFileSource(s: SourceConfig): s is FileSourceConfig {
  return s.format !== 'journal';
}

export const DEFAULT_SOURCES = [
  {
    name: 'syslog',
    paths: ['/var/log/messages', '/var/log/syslog'],
    format: 'syslog',
    required: false,
  },
] as const;

/** The seed checklist's logs (C8, C9), as a commented example in config.example.yaml. */
export const SEED_EXAMPLE = [
  { name: 'syslog', paths: ['/var/log/messages'], format: 'syslog', max_silence: '1h' },
  {
    name: 'nginx-error',
    paths: ['/data/iuap/logs/nginx/*_error.log'],
    format: 'nginx',
    rules: [
      {
        name: 'upstream_timeout',
        regex: 'upstream timed out .* upstream: "(?<upstream>[^"]+)"',
        labels: ['upstream'],
      },
    ],
  },
  {
    name: 'nginx-access',
    paths: ['/data/iuap/logs/nginx/tomcat_access.*.log'],
    format: 'access',
    start_at: 'end',
  },
  {
    name: 'rabbitmq',
    paths: ['/data/iuap/middleware/rabbitmq-*/var/log/rabbitmq/*.log'],
    format: 'rabbitmq',
  },
  { name: 'redis', paths: ['/data/iuap/middleware/redis-*/log/redis.log'], format: 'redis' },
  { name: 'kubelet', format: 'journal', journal: { units: ['kubelet.service'] } },
];

export const logsConfig = z
  .strictObject({
    ...collectorBase({ enabled: true, timeout: '2s' }),
    sources: z
      .array(source)
      .superRefine((sources, ctx) => {
        const seen = new Map<string, number>();
        sources.forEach((s, i) => {
          const first = seen.get(s.name);
          if (first !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: [i, 'name'],
              message: `duplicate source name ${JSON.stringify(s.name)} (also sources.${first})`,
            });
          } else seen.set(s.name, i);
          const rules = new Set<string>();
          s.rules.forEach((r, j) => {
            if (rules.has(r.name)) {
              ctx.addIssue({
                code: 'custom',
                path: [i, 'rules', j, 'name'],
                message: `duplicate rule name ${JSON.stringify(r.name)} in this source`,
              });
            }
            rules.add(r.name);
          });
        });
      })
      .default(() =>
        DEFAULT_SOURCES.map((s) => ({
          ...s,
          paths: [...s.paths],
          rules: [],
          start_at: 'end' as const,
        })),
      )
      .meta({
        description:
          'Named log sources. The default follows /var/log/messages and /var/log/syslog (whichever exists; required: false) with the syslog preset. Setting sources replaces the default: list syslog again to keep it.',
        default: DEFAULT_SOURCES.map((s) => ({ ...s, paths: [...s.paths] })),
        examples: [SEED_EXAMPLE],
      }),
    positions_file: z
      .string()
      .regex(/^\//, 'must be an absolute path')
      .optional()
      .meta({
        description:
          'Where read positions are kept across restarts (written atomically every save_interval and at shutdown). Default: $STATE_DIRECTORY/log-positions.json under systemd (StateDirectory=patrol), else /var/lib/patrol/log-positions.json.',
        examples: ['/var/lib/patrol/log-positions.json'],
      }),
    exclude: regex(
      DEFAULT_EXCLUDE,
      'File names (the last path element) never followed even when a glob matches them: rotated and compressed generations.',
    ),
    max_files: z.int().min(1).max(10_000).default(512).meta({
      description:
        'Upper bound on files open at once, all sources together (rotated files being read to their end included); more are skipped and counted as too_many_files.',
      default: 512,
    }),
    max_line_bytes: z
      .int()
      .min(256)
      .max(16 * 1024 * 1024)
      .default(65_536)
      .meta({
        description:
          'Longer lines are classified by their first max_line_bytes and the rest is skipped (patrol_log_lines_truncated_total); memory stays bounded whatever a file holds.',
        default: 65_536,
      }),
    poll_interval: duration(
      '1s',
      'How often each open file is checked for growth, rotation and truncation. inotify events make reading immediate where the filesystem supports them; on NFS, CIFS, FUSE and overlay filesystems this poll is all there is.',
      '50ms',
    ),
    rescan_interval: duration(
      '10s',
      'How often globs are expanded again to find new files (inotify also triggers it where available).',
      '100ms',
    ),
    save_interval: duration(
      '2s',
      'How often read positions are saved when they changed. After a crash (SIGKILL, power loss) at most this much is counted again; a graceful stop (SIGTERM) saves exactly.',
      '100ms',
    ),
  })
  .meta({
    description:
      'Log error counts per source and level (checklist C8, C9): files and globs followed through rotation, copytruncate and restarts.',
  });

export type LogsConfig = z.output<typeof logsConfig>;

/** The collector's configuration as the follower thread sees it: the file sources only. */
export type FileLogsConfig = Omit<LogsConfig, 'sources'> & { readonly sources: FileSourceConfig[] };

export function fileSourcesOnly(cfg: LogsConfig): FileLogsConfig {
  return { ...cfg, sources: cfg.sources.filter(isFileSource) };
}

/**
 * The file sources with their paths (plain or globs, the host's) as the files are opened: under
 * --path.rootfs in a container; unchanged on the host. Source names, the only label naming a
 * source, stay as configured.
 */
export function underRootfs(cfg: FileLogsConfig, host: HostPaths): FileLogsConfig {
  if (host.rootfs === '/') return cfg;
  return {
    ...cfg,
    sources: cfg.sources.map((s) => ({ ...s, paths: s.paths.map((p) => inRootfs(host, p)) })),
  };
}
