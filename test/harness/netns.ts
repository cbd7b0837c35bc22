/**
 * Network namespaces for end-to-end tests: several "hosts" with their own addresses on one
 * machine, joined by veth links, that cannot outlive the test (needs root, util-linux's unshare,
 * nsenter and setpriv, and iproute2).
 *
 * Each namespace is held by its first process, test/harness/netns-agent.ts started as
 * `unshare --net node netns-agent.ts` with a pipe on its stdin: when the test process ends, even
 * by SIGKILL, the pipe closes, the agent exits and the namespace (with its end of any veth, which
 * takes the other end with it) disappears. Programs run inside with `nsenter -t PID -n setpriv
 * --pdeathsig KILL …`, so they get SIGKILL when the test process dies and cannot keep a
 * namespace alive. Nothing is named in the root namespace: no `ip netns` entries to sweep, and
 * veth ends are created straight inside the namespaces.
 *
 * HTTP from the test process cannot reach a namespace's addresses, so the agent also makes HTTP
 * requests from inside on the test's behalf (`fetch`): one long-lived process per namespace, one
 * JSON line per request and answer, no helper started per request.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HttpResponse, RequestOptions } from './http.ts';
import { ManagedProcess, run, type RunResult } from './process.ts';

const AGENT = fileURLToPath(new URL('./netns-agent.ts', import.meta.url));

interface AgentAnswer {
  id: number;
  status?: number;
  headers?: HttpResponse['headers'];
  body?: string;
  error?: string;
}

export class NetNs {
  readonly name: string;
  /** The agent's pid: `nsenter -t <pid> -n` enters the namespace. */
  readonly pid: number;
  readonly #agent: ChildProcess;
  readonly #exited: Promise<void>;
  readonly #pending = new Map<
    number,
    { resolve: (r: HttpResponse) => void; reject: (e: Error) => void }
  >();
  #nextId = 1;
  #stderr = '';
  #buffer = '';
  #done = false;

  private constructor(name: string, agent: ChildProcess) {
    this.name = name;
    this.#agent = agent;
    this.pid = agent.pid ?? 0;
    agent.stderr?.setEncoding('utf8').on('data', (d: string) => {
      this.#stderr += d;
    });
    agent.stdout?.setEncoding('utf8').on('data', (d: string) => {
      this.#buffer += d;
      let nl: number;
      while ((nl = this.#buffer.indexOf('\n')) >= 0) {
        const line = this.#buffer.slice(0, nl);
        this.#buffer = this.#buffer.slice(nl + 1);
        this.#answer(JSON.parse(line) as AgentAnswer);
      }
    });
    agent.stdin?.on('error', () => {
      // the agent died: its exit rejects what is pending
    });
    this.#exited = new Promise<void>((resolve) => {
      agent.once('close', () => {
        this.#done = true;
        for (const p of this.#pending.values()) {
          p.reject(new Error(`netns agent ${name} exited\n${this.describe()}`));
        }
        this.#pending.clear();
        resolve();
      });
    });
  }

  /** A new network namespace with `lo` up; call close() at the end. */
  static async create(name: string, timeoutMs = 30_000): Promise<NetNs> {
    const agent = spawn('unshare', ['--net', process.execPath, AGENT], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const ns = new NetNs(name, agent);
    const deadline = Date.now() + timeoutMs;
    while (!ns.#stderr.includes('netns-agent ready\n')) {
      if (ns.#done || Date.now() > deadline) {
        await ns.close();
        throw new Error(`netns ${name}: the agent did not start\n${ns.describe()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return ns;
  }

  describe(): string {
    return `--- netns ${this.name} (agent pid ${this.pid}) stderr ---\n${this.#stderr}--- end ---`;
  }

  #answer(a: AgentAnswer): void {
    const p = this.#pending.get(a.id);
    if (p === undefined) return;
    this.#pending.delete(a.id);
    if (a.error !== undefined || a.status === undefined) {
      p.reject(new Error(`netns ${this.name}: ${a.error ?? 'no status'}`));
      return;
    }
    const body = Buffer.from(a.body ?? '', 'base64');
    p.resolve({ status: a.status, headers: a.headers ?? {}, body, text: body.toString('utf8') });
  }

  /** One HTTP request made from inside the namespace (a fresh connection each time). */
  fetch(
    url: string,
    opts: Pick<RequestOptions, 'method' | 'headers' | 'timeoutMs'> = {},
  ): Promise<HttpResponse> {
    if (this.#done) return Promise.reject(new Error(`netns ${this.name} is closed`));
    const id = this.#nextId++;
    return new Promise<HttpResponse>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#agent.stdin?.write(`${JSON.stringify({ id, url, ...opts })}\n`);
    });
  }

  /** Runs a command inside the namespace to completion (e.g. `ip addr add …`). */
  run(command: string, args: readonly string[], timeoutMs = 10_000): Promise<RunResult> {
    return run('nsenter', ['-t', String(this.pid), '-n', command, ...args], { timeoutMs });
  }

  /** Like run(), and throws unless the command exits 0. */
  async exec(command: string, args: readonly string[], timeoutMs = 10_000): Promise<string> {
    const r = await this.run(command, args, timeoutMs);
    if (r.code !== 0) {
      throw new Error(
        `in netns ${this.name}: ${command} ${args.join(' ')} exited ${r.code}: ${r.stderr}`,
      );
    }
    return r.stdout;
  }

  /**
   * Starts a long-running program inside the namespace. It gets SIGKILL when the test process
   * dies (setpriv --pdeathsig; nsenter and setpriv exec, so the ManagedProcess is the program).
   */
  spawn(
    name: string,
    command: string,
    args: readonly string[],
    options: SpawnOptions = {},
  ): ManagedProcess {
    return new ManagedProcess(
      name,
      'nsenter',
      ['-t', String(this.pid), '-n', 'setpriv', '--pdeathsig', 'KILL', command, ...args],
      options,
    );
  }

  /** Ends the agent (and with it the namespace, once nothing else runs inside). */
  async close(timeoutMs = 5_000): Promise<void> {
    if (this.#done) return;
    this.#agent.stdin?.end();
    const timer = setTimeout(() => this.#agent.kill('SIGKILL'), timeoutMs);
    try {
      await this.#exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * A veth link between two namespaces, each end created inside its namespace (`ip link add …
 * netns PID`) with an address (e.g. "192.0.2.1/24") and up.
 */
export async function connect(
  a: { ns: NetNs; ifname: string; address: string },
  b: { ns: NetNs; ifname: string; address: string },
): Promise<void> {
  const r = await run('ip', [
    'link',
    'add',
    a.ifname,
    'netns',
    String(a.ns.pid),
    'type',
    'veth',
    'peer',
    'name',
    b.ifname,
    'netns',
    String(b.ns.pid),
  ]);
  if (r.code !== 0) throw new Error(`ip link add ${a.ifname} (veth): ${r.stderr}`);
  for (const end of [a, b]) {
    await end.ns.exec('ip', ['addr', 'add', end.address, 'dev', end.ifname]);
    await end.ns.exec('ip', ['link', 'set', end.ifname, 'up']);
  }
}

/**
 * Runs argv with /sys mounted afresh in a mount namespace of its own: `nsenter -n` enters only
 * the network namespace, and the host's /sys still shows the host's interfaces (sysfs is tied to
 * the network namespace that mounted it), which is what `ip netns exec` remounts /sys for.
 */
export const withOwnSysfs = (argv: readonly string[]): [string, string[]] => [
  'unshare',
  [
    '--mount',
    '--propagation',
    'private',
    'sh',
    '-c',
    'mount -t sysfs sysfs /sys && exec "$0" "$@"',
    ...argv,
  ],
];

/** A program a test needs, with the argument that makes it print its version and exit 0. */
export type Tool = readonly [command: string, versionArg: string];

/** What every test with namespaces needs: util-linux's unshare, nsenter, setpriv and iproute2. */
export const NETNS_TOOLS: readonly Tool[] = [
  ['unshare', '--version'],
  ['nsenter', '--version'],
  ['setpriv', '--version'],
  ['ip', '-V'],
];

/**
 * Asserts that each tool runs (`command versionArg` exits 0); a failure says
 * `${need(command)}: ${its stderr}`.
 */
export async function requireTools(
  tools: readonly Tool[],
  need: (command: string) => string,
): Promise<void> {
  for (const [cmd, arg] of tools) {
    const r = await run(cmd, [arg], { timeoutMs: 10_000 }).catch((err: unknown) => ({
      code: -1,
      stderr: String(err),
    }));
    assert.equal(r.code, 0, `${need(cmd)}: ${r.stderr}`);
  }
}
