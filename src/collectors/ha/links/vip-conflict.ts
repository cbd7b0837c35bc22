/**
 * The VIP conflict check: while this node holds the virtual IP, does another machine answer ARP
 * for it? Node has no raw sockets, so iputils' arping does the duplicate-address probe
 * (`arping -D -I <if> -c 2 -w 3 <vip>`, RFC 5227's probe: sender address 0.0.0.0, so nobody's
 * ARP cache changes). It runs in the background every `links.vip_conflict_interval`, at most one
 * at a time and killed at its deadline; a scrape reads the last answer.
 *
 * arping needs CAP_NET_RAW (an AF_PACKET socket): Debian's iputils-arping carries it as a file
 * capability (cap_net_raw=ep), which a process cannot pass on when its capability bounding set
 * lacks it (exec then fails with EPERM); the systemd drop-in
 * deploy/patrol.service.d/vip-conflict.conf gives the service CAP_NET_RAW as an ambient capability. Without it, or without arping, the state is unknown and the reason is
 * logged once. arping is IPv4 only (ARP): an IPv6 VIP is reported unknown, with that reason.
 */
import { spawn } from 'node:child_process';
import { describeError, errorCode } from '../../../core/errors.ts';
import type { LogOnce } from '../../../core/log-once.ts';
import { addInfo, addStateSet, type MetricSink } from '../../../core/metrics.ts';
import { linkFamilies as f, type VipConflictState } from './metrics.ts';

/** arping's own deadline (-w), and how long past it the process may take before it is killed. */
export const ARPING_DEADLINE_S = 3;
export const PROBE_KILL_MS = ARPING_DEADLINE_S * 1000 + 2000;
/** At most this many MACs are reported (arping -D stops at the first reply anyway). */
export const MAX_MACS = 4;
/** While this node does not hold the VIP, how often that is looked at again (memory only). */
export const HOLD_CHECK_MS = 1000;

export function arpingArgs(iface: string, vip: string): string[] {
  return ['-D', '-I', iface, '-c', '2', '-w', String(ARPING_DEADLINE_S), vip];
}

export type ProbeResult =
  | { readonly state: 'none' }
  | { readonly state: 'conflict'; readonly macs: readonly string[] }
  | { readonly state: 'unknown'; readonly reason: string };

/**
 * The MACs of the replies in iputils arping's output, lower case as /sys/class/net/<if>/address
 * spells them, each once: `Unicast reply from 10.0.0.100 [02:AB:CD:EF:01:02]  0.6ms` (or
 * `Broadcast reply`).
 */
export function parseArpingReplies(stdout: string): string[] {
  const out: string[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^(?:Unicast|Broadcast) reply from \S+ \[([0-9a-f]{2}(?::[0-9a-f]{2}){5})\]/i.exec(
      line.trim(),
    );
    const mac = m?.[1]?.toLowerCase();
    if (mac !== undefined && !out.includes(mac) && out.length < MAX_MACS) out.push(mac);
  }
  return out;
}

/**
 * What one arping -D run says. In DAD mode iputils arping exits 0 when no reply came and 1 when
 * one did; its closing `Received N response(s)` line must agree, so another arping (Thomas
 * Habets' has other options and exit codes) or a cut-off run is unknown, never a guess.
 */
export function interpretArping(
  code: number | null,
  stdout: string,
  stderr: string,
  vip: string,
): ProbeResult {
  const received = /^Received (\d+) response/m.exec(stdout)?.[1];
  if (code === 0 && received === '0') return { state: 'none' };
  if (code === 1 && received !== undefined && Number(received) > 0) {
    return { state: 'conflict', macs: parseArpingReplies(stdout) };
  }
  const said = stderr.trim().split('\n')[0]?.trim() ?? '';
  if (said !== '') return { state: 'unknown', reason: `exit ${String(code)}: ${said}` };
  return {
    state: 'unknown',
    reason: `exit ${String(code)} without iputils arping's verdict for ${vip}`,
  };
}

export interface ArpingRun {
  readonly result: Promise<ProbeResult>;
  /** Kills the process now (at stop). */
  readonly kill: () => void;
}

/** Runs arping once; killed (SIGKILL) after killMs. Never rejects. */
export function runArping(
  path: string,
  iface: string,
  vip: string,
  killMs = PROBE_KILL_MS,
): ArpingRun {
  let kill = () => {};
  const result = new Promise<ProbeResult>((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const done = (r: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(path, arpingArgs(iface, vip), {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LC_ALL: 'C' },
      });
    } catch (err) {
      // Some exec failures throw here rather than emit 'error': EPERM when the file capability
      // cannot be granted (CAP_NET_RAW out of the bounding set).
      resolve({ state: 'unknown', reason: errorCode(err) ?? describeError(err) });
      return;
    }
    kill = () => child.kill('SIGKILL');
    // Answered at the deadline, without waiting for the pipes to close (a child of arping's
    // could hold them).
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done({ state: 'unknown', reason: `did not finish within ${killMs} ms (killed)` });
    }, killMs);
    const cap = (s: string, d: string) => (s.length > 16_384 ? s : s + d);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout = cap(stdout, d)));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr = cap(stderr, d)));
    child.on('error', (err) => {
      done({ state: 'unknown', reason: errorCode(err) ?? describeError(err) });
    });
    child.on('close', (code, signal) => {
      if (signal !== null) {
        done({ state: 'unknown', reason: `killed by ${signal}` });
      } else {
        done(interpretArping(code, stdout, stderr, vip));
      }
    });
  });
  return {
    result,
    kill: () => {
      kill();
    },
  };
}

