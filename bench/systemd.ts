/**
 * systemd collector with 1,000 loaded units: scrape time of patrol with only the systemd
 * collector against node_exporter's systemd collector scraping the same manager, and proof that
 * a patrol scrape opens no new bus connection.
 *
 *   node bench/systemd.ts [--units=1000] [--rounds=200] [--warmup=10] [--proof-scrapes=100] [--gzip]
 *
 * - A real `systemd --user` (test/harness/systemd.ts: a private mount namespace, its session bus
 *   and private socket under a temporary XDG_RUNTIME_DIR) gets a template unit `bench@.service`
 *   (oneshot, RemainAfterExit=yes, /bin/true) and bench@1..bench@N are started, 200 names per
 *   `systemctl --user start`: N loaded, active services, plus the manager's own few units.
 * - node_exporter runs inside the namespace as the issue says:
 *   `--collector.disable-defaults --collector.systemd --collector.systemd.private`, with the
 *   manager's private socket bind-mounted onto /run/systemd/private (the namespace's
 *   /run/systemd is a private tmpfs). Its unit filters keep their defaults (include `.+`, so
 *   passing `--collector.systemd.unit-include=.+` would change nothing; exclude automount,
 *   device, mount, scope, slice and target units), and patrol's keep theirs (services, sockets,
 *   timers, targets, mounts): both as deployed. Both report the N bench services; the few units
 *   only one of them reports (patrol: targets and mounts) are printed, and so are the series
 *   counts, which differ more (per service node_exporter has 5 unit_state series, patrol 7
 *   unit_state and 4 more; load_state only for required units).
 * - patrol runs as deployed (`node dist/main.js`, built first) twice, with only the systemd
 *   collector: once on the manager's private socket (the same transport as node_exporter: the
 *   headline) and once on its session bus (through dbus-daemon, as `bus: user` would).
 * - Each exporter gets `warmup` requests; then `rounds` rounds, each one GET /metrics to each
 *   of the three, in an order that cycles through all six permutations (every exporter sees
 *   every position equally often), sequential over one keep-alive connection per exporter,
 *   timed from sending the request to the last byte of the body (bench/lib/peers.ts `get`).
 * - Then the proof: for `proof-scrapes` scrapes of each exporter, `strace -f -e connect`
 *   counts the connect() calls the exporter makes, and the unix sockets each exporter holds
 *   (/proc/<pid>/fd with `ss -xp` for the peer) are listed before and after; for the patrol on
 *   the session bus, the bus daemon's unique names show that patrol keeps its name and that no
 *   other connection came (every connection to a bus gets the next `:1.N`).
 *
 * Goal: patrol's median <= 1 x node_exporter's (private socket), and no connect() during scrapes.
 *
 * The code is in bench/systemd/: main.ts runs the parts in order; setup.ts has the units,
 * node_exporter in the namespace and the cleanups, scrape.ts the targets and what their bodies
 * hold, proof.ts the sockets and connect() calls, options.ts the goal and options.
 */
import { main } from './systemd/main.ts';

await main();
