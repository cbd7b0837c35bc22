/**
 * The environment the HA links tests (test/e2e/ha-links.test.ts, ha-vip-conflict.test.ts) share:
 * two hosts as network namespaces a and b joined by a veth link, a temporary directory for the
 * exporters' configs, and real patrol exporters started inside a namespace with /sys of its own
 * (so /sys/class/net shows the namespace's interfaces).
 *
 * Needs root, util-linux (unshare, nsenter, setpriv), iproute2 and whatever else the test names;
 * startLinksPair() checks. Everything it starts is stopped in one `after` hook of the test, newest
 * first (exporters, then the namespaces' agents, the directory last); a cleanup that fails is
 * reported as a diagnostic. Nothing can outlive the test (test/harness/netns.ts).
 */
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { stringify } from 'yaml';
import { onlyCollectors } from './config.ts';
import { MAIN, NODE, ROOT } from './exporter.ts';
import { connect, NETNS_TOOLS, NetNs, requireTools, withOwnSysfs, type Tool } from './netns.ts';
import { suiteScope, type ManagedProcess, type Scope } from './process.ts';
import { waitFor, type WaitOptions } from './wait.ts';

export interface LinksPairOptions {
  /** Who needs what, in failure messages: "<test> needs root", "<test> needs <command>: …". */
  readonly test: string;
  /** Programs needed besides unshare, nsenter, setpriv and ip. */
  readonly tools?: readonly Tool[];
  /** The temporary directory's name prefix. */
  readonly prefix: string;
  /** a's and b's ends of the veth link, each address with its prefix length ("192.0.2.1/24"). */
  readonly a: { readonly ifname: string; readonly address: string };
  readonly b: { readonly ifname: string; readonly address: string };
}

export interface ExporterSpec {
  /** The namespace it runs in. */
  readonly ns: NetNs;
  /** Its process' name, for messages: `patrol <name>`. */
  readonly name: string;
  readonly port: number;
  readonly config: string;
  /** A command it runs under (e.g. setpriv with fewer privileges), before node. */
  readonly privileges?: readonly string[];
}

export interface LinksPair {
  /** Stops what the test started, after it; newest first. */
  readonly scope: Scope;
  /** The temporary directory (removed after the test). */
  readonly root: string;
  readonly nsA: NetNs;
  readonly nsB: NetNs;
  /** The time since the tools were checked, e.g. "12.3 s". */
  readonly elapsed: () => string;
  /** Every exporter started (in the order started) and both namespaces' output, for failures. */
  readonly describe: () => string;
  /** Writes `<root>/<name>.yml` with the HA collector alone (and `mode`, if given); gives its path. */
  readonly writeHaConfig: (name: string, ha: Record<string, unknown>, mode?: number) => string;
  /** Starts a real exporter with /sys of its own; resolves once it listens. */
  readonly startExporter: (spec: ExporterSpec) => Promise<ManagedProcess>;
  /**
   * waitFor(what, probe) with describe() as context, then a diagnostic of what was seen and after
   * how long.
   */
  readonly waitSeen: <T>(
    what: string,
    probe: Parameters<typeof waitFor<T>>[1],
    opts: Pick<WaitOptions, 'timeoutMs' | 'intervalMs'>,
  ) => Promise<T>;
}

/** Checks the tools, then builds the two namespaces and their veth link in `t`. */
export async function startLinksPair(t: TestContext, opts: LinksPairOptions): Promise<LinksPair> {
  assert.equal(process.getuid?.(), 0, `${opts.test} needs root`);
  await requireTools([...NETNS_TOOLS, ...(opts.tools ?? [])], (cmd) => `${opts.test} needs ${cmd}`);
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const scope = suiteScope({
    onError: (err) => {
      t.diagnostic(`cleanup: ${String(err)}`);
    },
  });
  t.after(() => scope.close());
  const root = await mkdtemp(join(tmpdir(), opts.prefix));
  scope.after(() => rm(root, { recursive: true, force: true }));
  const nsA = await NetNs.create('a');
  scope.after(() => nsA.close());
  const nsB = await NetNs.create('b');
  scope.after(() => nsB.close());
  await connect({ ns: nsA, ...opts.a }, { ns: nsB, ...opts.b });

  const procs: ManagedProcess[] = [];
  const describe = () =>
    procs
      .map((p) => p.describe())
      .concat(nsA.describe(), nsB.describe())
      .join('\n');
  const writeHaConfig = (name: string, ha: Record<string, unknown>, mode?: number) => {
    const path = join(root, `${name}.yml`);
    writeFileSync(path, stringify(onlyCollectors({ ha })));
    if (mode !== undefined) chmodSync(path, mode);
    return path;
  };
  const startExporter = async (spec: ExporterSpec) => {
    const argv = [
      ...(spec.privileges ?? []),
      NODE,
      MAIN,
      `--web.listen-address=:${spec.port}`,
      `--config.file=${spec.config}`,
    ];
    const proc = spec.ns.spawn(`patrol ${spec.name}`, ...withOwnSysfs(argv), { cwd: ROOT });
    procs.push(proc);
    scope.after(() => proc.kill());
    await proc.waitForOutput(/msg=listening address=/, 30_000);
    return proc;
  };
  const waitSeen = async <T>(
    what: string,
    probe: Parameters<typeof waitFor<T>>[1],
    wait: Pick<WaitOptions, 'timeoutMs' | 'intervalMs'>,
  ): Promise<T> => {
    const t0 = performance.now();
    const seen = await waitFor(what, probe, { ...wait, context: describe });
    t.diagnostic(
      `${what}: seen after ${((performance.now() - t0) / 1000).toFixed(2)} s: ${JSON.stringify(seen)}`,
    );
    return seen;
  };
  return { scope, root, nsA, nsB, elapsed, describe, writeHaConfig, startExporter, waitSeen };
}
