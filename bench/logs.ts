/**
 * The log collector (issue 5, "How fast"): single-core throughput of patrol's syslog preset on a
 * generated file against mtail and grep, patrol's resident memory, and the CPU it costs to follow
 * 20 files written at 10,000 lines/s.
 *
 *   node bench/logs.ts [--size=1GiB] [--passes=3] [--seed=1] [--skip-mtail] [--skip-follow]
 *                      [--follow-seconds=20] [--follow-warmup=5] [--follow-rate=10000]
 *                      [--follow-files=20] [--follow-batch-ms=10] [--profile]
 *
 * 1. Throughput. A file of `size` bytes (1 GiB by default; the issue's figures are for 1 GiB) is
 *    generated in a temporary directory under os.tmpdir() from a seeded mix of line shapes:
 *    syslog with traditional and RFC 3339 timestamps (systemd, sshd, kernel, etcd, containerd,
 *    dnsmasq...; some with error or warning keywords, some with the usual false friends:
 *    errors=remount-ro, failover, fail2ban, nofail), kubelet and kube-proxy klog lines after the
 *    syslog prefix as journald writes them into /var/log/messages, raw klog lines, and nginx
 *    error-log lines. Every shape has its level under the syslog preset written next to it, so
 *    the generator knows the expected count per level. Then, each pinned to CPU 0 with
 *    `taskset -c 0`:
 *    - patrol: a child `node` running the built JavaScript (dist/, as deployed: no type stripper
 *      in the process) with the Tailer and one source {format: syslog, start_at: beginning},
 *      polled until nothing is left; it reports its read time, its counts per level and its
 *      peak RSS (process.resourceUsage().maxRSS). Once more with the real collector (worker
 *      thread, snapshots over postMessage) for its peak RSS and time.
 *    - patrol as deployed, for memory (not pinned): dist/main.js with its default collectors
 *      and a logs source whose glob first matches one empty file; VmRSS idle, then the big file
 *      is hard-linked into the glob and VmHWM is read once it is counted. Also the same exporter
 *      without the log collector, idle, to tell what the collector adds.
 *    - grep: `LC_ALL=C grep -c -E <pattern>`, the pattern selecting what the preset calls an
 *      error or critical line (see GREP_PATTERN); once more in C.UTF-8 for context (the locale
 *      trap: several times slower).
 *    - mtail: `mtail --one_shot --one_shot_format json` with MTAIL_PROGRAM, the syslog preset
 *      written in mtail's language (Go RE2), counting every level.
 *    The counts are checked before any time is compared: patrol = expected per level, mtail =
 *    patrol per level, grep = patrol's error + critical plus the klog I and W lines that contain
 *    an error word (grep -E cannot say "unless the klog letter is I or W"; the generator counts
 *    those lines). patrol and grep run `passes` times, alternately, after an untimed warm-up;
 *    the medians are compared. mtail runs once. What is compared is the CPU time (user +
 *    system, from /usr/bin/time; wall time when there is none) of the whole command: for patrol,
 *    Node's start-up and module loading are included (its read time alone is printed too).
 *    Wall times are printed as well; on a quiet machine they are the same, on a shared one
 *    other processes landing on CPU 0 inflate them. Goals: mtail's time >= 20 x patrol's, patrol's <= 3 x grep's, the exporter's peak
 *    RSS <= 100 MiB.
 * 2. Following. `follow-files` files in a temporary directory, a writer child process appending
 *    `follow-rate` lines/s in total (to each file every `follow-batch-ms`), the real collector
 *    (createLogsCollector: its worker thread, default intervals) following them from this
 *    process, which does nothing else. After `follow-warmup` s, process.cpuUsage() (all threads
 *    of this process, the worker's included; the writer is another process) is read over
 *    `follow-seconds` s and given as % of one core. When the writer stops, the collector must
 *    count exactly the lines written, per level (if not, the exit code is 1). Goal: <= 5% of
 *    one core.
 *
 * `--profile` also runs the patrol child once under `node --cpu-prof` and prints the functions
 * with the most self time. Needs mtail (`apt-get install mtail`; `--skip-mtail` leaves it out)
 * and taskset (util-linux).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { logsConfig } from '../src/collectors/logs/config.ts';
import { createLogsCollector } from '../src/collectors/logs/index.ts';
import { LEVELS, type Level } from '../src/collectors/logs/metrics.ts';
import { createLogger } from '../src/core/logger.ts';
import {
  flag,
  fmt,
  get,
  median,
  NODE,
  residentKiB,
  ROOT,
  startPatrol,
  statusKiB,
} from './lib/peers.ts';

const GOAL_MTAIL_FACTOR = 20;
const GOAL_GREP_FACTOR = 3;
const GOAL_RSS_MIB = 100;
const GOAL_FOLLOW_PCT = 5;
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const SELF = fileURLToPath(import.meta.url);
const DIST = join(ROOT, 'dist');

/** `--name=value` as a string, or the default. */
function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  const arg = process.argv.slice(2).find((a) => a.startsWith(prefix));
  return arg === undefined ? fallback : arg.slice(prefix.length);
}

/** 1GiB, 100MiB, 512KiB, 1e9, 1000000 (bytes). */
function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)\s*(B|KiB|MiB|GiB|KB|MB|GB)?$/i.exec(text.trim());
  if (m === null) throw new Error(`bad --size=${text} (e.g. 1GiB, 100MiB, 1e9)`);
  const units: Record<string, number> = {
    b: 1,
    kib: 1024,
    mib: MiB,
    gib: GiB,
    kb: 1e3,
    mb: 1e6,
    gb: 1e9,
  };
  return Math.round(Number(m[1]) * (units[(m[2] ?? 'b').toLowerCase()] ?? 1));
}

const mib = (bytes: number) => bytes / MiB;
const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);
const int = (n: number) => n.toLocaleString('en-US');

// ---- the generated lines ---------------------------------------------------------------------

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HOSTS = ['node-01', 'node-02', 'web-3.example.com', 'db1'];
/** Log time starts here and moves 1 s every LINES_PER_SECOND lines: a 1 GiB file crosses into "Dec  1". */
const START = Date.UTC(2026, 10, 30, 22, 30, 0);
const LINES_PER_SECOND = 1000;

interface Shape {
  readonly weight: number;
  /** The syslog preset's level for this line. */
  readonly level: Level;
  /** Whether GREP_PATTERN selects it: an error word anywhere, or a klog E or F header. */
  readonly grep: boolean;
  readonly make: (g: LineMix) => string;
}

const shape = (
  weight: number,
  level: Level,
  grep: boolean,
  make: (g: LineMix) => string,
): Shape => ({ weight, level, grep, make });

/**
 * Line shapes with the level the syslog preset gives them (presets.ts classifySyslog: a klog
 * header after the first ": " that follows the syslog prefix, or at the start of a line without
 * the prefix, decides; else an error word makes an error, a warning word a warning, the prefix
 * alone info, nothing at all other). Weights are relative (794 in all).
 */
