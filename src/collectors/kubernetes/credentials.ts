/**
 * Where the cluster is and how to prove who we are: a kubeconfig file and its context
 * (kubeconfig.ts), or the in-cluster service account. Written here rather than taken from
 * @kubernetes/client-node's KubeConfig (docs/architecture.md, "Kubernetes collector"): importing
 * that library costs about 80 MiB of resident memory and over a second of start-up, its
 * tokenFile key is ignored, a token file's newline breaks the header, its exec plugins run with
 * no deadline, and nothing it caches is dropped on a 401.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { ClientTls } from '../../core/http-client.ts';
import type { Credentials } from './api.ts';
import type { KubernetesConfig } from './config.ts';
import { obj, str } from './json.ts';
import { readKubeconfig, type ExecConfig, type UserConfig } from './kubeconfig.ts';

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
export const SERVICE_ACCOUNT_TOKEN = `${SA_DIR}/token`;
const SERVICE_ACCOUNT_CA = `${SA_DIR}/ca.crt`;
/** A token file is read again at most this often, and at once after a 401 (it was rotated). */
const TOKEN_FILE_TTL_MS = 10_000;
/** An exec plugin (a cloud CLI) that has not answered by then is killed. */
const EXEC_TIMEOUT_MS = 30_000;

export interface InClusterEnv {
  readonly env: NodeJS.ProcessEnv;
  readonly tokenExists: (path: string) => boolean;
}

const host: InClusterEnv = { env: process.env, tokenExists: existsSync };

/** Why in-cluster credentials cannot be used here, or undefined when they can. */
export function inClusterProblem(where: InClusterEnv = host): string | undefined {
  if (
    where.env.KUBERNETES_SERVICE_HOST === undefined ||
    where.env.KUBERNETES_SERVICE_PORT === undefined
  ) {
    return 'not in a pod (KUBERNETES_SERVICE_HOST is not set)';
  }
  if (!where.tokenExists(SERVICE_ACCOUNT_TOKEN)) {
    return `no service account token at ${SERVICE_ACCOUNT_TOKEN} (automountServiceAccountToken: false?)`;
  }
  return undefined;
}

