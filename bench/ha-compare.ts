/**
 * The HA collector's divergence compare (issue 6, "How fast": a dataset of 100,000 files compared
 * every minute costs at most 5% of one core on each side in steady state), against
 * `rsync -an --delete --itemize-changes`, what an operator runs by hand to check two copies.
 *
 *   node bench/ha-compare.ts [--files=100000] [--dirs=1000] [--interval=15] [--compares=4]
 *                            [--warmup=1] [--touch=10] [--mirror-delay=1] [--passes=3]
 *
 * 1. The dataset: `files` small files (0 to 2 KiB) in `dirs` leaf directories three levels deep
 *    (10 x 10 x 10 for 1,000), written under os.tmpdir() (the repository's parent directory when
 *    that is a tmpfs: the walk must stat a real disk), and the standby's copy made with `cp -a`
 *    (nanosecond mtimes kept). Both are deleted at the end.
 * 2. The peers, while nothing else of this benchmark runs: `rsync -an --delete --itemize-changes
 *    primary/ standby/` (a dry run; its sender, generator and receiver processes all count) and,
 *    as a floor, `find DIR -printf '%P %s %T@\n'` over each copy (one walk of each side, which
 *    is what a compare must at least do). Each once untimed, then `passes` times through
 *    /usr/bin/time; the medians of their CPU time (user + system) are compared. rsync must list
 *    no difference.
 * 3. patrol: two exporters as deployed (dist/main.js, bench/lib/peers.ts), every collector off
 *    but `ha`: the primary (role static primary) and the standby (static standby), peers of each
 *    other on loopback ports, a shared secret_file, one dataset each (its own copy) with
 *    `compare.interval` = `interval` s and every other setting at its default (heartbeat and
 *    canary every 5 s, max_entries_per_second 50,000: a walk of 100,000 files spreads over about
 *    2 s). The default interval here is 15 s rather than shorter because the walker thread ends
 *    after 10 s idle: at 15 s, as at the default 1 minute, every compare starts a new one. The
 *    primary starts first; once its first walk is done the standby starts, so that its first
 *    compare has a primary to compare with.
 * 4. Steady state: every `interval` s the benchmark changes `touch` files on the primary (a line
 *    appended, in `touch` different directories) and `mirror-delay` s later copies them (and
 *    the primary's canary) to the standby with `cp -a --parents`, like a mirror with a delay.
 *    After `warmup` compares in that state, each exporter's CPU time is measured over exactly
 *    `compares` of its compare cycles (the standby: walk, manifest fetch, entries of the
 *    directories that differ, diff; the primary: its walk, and serving the standby).
 *
 * How CPU is measured: utime + stime of the exporter process from /proc/<pid>/stat (every
 * thread of the process, the walker thread's included, also after it ended), sampled every
 * 100 ms by this process, which costs the exporters nothing (no scrape during a window). CPU
 * time, not wall time: the machine is shared, and other processes landing on the same cores
 * stretch wall time, not this. A sample is "active" when the exporter used >= 50 ms of CPU in
 * the 500 ms up to it; a run of active samples lasting >= 1 s is a walk (the budget makes a walk
 * of 100,000 files last about 2 s). A window starts when both exporters have been quiet for 3 s
 * and ends, for each exporter, 3 s after its `compares`-th walk. Per side, subtracting nothing
 * (every tick of the window is one or the other):
 *   - CPU per compare = the CPU of the window's active samples / compares (the standby: walk,
 *     manifest, listings, diff; the primary: its walk, and serving the standby when that is
 *     busy enough to be active);
 *   - background = the CPU of the other samples per second (heartbeats, canary, a walker
 *     thread ending, smaller requests from the peer);
 *   - at the default interval of 1 minute: (CPU per compare + (60 s - a compare's active
 *     seconds) x background) / 60 s, as % of one core. Goal: <= 5% on each side.
 * The ratio printed is patrol's CPU per compare, both sides summed, over rsync's. For
 * context, patrol's walk function (walkDataset) over both copies in this process (JIT warm, no
 * budget, no worker thread), `passes` times after an untimed one.
 *
 * Also printed: the first ("cold": JIT and a new worker, page cache warm from writing the tree)
 * compare of each side, start-up included, and the first walker thread's own CPU; the walk
 * durations against the budget; the walker threads started in the window and their CPU (from
 * /proc/<pid>/task/<tid>/stat, thread name "patrol-ha-manif"); VmHWM and VmRSS of each
 * exporter at the end. Before any figure is printed the benchmark asserts, from the exporters'
 * /metrics, that the standby compared during the window, both walked `files` files, nothing is
 * out of sync, missing or extra, and no compare failed (otherwise it throws: a broken run never
 * prints figures).
 *
 * Needs rsync and /usr/bin/time (Debian packages rsync and time), and about 1 GiB free on the
 * disk: each copy takes a 4 KiB block per file. Walks must last over a second to be told apart
 * from the rest: at least 50,000 files at the default budget.
 *
 * The code is in bench/ha-compare/: main.ts runs the parts in order; dataset.ts writes the tree,
 * peers.ts measures rsync, find and walkDataset, exporters.ts configures and scrapes patrol,
 * cpu.ts samples /proc, report.ts checks the run and prints the figures, options.ts has the goal
 * and options.
 */
import { main } from './ha-compare/main.ts';

await main();
