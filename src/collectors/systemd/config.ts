import { z } from 'zod';
import { collectorBase, duration, regex } from '../../config/fields.ts';
import { normalizeUnitName, PRESETS, UNIT_NAME, type PresetName } from './units.ts';

/** Unit types watched by default; scope, slice and device units are generated and left out. */
export const DEFAULT_INCLUDE = '\\.(service|socket|timer|target|mount)$';
/**
 * Mount units of pseudo filesystems and container storage: one per pod volume or container
 * layer on a Kubernetes node, so they churn and would make cardinality unbounded (the same
 * places the filesystem collector skips).
 */
export const DEFAULT_EXCLUDE =
  '^(dev|proc|sys|run|snap|var-lib-docker|var-lib-containers|var-lib-kubelet)-.+\\.mount$';

// Validated here, normalised (a missing suffix means .service) by requirements(): a transform
// would hide the field's default and examples from the generated JSON schema.
const unitName = z
  .string()
  .superRefine((raw, ctx) => {
    const name = normalizeUnitName(raw);
    if (!UNIT_NAME.test(name) || name.length > 255) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(raw)} is not a unit name (letters, digits and ":-_.\\@", a type suffix such as .service, an instance after @ for templates)`,
      });
    }
  })
  .meta({ examples: ['kubelet.service', 'docker'] });

export const requiredUnit = z.union([
  unitName,
  z
    .strictObject({
      any_of: z.array(unitName).min(2, 'list at least two alternatives'),
    })
    .meta({
      description:
        'Alternatives: the first one systemd knows is the required unit (e.g. mysql or mariadb).',
    }),
]);
export type RequiredUnitSpec = z.output<typeof requiredUnit>;

const BUS_ADDRESS = /^(unix|tcp|unixexec):[^\s]*=/;

export const systemdConfig = z
  .strictObject({
    ...collectorBase({ enabled: true, timeout: '5s' }),
    bus: z
      .string()
      .default('system')
      .refine((b) => b === 'system' || b === 'user' || BUS_ADDRESS.test(b), {
        message:
          'must be "system", "user" or a D-Bus address such as unix:path=/run/dbus/system_bus_socket',
      })
      .meta({
        description:
          'Where the systemd manager is: "system" (the system bus; $DBUS_SYSTEM_BUS_ADDRESS or /run/dbus/system_bus_socket), "user" (the session bus of $DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus) or a D-Bus address. A manager\'s private socket (unix:path=/run/systemd/private) works too, without a bus daemon.',
        default: 'system',
      }),
    call_timeout: duration(
      '2s',
      'How long one D-Bus call may take. A manager that does not answer in time is reported down (patrol_systemd_up 0) and the connection is made anew.',
    ),
    include: regex(
      DEFAULT_INCLUDE,
      'Loaded units whose name matches this regex are reported (default: services, sockets, timers, targets and mounts).',
    ),
    exclude: regex(
      DEFAULT_EXCLUDE,
      'Units matching this regex are not reported, even when `include` matches (default: mounts of pseudo filesystems and container storage).',
    ),
    presets: z
      .array(z.enum(Object.keys(PRESETS) as [PresetName, ...PresetName[]]))
      .default([])
      .meta({
        description: `Required units of a server role, added to \`units\`: ${Object.entries(PRESETS)
          .map(([n, p]) => `${n} (${p.description})`)
          .join('; ')}.`,
        examples: [['k8s-master', 'k8s-node']],
      }),
    units: z
      .array(requiredUnit)
      .default([])
      .meta({
        description:
          'Units that must exist on this host, reported whatever `include`/`exclude` say. One systemd does not know is reported with load_state "not-found", never left out. A name without a suffix means .service.',
        examples: [['kubelet', 'docker.service', { any_of: ['mysql', 'mariadb'] }]],
        default: [],
      }),
    resync_interval: duration(
      '10m',
      "Unit states are kept from the manager's signals; this often they are also read afresh in full, as a safety net (differences count in patrol_systemd_cache_corrections_total).",
      '10s',
    ),
  })
  .refine((c) => c.call_timeout < c.timeout, {
    message:
      'must be shorter than collectors.systemd.timeout, so a manager that stops answering is reported as down rather than failing the scrape blind',
    path: ['call_timeout'],
  })
  .meta({
    description:
      'systemd unit states over D-Bus: active/failed, restarts, required units (checklist C1, C2).',
  });

export type SystemdConfig = z.output<typeof systemdConfig>;