export interface VipConflictOptions {
  readonly cluster: string;
  readonly vip: string;
  /** links.arping: the program (searched in PATH unless a path). */
  readonly arping: string;
  readonly intervalMs: number;
  /** Whether this node holds the VIP now (its role, from the VIP). */
  readonly holdsVip: () => boolean;
  /** The interface holding the VIP, when one is known. */
  readonly vipInterface: () => string | undefined;
  readonly logOnce?: LogOnce | undefined;
  /** Replaces runArping (tests). */
  readonly run?: typeof runArping | undefined;
  readonly killMs?: number | undefined;
}

/** The background loop and its last answer. */
export class VipConflictWatch {
  readonly #o: VipConflictOptions;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: ArpingRun | undefined;
  #result: ProbeResult | undefined;
  #stopped = false;
  /** Probes run (tests). */
  probes = 0;

  constructor(o: VipConflictOptions) {
    this.#o = o;
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#inFlight?.kill();
  }

  get result(): ProbeResult | undefined {
    return this.#result;
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#tick().catch((err: unknown) => {
        // Not expected (runArping never rejects): keep probing, say why once.
        this.#o.logOnce?.fail('vip conflict probe', describeError(err), 'VIP conflict probe', {
          error: describeError(err),
        });
        this.#schedule(this.#o.intervalMs);
      });
    }, ms);
  }

  async #tick(): Promise<void> {
    if (this.#stopped || this.#inFlight !== undefined) return;
    if (!this.#o.holdsVip()) {
      this.#result = undefined;
      this.#schedule(Math.min(HOLD_CHECK_MS, this.#o.intervalMs));
      return;
    }
    const started = performance.now();
    const r = await this.#probe();
    if (this.#stopped) return;
    this.#result = this.#o.holdsVip() ? r : undefined;
    this.#log(r);
    this.#schedule(Math.max(0, this.#o.intervalMs - (performance.now() - started)));
  }

  async #probe(): Promise<ProbeResult> {
    const { vip } = this.#o;
    if (vip.includes(':')) {
      return { state: 'unknown', reason: 'IPv6 VIP: arping (ARP) is IPv4 only' };
    }
    const iface = this.#o.vipInterface();
    if (iface === undefined) return { state: 'unknown', reason: 'no interface holds the VIP' };
    this.probes++;
    const run = (this.#o.run ?? runArping)(this.#o.arping, iface, vip, this.#o.killMs);
    this.#inFlight = run;
    try {
      return await run.result;
    } finally {
      this.#inFlight = undefined;
    }
  }

  #log(r: ProbeResult): void {
    const log = this.#o.logOnce;
    if (log === undefined) return;
    const fields = { cluster: this.#o.cluster, vip: this.#o.vip };
    if (r.state === 'unknown') {
      log.fail(
        'vip conflict probe',
        r.reason,
        'cannot probe the VIP for a conflict (arping -D): patrol_ha_vip_conflict is unknown; it needs arping (iputils-arping) and CAP_NET_RAW (deploy/patrol.service.d/vip-conflict.conf)',
        { ...fields, arping: this.#o.arping, reason: r.reason },
      );
    } else {
      log.recover('vip conflict probe', 'the VIP conflict probe runs again', fields);
    }
    if (r.state === 'conflict') {
      log.fail(
        'vip conflict',
        r.macs.join(','),
        'another machine answers ARP for the VIP this node holds (IP conflict)',
        { ...fields, macs: r.macs.join(',') },
        'error',
      );
    } else if (r.state === 'none') {
      log.recover('vip conflict', 'no other machine answers ARP for the VIP any more', fields);
    }
  }

  /** The last answer, while this node holds the VIP; nothing before the first one. */
  collect(sink: MetricSink): void {
    const r = this.#result;
    if (r === undefined || !this.#o.holdsVip()) return;
    const labels = { cluster: this.#o.cluster, vip: this.#o.vip };
    const state: VipConflictState = r.state;
    addStateSet(sink, f.vipConflict, labels, state);
    if (r.state === 'conflict') {
      for (const mac of r.macs) addInfo(sink, f.vipConflictMac, { ...labels, mac });
    }
  }
}
