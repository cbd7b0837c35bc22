import type { ProbeConfig, ProbesConfig } from './config.ts';

/** The names of the presets, for the config schema. */
export const PRESET_NAMES = ['iuap-middleware'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** Any answer from nginx, 2xx to 4xx: the page behind / varies; a 5xx or no answer is a fault. */
const NGINX_ANSWERS = Array.from({ length: 300 }, (_, i) => 200 + i);

/**
 * The seed's middleware on the host patrol runs on, on their usual ports ("check the middleware
 * through the installer": nginx, Redis, RabbitMQ with its management plugin, the platform's
 * MySQL). MySQL is a TCP probe: a preset holds no credentials; to log in, list a probe named
 * `mysql` with `module: mysql`, a user and a password_file. A probe in `probes` with a preset
 * probe's name replaces it.
 */
export const PRESETS: Readonly<Record<PresetName, readonly object[]>> = {
  'iuap-middleware': [
    {
      name: 'nginx',
      module: 'http',
      target: 'http://127.0.0.1:80/',
      valid_status_codes: NGINX_ANSWERS,
    },
    { name: 'redis', module: 'redis', target: '127.0.0.1:6379' },
    {
      name: 'rabbitmq',
      module: 'rabbitmq',
      target: '127.0.0.1:5672',
      management_url: 'http://127.0.0.1:15672',
    },
    { name: 'mysql', module: 'tcp', target: '127.0.0.1:3306' },
  ],
};

/** The probes to run: the presets' (less those the list overrides by name), then the list. */
export function effectiveProbes(
  cfg: Pick<ProbesConfig, 'presets' | 'probes'>,
  parse: (raw: object) => ProbeConfig,
): ProbeConfig[] {
  const own = new Set(cfg.probes.map((p) => p.name));
  const fromPresets = cfg.presets
    .flatMap((name) => PRESETS[name])
    .map(parse)
    .filter((p) => !own.has(p.name));
  return [...fromPresets, ...cfg.probes];
}
