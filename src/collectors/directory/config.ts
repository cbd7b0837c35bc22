import { z } from 'zod';
import { collectorBase, duration } from '../../config/fields.ts';

export const directoryConfig = z
  .strictObject({
    ...collectorBase({ enabled: true, timeout: '2s' }),
    paths: z
      .array(z.string().min(1, 'a path must not be empty'))
      .default([])
      .meta({
        description:
          'Directories to measure; globs allowed (e.g. /data/iuap/logs/nginx, /data/*/logs). Each matched directory is one `path` label.',
        examples: [['/data/iuap/logs/nginx']],
      }),
    interval: duration('1m', 'How often each directory is rescanned in the background.', '1s'),
    follow_symlinks: z.boolean().default(false).meta({
      description:
        'Follow symbolic links to directories (loops are detected, counted and skipped).',
      default: false,
    }),
    max_entries_per_second: z.int().min(0).default(50_000).meta({
      description: 'I/O budget: directory entries examined per second per scan (0: unlimited).',
      default: 50_000,
    }),
    max_paths: z.int().min(1).default(100).meta({
      description:
        'Upper bound on directories matched by the globs; extra matches are ignored and logged (keeps cardinality bounded).',
      default: 100,
    }),
  })
  .meta({
    description:
      'Size, file count and oldest/newest file of chosen directories, scanned in the background (checklist C10).',
  });

export type DirectoryConfig = z.output<typeof directoryConfig>;
