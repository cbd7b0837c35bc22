// libuv sizes its thread pool once, on first use, from UV_THREADPOOL_SIZE (default 4). Each
// hung mount (stale NFS) holds one pool thread until it answers; with 4 threads a few such
// mounts would stall every other file operation of the exporter. 32 threads cost little
// (their stacks are reserved, not resident) and leave room; an operator's own value wins.
process.env.UV_THREADPOOL_SIZE ??= '32';