const SHAPES: readonly Shape[] = [
  // syslog, info
  shape(110, 'info', false, (g) =>
    g.syslog(`systemd[1]: Started Session ${g.int(90000)} of User root.`),
  ),
  shape(60, 'info', false, (g) =>
    g.syslog(
      `sshd[${g.pid()}]: Accepted publickey for deploy from 10.${g.int(256)}.${g.int(256)}.${g.int(256)} port ${1024 + g.int(60000)} ssh2: RSA SHA256:q3Xr1bT0wLhk8e2PAzJd9mYcE4sVf7uNn`,
    ),
  ),
  shape(60, 'info', false, (g) =>
    g.syslog(`CROND[${g.pid()}]: (root) CMD (/usr/lib64/sa/sa1 1 1)`),
  ),
  shape(15, 'info', false, (g) =>
    g.syslog(
      'kernel: EXT4-fs (sda1): mounted filesystem with ordered data mode. Opts: errors=remount-ro. Quota mode: none.',
    ),
  ),
  shape(15, 'info', false, (g) =>
    g.syslog(`Keepalived_vrrp[${g.pid()}]: (VI_1) Entering MASTER STATE after failover`),
  ),
  shape(50, 'info', false, (g) =>
    g.syslog(`dnsmasq[${g.pid()}]: query[A] api.example.com from 10.0.${g.int(256)}.${g.int(256)}`),
  ),
  shape(10, 'info', false, (g) => g.syslog(`fail2ban-server[${g.pid()}]: Server ready`)),
  shape(10, 'info', false, (g) =>
    g.syslog(`systemd-fstab-generator[${g.pid()}]: Checking /dev/sdb1 (nofail) for /data`),
  ),
  shape(60, 'info', false, (g) =>
    g.syslog(
      `etcd[${g.pid()}]: {"level":"info","ts":"${g.iso()}","caller":"etcdserver/server.go:1383","msg":"saved snapshot","snapshot-index":${g.int(9000000)}}`,
    ),
  ),
  shape(60, 'info', false, (g) =>
    g.syslog(
      `containerd[${g.pid()}]: time="${g.iso()}" level=info msg="StartContainer for \\"${g.hex()}\\" returns successfully"`,
    ),
  ),
  shape(30, 'info', false, (g) =>
    g.syslog(
      `kernel: IPv4: martian source 10.0.${g.int(256)}.${g.int(256)} from 10.0.${g.int(256)}.${g.int(256)}, on dev eth0`,
    ),
  ),
  // syslog, warning
  shape(15, 'warning', false, (g) =>
    g.syslog(
      `NetworkManager[${g.pid()}]: <warn>  [1795000000.${g.int(10000)}] dhcp4 (eth0): request timed out`,
    ),
  ),
  shape(15, 'warning', false, (g) =>
    g.syslog(
      `etcd[${g.pid()}]: {"level":"warn","ts":"${g.iso()}","caller":"etcdserver/util.go:166","msg":"apply request took too long","took":"${100 + g.int(900)}ms","expected-duration":"100ms"}`,
    ),
  ),
  shape(5, 'warning', false, (g) =>
    g.syslog(
      `kernel: WARNING: CPU: 1 PID: ${g.pid()} at mm/page_alloc.c:4902 __alloc_pages+0x2f1/0x330`,
    ),
  ),
  // syslog, error (keywords)
  shape(3, 'error', true, (g) =>
    g.syslog(
      `kernel: Out of memory: Killed process ${g.pid()} (java) total-vm:${g.int(9000000)}kB, anon-rss:${g.int(9000000)}kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:${g.int(20000)}kB oom_score_adj:0`,
    ),
  ),
  shape(3, 'error', true, (g) =>
    g.syslog(
      `kernel: blk_update_request: I/O error, dev sdb, sector ${g.int(900000000)} op 0x0:(READ) flags 0x0 phys_seg 1 prio class 0`,
    ),
  ),
  shape(8, 'error', true, (g) =>
    g.syslog("systemd[1]: nginx.service: Failed with result 'exit-code'."),
  ),
  shape(2, 'error', true, (g) =>
    g.syslog(
      `kernel: java[${g.pid()}]: segfault at 0 ip 00007f3a1c2b3d4e sp 00007ffd5e6f7a80 error 4 in libjvm.so[7f3a1b000000+1000000]`,
    ),
  ),
  shape(2, 'error', true, (g) => g.syslog('kernel: Call Trace:')),
  shape(8, 'error', true, (g) =>
    g.syslog(
      `coredns[${g.pid()}]: [ERROR] plugin/errors: 2 api.example.com. A: read udp 10.0.0.1:${1024 + g.int(60000)}->10.0.0.2:53: i/o timeout`,
    ),
  ),
  shape(8, 'error', true, (g) =>
    g.syslog(
      `containerd[${g.pid()}]: time="${g.iso()}" level=error msg="failed to handle container TaskExit event" error="context deadline exceeded"`,
    ),
  ),
  shape(6, 'error', true, (g) =>
    g.syslog(
      `etcd[${g.pid()}]: {"level":"error","ts":"${g.iso()}","caller":"rafthttp/peer.go:267","msg":"failed to send out heartbeat on time","heartbeat-interval":"100ms"}`,
    ),
  ),
  shape(3, 'error', true, (g) =>
    g.syslog(
      `NetworkManager[${g.pid()}]: <warn>  [1795000000.${g.int(10000)}] device (eth1): Activation: failed for connection 'eth1'`,
    ),
  ),
  // klog after the syslog prefix (kubelet and kube-proxy through journald)
  shape(100, 'info', false, (g) =>
    g.syslog(
      `kubelet[${g.kubelet}]: ${g.klog('I', g.kubelet)} kubelet.go:2419] "SyncLoop (probe)" probe="readiness" status="ready" pod="kube-system/coredns-5d78c9869d-${g.hex().slice(0, 5)}"`,
    ),
  ),
  shape(20, 'info', true, (g) =>
    g.syslog(
      `kubelet[${g.kubelet}]: ${g.klog('I', g.kubelet)} kuberuntime_manager.go:1012] "Failed to stop sandbox, retrying" podSandboxID="${g.hex()}"`,
    ),
  ),
  shape(20, 'warning', true, (g) =>
    g.syslog(
      `kubelet[${g.kubelet}]: ${g.klog('W', g.kubelet)} reflector.go:424] k8s.io/client-go/informers/factory.go:150: failed to list *v1.ConfigMap: configmaps "app-config" is forbidden`,
    ),
  ),
  shape(15, 'error', true, (g) =>
    g.syslog(
      `kubelet[${g.kubelet}]: ${g.klog('E', g.kubelet)} pod_workers.go:1298] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"app\\" with CrashLoopBackOff" pod="default/app-${g.int(100)}"`,
    ),
  ),
  shape(5, 'error', true, (g) =>
    g.syslog(
      `kubelet[${g.kubelet}]: ${g.klog('E', g.kubelet)} kubelet_node_status.go:540] "Unable to update node status" err="Timeout: request did not complete within requested timeout"`,
    ),
  ),
  shape(1, 'critical', true, (g) =>
    g.syslog(
      `kubelet[${g.kubelet}]: ${g.klog('F', g.kubelet)} server.go:269] "Failed to run kubelet" err="invalid configuration"`,
    ),
  ),
  shape(40, 'info', false, (g) =>
    g.syslog(
      `kube-proxy[${g.kubelet + 7}]: ${g.klog('I', g.kubelet + 7)} proxier.go:853] "Syncing iptables rules" ipFamily="IPv4"`,
    ),
  ),
  // raw klog (a kube-* container log read with the syslog preset)
  shape(
    50,
    'info',
    false,
    (g) =>
      `${g.klog('I', 1)} leaderelection.go:258] successfully acquired lease kube-system/kube-scheduler`,
  ),
  shape(
    15,
    'warning',
    false,
    (g) =>
      `${g.klog('W', 1)} warnings.go:70] metadata.name: this is used in Pod names and hostnames`,
  ),
  shape(
    10,
    'error',
    true,
    (g) =>
      `${g.klog('E', 1)} reflector.go:138] k8s.io/client-go/informers/factory.go:150: Failed to watch *v1.Pod: failed to list *v1.Pod: Unauthorized`,
  ),
  shape(
    10,
    'info',
    true,
    (g) =>
      `${g.klog('I', 1)} leaderelection.go:352] "Failed to update lock, retrying" err="etcdserver: request timed out"`,
  ),
  shape(
    1,
    'critical',
    true,
    (g) =>
      `${g.klog('F', 1)} server.go:213] failed to start: listen tcp :10259: bind: address already in use`,
  ),
  // nginx error log
  shape(25, 'error', true, (g) => {
    const n = g.int(900000);
    return `${g.nginx} [error] 1234#1234: *${n} connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.${g.int(256)}.${g.int(256)}, server: api.example.com, request: "GET /v1/items/${n} HTTP/1.1", upstream: "http://10.0.1.7:8080/v1/items/${n}", host: "api.example.com"`;
  }),
  shape(
    15,
    'error',
    true,
    (g) =>
      `${g.nginx} [error] 1234#1234: *${g.int(900000)} open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory), client: 10.0.${g.int(256)}.${g.int(256)}, server: www.example.com, request: "GET /favicon.ico HTTP/1.1", host: "www.example.com"`,
  ),
  shape(
    25,
    'warning',
    false,
    (g) =>
      `${g.nginx} [warn] 1234#1234: *${g.int(900000)} an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/1/00/${g.int(9000000)} while reading upstream, client: 10.0.${g.int(256)}.${g.int(256)}, server: api.example.com, request: "GET /v1/export HTTP/1.1"`,
  ),
  shape(10, 'other', false, (g) => `${g.nginx} [notice] 1234#1234: signal process started`),
  shape(
    3,
    'error',
    true,
    (g) =>
      `${g.nginx} [crit] 1234#1234: *${g.int(900000)} SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: 10.0.${g.int(256)}.${g.int(256)}, server: 0.0.0.0:443`,
  ),
  shape(
    2,
    'other',
    false,
    (g) => `${g.nginx} [alert] 1234#1234: worker process ${g.pid()} exited on signal 9`,
  ),
  shape(
    1,
    'error',
    true,
    (g) => `${g.nginx} [emerg] 1234#1234: bind() to 0.0.0.0:80 failed (98: Address already in use)`,
  ),
];

