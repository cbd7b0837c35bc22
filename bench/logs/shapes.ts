/**
 * bench/logs.ts, the generated lines: the line shapes of the generated file, each with the level
 * the syslog preset must give it and whether the grep pattern selects it (mix.ts draws them).
 */
import type { Level } from '../../src/collectors/logs/metrics.ts';
import type { LineMix } from './mix.ts';

export interface Shape {
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
export const SHAPES: readonly Shape[] = [
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
