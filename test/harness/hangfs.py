#!/usr/bin/env python3
"""hangfs: a FUSE file system whose statfs never answers, to test behaviour on a hung mount.

Speaks the raw kernel protocol on /dev/fuse (no libfuse): mounts each MOUNTPOINT with mount(2),
answers FUSE_INIT and a few root-inode requests, and never answers FUSE_STATFS, so statfs(2) on a
mount point blocks in the kernel (like a stale NFS mount) until this process dies; the kernel then
aborts the connection and the blocked calls (and later ones) fail with ENOTCONN.

Needs root (CAP_SYS_ADMIN) and /dev/fuse. Run it in a private mount namespace so nothing leaks
to the host, e.g. `unshare --mount --propagation private -- sh -c '...'`.

usage: hangfs.py [--daemon] [--watch-pid PID] [--lifeline-fd FD] MOUNTPOINT...

  --daemon          fork; the parent exits 0 once every mount is up (INIT answered) and prints the
                    server's pid on stdout, or exits 1 with the reason on stderr.
  --watch-pid PID   exit (which aborts the mounts) when process PID exits.
  --lifeline-fd FD  an inherited pipe or socket whose other end the caller (a test) holds: when it
                    closes (the caller exited, even by SIGKILL), SIGKILL the --watch-pid process and
                    exit. Needed because a process whose threads are blocked in statfs on this file
                    system cannot finish exiting (the wait is uninterruptible once the request has
                    been read), so --watch-pid alone would deadlock if the client were killed first.

Kill the server (any signal) to make the mounts fail: calls blocked in statfs then return
ECONNABORTED and later calls ENOTCONN.

Every STATFS request received is logged on stderr as
  hangfs: holding statfs mountpoint=<mnt> unique=<n> count=<requests so far for this mount>
so a test can check how often a client asked.
"""

import ctypes
import os
import select
import struct
import sys

FUSE_LOOKUP = 1
FUSE_FORGET = 2
FUSE_GETATTR = 3
FUSE_STATFS = 17
FUSE_INIT = 26
FUSE_INTERRUPT = 36
FUSE_DESTROY = 38
FUSE_BATCH_FORGET = 42
NO_REPLY = {FUSE_FORGET, FUSE_BATCH_FORGET, FUSE_INTERRUPT, FUSE_DESTROY}

FUSE_KERNEL_VERSION = 7
OUR_MINOR = 31  # we use no feature newer than this; the kernel accepts any minor <= its own
MAX_WRITE = 128 * 1024
READ_BUFFER = MAX_WRITE + 4096  # >= FUSE_MIN_READ_BUFFER (8192)

IN_HEADER = struct.Struct('<IIQQIIIHH')  # len opcode unique nodeid uid gid pid total_extlen padding
OUT_HEADER = struct.Struct('<IiQ')  # len error unique
INIT_IN = struct.Struct('<IIII')  # major minor max_readahead flags (flags2 and unused follow)
# major minor max_readahead flags max_background congestion_threshold max_write time_gran
# max_pages map_alignment flags2 unused[7]: 64 bytes since protocol 7.23
INIT_OUT = struct.Struct('<IIIIHHIIHHI28x')
# fuse_attr_out: attr_valid attr_valid_nsec dummy, then fuse_attr: ino size blocks atime mtime
# ctime atimensec mtimensec ctimensec mode nlink uid gid rdev blksize flags
ATTR_OUT = struct.Struct('<QII' + 'QQQQQQ' + 'IIIIIIIIII')

MS_NOSUID = 2
MS_NODEV = 4
S_IFDIR = 0o040000
ENOENT = 2
ENOSYS = 38

libc = ctypes.CDLL(None, use_errno=True)
libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]


def log(msg):
    os.write(2, f'hangfs: {msg}\n'.encode())


def reply(fd, unique, payload=b'', error=0):
    os.write(fd, OUT_HEADER.pack(OUT_HEADER.size + len(payload), -error, unique) + payload)


def mount(fd, mountpoint):
    opts = f'fd={fd},rootmode=40000,user_id=0,group_id=0,allow_other'
    if libc.mount(b'hangfs', mountpoint.encode(), b'fuse.hangfs', MS_NOSUID | MS_NODEV, opts.encode()) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f'mount -t fuse.hangfs -o {opts} hangfs {mountpoint}: {os.strerror(err)}')


