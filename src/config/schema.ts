import { z } from 'zod';
import { directoryConfig } from '../collectors/directory/config.ts';
import { filesystemConfig } from '../collectors/filesystem/config.ts';
import { haConfig } from '../collectors/ha/config.ts';
import { logsConfig } from '../collectors/logs/config.ts';
import { systemdConfig } from '../collectors/systemd/config.ts';

/**
 * The whole configuration: shape, defaults and descriptions in one place. config.schema.json
 * and config.example.yaml are generated from it (npm run generate).
 */
export const configSchema = z
  .strictObject({
    collectors: z
      .strictObject({
        filesystem: filesystemConfig.prefault({}),
        directory: directoryConfig.prefault({}),
        systemd: systemdConfig.prefault({}),
        logs: logsConfig.prefault({}),
        ha: haConfig.prefault({}),
      })
      .prefault({})
      .meta({ description: 'One entry per collector: `enabled` plus its own keys.' }),
  })
  .meta({ title: 'patrol configuration', description: 'Configuration of the patrol exporter.' });

export type Config = z.output<typeof configSchema>;
export type CollectorName = keyof Config['collectors'];