/** Deterministic lines (mulberry32 from `seed`) and the counts the syslog preset must find in them. */
class LineMix {
  /** Expected lines per level, in LEVELS order. */
  readonly levels: number[] = LEVELS.map(() => 0);
  /** Lines GREP_PATTERN selects. */
  grepSelected = 0;
  /** klog I and W lines with an error word: grep selects them, the preset goes by the letter. */
  klogQuiet = 0;
  lines = 0;
  readonly kubelet: number;
  nginx = '';
  #state: number;
  #pick: Shape[] = [];
  #second = -1;
  #traditional = '';
  #rfc = '';
  #klog = '';

  constructor(seed: number) {
    this.#state = seed >>> 0;
    for (const s of SHAPES) for (let i = 0; i < s.weight; i++) this.#pick.push(s);
    this.kubelet = 700 + this.int(300);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  }

  pid(): number {
    return 300 + this.int(60000);
  }

  hex(): string {
    return (
      (0x10000000 + this.int(0xefffffff)).toString(16) +
      (0x10000000 + this.int(0xefffffff)).toString(16)
    );
  }

  #micros(): string {
    return String(1_000_000 + this.int(1_000_000)).slice(1);
  }

  /** RFC 3339 time with microseconds (inside messages). */
  iso(): string {
    return `${this.#rfc}.${this.#micros()}Z`;
  }

  /** A syslog line: traditional or RFC 3339 prefix, host, then `msg` (which starts with the tag). */
  syslog(msg: string): string {
    const host = HOSTS[this.int(HOSTS.length)] ?? 'node-01';
    return this.int(2) === 0
      ? `${this.#traditional} ${host} ${msg}`
      : `${this.#rfc}.${this.#micros()}+00:00 ${host} ${msg}`;
  }

  /** A klog header up to the file name: `Lmmdd hh:mm:ss.uuuuuu threadid`, the id padded to 7. */
  klog(letter: string, thread: number): string {
    return `${letter}${this.#klog}.${this.#micros()} ${String(thread).padStart(7)}`;
  }

  #clock(): void {
    const second = Math.floor(this.lines / LINES_PER_SECOND);
    if (second === this.#second) return;
    this.#second = second;
    const d = new Date(START + second * 1000);
    const p2 = (n: number) => String(n).padStart(2, '0');
    const time = `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
    const month = d.getUTCMonth();
    const day = d.getUTCDate();
    const ymd = [String(d.getUTCFullYear()), p2(month + 1), p2(day)];
    this.#traditional = `${MONTHS[month] ?? 'Jan'} ${String(day).padStart(2)} ${time}`;
    this.#rfc = `${ymd.join('-')}T${time}`;
    this.#klog = `${p2(month + 1)}${p2(day)} ${time}`;
    this.nginx = `${ymd.join('/')} ${time}`;
  }

  next(): string {
    this.#clock();
    const picked = this.#pick[this.int(this.#pick.length)];
    if (picked === undefined) throw new Error('no line shape');
    const line = picked.make(this);
    this.lines++;
    const i = LEVELS.indexOf(picked.level);
    this.levels[i] = (this.levels[i] ?? 0) + 1;
    if (picked.grep) {
      this.grepSelected++;
      if (picked.level !== 'error' && picked.level !== 'critical') this.klogQuiet++;
    }
    return line;
  }
}

/** Writes about `size` bytes of lines (whole lines: a little more) with large writes. */
function generate(path: string, size: number, seed: number): { mix: LineMix; bytes: number } {
  const mix = new LineMix(seed);
  const fd = openSync(path, 'w');
  const buf = Buffer.allocUnsafe(8 * MiB);
  let bytes = 0;
  let used = 0;
  try {
    while (bytes + used < size) {
      const line = mix.next();
      if (used + line.length + 1 > buf.length) {
        bytes += writeSync(fd, buf, 0, used);
        used = 0;
      }
      used += buf.write(line, used, 'latin1');
      buf[used++] = 0x0a;
    }
    bytes += writeSync(fd, buf, 0, used);
  } finally {
    closeSync(fd);
  }
  return { mix, bytes };
}

// ---- the peers' patterns ---------------------------------------------------------------------

// The syslog preset's regexes (presets.ts) rewritten for RE2 (mtail) and POSIX ERE (grep), for
// ASCII text (which the generated file is). JavaScript's `errors?(?!=)\b` has no lookahead in
// RE2 or ERE: "error(s) followed by neither a word character nor =, or at the end" is the same.
// `first ": " after the prefix` is `X: ` with X holding no ": " (it may end in colons).
const RE2_PREFIX =
  '(?:[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d)) \\S+ ';
const RE2_UP_TO_TAG_END = '(?:[^:]|:+[^: ])*:*: ';
const RE2_KLOG_REST = '\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{6} +\\d+ [^\\]]+\\] ';
const RE2_ERROR_WORDS =
  '(?i)\\b(?:errors?(?:[^0-9A-Za-z_=]|$)|(?:fail(?:s|ed|ing|ures?)?|fatal|panic(?:s|ked|king)?|segfaults?|out of memory|call trace)\\b)';
const RE2_WARNING_WORDS = '(?i)\\bwarn(?:s|ed|ings?)?\\b';

/** patrol's syslog preset in mtail's language: every level, each line counted once (else chains). */
const MTAIL_PROGRAM = `# patrol's syslog preset (src/collectors/logs/presets.ts, classifySyslog), for bench/logs.ts.
counter log_lines_total by level

# A klog header after the first ": " that follows the syslog prefix, or at the start of a line.
/^(?:${RE2_PREFIX}${RE2_UP_TO_TAG_END})?(?P<klog>[IWEF])${RE2_KLOG_REST}/ {
  $klog == "F" {
    log_lines_total["critical"]++
  }
  $klog == "E" {
    log_lines_total["error"]++
  }
  $klog == "W" {
    log_lines_total["warning"]++
  }
  $klog == "I" {
    log_lines_total["info"]++
  }
} else {
  /${RE2_ERROR_WORDS}/ {
    log_lines_total["error"]++
  } else {
    /${RE2_WARNING_WORDS}/ {
      log_lines_total["warning"]++
    } else {
      /^${RE2_PREFIX}/ {
        log_lines_total["info"]++
      } else {
        log_lines_total["other"]++
      }
    }
  }
}
`;

/** Each letter as [Xx]: case-insensitive words without -i, so the klog letters stay upper case. */
const anyCase = (s: string) =>
  s.replace(/[a-z]/gi, (c) => `[${c.toUpperCase()}${c.toLowerCase()}]`);
const ERE_PREFIX =
  '([A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:?[0-9]{2})) [^[:space:]]+ ';
const ERE_KLOG_ERROR = '[EF][0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6} +[0-9]+ [^]]+\\] ';
const ERE_ERROR_WORDS = `\\b(${anyCase('error')}(${anyCase('s')})?([^[:alnum:]_=]|$)|(${anyCase('fail')}(${anyCase('s')}|${anyCase('ed')}|${anyCase('ing')}|${anyCase('ure')}(${anyCase('s')})?)?|${anyCase('fatal')}|${anyCase('panic')}(${anyCase('s')}|${anyCase('ked')}|${anyCase('king')})?|${anyCase('segfault')}(${anyCase('s')})?|${anyCase('out of memory')}|${anyCase('call trace')})\\b)`;
/**
 * Lines the syslog preset calls error or critical, as far as one ERE can tell: a klog E or F
 * header where the preset looks for one, or an error word anywhere. It also selects klog I and W
 * lines that contain an error word (the preset goes by their letter), which the check accounts for.
 */
const GREP_PATTERN = `^(${ERE_PREFIX}([^:]|:+[^: ])*:*: )?${ERE_KLOG_ERROR}|${ERE_ERROR_WORDS}`;

// ---- child processes -------------------------------------------------------------------------

const children = new Set<ChildProcess>();
let workDir: string | undefined;
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak RSS in KiB and user + system CPU time in ms, from /usr/bin/time when there is one. */
  maxRssKiB: number | undefined;
  cpuMs: number | undefined;
}

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
/**
 * What throughput compares: CPU time (user + system, from /usr/bin/time) when there is one, which
 * other processes landing on CPU 0 of a shared machine do not inflate; else wall time.
 */
const cost = (r: { ms: number; cpuMs: number | undefined }) =>
  // /usr/bin/time counts in 10 ms steps: a tiny --size can give 0, then wall time it is.
  r.cpuMs === undefined || r.cpuMs === 0 ? r.ms : r.cpuMs;
const basis = TIME === undefined ? 'wall time' : 'CPU time';
const RUSAGE_MARK = 'patrol-bench-rusage';

/**
 * Runs `argv` pinned to CPU 0 (unless `pin` is false) through /usr/bin/time for its peak RSS and
 * CPU time, timing it from spawn to exit.
 */
function timed(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  pin = true,
): Promise<Ran> {
  const [command = '', ...args] = [
    ...(pin ? ['taskset', '-c', '0'] : []),
    ...(TIME === undefined ? [] : [TIME, '-f', `${RUSAGE_MARK} %M %U %S`]),
    ...argv,
  ];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 1_000_000) stderr += d;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = performance.now() - started;
      children.delete(child);
      const m = new RegExp(`^${RUSAGE_MARK} (\\d+) ([\\d.]+) ([\\d.]+)$`, 'm').exec(stderr);
      resolve({
        code,
        stdout,
        stderr: stderr.replace(new RegExp(`^${RUSAGE_MARK} .*\\n?`, 'm'), ''),
        ms,
        maxRssKiB: m?.[1] === undefined ? undefined : Number(m[1]),
        cpuMs: m === null ? undefined : (Number(m[2]) + Number(m[3])) * 1000,
      });
    });
  });
}

/**
 * The patrol child: plain JavaScript from dist/ (a .ts entry would keep Node's type stripper
 * resident, ~25 MiB), with runtime.js first as dist/main.js has it, written to the temporary
 * directory as a .mjs file (not `node -e`: a worker thread inherits the parent's execArgv, and
 * `--input-type` fails there). Modes: `tailer` (the Tailer, polled until nothing is left) and
 * `collector` (createLogsCollector: its worker thread).
 */
const PATROL_CHILD = `
const [mode, file, size, dist] = process.argv.slice(2);
const url = (p) => new URL(p, dist).href;
await import(url('runtime.js'));
const { logsConfig } = await import(url('collectors/logs/config.js'));
await import(url(mode === 'tailer' ? 'collectors/logs/tailer.js' : 'collectors/logs/index.js'));
const startRssKiB = process.memoryUsage().rss / 1024;
const config = logsConfig.parse({
  sources: [{ name: 'bench', paths: [file], format: 'syslog', start_at: 'beginning' }],
});
const logs = [];
let snap;
let started;
if (mode === 'tailer') {
  const { Tailer } = await import(url('collectors/logs/tailer.js'));
  const tailer = new Tailer({ config, positionsPath: undefined, log: (level, msg, fields) => logs.push({ level, msg, fields }) });
  started = performance.now();
  tailer.start();
  while (tailer.poll());
  snap = tailer.snapshot();
  tailer.close();
} else {
  const { createLogsCollector } = await import(url('collectors/logs/index.js'));
  const { createLogger } = await import(url('core/logger.js'));
  const logger = createLogger({ level: 'info', format: 'json', write: (l) => logs.push(JSON.parse(l)) });
  const collector = createLogsCollector(config, { logger }, { positionsPath: null });
  started = performance.now();
  await collector.start();
  for (;;) {
    snap = await collector.snapshot();
    const s = snap.sources[0];
    if (s.readBytes >= Number(size) && s.lagBytes === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  await collector.stop();
}
const readMs = performance.now() - started;
const s = snap.sources[0];
process.stdout.write(JSON.stringify({ readMs, lines: s.lines, readBytes: s.readBytes, startRssKiB, maxRssKiB: process.resourceUsage().maxRSS, logs }) + '\\n');
`;

interface PatrolRun {
  ms: number;
  cpuMs: number | undefined;
  readMs: number;
  /** RSS with the modules loaded, before reading. */
  startRssKiB: number;
  lines: number[];
  readBytes: number;
  maxRssKiB: number;
}

async function patrol(
  mode: 'tailer' | 'collector',
  file: string,
  size: number,
  nodeFlags: readonly string[] = [],
  pin = true,
): Promise<PatrolRun> {
  const script = join(workDir ?? tmpdir(), 'patrol-child.mjs');
  if (!existsSync(script)) writeFileSync(script, PATROL_CHILD);
  const r = await timed(
    [NODE, ...nodeFlags, script, mode, file, String(size), `${pathToFileURL(DIST).href}/`],
    process.env,
    pin,
  );
  if (r.code !== 0) throw new Error(`patrol (${mode}) exited ${r.code}:\n${r.stderr}`);
  const out = JSON.parse(r.stdout) as Omit<PatrolRun, 'ms' | 'cpuMs'> & { logs: unknown[] };
  if (out.logs.length > 0) {
    process.stdout.write(`patrol (${mode}) logged: ${JSON.stringify(out.logs).slice(0, 2000)}\n`);
  }
  return {
    ms: r.ms,
    cpuMs: r.cpuMs,
    readMs: out.readMs,
    startRssKiB: out.startRssKiB,
    lines: out.lines,
    readBytes: out.readBytes,
    maxRssKiB: out.maxRssKiB,
  };
}

async function grep(
  file: string,
  locale: string,
): Promise<{ ms: number; cpuMs: number | undefined; count: number }> {
  const r = await timed(['grep', '-c', '-E', GREP_PATTERN, file], {
    ...process.env,
    LC_ALL: locale,
  });
  if (r.code !== 0 && r.code !== 1) throw new Error(`grep exited ${r.code}: ${r.stderr}`);
  if (r.stderr.trim() !== '') process.stdout.write(`grep (${locale}) said: ${r.stderr.trim()}\n`);
  return { ms: r.ms, cpuMs: r.cpuMs, count: Number(r.stdout.trim()) };
}

interface MtailMetric {
  Name: string;
  LabelValues?: { Labels?: string[]; Value?: { Value?: number } }[];
}

async function mtail(
  file: string,
  progs: string,
): Promise<{
  ms: number;
  cpuMs: number | undefined;
  lines: number[];
  maxRssKiB: number | undefined;
}> {
  const r = await timed([
    'mtail',
    '--one_shot',
    '--one_shot_format',
    'json',
    '--progs',
    progs,
    '--logs',
    file,
    '--logtostderr',
    '--port',
    '0',
  ]);
  if (r.code !== 0) throw new Error(`mtail exited ${r.code}:\n${r.stderr.slice(-4000)}`);
  let parsed: Record<string, MtailMetric[]>;
  try {
    parsed = JSON.parse(r.stdout) as Record<string, MtailMetric[]>;
  } catch {
    throw new Error(`mtail printed no JSON:\n${r.stdout.slice(0, 2000)}\n${r.stderr.slice(-4000)}`);
  }
  const lines = LEVELS.map(() => 0);
  for (const m of parsed.log_lines_total ?? []) {
    for (const lv of m.LabelValues ?? []) {
      const i = LEVELS.indexOf((lv.Labels?.[0] ?? '') as Level);
      if (i >= 0) lines[i] = (lines[i] ?? 0) + (lv.Value?.Value ?? 0);
    }
  }
  if (/compile|error/i.test(r.stderr) && lines.every((n) => n === 0)) {
    throw new Error(`mtail counted nothing:\n${r.stderr.slice(-4000)}`);
  }
  return { ms: r.ms, cpuMs: r.cpuMs, lines, maxRssKiB: r.maxRssKiB };
}

interface ExporterRun {
  /** From the file's appearance to the last line counted. */
  ms: number;
  lines: number[];
  /** VmRSS (and its anonymous and file-backed parts) after start-up and a few scrapes, the worker following an empty file. */
  idleKiB: number;
  idleAnonKiB: number;
  idleFileKiB: number;
  rssKiB: number;
  hwmKiB: number;
}

/**
 * The exporter as deployed (dist/main.js through bench/lib/peers.ts startPatrol, not pinned):
 * the embedded default configuration plus one logs source, a glob over a directory holding one
 * empty file (so the log worker thread runs from the start; positions kept in the temporary
 * directory). Once it follows that file and has answered 5 scrapes, its VmRSS is the idle
 * figure; then the big file is hard-linked into the directory (inotify makes the worker look
 * again, and a new file is read from its start) and the exporter is scraped every 250 ms until
 * all of it is counted; then its VmHWM is the peak.
 */
async function exporter(dir: string, file: string, size: number): Promise<ExporterRun> {
  const logDir = join(dir, 'exporter');
  mkdirSync(logDir);
  writeFileSync(join(logDir, 'empty.log'), '');
  const config = join(dir, 'patrol.yml');
  writeFileSync(
    config,
    [
      'collectors:',
      '  logs:',
      `    positions_file: ${JSON.stringify(join(dir, 'positions.json'))}`,
      '    sources:',
      '      - name: bench',
      `        paths: [${JSON.stringify(join(logDir, '*.log'))}]`,
      '        format: syslog',
      '        start_at: beginning',
      '',
    ].join('\n'),
  );
  const running = await startPatrol([`--config.file=${config}`]);
  try {
    const value = (body: string, name: string, level?: string) => {
      const labels = level === undefined ? '' : `,level="${level}"`;
      const line = `${name}{source="bench"${labels}} `;
      const at = body.indexOf(`\n${line}`);
      return at === -1
        ? undefined
        : Number(body.slice(at + line.length + 1, body.indexOf('\n', at + 1)));
    };
    const scrape = async () => (await get(`${running.url}/metrics`, false)).body;
    const ready = performance.now();
    while (value(await scrape(), 'patrol_log_files') !== 1) {
      if (performance.now() - ready > 30_000) {
        throw new Error(
          `the exporter does not follow ${logDir}/empty.log\n${running.proc.describe()}`,
        );
      }
      await sleep(100);
    }
    for (let i = 0; i < 5; i++) {
      await scrape();
      await sleep(200);
    }
    const idle = await residentKiB(running.proc.pid);
    const started = performance.now();
    linkSync(file, join(logDir, 'mixed.log'));
    let body = '';
    for (;;) {
      body = await scrape();
      const read = value(body, 'patrol_log_read_bytes_total');
      if (read !== undefined && read >= size && value(body, 'patrol_log_lag_bytes') === 0) break;
      if (!running.proc.running || performance.now() - started > 120_000) {
        throw new Error(
          `the exporter did not read ${file} (read ${read} bytes)\n${running.proc.describe()}`,
        );
      }
      await sleep(250);
    }
    const ms = performance.now() - started;
    const { status } = await residentKiB(running.proc.pid);
    return {
      ms,
      lines: LEVELS.map((l) => value(body, 'patrol_log_lines_total', l) ?? NaN),
      idleKiB: idle.rssKiB,
      idleAnonKiB: statusKiB(idle.status, 'RssAnon') ?? NaN,
      idleFileKiB: statusKiB(idle.status, 'RssFile') ?? NaN,
      rssKiB: statusKiB(status, 'VmRSS') ?? NaN,
      hwmKiB: statusKiB(status, 'VmHWM') ?? NaN,
    };
  } finally {
    await running.proc.stop();
  }
}

/** The same exporter without the log collector, idle after 5 scrapes: VmRSS and its split, in KiB. */
async function exporterWithoutLogs(
  dir: string,
): Promise<{ rssKiB: number; anonKiB: number; fileKiB: number }> {
  const config = join(dir, 'patrol-nologs.yml');
  writeFileSync(config, 'collectors:\n  logs:\n    enabled: false\n');
  const running = await startPatrol([`--config.file=${config}`]);
  try {
    for (let i = 0; i < 5; i++) {
      await get(`${running.url}/metrics`, false);
      await sleep(200);
    }
    const { rssKiB, status } = await residentKiB(running.proc.pid);
    return {
      rssKiB,
      anonKiB: statusKiB(status, 'RssAnon') ?? NaN,
      fileKiB: statusKiB(status, 'RssFile') ?? NaN,
    };
  } finally {
    await running.proc.stop();
  }
}

/** Self time per function from a .cpuprofile, highest first. */
function profileSummary(path: string, top: number): string[] {
  interface Node {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }
  const p = JSON.parse(readFileSync(path, 'utf8')) as {
    nodes: Node[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i + 1] ?? 0;
    const f = byId.get(id)?.callFrame;
    const key =
      f === undefined
        ? '?'
        : `${f.functionName === '' ? '(anonymous)' : f.functionName} ${f.url === '' ? '' : `${basename(f.url)}:${f.lineNumber + 1}`}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([k, us]) =>
        `${fmt((100 * us) / total, 1).padStart(5)}%  ${fmt(us / 1000, 0).padStart(6)} ms  ${k}`,
    );
}

// ---- following -------------------------------------------------------------------------------

/** The writer child: `rate` lines/s spread over the files, appended every `every` ms, for `seconds`. */
async function writer(): Promise<void> {
  const dir = option('dir', '');
  const files = flag('files', 20);
  const rate = flag('rate', 10_000);
  const seconds = flag('seconds', 25);
  const every = flag('every', 10);
  const mix = new LineMix(flag('seed', 2));
  const fds = Array.from({ length: files }, (_, i) =>
    openSync(join(dir, `f${String(i).padStart(2, '0')}.log`), 'a'),
  );
  const total = Math.round(rate * seconds);
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const parts: string[][] = fds.map(() => []);
  const emit = (upTo: number) => {
    while (mix.lines < upTo) parts[mix.lines % files]?.push(`${mix.next()}\n`);
    parts.forEach((p, i) => {
      if (p.length === 0) return;
      writeSync(fds[i] ?? -1, p.join(''));
      p.length = 0;
    });
  };
  while (mix.lines < total) {
    emit(Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate)));
    await sleep(every);
  }
  for (const fd of fds) closeSync(fd);
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    `${JSON.stringify({ lines: mix.lines, levels: mix.levels, seconds: (performance.now() - started) / 1000, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`,
  );
}