/** Loads the credentials the configuration asks for; throws naming the file and the reason. */
export function loadCredentials(
  cfg: KubernetesConfig,
  env: NodeJS.ProcessEnv = process.env,
): Credentials {
  if (cfg.kubeconfig === undefined) return inCluster(env);
  let text: string;
  try {
    text = readFileSync(cfg.kubeconfig, 'utf8');
  } catch (err) {
    throw new Error(`cannot read kubeconfig ${cfg.kubeconfig}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const { cluster, user } = readKubeconfig(text, cfg.kubeconfig, cfg.context);
  const readMaterial = (m: { file: string } | { data: Buffer } | undefined, what: string) => {
    if (m === undefined) return undefined;
    if ('data' in m) return m.data;
    try {
      return readFileSync(m.file);
    } catch (err) {
      throw new Error(
        `kubeconfig ${cfg.kubeconfig}: cannot read its ${what} ${m.file}: ${(err as Error).message}`,
        { cause: err },
      );
    }
  };
  const tls: ClientTls = {
    ca: readMaterial(cluster.ca, 'certificate authority'),
    cert: readMaterial(user.clientCert, 'client certificate'),
    key: readMaterial(user.clientKey, 'client key'),
    servername: cluster.tlsServerName,
    rejectUnauthorized: !cluster.insecureSkipTlsVerify,
  };
  return withAuth(new URL(cluster.server), tls, user);
}

function inCluster(env: NodeJS.ProcessEnv): Credentials {
  const hostName = env.KUBERNETES_SERVICE_HOST ?? '';
  const server = new URL(
    `https://${hostName.includes(':') ? `[${hostName}]` : hostName}:${env.KUBERNETES_SERVICE_PORT ?? '443'}`,
  );
  let ca: Buffer;
  try {
    ca = readFileSync(SERVICE_ACCOUNT_CA);
  } catch (err) {
    throw new Error(`in-cluster: cannot read ${SERVICE_ACCOUNT_CA}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return withAuth(
    server,
    { ca },
    {
      token: undefined,
      tokenFile: SERVICE_ACCOUNT_TOKEN,
      clientCert: undefined,
      clientKey: undefined,
      username: undefined,
      password: undefined,
      exec: undefined,
    },
  );
}

/** The Authorization header of each request, from whichever source the user has. */
function withAuth(server: URL, baseTls: ClientTls, user: UserConfig): Credentials {
  let tls = baseTls;
  let cachedToken: { value: string; until: number } | undefined;

  const tokenFromFile = (path: string): string => {
    const now = Date.now();
    if (cachedToken !== undefined && now < cachedToken.until) return cachedToken.value;
    let value: string;
    try {
      value = readFileSync(path, 'utf8').trim();
    } catch (err) {
      throw new Error(`cannot read token file ${path}: ${(err as Error).message}`, { cause: err });
    }
    cachedToken = { value, until: now + TOKEN_FILE_TTL_MS };
    return value;
  };

  const fromExec = async (exec: ExecConfig): Promise<string | undefined> => {
    const now = Date.now();
    if (cachedToken !== undefined && now < cachedToken.until) return cachedToken.value;
    const cred = await runExec(exec);
    if (cred.cert !== undefined && cred.key !== undefined) {
      tls = { ...tls, cert: cred.cert, key: cred.key };
    }
    if (cred.token === undefined) return undefined;
    // Without an expiry it is kept until a 401 says otherwise.
    cachedToken = { value: cred.token, until: cred.expires ?? Number.POSITIVE_INFINITY };
    return cred.token;
  };

  return {
    server,
    get tls() {
      return tls;
    },
    async headers() {
      let token = user.token;
      if (user.tokenFile !== undefined) token = tokenFromFile(user.tokenFile);
      else if (user.exec !== undefined) token = await fromExec(user.exec);
      if (token !== undefined && token !== '') return { Authorization: `Bearer ${token}` };
      if (user.username !== undefined && user.password !== undefined) {
        const basic = Buffer.from(`${user.username}:${user.password}`).toString('base64');
        return { Authorization: `Basic ${basic}` };
      }
      return {};
    },
    invalidate() {
      cachedToken = undefined;
    },
  };
}

interface ExecCredential {
  readonly token: string | undefined;
  readonly cert: string | undefined;
  readonly key: string | undefined;
  readonly expires: number | undefined;
}

/** Runs a credential plugin (client.authentication.k8s.io ExecCredential) under a deadline. */
function runExec(exec: ExecConfig): Promise<ExecCredential> {
  const info = JSON.stringify({
    apiVersion: exec.apiVersion,
    kind: 'ExecCredential',
    spec: { interactive: false },
  });
  return new Promise((resolve, reject) => {
    execFile(
      exec.command,
      [...exec.args],
      {
        timeout: EXEC_TIMEOUT_MS,
        maxBuffer: 1024 * 1024,
        env: { ...process.env, ...exec.env, KUBERNETES_EXEC_INFO: info },
      },
      (err, stdout, stderr) => {
        if (err !== null) {
          reject(
            new Error(
              `credential plugin ${exec.command} failed: ${err.message} ${stderr.slice(0, 300)}`,
              { cause: err },
            ),
          );
          return;
        }
        let status;
        try {
          status = obj(obj(JSON.parse(stdout))?.status);
        } catch {
          status = undefined;
        }
        if (status === undefined) {
          reject(new Error(`credential plugin ${exec.command} did not print an ExecCredential`));
          return;
        }
        const expiry = Date.parse(str(status.expirationTimestamp) ?? '');
        resolve({
          token: str(status.token),
          cert: str(status.clientCertificateData),
          key: str(status.clientKeyData),
          expires: Number.isNaN(expiry) ? undefined : expiry,
        });
      },
    );
  });
}
