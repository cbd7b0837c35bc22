/**
 * Reading a kubeconfig file (pure): which cluster and user the context names, with relative
 * file paths resolved against the file's own directory, as kubectl does. The fields patrol
 * uses; anything it cannot use (an auth-provider plugin) is a clear error, not a silent 401.
 */
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { arr, obj, str, type Json } from './json.ts';

export interface ClusterConfig {
  readonly server: string;
  /** PEM, from certificate-authority (a file) or certificate-authority-data (base64). */
  readonly ca: { readonly file: string } | { readonly data: Buffer } | undefined;
  readonly insecureSkipTlsVerify: boolean;
  readonly tlsServerName: string | undefined;
}

export interface ExecConfig {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly apiVersion: string;
}

export interface UserConfig {
  readonly token: string | undefined;
  readonly tokenFile: string | undefined;
  readonly clientCert: { readonly file: string } | { readonly data: Buffer } | undefined;
  readonly clientKey: { readonly file: string } | { readonly data: Buffer } | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly exec: ExecConfig | undefined;
}

export interface KubeconfigChoice {
  readonly context: string;
  readonly cluster: ClusterConfig;
  readonly user: UserConfig;
}

/** Parses `text` (the file at `path`) and picks `context` (default: its current-context). */
export function readKubeconfig(text: string, path: string, context?: string): KubeconfigChoice {
  let doc: Json | undefined;
  try {
    doc = obj(parse(text));
  } catch (err) {
    throw new Error(`${path}: not YAML: ${(err as Error).message.split('\n')[0] ?? ''}`);
  }
  if (doc === undefined) throw new Error(`${path}: not a kubeconfig (no mapping)`);
  const base = dirname(path);
  const name = context ?? str(doc['current-context']);
  if (name === undefined || name === '') {
    throw new Error(`${path}: no current-context; set collectors.kubernetes.context`);
  }
  const ctx = obj(named(doc.contexts, name)?.context);
  if (ctx === undefined) throw new Error(`${path}: no context ${name}`);
  const clusterName = str(ctx.cluster) ?? '';
  const userName = str(ctx.user) ?? '';
  const cluster = obj(named(doc.clusters, clusterName)?.cluster);
  if (cluster === undefined)
    throw new Error(
      `${path}: context ${name} names cluster "${clusterName}", which it does not define`,
    );
  const server = str(cluster.server);
  if (server === undefined || server === '')
    throw new Error(`${path}: cluster ${clusterName} has no server`);
  // A context may name no user (client certificates in the cluster entry are not a thing).
  const user = obj(named(doc.users, userName)?.user) ?? {};
  if (obj(user['auth-provider']) !== undefined) {
    throw new Error(
      `${path}: user ${userName} authenticates through an auth-provider plugin (${str(obj(user['auth-provider'])?.name) ?? '?'}), which patrol does not run; use a token, a client certificate or an exec plugin`,
    );
  }
  const file = (v: unknown) => {
    const p = str(v);
    return p === undefined || p === '' ? undefined : isAbsolute(p) ? p : join(base, p);
  };
  const material = (fileKey: string, dataKey: string, from: Json) => {
    const data = str(from[dataKey]);
    if (data !== undefined && data !== '') return { data: Buffer.from(data, 'base64') };
    const f = file(from[fileKey]);
    return f === undefined ? undefined : { file: f };
  };
  const exec = obj(user.exec);
  return {
    context: name,
    cluster: {
      server,
      ca: material('certificate-authority', 'certificate-authority-data', cluster),
      insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
      tlsServerName: str(cluster['tls-server-name']),
    },
    user: {
      token: str(user.token),
      // client-go's key is tokenFile; the JavaScript client's was token-file: both.
      tokenFile: file(user.tokenFile ?? user['token-file']),
      clientCert: material('client-certificate', 'client-certificate-data', user),
      clientKey: material('client-key', 'client-key-data', user),
      username: str(user.username),
      password: str(user.password),
      exec:
        exec === undefined
          ? undefined
          : {
              command: str(exec.command) ?? '',
              args: arr(exec.args).flatMap((a) => (typeof a === 'string' ? [a] : [])),
              env: Object.fromEntries(
                arr(exec.env).flatMap((e) => {
                  const n = str(obj(e)?.name);
                  const v = str(obj(e)?.value);
                  return n === undefined || v === undefined ? [] : [[n, v]];
                }),
              ),
              apiVersion: str(exec.apiVersion) ?? 'client.authentication.k8s.io/v1beta1',
            },
    },
  };
}

function named(list: unknown, name: string): Json | undefined {
  return arr(list)
    .map(obj)
    .find((e) => e?.name === name);
}