interface FollowResult {
  pct: number;
  idlePct: number;
  writerPct: number;
  written: number;
  counted: number;
  levelsMatch: boolean;
  catchUpMs: number;
}

async function follow(base: string): Promise<FollowResult> {
  const files = flag('follow-files', 20);
  const rate = flag('follow-rate', 10_000);
  const seconds = flag('follow-seconds', 20);
  const warmup = flag('follow-warmup', 5);
  const every = flag('follow-batch-ms', 10);
  const dir = join(base, 'follow');
  mkdirSync(dir);
  for (let i = 0; i < files; i++)
    writeFileSync(join(dir, `f${String(i).padStart(2, '0')}.log`), '');

  // This process idle, for context: what it costs before any collector runs.
  const idle0 = process.cpuUsage();
  const idleT = performance.now();
  await sleep(3000);
  const idleCpu = process.cpuUsage(idle0);
  const idlePct = ((idleCpu.user + idleCpu.system) / 1000 / (performance.now() - idleT)) * 100;

  const logger = createLogger({ level: 'warn', format: 'logfmt' });
  const cfg = logsConfig.parse({
    sources: [
      { name: 'follow', paths: [join(dir, '*.log')], format: 'syslog', start_at: 'beginning' },
    ],
  });
  const collector = createLogsCollector(cfg, { logger }, { positionsPath: null });
  await collector.start();
  try {
    const first = (await collector.snapshot()).sources[0];
    if (first?.files !== files)
      throw new Error(`the collector follows ${first?.files} files, not ${files}`);
    console.log(
      `following: ${files} files in ${dir}, ${int(rate)} lines/s in total from a writer process (appending to each file every ${every} ms), the collector with its defaults (poll_interval ${cfg.poll_interval} ms, rescan_interval ${cfg.rescan_interval} ms); ${warmup} s warm-up, then ${seconds} s measured`,
    );
    const w = spawn(
      NODE,
      [
        SELF,
        '--child=writer',
        `--dir=${dir}`,
        `--files=${files}`,
        `--rate=${rate}`,
        `--seconds=${warmup + seconds + 1}`,
        `--every=${every}`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.add(w);
    let out = '';
    w.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((resolve) => w.once('close', resolve));
    await sleep(warmup * 1000);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - t0;
    const lag = (await collector.snapshot()).sources[0]?.lagBytes ?? 0;
    const code = await exited;
    children.delete(w);
    if (code !== 0) throw new Error(`the writer exited ${code}`);
    const wrote = JSON.parse(out) as {
      lines: number;
      levels: number[];
      seconds: number;
      cpuMs: number;
    };
    const caught = performance.now();
    let counted = 0;
    let levels: number[] = [];
    while (performance.now() - caught < 15_000) {
      const s = (await collector.snapshot()).sources[0];
      levels = s?.lines ?? [];
      counted = levels.reduce((a, b) => a + b, 0);
      if (counted >= wrote.lines && (s?.lagBytes ?? 1) === 0) break;
      await sleep(50);
    }
    const catchUpMs = performance.now() - caught;
    const pct = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
    const writerPct = (wrote.cpuMs / (wrote.seconds * 1000)) * 100;
    const levelsMatch = LEVELS.every((_, i) => levels[i] === wrote.levels[i]);
    // Not a timing: a line lost or counted twice is a bug, whatever the machine.
    if (counted !== wrote.lines || !levelsMatch) process.exitCode = 1;
    console.log(
      `following: CPU of this process (collector and its worker thread) ${fmt(pct, 2)}% of one core over ${fmt(wallMs / 1000, 1)} s (user ${fmt(cpu.user / 1000, 0)} ms, system ${fmt(cpu.system / 1000, 0)} ms); lag at the end of the window ${int(lag)} bytes; this process before the collector started: ${fmt(idlePct, 2)}%; the writer process: ${fmt(writerPct, 1)}% (not counted)`,
    );
    console.log(
      `following: ${int(wrote.lines)} lines written, ${int(counted)} counted ${fmt(catchUpMs, 0)} ms after the writer stopped; per level written ${levelText(wrote.levels)}, counted ${levelText(levels)}${levelsMatch ? ' (equal)' : ' (DIFFERENT)'}`,
    );
    return { pct, idlePct, writerPct, written: wrote.lines, counted, levelsMatch, catchUpMs };
  } finally {
    await collector.stop();
  }
}

function levelText(xs: readonly number[]): string {
  return LEVELS.map((l, i) => `${l} ${int(xs[i] ?? 0)}`).join(', ');
}

// ---- main --------------------------------------------------------------------------------------

function need(cmd: string, args: string[], hint: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) {
    process.stderr.write(`${cmd} is needed: ${hint}\n`);
    process.exit(2);
  }
  return `${r.stdout}${r.stderr}`.split('\n')[0] ?? '';
}

function buildDist(): void {
  const r = spawnSync(
    NODE,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) throw new Error(`tsc -p tsconfig.build.json exited ${r.status}`);
}

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

async function main(): Promise<void> {
  const size = parseSize(option('size', '1GiB'));
  const passes = Math.max(1, flag('passes', 3));
  const seed = flag('seed', 1);
  const skipMtail = process.argv.includes('--skip-mtail');
  const skipFollow = process.argv.includes('--skip-follow');

  need('taskset', ['-V'], 'taskset (util-linux) pins each tool to CPU 0');
  const mtailVersion = skipMtail
    ? undefined
    : need(
        'mtail',
        ['--version'],
        'install it with `apt-get install mtail` (Debian), or pass --skip-mtail',
      );
  const grepVersion = need('grep', ['--version'], 'GNU grep');
  buildDist();

  workDir = mkdtempSync(join(tmpdir(), 'patrol-bench-logs-'));
  const file = join(workDir, 'mixed.log');
  const t = performance.now();
  const { mix, bytes } = generate(file, size, seed);
  console.log(
    `generated ${file}: ${int(bytes)} bytes (${fmt(bytes / GiB, 3)} GiB), ${int(mix.lines)} lines in ${fmt((performance.now() - t) / 1000, 1)} s (seed ${seed}); expected under the syslog preset: ${levelText(mix.levels)}`,
  );
  if (Math.abs(size - GiB) > GiB / 100) {
    console.log(
      `NOTE: the issue's goals are stated for a 1 GiB file; this run reads ${fmt(mib(bytes), 0)} MiB (--size=1GiB is the default).`,
    );
  }
  const expectedErrors =
    (mix.levels[LEVELS.indexOf('error')] ?? 0) + (mix.levels[LEVELS.indexOf('critical')] ?? 0);
  const levelsEqual = (a: readonly number[], b: readonly number[]) =>
    LEVELS.every((_, i) => a[i] === b[i]);

  // ---- throughput: patrol and grep, alternately ----
  console.log(
    `\nthroughput, each command pinned to CPU 0 (taskset -c 0); ${passes} timed passes of patrol and grep after an untimed one, alternating; mtail once; compared: ${basis}`,
  );
  console.log(`grep: ${grepVersion}, LC_ALL=C, grep -c -E '${GREP_PATTERN}'`);
  const checkPatrol = (r: PatrolRun, what: string) => {
    if (!levelsEqual(r.lines, mix.levels) || r.readBytes !== bytes) {
      throw new Error(
        `${what} counted ${levelText(r.lines)} in ${r.readBytes} bytes; expected ${levelText(mix.levels)} in ${bytes}`,
      );
    }
  };
  const checkGrep = (count: number, what: string) => {
    if (count !== mix.grepSelected || count !== expectedErrors + mix.klogQuiet) {
      throw new Error(
        `${what} counted ${count} lines; expected ${mix.grepSelected} (error + critical ${expectedErrors} + klog I/W lines with an error word ${mix.klogQuiet})`,
      );
    }
  };
  const warm = await patrol('tailer', file, bytes);
  checkPatrol(warm, 'patrol');
  const warmGrep = await grep(file, 'C');
  checkGrep(warmGrep.count, 'grep');
  const patrolRuns: PatrolRun[] = [];
  const grepRuns: { ms: number; cpuMs: number | undefined }[] = [];
  for (let i = 0; i < passes; i++) {
    const runPatrol = async () => {
      const r = await patrol('tailer', file, bytes);
      checkPatrol(r, 'patrol');
      patrolRuns.push(r);
    };
    const runGrep = async () => {
      const r = await grep(file, 'C');
      checkGrep(r.count, 'grep');
      grepRuns.push(r);
    };
    if (i % 2 === 0) {
      await runPatrol();
      await runGrep();
    } else {
      await runGrep();
      await runPatrol();
    }
  }
  const seconds = (ms: number | undefined) => (ms === undefined ? '?' : fmt(ms / 1000, 2));
  const times = (runs: readonly { ms: number; cpuMs: number | undefined }[]) =>
    `CPU (user + system) ${runs.map((r) => seconds(r.cpuMs)).join(' ')} s, wall ${runs.map((r) => seconds(r.ms)).join(' ')} s`;
  const patrolMs = median(patrolRuns.map(cost));
  const patrolReadMs = median(patrolRuns.map((r) => r.readMs));
  const patrolRssKiB = Math.max(warm.maxRssKiB, ...patrolRuns.map((r) => r.maxRssKiB));
  const grepMedian = median(grepRuns.map(cost));
  console.log(
    `patrol (Tailer, dist/): ${times(patrolRuns)}; median ${basis} ${seconds(patrolMs)} s (${fmt(mbps(bytes, patrolMs), 0)} MB/s), of which reading ${seconds(patrolReadMs)} s (${fmt(mbps(bytes, patrolReadMs), 0)} MB/s); RSS ${fmt(warm.startRssKiB / 1024, 1)} MiB with the modules loaded, peak ${fmt(patrolRssKiB / 1024, 1)} MiB; counted ${levelText(warm.lines)} (= expected)`,
  );
  console.log(
    `grep (LC_ALL=C): ${times(grepRuns)}; median ${basis} ${seconds(grepMedian)} s (${fmt(mbps(bytes, grepMedian), 0)} MB/s); counted ${int(warmGrep.count)} = patrol's error + critical ${int(expectedErrors)} + ${int(mix.klogQuiet)} klog I/W lines with an error word (info or warning by their letter)`,
  );

  const coll = await patrol('collector', file, bytes);
  checkPatrol(coll, 'patrol (collector)');
  console.log(
    `patrol (createLogsCollector, worker thread): ${times([coll])} (reading ${seconds(coll.readMs)} s, ${fmt(mbps(bytes, coll.readMs), 0)} MB/s); RSS ${fmt(coll.startRssKiB / 1024, 1)} MiB with the modules loaded, peak ${fmt(coll.maxRssKiB / 1024, 1)} MiB (the worker thread's own isolate included); counts equal`,
  );

  const exp = await exporter(workDir, file, bytes);
  if (!levelsEqual(exp.lines, mix.levels)) {
    throw new Error(
      `the exporter counted ${levelText(exp.lines)}; expected ${levelText(mix.levels)}`,
    );
  }
  console.log(
    `patrol exporter (dist/main.js, default collectors + a logs source, not pinned): VmRSS ${fmt(exp.idleKiB / 1024, 1)} MiB idle (anonymous ${fmt(exp.idleAnonKiB / 1024, 1)}, file-backed ${fmt(exp.idleFileKiB / 1024, 1)}; its log worker following an empty file); the file, hard-linked into the source's glob, counted in ${seconds(exp.ms)} s; then VmRSS ${fmt(exp.rssKiB / 1024, 1)} MiB, peak (VmHWM) ${fmt(exp.hwmKiB / 1024, 1)} MiB; counts equal`,
  );
  const bare = await exporterWithoutLogs(workDir);
  console.log(
    `patrol exporter without the log collector (logs: {enabled: false}), idle: VmRSS ${fmt(bare.rssKiB / 1024, 1)} MiB (anonymous ${fmt(bare.anonKiB / 1024, 1)}, file-backed ${fmt(bare.fileKiB / 1024, 1)}): the log collector adds ${fmt((exp.idleKiB - bare.rssKiB) / 1024, 1)} MiB idle and ${fmt((exp.hwmKiB - bare.rssKiB) / 1024, 1)} MiB at its peak`,
  );

  const utf8 = await grep(file, 'C.UTF-8');
  checkGrep(utf8.count, 'grep (C.UTF-8)');
  console.log(`grep (LC_ALL=C.UTF-8, context only: the locale trap): ${times([utf8])}, same count`);

  let mtailMs: number | undefined;
  let mtailRss: number | undefined;
  if (mtailVersion !== undefined) {
    const progs = join(workDir, 'progs');
    mkdirSync(progs);
    writeFileSync(join(progs, 'syslog.mtail'), MTAIL_PROGRAM);
    console.log(
      `mtail: ${mtailVersion}; program ${join(progs, 'syslog.mtail')}:\n${MTAIL_PROGRAM}`,
    );
    const m = await mtail(file, progs);
    if (!levelsEqual(m.lines, mix.levels)) {
      throw new Error(
        `mtail counted ${levelText(m.lines)}; patrol and the generator ${levelText(mix.levels)}`,
      );
    }
    mtailMs = cost(m);
    mtailRss = m.maxRssKiB;
    console.log(
      `mtail (one-shot): ${times([m])} (${fmt(mbps(bytes, cost(m)), 1)} MB/s)${m.maxRssKiB === undefined ? '' : `, peak RSS ${fmt(m.maxRssKiB / 1024, 1)} MiB`}; counted ${levelText(m.lines)} (= patrol)`,
    );
  } else {
    console.log('mtail: skipped (--skip-mtail)');
  }

  if (process.argv.includes('--profile')) {
    const profDir = join(workDir, 'prof');
    mkdirSync(profDir);
    // Not pinned: on one core the profiler's sampling thread only runs when the main thread
    // yields, and the samples pile up in the read() calls (a second of "read" per GiB, where
    // /usr/bin/time shows 0.15 s of system time).
    await patrol('tailer', file, bytes, ['--cpu-prof', `--cpu-prof-dir=${profDir}`], false);
    const prof = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
    if (prof !== undefined) {
      console.log(
        `profile of the patrol child (not pinned; self time, top 20; ${join(profDir, prof)} is deleted at the end):`,
      );
      for (const l of profileSummary(join(profDir, prof), 20)) console.log(`  ${l}`);
    }
  }

  rmSync(file, { force: true });

  let fol: FollowResult | undefined;
  if (!skipFollow) {
    console.log('');
    fol = await follow(workDir);
  }

  // ---- summary ----
  const gib = fmt(bytes / GiB, 2);
  const mtailFactor = mtailMs === undefined ? undefined : mtailMs / patrolMs;
  const grepFactor = patrolMs / grepMedian;
  const rssMiB = Math.max(patrolRssKiB, coll.maxRssKiB, exp.hwmKiB) / 1024;
  const rows: string[][] = [
    ['measure', 'patrol', 'peer', 'ratio', 'goal', 'met?'],
    [
      `throughput vs mtail (${gib} GiB, 1 core, ${basis})`,
      `${fmt(patrolMs / 1000, 2)} s, ${fmt(mbps(bytes, patrolMs), 0)} MB/s`,
      mtailMs === undefined
        ? 'mtail skipped'
        : `mtail ${fmt(mtailMs / 1000, 1)} s, ${fmt(mbps(bytes, mtailMs), 1)} MB/s`,
      mtailFactor === undefined ? '-' : `${fmt(mtailFactor, 1)}x faster`,
      `>= ${GOAL_MTAIL_FACTOR}x faster`,
      mtailFactor === undefined ? '-' : mtailFactor >= GOAL_MTAIL_FACTOR ? 'yes' : 'NO',
    ],
    [
      `throughput vs grep -c -E (${gib} GiB, 1 core, ${basis})`,
      `${fmt(patrolMs / 1000, 2)} s`,
      `grep ${fmt(grepMedian / 1000, 2)} s, ${fmt(mbps(bytes, grepMedian), 0)} MB/s (C locale)`,
      `${fmt(grepFactor, 2)}x grep's time`,
      `<= ${GOAL_GREP_FACTOR}x`,
      grepFactor <= GOAL_GREP_FACTOR ? 'yes' : 'NO',
    ],
    [
      'peak RSS reading the file',
      `Tailer ${fmt(patrolRssKiB / 1024, 1)}, collector ${fmt(coll.maxRssKiB / 1024, 1)}, exporter ${fmt(exp.hwmKiB / 1024, 1)} MiB`,
      mtailRss === undefined ? '-' : `mtail ${fmt(mtailRss / 1024, 1)} MiB`,
      '-',
      `<= ${GOAL_RSS_MIB} MiB`,
      rssMiB <= GOAL_RSS_MIB ? 'yes' : 'NO',
    ],
  ];
  if (fol !== undefined) {
    rows.push([
      `following ${int(flag('follow-rate', 10_000))} lines/s, ${flag('follow-files', 20)} files`,
      `${fmt(fol.pct, 2)}% of one core`,
      '-',
      '-',
      `<= ${GOAL_FOLLOW_PCT}%, every line counted`,
      fol.pct <= GOAL_FOLLOW_PCT && fol.counted === fol.written && fol.levelsMatch ? 'yes' : 'NO',
    ]);
  }
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  const row = (r: string[]) => `| ${r.map((x, c) => x.padEnd(widths[c] ?? 0)).join(' | ')} |`;
  console.log(`\nsummary (${new Date().toISOString()})`);
  console.log(row(rows[0] ?? []));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(row(r));

  const parts = [
    `patrol ${fmt(patrolMs / 1000, 2)} s`,
    mtailFactor === undefined
      ? 'mtail skipped'
      : `mtail ${fmt((mtailMs ?? 0) / 1000, 1)} s (${fmt(mtailFactor, 1)}x, goal >= ${GOAL_MTAIL_FACTOR}x, ${verdict(mtailFactor >= GOAL_MTAIL_FACTOR)})`,
    `grep ${fmt(grepMedian / 1000, 2)} s (${fmt(grepFactor, 2)}x, goal <= ${GOAL_GREP_FACTOR}x, ${verdict(grepFactor <= GOAL_GREP_FACTOR)})`,
    `peak RSS ${fmt(rssMiB, 1)} MiB (exporter; goal <= ${GOAL_RSS_MIB}, ${verdict(rssMiB <= GOAL_RSS_MIB)})`,
  ];
  if (fol !== undefined) {
    parts.push(
      `following ${fmt(fol.pct, 2)}% of a core (goal <= ${GOAL_FOLLOW_PCT}%, ${verdict(fol.pct <= GOAL_FOLLOW_PCT && fol.counted === fol.written && fol.levelsMatch)})`,
    );
  }
  console.log(`logs (${gib} GiB, ${basis}): ${parts.join(', ')}`);
}

if (process.argv[2] === '--child=writer') await writer();
else await main();
