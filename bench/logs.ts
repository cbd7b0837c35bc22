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
 *
 * The code is in bench/logs/: main.ts runs the parts in order; shapes.ts and mix.ts generate the
 * lines, patterns.ts holds GREP_PATTERN and MTAIL_PROGRAM, children.ts runs patrol, grep and
 * mtail, exporter.ts the exporter as deployed, follow.ts and writer.ts (the writer child) the
 * following part, profile.ts reads `--profile`'s output, options.ts has the goals and options.
 */
import { main } from './logs/main.ts';

await main();
