import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError, formatIssues } from './config/load.ts';

/**
 * The exporter-toolkit web configuration (https://github.com/prometheus/exporter-toolkit,
 * docs/web-configuration.md), so a file written for node_exporter works here. Keys we do not
 * implement are rejected rather than ignored: silently serving plain HTTP or no auth when the
 * file asked for something else would be worse than refusing to start.
 */
const CLIENT_AUTH_TYPES = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
] as const;
const TLS_VERSIONS = {
  TLS10: 'TLSv1',
  TLS11: 'TLSv1.1',
  TLS12: 'TLSv1.2',
  TLS13: 'TLSv1.3',
} as const;
type TlsVersionName = keyof typeof TLS_VERSIONS;
const tlsVersion = z.enum(Object.keys(TLS_VERSIONS) as [TlsVersionName, ...TlsVersionName[]]);

const HEADERS = [
  'Strict-Transport-Security',
  'X-Content-Type-Options',
  'X-Frame-Options',
  'X-XSS-Protection',
  'Content-Security-Policy',
] as const;

const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

export const webConfigSchema = z.strictObject({
  tls_server_config: z
    .strictObject({
      cert_file: z.string().min(1),
      key_file: z.string().min(1),
      client_auth_type: z.enum(CLIENT_AUTH_TYPES).default('NoClientCert'),
      client_ca_file: z.string().min(1).optional(),
      min_version: tlsVersion.default('TLS12'),
      max_version: tlsVersion.default('TLS13'),
    })
    .refine((t) => !t.client_auth_type.includes('Verify') || t.client_ca_file !== undefined, {
      message: 'client_ca_file is required when client_auth_type verifies client certificates',
      path: ['client_ca_file'],
    })
    .optional(),
  http_server_config: z
    .strictObject({
      // The response headers exporter-toolkit allows; values must not break the header line.
      headers: z
        .partialRecord(
          z.enum(HEADERS),
          z.string().regex(/^[^\r\n]*$/, 'a header value must not contain a line break'),
        )
        .default({}),
    })
    .optional(),
  basic_auth_users: z
    .record(
      z.string().min(1),
      z
        .string()
        .regex(BCRYPT, 'must be a bcrypt hash (e.g. from htpasswd -nBC 10 "" | tr -d \':\\n\')'),
    )
    .optional(),
});

export interface TlsOptions {
  cert: Buffer;
  key: Buffer;
  ca: Buffer | undefined;
  requestCert: boolean;
  rejectUnauthorized: boolean;
  minVersion: (typeof TLS_VERSIONS)[TlsVersionName];
  maxVersion: (typeof TLS_VERSIONS)[TlsVersionName];
  clientAuthType: (typeof CLIENT_AUTH_TYPES)[number];
}

export interface WebConfig {
  tls: TlsOptions | undefined;
  headers: Record<string, string>;
  users: ReadonlyMap<string, string> | undefined;
}

export const NO_WEB_CONFIG: WebConfig = { tls: undefined, headers: {}, users: undefined };

export async function loadWebConfig(path: string | undefined): Promise<WebConfig> {
  if (path === undefined) return NO_WEB_CONFIG;
  const read = async (file: string, field: string) => {
    try {
      return await readFile(resolve(dirname(path), file));
    } catch (err) {
      throw new ConfigError(path, [`${field}: cannot read ${file}: ${(err as Error).message}`], {
        cause: err,
      });
    }
  };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [`cannot read file: ${(err as Error).message}`], { cause: err });
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0)
    throw new ConfigError(
      path,
      doc.errors.map((e) => e.message.split('\n')[0] ?? ''),
    );
  const parsed = webConfigSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success)
    throw new ConfigError(path, formatIssues(parsed.error.issues, webConfigSchema));
  const { tls_server_config: t, http_server_config: h, basic_auth_users: users } = parsed.data;
  let tls: TlsOptions | undefined;
  if (t !== undefined) {
    const verify = t.client_auth_type === 'RequireAndVerifyClientCert';
    tls = {
      cert: await read(t.cert_file, 'tls_server_config.cert_file'),
      key: await read(t.key_file, 'tls_server_config.key_file'),
      ca:
        t.client_ca_file === undefined
          ? undefined
          : await read(t.client_ca_file, 'tls_server_config.client_ca_file'),
      requestCert: t.client_auth_type !== 'NoClientCert',
      rejectUnauthorized: verify,
      minVersion: TLS_VERSIONS[t.min_version],
      maxVersion: TLS_VERSIONS[t.max_version],
      clientAuthType: t.client_auth_type,
    };
  }
  return {
    tls,
    headers: h?.headers ?? {},
    users: users === undefined ? undefined : new Map(Object.entries(users)),
  };
}

interface Bcrypt {
  compare(password: string, hash: string): Promise<boolean>;
  hash(password: string, rounds: number): Promise<string>;
}

/** bcryptjs, loaded on the first credential check: most deployments have no basic auth. */
let bcryptLoaded: Promise<Bcrypt> | undefined;
const loadBcrypt = (): Promise<Bcrypt> =>
  (bcryptLoaded ??= import('bcryptjs').then(({ default: b }: { default: Bcrypt }) => b));

/** The cost factor of a bcrypt hash ($2y$10$... -> 10). */
const bcryptCost = (hash: string): number => Number(hash.slice(4, 6));

export type AuthResult = 'ok' | 'denied' | 'busy';

/**
 * Checks basic-auth credentials (exporter-toolkit's semantics).
 * - bcrypt is slow on purpose and Prometheus sends the same credentials on every scrape, so
 *   successful checks are remembered by a digest of user, password and hash.
 * - An unknown user is checked against a decoy hash of the highest cost configured, so a wrong
 *   user name costs the same time as a wrong password (no user enumeration by timing).
 * - bcryptjs computes on the event loop; at most MAX_CHECKS run at once and the rest are turned
 *   away ('busy'), so a flood of bad credentials cannot stall scrapes and health checks.
 */
export class BasicAuth {
  static readonly MAX_CHECKS = 2;
  readonly #users: ReadonlyMap<string, string>;
  readonly #verified = new Set<string>();
  readonly #decoyCost: number;
  #decoy: Promise<string> | undefined;
  #checks = 0;

  constructor(users: ReadonlyMap<string, string>) {
    this.#users = users;
    this.#decoyCost = Math.max(4, ...[...users.values()].map(bcryptCost));
  }

  async check(user: string, password: string): Promise<AuthResult> {
    const hash = this.#users.get(user);
    const key = createHash('sha256')
      .update(`${user}\0${password}\0${hash ?? ''}`)
      .digest('hex');
    if (hash !== undefined && this.#verified.has(key)) return 'ok';
    if (this.#checks >= BasicAuth.MAX_CHECKS) return 'busy';
    this.#checks++;
    try {
      const bcrypt = await loadBcrypt();
      this.#decoy ??= bcrypt.hash(randomBytes(16).toString('hex'), this.#decoyCost);
      const ok = await bcrypt.compare(password, hash ?? (await this.#decoy));
      if (!ok || hash === undefined) return 'denied';
      if (this.#verified.size > 1000) this.#verified.clear();
      this.#verified.add(key);
      return 'ok';
    } finally {
      this.#checks--;
    }
  }
}

/** Parses an Authorization header; undefined when it is not Basic or malformed. */
export function parseBasicAuth(
  header: string | undefined,
): { user: string; password: string } | undefined {
  const m = header === undefined ? null : /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