class Conn:
    def __init__(self, mountpoint):
        self.mountpoint = mountpoint
        self.statfs_count = 0
        self.held = []  # uniques of STATFS requests we will never answer
        self.initialized = False
        # O_CLOEXEC (Python's default): the fd must not leak into other processes, or the
        # connection would outlive this server.
        self.fd = os.open('/dev/fuse', os.O_RDWR)
        mount(self.fd, mountpoint)

    def handle(self, req):
        length, opcode, unique, nodeid = IN_HEADER.unpack_from(req)[:4]
        body = req[IN_HEADER.size:length]
        if opcode == FUSE_INIT:
            major, minor, max_readahead, _flags = INIT_IN.unpack_from(body)
            if major != FUSE_KERNEL_VERSION:
                # A newer major: answer with ours and the kernel falls back (or gives up).
                reply(self.fd, unique, INIT_OUT.pack(FUSE_KERNEL_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
                return
            out = INIT_OUT.pack(FUSE_KERNEL_VERSION, min(minor, OUR_MINOR), max_readahead, 0,
                                16, 12, MAX_WRITE, 1, 0, 0, 0)
            if minor < 23:
                out = out[:24]  # FUSE_COMPAT_22_INIT_OUT_SIZE
            reply(self.fd, unique, out)
            self.initialized = True
        elif opcode == FUSE_STATFS:
            self.statfs_count += 1
            self.held.append(unique)
            log(f'holding statfs mountpoint={self.mountpoint} unique={unique} count={self.statfs_count}')
        elif opcode == FUSE_GETATTR and nodeid == 1:
            reply(self.fd, unique, ATTR_OUT.pack(1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
                                                 S_IFDIR | 0o755, 2, 0, 0, 0, 4096, 0))
        elif opcode == FUSE_LOOKUP:
            reply(self.fd, unique, error=ENOENT)  # an empty directory
        elif opcode in NO_REPLY:
            pass
        else:
            reply(self.fd, unique, error=ENOSYS)

    def read_one(self):
        """Handles one request; False once the connection is gone (unmounted or aborted)."""
        try:
            req = os.read(self.fd, READ_BUFFER)
        except BlockingIOError:
            return True
        except InterruptedError:
            return True
        except OSError as e:
            if e.errno == 19:  # ENODEV: unmounted
                return False
            if e.errno == ENOENT:  # request was interrupted before we read it
                return True
            raise
        if not req:
            return False
        self.handle(req)
        return True


def serve(mountpoints, watch_pid, lifeline, ready):
    conns = []
    try:
        for mp in mountpoints:
            conns.append(Conn(mp))
        # The kernel queues INIT at mount time; answer it (blocking reads) before declaring ready.
        for c in conns:
            while not c.initialized:
                if not c.read_one():
                    raise OSError(f'connection for {c.mountpoint} closed before INIT')
    except OSError as e:
        ready(str(e))
        return 1
    for c in conns:
        os.set_blocking(c.fd, False)
    watch = None
    if watch_pid is not None:
        try:
            watch = os.pidfd_open(watch_pid)
        except ProcessLookupError:
            ready(f'watched pid {watch_pid} does not exist')
            return 1
    ready(None)
    log(f'serving pid={os.getpid()} mountpoints={",".join(mountpoints)}')
    by_fd = {c.fd: c for c in conns}
    while by_fd:
        fds = list(by_fd) + [x for x in (watch, lifeline) if x is not None]
        readable, _, _ = select.select(fds, [], [])
        for fd in readable:
            if fd == watch:
                log(f'watched pid {watch_pid} exited; stopping')
                return 0
            if fd == lifeline:
                try:
                    data = os.read(lifeline, 4096)
                except OSError:
                    data = b''
                if data:
                    continue
                log('lifeline closed; stopping')
                if watch_pid is not None:
                    try:
                        os.kill(watch_pid, 9)
                    except ProcessLookupError:
                        pass
                return 0
            if not by_fd[fd].read_one():
                log(f'connection for {by_fd[fd].mountpoint} closed')
                del by_fd[fd]
    return 0


def main(argv):
    daemon = False
    watch_pid = None
    lifeline = None
    mountpoints = []
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == '--daemon':
            daemon = True
        elif a == '--watch-pid':
            watch_pid = int(args.pop(0))
        elif a.startswith('--watch-pid='):
            watch_pid = int(a.split('=', 1)[1])
        elif a == '--lifeline-fd':
            lifeline = int(args.pop(0))
        elif a.startswith('--lifeline-fd='):
            lifeline = int(a.split('=', 1)[1])
        elif a in ('-h', '--help'):
            sys.stdout.write(__doc__)
            return 0
        elif a.startswith('-'):
            sys.stderr.write(f'hangfs: unknown flag {a}\n')
            return 2
        else:
            mountpoints.append(os.path.abspath(a))
    if not mountpoints:
        sys.stderr.write(__doc__)
        return 2

    if not daemon:
        def ready(err):
            if err is not None:
                log(f'error: {err}')
            else:
                log('ready')
        return serve(mountpoints, watch_pid, lifeline, ready)

    r, w = os.pipe()
    pid = os.fork()
    if pid > 0:
        os.close(w)
        msg = b''
        while chunk := os.read(r, 4096):
            msg += chunk
        if msg == b'ok':
            sys.stdout.write(f'{pid}\n')
            return 0
        sys.stderr.write(f'hangfs: {msg.decode() or "server died before it was ready"}\n')
        os.waitpid(pid, 0)
        return 1
    os.close(r)
    os.setsid()

    announced = False

    def ready(err):
        nonlocal announced
        if announced:
            return
        announced = True
        # Release the caller's stdout (a shell's $(...) waits for every writer to close it).
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(devnull, 1)
        os.close(devnull)
        os.write(w, b'ok' if err is None else err.encode())
        os.close(w)

    try:
        code = serve(mountpoints, watch_pid, lifeline, ready)
    except BaseException as e:  # noqa: BLE001 - report anything to the waiting parent
        if announced:
            log(f'error: {type(e).__name__}: {e}')
        else:
            ready(f'{type(e).__name__}: {e}')
        code = 1
    os._exit(code)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
